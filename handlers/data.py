"""/export and /delete: the user's data is theirs, to take away or to remove."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update

from bot.context import CoachContext
from bot.messages.export import export_document, to_csv_zip, to_json
from handlers.callback_data import ButtonAction
from handlers.common import answer_button, button, chat_id_of, keyboard, send, show

NOTHING_STORED = (
    "I keep nothing about you right now, so there's nothing to export. "
    "/start whenever you'd like to begin."
)


async def export_command(update: Update, context: CoachContext) -> None:
    """/export: everything kept about the user, as JSON and as CSV files in a zip."""
    chat_id = chat_id_of(update)
    rows = await context.store.export_rows(chat_id)
    if rows is None:
        await send(update, context, NOTHING_STORED)
        return
    document = export_document(rows)
    json_bytes, zip_bytes = await asyncio.to_thread(
        lambda: (to_json(document), to_csv_zip(document))
    )
    day = context.clock.now().date().isoformat()
    counts = ", ".join(f"{len(document[key])} {key.replace('_', ' ')}" for key in _COUNTED)
    await context.bot.send_document(
        chat_id,
        InputFile(json_bytes, filename=f"outreach-coach-{day}.json"),
        caption=f"📦 Everything I keep about you: {counts}.",
    )
    await context.bot.send_document(
        chat_id,
        InputFile(zip_bytes, filename=f"outreach-coach-{day}-csv.zip"),
        caption="The same tables as CSV files, for a spreadsheet.",
    )


_COUNTED = ("contacts", "interactions", "follow_ups", "fears", "opportunities")


async def delete_command(update: Update, context: CoachContext) -> None:
    """/delete: ask for confirmation first."""
    chat_id = chat_id_of(update)
    if await context.store.get_user(chat_id) is None:
        await send(update, context, NOTHING_STORED)
        return
    await send(
        update,
        context,
        "This deletes everything I keep about you: settings, contacts, logs, follow-ups, "
        "fears and opportunities. It can't be undone. (/export first if you want a copy.)",
        keyboard(
            (button("🗑 Yes, delete everything", "dl", "y"),),
            (button("Keep my data", "dl", "n"),),
        ),
    )


async def delete_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """The answer to the delete confirmation."""
    if action.args[0] != "y":
        await answer_button(update, "Nothing deleted.")
        await show(update, context, "Nothing was deleted. 👍")
        return
    await context.store.delete_chat(chat_id_of(update))
    await answer_button(update, "Deleted.")
    await show(
        update,
        context,
        "Done: everything I kept about you is deleted. If you ever want to start again, "
        "/start is here.",
    )
