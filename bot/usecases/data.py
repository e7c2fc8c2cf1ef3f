"""/export and /delete: the user's data is theirs, to take away or to remove."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from datetime import datetime

from bot.coaching.domain import User
from bot.messages.export import ExportWriter
from bot.usecases.actions import ConfirmDelete
from bot.usecases.partners import end_before_delete
from bot.usecases.replies import Button, Document, Reply, Response, edited, sent
from storage import Store

NOTHING_STORED = (
    "I keep nothing about you right now, so there's nothing to export. "
    "/start whenever you'd like to begin."
)
_COUNTED = ("contacts", "interactions", "follow_ups", "fears", "opportunities", "targets")


async def export_data(store: Store, chat_id: int, now: datetime) -> Response:
    """Everything kept about the chat, as JSON and as CSV files in a zip, written a chunk at a
    time into temporary files (so a large account takes no more memory than a small one)."""
    async with contextlib.aclosing(store.export_chunks(chat_id)) as chunks:
        first = await anext(chunks, None)
        if first is None:
            return sent(Reply(NOTHING_STORED))
        # The files outlive this function: they are sent as they are read, then closed.
        json_file = tempfile.TemporaryFile()  # noqa: SIM115
        zip_file = tempfile.TemporaryFile()  # noqa: SIM115
        writer = ExportWriter(json_file, zip_file)
        await asyncio.to_thread(writer.add, *first)
        async for table, rows in chunks:
            await asyncio.to_thread(writer.add, table, rows)
        await asyncio.to_thread(writer.finish)
    json_file.seek(0)
    zip_file.seek(0)
    day = now.date().isoformat()
    counts = ", ".join(f"{writer.counts[key]} {key.replace('_', ' ')}" for key in _COUNTED)
    return sent(
        Document(
            json_file,
            f"outreach-coach-{day}.json",
            f"📦 Everything I keep about you: {counts}.",
        ),
        Document(
            zip_file,
            f"outreach-coach-{day}-csv.zip",
            "The same tables as CSV files, for a spreadsheet.",
        ),
    )


async def ask_to_delete(store: Store, chat_id: int) -> Response:
    """/delete: ask for confirmation first."""
    if await store.get_user(chat_id) is None:
        return sent(Reply(NOTHING_STORED))
    return sent(
        Reply(
            "This deletes everything I keep about you: settings, contacts, logs, follow-ups, "
            "fears, opportunities, target companies and imports waiting for a tap. It can't be "
            "undone. (/export first if you want a copy.)",
            (
                (Button("🗑 Yes, delete everything", ConfirmDelete(True)),),
                (Button("Keep my data", ConfirmDelete(False)),),
            ),
        )
    )


async def confirm_delete(
    store: Store, user: User, now: datetime, action: ConfirmDelete
) -> Response:
    """The answer to the delete confirmation."""
    if not action.confirmed:
        return edited(Reply("Nothing was deleted. 👍"), toast="Nothing deleted.")
    told = await end_before_delete(store, user, now)
    await store.delete_chat(user.chat_id)
    return edited(
        Reply(
            "Done: everything I kept about you is deleted. If you ever want to start again, "
            "/start is here."
        ),
        toast="Deleted.",
    ).then(*told)
