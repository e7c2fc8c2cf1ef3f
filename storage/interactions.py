"""The append-only interaction log and the follow-ups planned from it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.coaching.domain import (
    Ask,
    Channel,
    Contact,
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    Interaction,
    Kind,
)
from storage.contacts import require_contact
from storage.queries import Queries, insert_row
from storage.rows import contact_record, follow_up_record, interaction_record, part
from storage.schema import contacts, follow_ups, interactions
from storage.types import UtcDateTime


@dataclass(frozen=True)
class FollowUpPlan:
    """A follow-up to schedule together with a logged interaction."""

    due_at: datetime
    attempt: int
    reason: FollowUpReason = FollowUpReason.NO_REPLY


class InteractionQueries(Queries):
    """Logging interactions, reading the log, and the follow-ups that keep outreach going."""

    async def record_interaction(
        self,
        chat_id: int,
        contact_id: int,
        *,
        kind: Kind,
        at: datetime,
        channel: Channel | None = None,
        ask: Ask | None = None,
        note: str | None = None,
        close_open_follow_ups: FollowUpStatus | None = None,
        schedule: FollowUpPlan | None = None,
        carry_on: FollowUpPlan | None = None,
    ) -> Interaction:
        """Append one interaction and, in the same transaction, settle the contact's follow-ups.

        `close_open_follow_ups` closes every open follow-up of the contact with that status;
        `schedule` then adds the next one. `carry_on` keeps the open follow-up going with that
        plan's due time and reason instead (adding one when none is open).
        """
        async with self._engine.begin() as conn:
            await require_contact(conn, chat_id, contact_id)
            row = await insert_row(
                conn,
                interactions,
                chat_id=chat_id,
                contact_id=contact_id,
                kind=kind.value,
                channel=channel.value if channel else None,
                ask=ask.value if ask else None,
                note=note,
                at=at,
            )
            interaction = interaction_record(row)
            if close_open_follow_ups is not None:
                await _close_follow_ups(conn, chat_id, contact_id, close_open_follow_ups, at)
            if schedule is not None:
                await conn.execute(_insert_follow_up(chat_id, contact_id, schedule))
            if carry_on is not None:
                moved = await conn.execute(
                    follow_ups.update()
                    .where(_open_follow_ups_of(chat_id, contact_id))
                    .values(due_at=carry_on.due_at, reason=carry_on.reason.value)
                )
                if moved.rowcount == 0:
                    await conn.execute(_insert_follow_up(chat_id, contact_id, carry_on))
        return interaction

    async def contact_history(
        self, chat_id: int, contact_id: int, limit: int = 10
    ) -> list[Interaction]:
        """The contact's latest interactions, newest first."""
        query = (
            sa.select(interactions)
            .where(interactions.c.chat_id == chat_id, interactions.c.contact_id == contact_id)
            .order_by(interactions.c.at.desc(), interactions.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [interaction_record(row) for row in rows]

    async def count_interactions(
        self,
        chat_id: int,
        kinds: Iterable[Kind],
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> int:
        """How many interactions of these kinds the chat logged in [start, end)."""
        query = sa.select(sa.func.count()).where(
            interactions.c.chat_id == chat_id,
            interactions.c.kind.in_([kind.value for kind in kinds]),
        )
        if start is not None:
            query = query.where(interactions.c.at >= start)
        if end is not None:
            query = query.where(interactions.c.at < end)
        async with self._engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def last_interaction_at(self, chat_id: int, kinds: Iterable[Kind]) -> datetime | None:
        """When the chat last logged one of these kinds, or None."""
        query = sa.select(sa.type_coerce(sa.func.max(interactions.c.at), UtcDateTime())).where(
            interactions.c.chat_id == chat_id,
            interactions.c.kind.in_([kind.value for kind in kinds]),
        )
        async with self._engine.connect() as conn:
            value: datetime | None = (await conn.execute(query)).scalar_one()
        return value

    async def interactions_between(
        self, chat_id: int, start: datetime, end: datetime
    ) -> list[Interaction]:
        """The chat's interactions in [start, end), oldest first."""
        return await self._interactions(
            chat_id, interactions.c.at >= start, interactions.c.at < end
        )

    async def interactions_of(self, chat_id: int) -> list[Interaction]:
        """The chat's whole interaction log, oldest first (for progress, streak and projection)."""
        return await self._interactions(chat_id)

    async def _interactions(
        self, chat_id: int, *conditions: sa.ColumnElement[bool]
    ) -> list[Interaction]:
        query = (
            sa.select(interactions)
            .where(interactions.c.chat_id == chat_id, *conditions)
            .order_by(interactions.c.at, interactions.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [interaction_record(row) for row in rows]

    # --- follow-ups ----------------------------------------------------------------------------

    async def open_follow_up(self, chat_id: int, contact_id: int) -> FollowUp | None:
        """The contact's open follow-up, if there is one."""
        query = (
            sa.select(follow_ups)
            .where(_open_follow_ups_of(chat_id, contact_id))
            .order_by(follow_ups.c.due_at)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return follow_up_record(row) if row else None

    async def get_follow_up(self, chat_id: int, follow_up_id: int) -> FollowUp | None:
        """The follow-up with this id, only if it belongs to this chat."""
        query = sa.select(follow_ups).where(
            follow_ups.c.chat_id == chat_id, follow_ups.c.id == follow_up_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return follow_up_record(row) if row else None

    async def open_follow_ups(self, chat_id: int) -> list[tuple[FollowUp, Contact]]:
        """Every open follow-up of the chat with its contact, soonest due first."""
        query = (
            sa.select(follow_ups, contacts)
            .join(contacts, contacts.c.id == follow_ups.c.contact_id)
            .where(
                follow_ups.c.chat_id == chat_id,
                follow_ups.c.status == FollowUpStatus.OPEN.value,
            )
            .order_by(follow_ups.c.due_at, follow_ups.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            (follow_up_record(part(row, follow_ups)), contact_record(part(row, contacts)))
            for row in rows
        ]

    async def snooze_follow_up(
        self,
        chat_id: int,
        follow_up_id: int,
        until: datetime,
        reason: FollowUpReason | None = None,
    ) -> FollowUp | None:
        """Move an open follow-up's due time (and give it a new reason); None when it is not
        open or not this chat's."""
        values: dict[str, object] = {"due_at": until}
        if reason is not None:
            values["reason"] = reason.value
        async with self._engine.begin() as conn:
            result = await conn.execute(
                follow_ups.update()
                .where(
                    follow_ups.c.chat_id == chat_id,
                    follow_ups.c.id == follow_up_id,
                    follow_ups.c.status == FollowUpStatus.OPEN.value,
                )
                .values(**values)
                .returning(*follow_ups.c)
            )
            row = result.first()
        return follow_up_record(row) if row else None

    async def schedule_follow_up(
        self, chat_id: int, contact_id: int, plan: FollowUpPlan
    ) -> FollowUp:
        """Plan a follow-up with a contact of this chat (replacing any open one)."""
        async with self._engine.begin() as conn:
            await require_contact(conn, chat_id, contact_id)
            await conn.execute(follow_ups.delete().where(_open_follow_ups_of(chat_id, contact_id)))
            result = await conn.execute(
                _insert_follow_up(chat_id, contact_id, plan).returning(*follow_ups.c)
            )
            return follow_up_record(result.one())

    async def rest_contact(
        self, chat_id: int, contact_id: int, *, now: datetime, until: datetime
    ) -> Contact | None:
        """Park a contact until `until`, closing its open follow-ups as rested."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                contacts.update()
                .where(contacts.c.chat_id == chat_id, contacts.c.id == contact_id)
                .values(rest_until=until)
                .returning(*contacts.c)
            )
            row = result.first()
            if row is None:
                return None
            await _close_follow_ups(conn, chat_id, contact_id, FollowUpStatus.RESTED, now)
        return contact_record(row)


def _open_follow_ups_of(chat_id: int, contact_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(
        follow_ups.c.chat_id == chat_id,
        follow_ups.c.contact_id == contact_id,
        follow_ups.c.status == FollowUpStatus.OPEN.value,
    )


def _insert_follow_up(chat_id: int, contact_id: int, plan: FollowUpPlan) -> sa.Insert:
    return follow_ups.insert().values(
        chat_id=chat_id,
        contact_id=contact_id,
        due_at=plan.due_at,
        attempt=plan.attempt,
        status=FollowUpStatus.OPEN.value,
        reason=plan.reason.value,
    )


async def _close_follow_ups(
    conn: AsyncConnection, chat_id: int, contact_id: int, status: FollowUpStatus, at: datetime
) -> None:
    await conn.execute(
        follow_ups.update()
        .where(_open_follow_ups_of(chat_id, contact_id))
        .values(status=status.value, closed_at=at)
    )
