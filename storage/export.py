"""Everything kept about one chat: read it all for /export, or delete it all for /delete."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from storage.queries import Queries
from storage.schema import (
    contacts,
    drafts,
    fears,
    follow_ups,
    interactions,
    opportunities,
    processed_updates,
    schedules,
    sent_messages,
    users,
)


class ExportQueries(Queries):
    """The whole of a chat's data, across every table."""

    async def export_rows(self, chat_id: int) -> dict[str, list[dict[str, Any]]] | None:
        """Every row kept about the chat, by table, contacts named; None for an unknown chat."""
        named = contacts.c.name.label("contact")
        queries: dict[str, sa.Select[Any]] = {
            "contacts": sa.select(contacts).where(contacts.c.chat_id == chat_id),
            "interactions": sa.select(interactions, named)
            .join(contacts, contacts.c.id == interactions.c.contact_id)
            .where(interactions.c.chat_id == chat_id),
            "follow_ups": sa.select(follow_ups, named)
            .join(contacts, contacts.c.id == follow_ups.c.contact_id)
            .where(follow_ups.c.chat_id == chat_id),
            "fears": sa.select(fears, named)
            .outerjoin(contacts, contacts.c.id == fears.c.contact_id)
            .where(fears.c.chat_id == chat_id),
            "opportunities": sa.select(opportunities, named)
            .join(contacts, contacts.c.id == opportunities.c.contact_id)
            .where(opportunities.c.chat_id == chat_id),
            "sent_messages": sa.select(sent_messages).where(sent_messages.c.chat_id == chat_id),
            "drafts": sa.select(drafts).where(drafts.c.chat_id == chat_id),
            "schedules": sa.select(schedules).where(schedules.c.chat_id == chat_id),
        }
        async with self._engine.connect() as conn:
            user = (await conn.execute(sa.select(users).where(users.c.chat_id == chat_id))).first()
            if user is None:
                return None
            rows = {"user": [dict(user._mapping)]}
            for name, query in queries.items():
                table = query.get_final_froms()[0]
                ordered = query.order_by(*table.primary_key)
                rows[name] = [dict(row._mapping) for row in await conn.execute(ordered)]
        return rows

    async def delete_chat(self, chat_id: int) -> None:
        """Remove every row of the chat, in one transaction (the rest cascades from users)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                processed_updates.delete().where(processed_updates.c.chat_id == chat_id)
            )
            await conn.execute(users.delete().where(users.c.chat_id == chat_id))
