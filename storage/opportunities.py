"""The opportunities table: possible roles or projects that came through a contact."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.coaching.domain import Contact, Opportunity, Stage
from storage.contacts import require_contact
from storage.queries import Queries, insert_row
from storage.rows import contact_record, opportunity_record, part
from storage.schema import contacts, opportunities


class OpportunityQueries(Queries):
    """Starting, listing and moving a chat's opportunities along the pipeline."""

    async def add_opportunity(
        self, chat_id: int, contact_id: int, *, title: str, stage: Stage, now: datetime
    ) -> Opportunity:
        """Start an opportunity with a contact of this chat (LookupError for another's)."""
        async with self._engine.begin() as conn:
            await require_contact(conn, chat_id, contact_id)
            row = await insert_row(
                conn,
                opportunities,
                chat_id=chat_id,
                contact_id=contact_id,
                title=title,
                stage=stage.value,
                created_at=now,
                updated_at=now,
            )
            return opportunity_record(row)

    async def get_opportunity(
        self, chat_id: int, opportunity_id: int
    ) -> tuple[Opportunity, Contact] | None:
        """The opportunity and its contact, only if it belongs to this chat."""
        query = _with_contacts(chat_id).where(opportunities.c.id == opportunity_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _with_contact(row) if row else None

    async def list_opportunities(self, chat_id: int) -> list[tuple[Opportunity, Contact]]:
        """The chat's opportunities with their contacts, the most recently moved first."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_PIPELINE, {"chat_id": chat_id})).all()
        return [_with_contact(row) for row in rows]

    async def move_opportunity(
        self, chat_id: int, opportunity_id: int, stage: Stage, now: datetime
    ) -> Opportunity | None:
        """Move an opportunity to `stage`; None when it is not this chat's."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                opportunities.update()
                .where(opportunities.c.chat_id == chat_id, opportunities.c.id == opportunity_id)
                .values(stage=stage.value, updated_at=now)
                .returning(*opportunities.c)
            )
            row = result.first()
        return opportunity_record(row) if row else None


def _with_contacts(chat_id: int) -> sa.Select[Any]:
    return (
        sa.select(opportunities, contacts)
        .join(contacts, contacts.c.id == opportunities.c.contact_id)
        .where(opportunities.c.chat_id == chat_id)
    )


# Built once: a statement made afresh for each call costs more to run than to answer.
_PIPELINE = (
    sa.select(opportunities, contacts)
    .join(contacts, contacts.c.id == opportunities.c.contact_id)
    .where(opportunities.c.chat_id == sa.bindparam("chat_id"))
    .order_by(opportunities.c.updated_at.desc(), opportunities.c.id.desc())
)


def _with_contact(row: Any) -> tuple[Opportunity, Contact]:
    return opportunity_record(part(row, opportunities)), contact_record(part(row, contacts))
