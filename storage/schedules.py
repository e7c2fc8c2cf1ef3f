"""Scheduled coaching: when each message is next due, and the claims that send it once."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

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


@dataclass(frozen=True)
class ScheduleMove:
    """Move a schedule row from `was_at` (compare and set) to `next_at`; a retry keeps the
    occurrence it is for in `occurrence_at`."""

    chat_id: int
    kind: str
    was_at: datetime
    next_at: datetime
    occurrence_at: datetime | None = None


@dataclass(frozen=True)
class MessageClaim:
    """The one send of (chat, kind, period) claimed with what it shows, and the (kind, period)
    keys it settles too (a question asked once), claimed with it."""

    chat_id: int
    kind: str
    period_key: str
    content: str | None = None
    also: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[int, str, str]:
        """(chat, kind, period): the sent-log's unique key."""
        return (self.chat_id, self.kind, self.period_key)


class ClaimOutcome:
    """What became of one (move, claim) of a batch."""

    TAKEN = "taken"  # another worker moved the schedule first
    MOVED = "moved"  # moved on, nothing to claim
    DUPLICATE = "duplicate"  # moved on, but the message was claimed before
    CLAIMED = "claimed"


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
            # In the order of the index on next_at alone, so that a batch is read without
            # sorting every row due (a hundred thousand mornings share one minute).
            .order_by(schedules.c.next_at)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [DueSchedule(row.chat_id, row.kind, row.next_at, row.occurrence_at) for row in rows]

    async def advance_and_claim_batch(
        self, batch: Sequence[tuple[ScheduleMove, MessageClaim | None]], now: datetime
    ) -> list[str]:
        """In one transaction, move each schedule on (compare and set) and, where it moved,
        claim its message (a `ClaimOutcome` each, in order); the keys a claim settles too are
        claimed only with it. Three statements, however many users the batch holds."""
        if not batch:
            return []
        async with self._tick_write() as conn:
            moved = await _move_schedules(conn, [move for move, _ in batch])
            claims = [
                claim
                for move, claim in batch
                if claim is not None and (move.chat_id, move.kind) in moved
            ]
            claimed = await self._claim_many(conn, claims, now)
            also = [
                MessageClaim(claim.chat_id, kind, period)
                for claim in claims
                if claim.key in claimed
                for kind, period in claim.also
            ]
            await self._claim_many(conn, also, now)
        outcomes: list[str] = []
        for move, claim in batch:
            if (move.chat_id, move.kind) not in moved:
                outcomes.append(ClaimOutcome.TAKEN)
            elif claim is None:
                outcomes.append(ClaimOutcome.MOVED)
            else:
                outcomes.append(
                    ClaimOutcome.CLAIMED if claim.key in claimed else ClaimOutcome.DUPLICATE
                )
        return outcomes

    async def move_schedules(self, moves: Sequence[ScheduleMove]) -> set[tuple[int, str]]:
        """Move each schedule on (compare and set), in one statement; the (chat, kind) moved."""
        if not moves:
            return set()
        async with self._tick_write() as conn:
            return await _move_schedules(conn, moves)

    async def finish_messages(
        self, keys: Collection[tuple[int, str, str]], status: str, now: datetime
    ) -> None:
        """Record how these claimed sends (chat, kind, period) ended, in one statement."""
        if not keys:
            return
        async with self._tick_write() as conn:
            await conn.execute(
                sent_messages.update()
                .where(_claims_in(keys))
                .values(status=status, finished_at=now)
            )

    async def release_messages(self, keys: Collection[tuple[int, str, str]]) -> None:
        """Give claims back after sends that surely did not reach their users, to retry them."""
        if not keys:
            return
        async with self._tick_write() as conn:
            await conn.execute(
                sent_messages.delete().where(
                    _claims_in(keys), sent_messages.c.status == SendStatus.CLAIMED
                )
            )

    async def _claim_many(
        self, conn: AsyncConnection, claims: Sequence[MessageClaim], now: datetime
    ) -> set[tuple[int, str, str]]:
        """Claim each message not claimed before, in one statement; the keys claimed now."""
        if not claims:
            return set()
        result = await _execute_batch(
            conn,
            (_CLAIM_POSTGRESQL, _CLAIM_SQLITE),
            ("chat_ids", "kinds", "period_keys", "contents"),
            [(claim.chat_id, claim.kind, claim.period_key, claim.content) for claim in claims],
            status=SendStatus.CLAIMED,
            claimed_at=now,
        )
        return {(row.chat_id, row.kind, row.period_key) for row in result}

    async def claim_message(self, chat_id: int, kind: str, period_key: str, now: datetime) -> bool:
        """Claim the one send of (chat, kind, period); False when it was claimed before."""
        async with self._engine.begin() as conn:
            result = await conn.execute(self._claim_statement(chat_id, kind, period_key, now))
        return result.rowcount > 0

    def _claim_statement(
        self, chat_id: int, kind: str, period_key: str, now: datetime, content: str | None = None
    ) -> sa.Insert:
        return (
            self._insert_once(sent_messages)
            .values(
                chat_id=chat_id,
                kind=kind,
                period_key=period_key,
                status=SendStatus.CLAIMED,
                claimed_at=now,
                content=content,
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

    async def message_content(self, chat_id: int, kind: str, period_key: str) -> str | None:
        """What the message of (chat, kind, period) showed, as claimed; None when unknown."""
        query = sa.select(sent_messages.c.content).where(_claim_of(chat_id, kind, period_key))
        async with self._engine.connect() as conn:
            content: str | None = (await conn.execute(query)).scalar_one_or_none()
        return content

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


async def _move_schedules(
    conn: AsyncConnection, moves: Sequence[ScheduleMove]
) -> set[tuple[int, str]]:
    """Compare and set for many rows, in one statement: each row moves on only if it is still
    due at its `was_at`; the (chat, kind) of the rows moved."""
    to_db = _time_to_db(conn.dialect)
    result = await _execute_batch(
        conn,
        (_MOVE_POSTGRESQL, _MOVE_SQLITE),
        ("chat_ids", "kinds", "was_at", "next_at", "occurrence_at"),
        [
            (m.chat_id, m.kind, to_db(m.was_at), to_db(m.next_at), to_db(m.occurrence_at))
            for m in moves
        ],
    )
    return {(row.chat_id, row.kind) for row in result}


async def _execute_batch(
    conn: AsyncConnection,
    statements: tuple[sa.TextClause, sa.TextClause],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    **values: Any,
) -> sa.CursorResult[Any]:
    """Run a batch statement (PostgreSQL's, or the other) with `rows` as one parameter: on
    PostgreSQL an array for each of `columns`, elsewhere one JSON array of rows (`:batch`)."""
    postgresql_statement, sqlite_statement = statements
    if conn.dialect.name == "postgresql":
        arrays = {name: [row[index] for row in rows] for index, name in enumerate(columns)}
        return await conn.execute(postgresql_statement, {**values, **arrays})
    return await conn.execute(sqlite_statement, {**values, "batch": json.dumps(rows)})


def _time_to_db(dialect: Dialect) -> Callable[[datetime | None], Any]:
    """How this database takes a time column's value in a batch parameter (SQLite: text;
    PostgreSQL: as it is); a batch holds a few distinct times (one per zone), each converted
    once."""
    processor = schedules.c.next_at.type.dialect_impl(dialect).bind_processor(dialect)
    if processor is None:
        return lambda value: value
    converted: dict[datetime | None, Any] = {}

    def to_db(value: datetime | None) -> Any:
        if value not in converted:
            converted[value] = processor(value)
        return converted[value]

    return to_db


# Batch statements take the whole batch in one parameter (a JSON array on SQLite, arrays on
# PostgreSQL): one statement text whatever the batch's size, prepared once, and no per-row
# parameter handling in Python.
_MOVE_SQLITE = sa.text(
    """
    UPDATE schedules SET next_at = moves.next_at, occurrence_at = moves.occurrence_at
    FROM (
        SELECT json_extract(value, '$[0]') AS chat_id, json_extract(value, '$[1]') AS kind,
               json_extract(value, '$[2]') AS was_at, json_extract(value, '$[3]') AS next_at,
               json_extract(value, '$[4]') AS occurrence_at
        FROM json_each(:batch)
    ) AS moves
    WHERE schedules.chat_id = moves.chat_id AND schedules.kind = moves.kind
      AND schedules.next_at = moves.was_at
    RETURNING schedules.chat_id, schedules.kind
    """
)
_MOVE_POSTGRESQL = sa.text(
    """
    UPDATE schedules SET next_at = moves.next_at, occurrence_at = moves.occurrence_at
    FROM unnest(
        CAST(:chat_ids AS BIGINT[]), CAST(:kinds AS TEXT[]), CAST(:was_at AS TIMESTAMPTZ[]),
        CAST(:next_at AS TIMESTAMPTZ[]), CAST(:occurrence_at AS TIMESTAMPTZ[])
    ) AS moves(chat_id, kind, was_at, next_at, occurrence_at)
    WHERE schedules.chat_id = moves.chat_id AND schedules.kind = moves.kind
      AND schedules.next_at = moves.was_at
    RETURNING schedules.chat_id, schedules.kind
    """
)
_CLAIM_SQLITE = sa.text(
    """
    INSERT INTO sent_messages (chat_id, kind, period_key, status, claimed_at, content)
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
           json_extract(value, '$[2]'), :status, :claimed_at, json_extract(value, '$[3]')
    FROM json_each(:batch) WHERE true
    ON CONFLICT (chat_id, kind, period_key) DO NOTHING
    RETURNING chat_id, kind, period_key
    """
).bindparams(sa.bindparam("claimed_at", type_=UtcDateTime()))
_CLAIM_POSTGRESQL = sa.text(
    """
    INSERT INTO sent_messages (chat_id, kind, period_key, status, claimed_at, content)
    SELECT claims.chat_id, claims.kind, claims.period_key, CAST(:status AS TEXT),
           CAST(:claimed_at AS TIMESTAMPTZ), claims.content
    FROM unnest(
        CAST(:chat_ids AS BIGINT[]), CAST(:kinds AS TEXT[]), CAST(:period_keys AS TEXT[]),
        CAST(:contents AS TEXT[])
    ) AS claims(chat_id, kind, period_key, content)
    ON CONFLICT (chat_id, kind, period_key) DO NOTHING
    RETURNING chat_id, kind, period_key
    """
).bindparams(sa.bindparam("claimed_at", type_=UtcDateTime()))


def _claims_in(keys: Collection[tuple[int, str, str]]) -> sa.ColumnElement[bool]:
    return sa.tuple_(sent_messages.c.chat_id, sent_messages.c.kind, sent_messages.c.period_key).in_(
        list(keys)
    )


def _claim_of(chat_id: int, kind: str, period_key: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        sent_messages.c.chat_id == chat_id,
        sent_messages.c.kind == kind,
        sent_messages.c.period_key == period_key,
    )
