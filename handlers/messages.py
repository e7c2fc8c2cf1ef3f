"""Plain text and unknown commands: answers to a pending question, or a short hint."""

from __future__ import annotations

from telegram import Update

from bot.context import CoachContext
from bot.messages.texts import esc
from handlers.common import current_user, send
from handlers.contacts import AWAIT_ADD, add_contact_from_text
from handlers.fears import AWAIT_FEAR, answered_crisis, fear_text
from handlers.onboarding import is_onboarding_text, onboarding_text
from handlers.outreach import awaited_text
from handlers.pipeline import is_opportunity_text, opportunity_title_text
from handlers.preferences import awaited_setting
from handlers.sentences import awaited_draft_name, sentence_message

HINT = (
    "I didn't catch that. Tell me what you did, like “messaged Ana on LinkedIn” or "
    "“coffee with Bob”, or see /help for everything I can do."
)
MAX_TEXT_LENGTH = 4000


async def text_message(update: Update, context: CoachContext) -> None:
    """Plain text: the answer to what the bot asked last, otherwise a hint."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    user = await current_user(update, context)
    text = message.text
    if await answered_crisis(update, context, user, text):  # care first, never coaching
        return
    if len(text) > MAX_TEXT_LENGTH:
        await send(update, context, "That's a very long message; nothing was saved.")
        return
    if is_onboarding_text(user):
        await onboarding_text(update, context, user)
    elif user.awaiting == AWAIT_ADD:
        await context.store.update_user(user.chat_id, awaiting=None)
        await add_contact_from_text(update, context, text)
    elif is_opportunity_text(user):
        await opportunity_title_text(update, context, user, text)
    elif (user.awaiting or "").startswith(AWAIT_FEAR):
        await fear_text(update, context, user, text)
    elif not (
        await awaited_setting(update, context, user, text)
        or await awaited_text(update, context, user, text)
        or await awaited_draft_name(update, context, user, text)
        or await sentence_message(update, context, user, text)
    ):
        await send(update, context, HINT)


async def clear_pending_question(update: Update, context: CoachContext) -> None:
    """A command drops whatever question was pending (runs before the command itself)."""
    user = await context.store.get_user(update.effective_chat.id) if update.effective_chat else None
    if user is not None and user.awaiting is not None:
        await context.store.update_user(user.chat_id, awaiting=None)


async def unknown_command(update: Update, context: CoachContext) -> None:
    """A command the bot does not have."""
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "that"
    await send(update, context, f"I don't know {esc(command[:40])}. /help lists what I can do.")


async def other_message(update: Update, context: CoachContext) -> None:
    """Stickers, photos, voice notes and the like."""
    await send(update, context, "I can only read text for now. /help shows what I understand.")
