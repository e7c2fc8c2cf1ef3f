"""Processed updates: each Telegram update is handled once, even when it comes again."""

from __future__ import annotations

from datetime import datetime

from storage.queries import Queries
from storage.schema import processed_updates


class UpdateQueries(Queries):
    """Recording the updates handled, and forgetting them once Telegram stops redelivering."""

    async def first_delivery(self, update_id: int, chat_id: int | None, now: datetime) -> bool:
        """Record that an update is being handled; False when it was handled before."""
        statement = (
            self._insert_once(processed_updates)
            .values(update_id=update_id, chat_id=chat_id, processed_at=now)
            .on_conflict_do_nothing(index_elements=["update_id"])
        )
        async with self._engine.begin() as conn:
            result = await conn.execute(statement)
        return result.rowcount > 0

    async def forget_updates_before(self, cutoff: datetime) -> int:
        """Drop the record of updates handled before `cutoff`; Telegram redelivers for a day."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                processed_updates.delete().where(processed_updates.c.processed_at < cutoff)
            )
        return result.rowcount
