"""Each update is handled once, even when Telegram delivers it twice."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import CoachContext
from bot.usecases.users import claim_update

logger = logging.getLogger(__name__)


async def skip_seen_updates(update: Update, context: CoachContext) -> None:
    """Claim the update before any handler runs; a second delivery stops here.

    Claiming first means a crash mid-update drops that update rather than doubling it: the
    user never saw it confirmed, so nothing they were told is lost. The claim reads the
    chat's user too, for the handlers that follow.
    """
    chat_id = update.effective_chat.id if update.effective_chat else None
    claim = await claim_update(context.store, update.update_id, chat_id, context.now)
    if not claim.first:
        logger.info("Update %s was delivered again: already handled", update.update_id)
        raise ApplicationHandlerStop
    context.remember_user(claim.user)
