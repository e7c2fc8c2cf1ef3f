"""Processed updates: each Telegram update is handled once, even when it comes again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy.dialects import postgresql, sqlite

from bot.coaching.domain import User
from storage.queries import Queries
from storage.rows import user_record
from storage.schema import processed_updates
from storage.users import USER_OF_CHAT


@dataclass(frozen=True)
class Claim:
    """An update claimed for handling: whether this is its first delivery, and its chat's
    user as the claim found it (None for a chat the bot has never seen, or no chat)."""

    first: bool
    user: User | None = None


class UpdateQueries(Queries):
    """Recording the updates handled, and forgetting them once Telegram stops redelivering."""

    async def claim_update(self, update_id: int, chat_id: int | None, now: datetime) -> Claim:
        """Record that an update is being handled, then read its chat's user; `first` is
        False when the update was handled before.

        The claim is one statement committed on its own (autocommit): on SQLite the write lock
        is then held only while the statement runs, never while the event loop gets round to
        committing, so a burst of updates does not queue on it.
        """
        claim = {"update_id": update_id, "chat_id": chat_id, "processed_at": now}
        async with self._engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            result = await conn.execute(_claim_statement(self._engine.dialect.name), claim)
            if result.rowcount == 0:
                return Claim(first=False)
            if chat_id is None:
                return Claim(first=True)
            row = (await conn.execute(USER_OF_CHAT, {"chat_id": chat_id})).first()
        return Claim(first=True, user=user_record(row) if row else None)

    async def forget_updates_before(self, cutoff: datetime) -> int:
        """Drop the record of updates handled before `cutoff`; Telegram redelivers for a day."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                processed_updates.delete().where(processed_updates.c.processed_at < cutoff)
            )
        return result.rowcount


@cache
def _claim_statement(dialect: str) -> postgresql.Insert | sqlite.Insert:
    """The insert that claims an update (nothing when it is there already), built once per
    kind of database; its values are bound by name."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(processed_updates).on_conflict_do_nothing(index_elements=["update_id"])
