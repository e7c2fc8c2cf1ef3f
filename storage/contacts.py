"""The contacts table: the people a user may reach out to, and what the rules know of each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.coaching.companies import company_key, works_at
from bot.coaching.domain import (
    CLEAR,
    MAX_CONTACTS,
    Clear,
    Contact,
    ContactFootprint,
    ContactSummary,
    FollowUpStatus,
    Kind,
    Tier,
)
from bot.coaching.errors import LimitReached
from storage.queries import Queries, insert_row
from storage.rows import contact_record
from storage.schema import contacts, fears, follow_ups, interactions, opportunities, targets
from storage.types import UtcDateTime

# The tables whose rows belong to one contact, in the order a footprint counts them.
_CONTACT_ROWS = (interactions, follow_ups, fears, opportunities)


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
        """Add a contact; DuplicateContactError when the name is already there, LimitReached
        when the chat holds MAX_CONTACTS already."""
        try:
            async with self._engine.begin() as conn:
                held = sa.select(sa.func.count()).where(contacts.c.chat_id == chat_id)
                if (await conn.execute(held)).scalar_one() >= MAX_CONTACTS:
                    raise LimitReached(
                        f"You have {MAX_CONTACTS:,} contacts, the most I keep. Nothing was "
                        "added: let a few go from their cards first."
                    )
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
        self,
        chat_id: int,
        contact_id: int,
        *,
        tier: Tier | None = None,
        note: str | Clear | None = None,
    ) -> Contact | None:
        """Change a contact's tier or note (CLEAR empties it); None when it is not this chat's
        contact."""
        values: dict[str, Any] = {}
        if tier is not None:
            values["tier"] = tier.value
        if note is not None:
            values["note"] = None if note is CLEAR else note
        async with self._engine.begin() as conn:
            if values:
                await conn.execute(
                    contacts.update()
                    .where(contacts.c.chat_id == chat_id, contacts.c.id == contact_id)
                    .values(**values)
                )
            row = (await conn.execute(_contact_query(chat_id, contact_id))).first()
        return contact_record(row) if row else None

    async def rename_contact(
        self, chat_id: int, contact_id: int, *, name: str, name_key: str
    ) -> Contact | None:
        """Give a contact a new name; DuplicateContactError when another contact has it, None
        when the contact is not this chat's."""
        try:
            async with self._engine.begin() as conn:
                result = await conn.execute(
                    contacts.update()
                    .where(contacts.c.chat_id == chat_id, contacts.c.id == contact_id)
                    .values(name=name, name_key=name_key)
                    .returning(*contacts.c)
                )
                row = result.first()
        except IntegrityError:
            existing = await self.contact_by_key(chat_id, name_key)
            if existing is None:
                raise
            raise DuplicateContactError(existing) from None
        return contact_record(row) if row else None

    async def contact_footprint(self, chat_id: int, contact_id: int) -> ContactFootprint | None:
        """How many logs, follow-ups, fears and opportunities the contact has; None when it is
        not this chat's."""
        counts = [
            sa.select(sa.func.count())
            .where(table.c.chat_id == chat_id, table.c.contact_id == contact_id)
            .scalar_subquery()
            for table in _CONTACT_ROWS
        ]
        query = sa.select(contacts.c.id, *counts).where(
            contacts.c.chat_id == chat_id, contacts.c.id == contact_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        _, logs, planned, feared, opened = row
        return ContactFootprint(logs, planned, feared, opened)

    async def delete_contact(self, chat_id: int, contact_id: int) -> bool:
        """Delete a contact with its logs, follow-ups, fears and opportunities (they cascade);
        False when it was not there."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                contacts.delete().where(contacts.c.chat_id == chat_id, contacts.c.id == contact_id)
            )
        return bool(result.rowcount)

    async def merge_contact(self, chat_id: int, source_id: int, target_id: int) -> Contact | None:
        """Move everything of one contact to another of the same chat, in one transaction: logs,
        follow-ups (open duplicates collapse to the soonest due), fears, opportunities, the
        introductions it made and its note; then the source goes. Returns the target, or None
        when either is gone (or they are the same)."""
        async with self._engine.begin() as conn:
            rows = {
                row.id: row
                for row in await conn.execute(
                    sa.select(contacts).where(
                        contacts.c.chat_id == chat_id, contacts.c.id.in_([source_id, target_id])
                    )
                )
            }
            if source_id == target_id or len(rows) != 2:
                return None
            for table in _CONTACT_ROWS:
                await conn.execute(
                    table.update()
                    .where(table.c.chat_id == chat_id, table.c.contact_id == source_id)
                    .values(contact_id=target_id)
                )
            await _collapse_open_follow_ups(conn, chat_id, target_id)
            await conn.execute(
                contacts.update()
                .where(contacts.c.chat_id == chat_id, contacts.c.introduced_by_id == source_id)
                .values(introduced_by_id=target_id)
            )
            note = _merged_note(rows[target_id].note, rows[source_id].note)
            await conn.execute(
                contacts.delete().where(contacts.c.chat_id == chat_id, contacts.c.id == source_id)
            )
            row = (
                await conn.execute(
                    contacts.update()
                    .where(contacts.c.chat_id == chat_id, contacts.c.id == target_id)
                    .values(note=note)
                    .returning(*contacts.c)
                )
            ).one()
        return contact_record(row)

    async def contact_summaries(self, chat_id: int) -> list[ContactSummary]:
        """Every contact of the chat with its last touch (when, and what), outreach count, open
        follow-up, last "no", and whether it works at one of the chat's target companies."""
        query = summaries_query(contacts.c.chat_id == chat_id).order_by(contacts.c.id)
        target_names = sa.select(targets.c.name).where(targets.c.chat_id == chat_id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
            target_keys = {
                company_key(name) for name in (await conn.execute(target_names)).scalars()
            }
        return [contact_summary(row, target_keys) for row in rows]


def summaries_query(condition: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Contacts matching `condition`, each with what a `ContactSummary` needs (one scan)."""
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
    return sa.select(
        contacts,
        last_touch.label("last_touch"),
        outreach_count.label("outreach_count"),
        open_follow_up.label("has_open_follow_up"),
        last_kind.label("last_kind"),
        last_declined.label("last_declined"),
    ).where(condition)


def contact_summary(row: Any, target_keys: set[str]) -> ContactSummary:
    """A row of `summaries_query` as a summary, given the chat's target companies' keys."""
    return ContactSummary(
        contact=contact_record(row),
        last_interaction_at=row.last_touch,
        outreach_count=row.outreach_count,
        has_open_follow_up=bool(row.has_open_follow_up),
        last_kind=Kind(row.last_kind) if row.last_kind else None,
        last_declined_at=row.last_declined,
        at_target=works_at(row.company, target_keys),
    )


def _contact_query(chat_id: int, contact_id: int) -> sa.Select[Any]:
    return sa.select(contacts).where(contacts.c.chat_id == chat_id, contacts.c.id == contact_id)


async def _collapse_open_follow_ups(conn: AsyncConnection, chat_id: int, contact_id: int) -> None:
    """Keep one open follow-up of the contact, the soonest due; the others go."""
    open_ids = (
        (
            await conn.execute(
                sa.select(follow_ups.c.id)
                .where(
                    follow_ups.c.chat_id == chat_id,
                    follow_ups.c.contact_id == contact_id,
                    follow_ups.c.status == FollowUpStatus.OPEN.value,
                )
                .order_by(follow_ups.c.due_at, follow_ups.c.id)
            )
        )
        .scalars()
        .all()
    )
    if len(open_ids) > 1:
        await conn.execute(
            follow_ups.delete().where(
                follow_ups.c.chat_id == chat_id, follow_ups.c.id.in_(open_ids[1:])
            )
        )


def _merged_note(kept: str | None, moved: str | None) -> str | None:
    """Both notes, the kept one first; one alone when the other is empty or the same."""
    if not moved or moved == kept:
        return kept
    if not kept:
        return moved
    return f"{kept}\n{moved}"
