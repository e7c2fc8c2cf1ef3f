"""The fears journal: predictions written before reaching out, tested against what happened."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.coaching.domain import Fear, FearOutcome
from storage.contacts import require_contact
from storage.queries import Queries, insert_row
from storage.rows import fear_record
from storage.schema import fears, interactions

_NEWEST_FIRST = (fears.c.created_at.desc(), fears.c.id.desc())


class FearQueries(Queries):
    """Writing fears down, tying them to outreach, and recording how they turned out."""

    async def add_fear(
        self,
        chat_id: int,
        *,
        text: str,
        strength: int,
        now: datetime,
        tie_until: datetime | None = None,
    ) -> Fear:
        """Write a complete fear down; it waits for the next outreach logged before `tie_until`."""
        async with self._engine.begin() as conn:
            row = await insert_row(
                conn,
                fears,
                chat_id=chat_id,
                text=text,
                strength_before=strength,
                tie_until=tie_until,
                created_at=now,
            )
            return fear_record(row)

    async def rate_nervousness(
        self, chat_id: int, interaction_id: int, strength: int, now: datetime
    ) -> Fear | None:
        """How nervous the user was before an outreach: a fear without words, tied to it.

        None when the outreach is not this chat's or already carries a fear.
        """
        async with self._engine.begin() as conn:
            contact_id = (
                await conn.execute(
                    sa.select(interactions.c.contact_id).where(
                        interactions.c.chat_id == chat_id, interactions.c.id == interaction_id
                    )
                )
            ).scalar_one_or_none()
            taken = sa.select(fears.c.id).where(
                fears.c.chat_id == chat_id, fears.c.interaction_id == interaction_id
            )
            if contact_id is None or (await conn.execute(taken)).first() is not None:
                return None
            row = await insert_row(
                conn,
                fears,
                chat_id=chat_id,
                contact_id=contact_id,
                interaction_id=interaction_id,
                strength_before=strength,
                created_at=now,
            )
            return fear_record(row)

    async def get_fear(self, chat_id: int, fear_id: int) -> Fear | None:
        """The fear with this id, only if it belongs to this chat."""
        query = sa.select(fears).where(fears.c.chat_id == chat_id, fears.c.id == fear_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return fear_record(row) if row else None

    async def tie_fear(self, chat_id: int, fear_id: int, contact_id: int | None) -> Fear | None:
        """Tie an untested fear to a contact of this chat, or (None) keep it in the journal only.

        None when the fear or the contact is not this chat's, or the fear was tested already.
        """
        async with self._engine.begin() as conn:
            if contact_id is not None:
                try:
                    await require_contact(conn, chat_id, contact_id)
                except LookupError:
                    return None
            return await _change_fear(
                conn,
                chat_id,
                fear_id,
                [fears.c.outcome.is_(None)],
                contact_id=contact_id,
                tie_until=None,
                waited_until=None,
            )

    async def tie_fears_to_outreach(
        self, chat_id: int, contact_id: int, interaction_id: int, now: datetime
    ) -> list[Fear]:
        """Tie to this outreach the fears waiting for the next one, and the contact's open fears
        not on an outreach yet; return the contact's open fears, newest first."""
        open_fear = sa.and_(fears.c.chat_id == chat_id, fears.c.outcome.is_(None))
        async with self._engine.begin() as conn:
            await require_contact(conn, chat_id, contact_id)
            await conn.execute(
                fears.update()
                .where(open_fear, fears.c.contact_id.is_(None), fears.c.tie_until > now)
                .values(
                    contact_id=contact_id,
                    interaction_id=interaction_id,
                    waited_until=fears.c.tie_until,
                    tie_until=None,
                )
            )
            await conn.execute(
                fears.update()
                .where(
                    open_fear,
                    fears.c.contact_id == contact_id,
                    fears.c.interaction_id.is_(None),
                )
                .values(interaction_id=interaction_id)
            )
            rows = (
                await conn.execute(
                    sa.select(fears)
                    .where(open_fear, fears.c.contact_id == contact_id)
                    .order_by(*_NEWEST_FIRST)
                )
            ).all()
        return [fear_record(row) for row in rows]

    async def open_fears_of_contact(self, chat_id: int, contact_id: int) -> list[Fear]:
        """The contact's fears still waiting for an outcome, newest first."""
        query = (
            sa.select(fears)
            .where(
                fears.c.chat_id == chat_id,
                fears.c.contact_id == contact_id,
                fears.c.outcome.is_(None),
            )
            .order_by(*_NEWEST_FIRST)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [fear_record(row) for row in rows]

    async def record_fear_outcome(
        self, chat_id: int, fear_id: int, outcome: FearOutcome, now: datetime
    ) -> Fear | None:
        """Whether the feared thing happened, recorded once: None when it is not this chat's
        fear or its outcome is known already."""
        async with self._engine.begin() as conn:
            return await _change_fear(
                conn,
                chat_id,
                fear_id,
                [fears.c.outcome.is_(None)],
                outcome=outcome.value,
                tested_at=now,
                tie_until=None,
            )

    async def record_fear_strength_after(
        self, chat_id: int, fear_id: int, strength: int
    ) -> Fear | None:
        """How strong a tested fear is now, recorded once: None when it is not this chat's,
        not tested yet, or rated already."""
        async with self._engine.begin() as conn:
            return await _change_fear(
                conn,
                chat_id,
                fear_id,
                [fears.c.outcome.is_not(None), fears.c.strength_after.is_(None)],
                strength_after=strength,
            )

    async def fears_of(self, chat_id: int) -> list[Fear]:
        """Every fear of the chat, oldest first (the journal, the evidence and the export)."""
        query = (
            sa.select(fears)
            .where(fears.c.chat_id == chat_id)
            .order_by(fears.c.created_at, fears.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [fear_record(row) for row in rows]


async def fears_riding_on(conn: AsyncConnection, chat_id: int, interaction_id: int) -> list[Fear]:
    """The chat's fears tied to this logged interaction, oldest first."""
    query = (
        sa.select(fears)
        .where(fears.c.chat_id == chat_id, fears.c.interaction_id == interaction_id)
        .order_by(fears.c.created_at, fears.c.id)
    )
    return [fear_record(row) for row in await conn.execute(query)]


async def untie_fears(conn: AsyncConnection, chat_id: int, interaction_id: int) -> None:
    """Before a log is taken back: a bare nervousness rating of it goes; a written fear that
    rode on it as the next outreach waits again as it did (until the end of the day it was
    written); one tied to the contact stays tied to the contact, for their next outreach."""
    riding = sa.and_(fears.c.chat_id == chat_id, fears.c.interaction_id == interaction_id)
    await conn.execute(fears.delete().where(riding, fears.c.text.is_(None)))
    await conn.execute(
        fears.update()
        .where(riding, fears.c.waited_until.is_not(None))
        .values(contact_id=None, tie_until=fears.c.waited_until, waited_until=None)
    )
    await conn.execute(fears.update().where(riding).values(interaction_id=None))


async def _change_fear(
    conn: AsyncConnection,
    chat_id: int,
    fear_id: int,
    conditions: Iterable[sa.ColumnElement[bool]],
    **values: Any,
) -> Fear | None:
    """Change the chat's fear if it meets `conditions`; None when it is not there or does not."""
    result = await conn.execute(
        fears.update()
        .where(fears.c.chat_id == chat_id, fears.c.id == fear_id, *conditions)
        .values(**values)
        .returning(*fears.c)
    )
    row = result.first()
    return fear_record(row) if row else None
