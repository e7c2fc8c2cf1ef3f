"""Plain text, shared locations, unknown commands and everything else a chat can send."""

from __future__ import annotations

from telegram import Update

from bot.context import CoachContext
from bot.messages.common import esc
from bot.usecases import onboarding
from bot.usecases.conversation import answer_text
from bot.usecases.onboarding import Location
from bot.usecases.replies import Reply
from bot.usecases.users import drop_pending_question
from handlers.common import chat_id_of, run, send


async def text_message(update: Update, context: CoachContext) -> None:
    """Plain text: the answer to what the bot asked last, a sentence to log, or a hint."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    await run(update, context, answer_text, message.text)


async def location_message(update: Update, context: CoachContext) -> None:
    """A shared location: the answer to the time zone question."""
    message = update.effective_message
    if message is None or message.location is None:
        return
    where = Location(message.location.latitude, message.location.longitude)
    await run(update, context, onboarding.shared_location, where)


async def clear_pending_question(update: Update, context: CoachContext) -> None:
    """A command drops whatever question was pending (runs before the command itself)."""
    if update.effective_chat is not None:
        await drop_pending_question(context.store, chat_id_of(update))


async def unknown_command(update: Update, context: CoachContext) -> None:
    """A command the bot does not have."""
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "that"
    await send(
        update, context, Reply(f"I don't know {esc(command[:40])}. /help lists what I can do.")
    )


async def other_message(update: Update, context: CoachContext) -> None:
    """Stickers, photos, voice notes and the like."""
    await send(
        update, context, Reply("I can only read text for now. /help shows what I understand.")
    )
