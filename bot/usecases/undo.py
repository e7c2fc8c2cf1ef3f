"""/undo and the Undo button under every "Logged" message: a log taken back with what it
changed (its follow-up, the one it closed, the fears riding on it), in one transaction."""

from __future__ import annotations

from datetime import datetime

from bot.coaching.domain import Kind, LogEntry, User
from bot.coaching.pending import AwaitNextStep
from bot.messages.history import (
    ALREADY_UNDONE,
    KEPT,
    NOTHING_TO_UNDO,
    UNDO_QUESTION,
    UNDONE,
    removal_question,
    removed_text,
)
from bot.usecases.actions import KeepLog, UndoLog
from bot.usecases.replies import Button, ButtonRow, Reply, Response, edited, sent
from storage import Store

UNDO_HINT = "<i>Not right? /undo takes it back.</i>"


def undo_row(interaction_id: int) -> ButtonRow:
    """The Undo button of a "Logged" message."""
    return (Button("↩️ Undo", UndoLog(interaction_id)),)


async def undo_last(store: Store, user: User, now: datetime, _: None = None) -> Response:
    """/undo: show the last log and what taking it back changes, with a button to do it."""
    last = await store.last_logged(user.chat_id)
    entry = await store.log_entry(user.chat_id, last.id) if last else None
    if entry is None:
        return sent(Reply(NOTHING_TO_UNDO))
    rows = (
        (
            Button("↩️ Yes, undo it", UndoLog(entry.interaction.id)),
            Button("Keep it", KeepLog()),
        ),
    )
    return sent(Reply(removal_question(entry, user.timezone, UNDO_QUESTION), rows))


async def undo_log(store: Store, user: User, now: datetime, action: UndoLog) -> Response:
    """Take a log back; one already gone changes nothing and says so."""
    entry = await store.remove_interaction(user.chat_id, action.interaction_id)
    if entry is None:
        return Response(toast=ALREADY_UNDONE, drop=UndoLog)
    await forget_questions_about(store, user, entry)
    return edited(Reply(removed_text(entry, user.timezone, UNDONE)), toast="Undone ↩️")


async def keep_log(store: Store, user: User, now: datetime, action: KeepLog) -> Response:
    """'Keep it' on /undo's question."""
    return edited(Reply(KEPT), toast="Kept")


async def forget_questions_about(store: Store, user: User, entry: LogEntry) -> None:
    """A removed coffee chat's "any next step?" no longer waits for an answer."""
    waiting = user.awaiting
    if (
        entry.interaction.kind is Kind.COFFEE_CHAT
        and isinstance(waiting, AwaitNextStep)
        and waiting.contact_id == entry.contact.id
    ):
        await store.set_awaiting(user.chat_id, None)
