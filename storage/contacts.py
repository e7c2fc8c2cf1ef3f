"""The contacts table: the people a user may reach out to, and what the rules know of each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.coaching.domain import Contact, ContactSummary, FollowUpStatus, Kind, Tier
from storage.queries import Queries, insert_row
from storage.rows import contact_record
from storage.schema import contacts, follow_ups, interactions
from storage.types import UtcDateTime


class DuplicateContactError(Exception):
    """The chat already has a contact with that name (compared by matching key)."""

    def __init__(self, existing: Contact) -> None:
        super().__init__(existing.name)
        self.existing = existing


async def require_contact(conn: AsyncConnection, chat_id: int, contact_id: int) -> None:
    """LookupError unless the contact belongs to this chat."""
    query = sa.select(contacts.c.id).where(
        contacts.c.chat_id == chat_id, contacts.c.id == contact_id
    )
    if (await conn.execute(query)).first() is None:
        raise LookupError(f"contact {contact_id} is not in chat {chat_id}")


class ContactQueries(Queries):
    """Adding, finding and changing a chat's contacts."""

    async def add_contact(
        self,
        chat_id: int,
        *,
        name: str,
        name_key: str,
        tier: Tier,
        note: str | None,
        now: datetime,
    ) -> Contact:
        """Add a contact; raise DuplicateContactError when the name is already there."""
        try:
            async with self._engine.begin() as conn:
                row = await insert_row(
                    conn,
                    contacts,
                    chat_id=chat_id,
                    name=name,
                    name_key=name_key,
                    tier=tier.value,
                    note=note,
                    created_at=now,
                )
                return contact_record(row)
        except IntegrityError:
            existing = await self.contact_by_key(chat_id, name_key)
            if existing is None:
                raise
            raise DuplicateContactError(existing) from None

    async def contact_by_key(self, chat_id: int, name_key: str) -> Contact | None:
        """The contact whose matching key is exactly `name_key`."""
        query = sa.select(contacts).where(
            contacts.c.chat_id == chat_id, contacts.c.name_key == name_key
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return contact_record(row) if row else None

    async def get_contact(self, chat_id: int, contact_id: int) -> Contact | None:
        """The contact with this id, only if it belongs to this chat."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_contact_query(chat_id, contact_id))).first()
        return contact_record(row) if row else None

    async def list_contacts(self, chat_id: int, tier: Tier | None = None) -> list[Contact]:
        """The chat's contacts, by name; only one tier when `tier` is given."""
        query = sa.select(contacts).where(contacts.c.chat_id == chat_id)
        if tier is not None:
            query = query.where(contacts.c.tier == tier.value)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query.order_by(contacts.c.name_key, contacts.c.id))).all()
        return [contact_record(row) for row in rows]

    async def update_contact(
        self, chat_id: int, contact_id: int, *, tier: Tier | None = None, note: str | None = None
    ) -> Contact | None:
        """Change a contact's tier or note; None when it is not this chat's contact."""
        values: dict[str, Any] = {}
        if tier is not None:
            values["tier"] = tier.value
        if note is not None:
            values["note"] = note
        async with self._engine.begin() as conn:
            if values:
                await conn.execute(
                    contacts.update()
                    .where(contacts.c.chat_id == chat_id, contacts.c.id == contact_id)
                    .values(**values)
                )
            row = (await conn.execute(_contact_query(chat_id, contact_id))).first()
        return contact_record(row) if row else None

    async def contact_summaries(self, chat_id: int) -> list[ContactSummary]:
        """Every contact of the chat with its last touch (when, and what), outreach count, open
        follow-up and latest "no"."""
        last_touch = (
            sa.select(sa.type_coerce(sa.func.max(interactions.c.at), UtcDateTime()))
            .where(interactions.c.contact_id == contacts.c.id)
            .scalar_subquery()
        )
        outreach_count = (
            sa.select(sa.func.count())
            .where(
                interactions.c.contact_id == contacts.c.id,
                interactions.c.kind.in_([Kind.OUTREACH.value, Kind.FOLLOW_UP.value]),
            )
            .scalar_subquery()
        )
        last_kind = (
            sa.select(interactions.c.kind)
            .where(interactions.c.contact_id == contacts.c.id)
            .order_by(interactions.c.at.desc(), interactions.c.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        last_declined = (
            sa.select(sa.type_coerce(sa.func.max(interactions.c.at), UtcDateTime()))
            .where(
                interactions.c.contact_id == contacts.c.id,
                interactions.c.kind == Kind.REPLY_DECLINED.value,
            )
            .scalar_subquery()
        )
        open_follow_up = sa.exists().where(
            follow_ups.c.contact_id == contacts.c.id,
            follow_ups.c.status == FollowUpStatus.OPEN.value,
        )
        query = (
            sa.select(
                contacts,
                last_touch.label("last_touch"),
                outreach_count.label("outreach_count"),
                open_follow_up.label("has_open_follow_up"),
                last_kind.label("last_kind"),
                last_declined.label("last_declined"),
            )
            .where(contacts.c.chat_id == chat_id)
            .order_by(contacts.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            ContactSummary(
                contact=contact_record(row),
                last_interaction_at=row.last_touch,
                outreach_count=row.outreach_count,
                has_open_follow_up=bool(row.has_open_follow_up),
                last_kind=Kind(row.last_kind) if row.last_kind else None,
                last_declined_at=row.last_declined,
            )
            for row in rows
        ]


def _contact_query(chat_id: int, contact_id: int) -> sa.Select[Any]:
    return sa.select(contacts).where(contacts.c.chat_id == chat_id, contacts.c.id == contact_id)
