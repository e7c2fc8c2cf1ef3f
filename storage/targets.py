"""The targets table: the companies a user would like to work at."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from bot.coaching.companies import company_key
from bot.coaching.domain import Target
from storage.queries import Queries
from storage.rows import target_record
from storage.schema import targets


class TargetQueries(Queries):
    """Adding, listing and removing a chat's target companies."""

    async def add_target(self, chat_id: int, name: str, now: datetime) -> Target | None:
        """Add a target company; None when the chat has it already (compared by key)."""
        insert = (
            self._insert_once(targets)
            .values(chat_id=chat_id, name=name, name_key=company_key(name), created_at=now)
            .on_conflict_do_nothing(index_elements=["chat_id", "name_key"])
            .returning(*targets.c)
        )
        async with self._engine.begin() as conn:
            row = (await conn.execute(insert)).first()
        return target_record(row) if row else None

    async def list_targets(self, chat_id: int) -> list[Target]:
        """The chat's target companies, in the order they were added."""
        query = (
            sa.select(targets)
            .where(targets.c.chat_id == chat_id)
            .order_by(targets.c.created_at, targets.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [target_record(row) for row in rows]

    async def get_target(self, chat_id: int, target_id: int) -> Target | None:
        """The target with this id, only if it is this chat's."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_target_query(chat_id, target_id))).first()
        return target_record(row) if row else None

    async def remove_target(self, chat_id: int, target_id: int) -> Target | None:
        """Remove a target; the one removed, or None when it was not this chat's (or gone)."""
        async with self._engine.begin() as conn:
            row = (await conn.execute(_target_query(chat_id, target_id))).first()
            if row is None:
                return None
            await conn.execute(
                targets.delete().where(targets.c.chat_id == chat_id, targets.c.id == target_id)
            )
        return target_record(row)


def _target_query(chat_id: int, target_id: int) -> sa.Select[tuple[object, ...]]:
    return sa.select(targets).where(targets.c.chat_id == chat_id, targets.c.id == target_id)
