"""Drafts: a log (or a fear) waiting for the user to confirm it with a button."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from storage.queries import Queries
from storage.schema import drafts


class DraftQueries(Queries):
    """Keeping, reading, replacing and dropping a chat's pending logs."""

    async def create_draft(
        self, chat_id: int, kind: str, payload: dict[str, Any], now: datetime
    ) -> int:
        """Keep a pending log until the user confirms it; returns its id for the buttons."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                drafts.insert()
                .values(chat_id=chat_id, kind=kind, payload=payload, created_at=now)
                .returning(drafts.c.id)
            )
            return int(result.scalar_one())

    async def get_draft(self, chat_id: int, draft_id: int) -> tuple[str, dict[str, Any]] | None:
        """The draft's kind and payload, only if it belongs to this chat."""
        query = sa.select(drafts.c.kind, drafts.c.payload).where(
            drafts.c.chat_id == chat_id, drafts.c.id == draft_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return (row.kind, dict(row.payload)) if row else None

    async def update_draft(self, chat_id: int, draft_id: int, payload: dict[str, Any]) -> bool:
        """Replace a draft's payload; False when it is gone or not this chat's."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                drafts.update()
                .where(drafts.c.chat_id == chat_id, drafts.c.id == draft_id)
                .values(payload=payload)
            )
        return result.rowcount > 0

    async def delete_draft(self, chat_id: int, draft_id: int) -> bool:
        """Drop a draft; False when there was none (already used, or not this chat's)."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                drafts.delete().where(drafts.c.chat_id == chat_id, drafts.c.id == draft_id)
            )
        return result.rowcount > 0
