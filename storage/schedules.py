"""Scheduled coaching: when each message is next due, and the claims that send it once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from storage.queries import Queries
from storage.schema import schedules, sent_messages, users
from storage.types import UtcDateTime


@dataclass(frozen=True)
class DueSchedule:
    """A scheduled message whose time has come, for a user who can still be messaged."""

    chat_id: int
    kind: str
    next_at: datetime
    occurrence_at: datetime | None = None  # for a retry: the occurrence it failed to send


class SendStatus:
    """What became of a claimed scheduled message."""

    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"


class ScheduleQueries(Queries):
    """The schedules table (what is due when) and sent_messages (one send per period)."""

    async def set_schedule(self, chat_id: int, kind: str, next_at: datetime | None) -> None:
        """Set when a scheduled message is next due for this chat (None: never)."""
        async with self._tick_write() as conn:
            await conn.execute(
                schedules.delete().where(schedules.c.chat_id == chat_id, schedules.c.kind == kind)
            )
            if next_at is not None:
                await conn.execute(
                    schedules.insert().values(chat_id=chat_id, kind=kind, next_at=next_at)
                )

    async def schedules_of(self, chat_id: int) -> dict[str, datetime]:
        """Every scheduled message of the chat and when it is next due."""
        query = sa.select(schedules.c.kind, schedules.c.next_at).where(
            schedules.c.chat_id == chat_id
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {row.kind: row.next_at for row in rows}

    async def due_schedules(self, now: datetime, limit: int) -> list[DueSchedule]:
        """Scheduled messages due at `now` for active users, the longest overdue first."""
        query = (
            sa.select(
                schedules.c.chat_id,
                schedules.c.kind,
                schedules.c.next_at,
                schedules.c.occurrence_at,
            )
            .join(users, users.c.chat_id == schedules.c.chat_id)
            .where(schedules.c.next_at <= now, users.c.active.is_(True))
            .order_by(schedules.c.next_at, schedules.c.chat_id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [DueSchedule(row.chat_id, row.kind, row.next_at, row.occurrence_at) for row in rows]

    async def advance_schedule(
        self, chat_id: int, kind: str, was_at: datetime, next_at: datetime
    ) -> bool:
        """Move a schedule from `was_at` to `next_at`; False when another worker moved it first."""
        async with self._tick_write() as conn:
            result = await conn.execute(_move_schedule(chat_id, kind, was_at, next_at))
        return result.rowcount > 0

    async def retry_schedule(
        self, chat_id: int, kind: str, move: tuple[datetime, datetime], occurrence: datetime
    ) -> bool:
        """Due again soon, for the same occurrence: move (was_at, retry_at) keeping which
        occurrence the retry is for; False when another worker moved the schedule first."""
        was_at, retry_at = move
        async with self._tick_write() as conn:
            result = await conn.execute(
                _move_schedule(chat_id, kind, was_at, retry_at).values(occurrence_at=occurrence)
            )
        return result.rowcount > 0

    async def advance_and_claim(
        self,
        chat_id: int,
        schedule: tuple[str, datetime, datetime],
        claim: tuple[str, str],
        now: datetime,
    ) -> str:
        """In one transaction, move a schedule (kind, was_at, next_at) on and claim a message
        (kind, period): "taken" when another worker moved the schedule first, "duplicate" when
        the message was claimed before, otherwise "claimed"."""
        async with self._tick_write() as conn:
            moved = await conn.execute(_move_schedule(chat_id, *schedule))
            if moved.rowcount == 0:
                return "taken"
            inserted = await conn.execute(self._claim_statement(chat_id, *claim, now))
        return "claimed" if inserted.rowcount > 0 else "duplicate"

    async def claim_message(self, chat_id: int, kind: str, period_key: str, now: datetime) -> bool:
        """Claim the one send of (chat, kind, period); False when it was claimed before."""
        async with self._engine.begin() as conn:
            result = await conn.execute(self._claim_statement(chat_id, kind, period_key, now))
        return result.rowcount > 0

    def _claim_statement(
        self, chat_id: int, kind: str, period_key: str, now: datetime
    ) -> sa.Insert:
        return (
            self._insert_once(sent_messages)
            .values(
                chat_id=chat_id,
                kind=kind,
                period_key=period_key,
                status=SendStatus.CLAIMED,
                claimed_at=now,
            )
            .on_conflict_do_nothing(index_elements=["chat_id", "kind", "period_key"])
        )

    async def finish_message(
        self, chat_id: int, kind: str, period_key: str, status: str, now: datetime
    ) -> None:
        """Record how a claimed send ended (sent, or failed for good)."""
        async with self._tick_write() as conn:
            await conn.execute(
                sent_messages.update()
                .where(_claim_of(chat_id, kind, period_key))
                .values(status=status, finished_at=now)
            )

    async def is_claimed(self, chat_id: int, kind: str, period_key: str) -> bool:
        """Whether (chat, kind, period) was claimed already."""
        query = sa.select(sent_messages.c.id).where(_claim_of(chat_id, kind, period_key))
        async with self._engine.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def release_message(self, chat_id: int, kind: str, period_key: str) -> None:
        """Give a claim back after a send that surely did not reach the user, to retry it."""
        async with self._tick_write() as conn:
            await conn.execute(
                sent_messages.delete().where(
                    _claim_of(chat_id, kind, period_key),
                    sent_messages.c.status == SendStatus.CLAIMED,
                )
            )

    async def sent_log(self, chat_id: int) -> list[tuple[str, str, str]]:
        """(kind, period, status) of every scheduled message claimed for the chat."""
        query = (
            sa.select(sent_messages.c.kind, sent_messages.c.period_key, sent_messages.c.status)
            .where(sent_messages.c.chat_id == chat_id)
            .order_by(sent_messages.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [(row.kind, row.period_key, row.status) for row in rows]

    async def last_claimed_at(self, chat_id: int, kind: str) -> datetime | None:
        """When a message of this kind was last claimed for the chat (suggestions pacing)."""
        query = sa.select(
            sa.type_coerce(sa.func.max(sent_messages.c.claimed_at), UtcDateTime())
        ).where(sent_messages.c.chat_id == chat_id, sent_messages.c.kind == kind)
        async with self._engine.connect() as conn:
            value: datetime | None = (await conn.execute(query)).scalar_one()
        return value


def _move_schedule(chat_id: int, kind: str, was_at: datetime, next_at: datetime) -> sa.Update:
    """Compare and set: move the schedule on only if it is still due at `was_at`."""
    return (
        schedules.update()
        .where(
            schedules.c.chat_id == chat_id,
            schedules.c.kind == kind,
            schedules.c.next_at == was_at,
        )
        .values(next_at=next_at, occurrence_at=None)
    )


def _claim_of(chat_id: int, kind: str, period_key: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        sent_messages.c.chat_id == chat_id,
        sent_messages.c.kind == kind,
        sent_messages.c.period_key == period_key,
    )
