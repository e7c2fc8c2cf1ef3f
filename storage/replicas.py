"""What replicas on one database share: the broadcast cap (how many scheduled sends each
wall-clock second still allows, counted here so that every process together stays under one
cap), and the due schedules, leased a batch at a time to one replica so that each composes
and sends its own share."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from storage.queries import Queries
from storage.schedules import DueSchedule
from storage.schema import broadcast_slots, schedules, users

# One row per second of the minute; a row is taken over when its minute has passed.
SLOTS = 60
# How long a replica holds the due rows it took: a replica that dies with them leaves them
# due again this much later (like a retry, keeping the occurrence they are for).
LEASE = timedelta(minutes=5)
# How many due rows a replica leases at a time: small enough that every replica gets a share
# of a fan-out (and one that dies delays few), large enough to compose them as one batch.
LEASE_BATCH_SIZE = 200


class ReplicaQueries(Queries):
    """Send slots of a wall-clock second, and due schedules leased to one replica."""

    if TYPE_CHECKING:  # from ScheduleQueries, beside this in the Store

        async def due_schedules(self, now: datetime, limit: int) -> list[DueSchedule]: ...

    @property
    def shared_by_replicas(self) -> bool:
        """Whether several processes may use this database at once (PostgreSQL), so the
        broadcast cap must be shared through it; an SQLite file serves one process."""
        return self._engine.dialect.name == "postgresql"

    async def take_broadcast_slots(self, second: int, wanted: int, cap: int) -> int:
        """Take up to `wanted` of the `cap` sends allowed in the Unix second `second`, for
        every process on this database together; returns how many were granted (0 when the
        second is full, or when another process has already counted a later second there)."""
        if wanted < 1 or cap < 1:
            raise ValueError("wanted and cap must be at least 1")
        table = broadcast_slots
        first = min(wanted, cap)
        room = cap - table.c.used
        same_second = table.c.second == second
        grant = sa.case((same_second, sa.case((room < wanted, room), else_=wanted)), else_=first)
        statement = (
            self._insert_once(table)
            .values(slot=second % SLOTS, second=second, used=first, granted=first)
            .on_conflict_do_update(
                index_elements=[table.c.slot],
                # Every expression reads the row as it was: `granted` is this request's share.
                set_={
                    "second": second,
                    "used": sa.case((same_second, table.c.used + grant), else_=first),
                    "granted": grant,
                },
                where=(table.c.second < second) | (same_second & (table.c.used < cap)),
            )
            .returning(table.c.granted)
        )
        async with self._engine.begin() as conn:
            granted = (await conn.execute(statement)).scalar_one_or_none()
        return int(granted or 0)

    async def take_due_schedules(self, now: datetime, limit: int) -> list[DueSchedule]:
        """The scheduled messages due at `now`, longest overdue first, as `due_schedules`
        finds them; on PostgreSQL taken for this replica: each row is leased (its `next_at`
        moved LEASE ahead, the occurrence kept), and rows another replica is taking are
        skipped, so replicas work on different users. The lease's `next_at` is what the
        tick's compare-and-set moves on from."""
        if not self.shared_by_replicas:
            return await self.due_schedules(now, limit)
        due = (
            sa.select(schedules.c.chat_id, schedules.c.kind)
            .join(users, users.c.chat_id == schedules.c.chat_id)
            .where(schedules.c.next_at <= now, users.c.active.is_(True))
            .order_by(schedules.c.next_at, schedules.c.chat_id)
            .limit(limit)
            .with_for_update(of=schedules, skip_locked=True)
        )
        lease = (
            schedules.update()
            .where(sa.tuple_(schedules.c.chat_id, schedules.c.kind).in_(due))
            .values(
                next_at=now + LEASE,
                occurrence_at=sa.func.coalesce(schedules.c.occurrence_at, schedules.c.next_at),
            )
            .returning(
                schedules.c.chat_id,
                schedules.c.kind,
                schedules.c.next_at,
                schedules.c.occurrence_at,
            )
        )
        async with self._engine.begin() as conn:
            rows = (await conn.execute(lease)).all()
        taken = [DueSchedule(row.chat_id, row.kind, row.next_at, row.occurrence_at) for row in rows]
        return sorted(taken, key=lambda item: (item.occurrence_at or item.next_at, item.chat_id))
