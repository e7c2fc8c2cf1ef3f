"""The broadcast cap shared by replicas: how many scheduled sends each wall-clock second
still allows, counted in the database so that every process sharing it stays under one cap."""

from __future__ import annotations

import sqlalchemy as sa

from storage.queries import Queries
from storage.schema import broadcast_slots

# One row per second of the minute; a row is taken over when its minute has passed.
SLOTS = 60


class BroadcastSlotQueries(Queries):
    """Taking send slots of a wall-clock second, compare-and-set in one statement."""

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
