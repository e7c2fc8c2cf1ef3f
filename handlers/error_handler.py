"""The one global error handler: expected Telegram trouble is one log line, the rest apologises."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import CoachContext
from bot.usecases.users import mark_blocked

logger = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side. Anything I confirmed is saved; "
    "please try that last step again."
)


async def error_handler(update: object, context: CoachContext) -> None:
    """Log the error once, with context, and tell the user briefly when there is one."""
    error = context.error
    chat_id = (
        update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
    )
    if isinstance(error, Forbidden) and chat_id is not None:
        await mark_blocked(context.store, chat_id, error)
        return
    if isinstance(error, (Forbidden, RetryAfter, TimedOut, NetworkError)):
        logger.warning("Telegram: %s for chat %s: %s", type(error).__name__, chat_id, error)
        return
    logger.error("Unexpected error while handling an update for chat %s", chat_id, exc_info=error)
    if chat_id is None:
        return
    try:
        await context.bot.send_message(chat_id, APOLOGY)
    except Exception as send_error:
        logger.warning("Could not send the apology to chat %s: %s", chat_id, send_error)
