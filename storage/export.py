"""Everything kept about one chat: read it all for /export, or delete it all for /delete."""

from __future__ import annotations

from collections.abc import AsyncGenerator
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
    partnerships,
    pending_import_rows,
    pending_imports,
    processed_updates,
    schedules,
    sent_messages,
    targets,
    users,
)

# Rows read and written at a time by /export: its memory does not grow with the account.
EXPORT_CHUNK = 500


class ExportQueries(Queries):
    """The whole of a chat's data, across every table."""

    async def export_chunks(
        self, chat_id: int, chunk_size: int = EXPORT_CHUNK
    ) -> AsyncGenerator[tuple[str, list[dict[str, Any]]]]:
        """Every row kept about the chat, read in one transaction and handed out a chunk at a
        time, table by table (`user` first, then the small tables, then the large ones, each
        announced by an empty chunk), contacts named; nothing at all for an unknown chat.

        Only one chunk is held at once, so exporting a large account takes bounded memory.
        """
        async with self._engine.connect() as conn:
            user = (await conn.execute(_rows_of(users, chat_id))).first()
            if user is None:
                return
            yield "user", [dict(user._mapping)]
            for name, query in _export_queries(chat_id).items():
                table = query.get_final_froms()[0]
                yield name, []
                rows = await conn.stream(query.order_by(*table.primary_key))
                async for chunk in rows.mappings().partitions(chunk_size):
                    yield name, [dict(row) for row in chunk]

    async def export_rows(self, chat_id: int) -> dict[str, list[dict[str, Any]]] | None:
        """Every row kept about the chat, by table, all at once; None for an unknown chat (for
        checks that compare everything before and after)."""
        rows: dict[str, list[dict[str, Any]]] = {}
        async for name, chunk in self.export_chunks(chat_id):
            rows.setdefault(name, []).extend(chunk)
        return rows or None

    async def delete_chat(self, chat_id: int) -> None:
        """Remove every row of the chat, in one transaction (the rest cascades from users).

        On SQLite the deleted rows are overwritten (secure_delete) and the write-ahead log,
        which still holds the pages as they were, is checkpointed into the file and emptied,
        so no deleted text stays readable on disk.
        """
        async with self._engine.begin() as conn:
            await conn.execute(
                processed_updates.delete().where(processed_updates.c.chat_id == chat_id)
            )
            await conn.execute(users.delete().where(users.c.chat_id == chat_id))
        if self._engine.dialect.name == "sqlite":
            async with self._engine.connect() as conn:
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _export_queries(chat_id: int) -> dict[str, sa.Select[Any]]:
    """What the export reads, in the order it is written: the small tables first."""
    return {
        "sent_messages": _rows_of(sent_messages, chat_id),
        "drafts": _rows_of(drafts, chat_id),
        "schedules": _rows_of(schedules, chat_id),
        "pending_imports": _rows_of(pending_imports, chat_id),
        "pending_import_rows": _rows_of(pending_import_rows, chat_id),
        "partnerships": _rows_of(partnerships, chat_id),
        "partner_of": sa.select(partnerships).where(partnerships.c.partner_chat_id == chat_id),
        "contacts": _rows_of(contacts, chat_id),
        "interactions": _named(interactions, chat_id),
        "follow_ups": _named(follow_ups, chat_id),
        "fears": _named(fears, chat_id, contact_optional=True),
        "opportunities": _named(opportunities, chat_id),
        "targets": _rows_of(targets, chat_id),
    }


def _rows_of(table: sa.Table, chat_id: int) -> sa.Select[Any]:
    return sa.select(table).where(table.c.chat_id == chat_id)


def _named(table: sa.Table, chat_id: int, *, contact_optional: bool = False) -> sa.Select[Any]:
    """The chat's rows of `table`, each with the name of its contact (column "contact")."""
    query = sa.select(table, contacts.c.name.label("contact"))
    on = contacts.c.id == table.c.contact_id
    joined = query.outerjoin(contacts, on) if contact_optional else query.join(contacts, on)
    return joined.where(table.c.chat_id == chat_id)
