"""Drafts: a log (or a fear) waiting for the user to confirm it with a button."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from bot.coaching.pending import Draft, draft_from_payload, draft_kind, draft_to_payload
from storage.queries import Queries
from storage.schema import drafts

# Built once: a statement made afresh for each call costs more to run than to answer.
_NEW_DRAFT = drafts.insert().returning(drafts.c.id)


class DraftQueries(Queries):
    """Keeping, reading, replacing and dropping a chat's pending logs and fears."""

    async def create_draft(self, chat_id: int, draft: Draft, now: datetime) -> int:
        """Keep a pending log or fear until the user confirms it; its id goes in the buttons."""
        values = {
            "chat_id": chat_id,
            "kind": draft_kind(draft),
            "payload": draft_to_payload(draft),
            "created_at": now,
        }
        async with self._engine.begin() as conn:
            result = await conn.execute(_NEW_DRAFT, values)
            return int(result.scalar_one())

    async def get_draft(self, chat_id: int, draft_id: int) -> Draft | None:
        """The draft, only if it belongs to this chat (and reads as one)."""
        query = sa.select(drafts.c.kind, drafts.c.payload).where(
            drafts.c.chat_id == chat_id, drafts.c.id == draft_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return draft_from_payload(row.kind, row.payload) if row else None

    async def update_draft(self, chat_id: int, draft_id: int, draft: Draft) -> bool:
        """Replace a draft; False when it is gone or not this chat's."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                drafts.update()
                .where(drafts.c.chat_id == chat_id, drafts.c.id == draft_id)
                .values(kind=draft_kind(draft), payload=draft_to_payload(draft))
            )
        return result.rowcount > 0

    async def forget_drafts_before(self, cutoff: datetime) -> int:
        """Drop drafts made before `cutoff` (a question left unanswered); how many went."""
        async with self._engine.begin() as conn:
            result = await conn.execute(drafts.delete().where(drafts.c.created_at < cutoff))
        return result.rowcount

    async def delete_draft(self, chat_id: int, draft_id: int) -> bool:
        """Drop a draft; False when there was none (already used, or not this chat's)."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                drafts.delete().where(drafts.c.chat_id == chat_id, drafts.c.id == draft_id)
            )
        return result.rowcount > 0
