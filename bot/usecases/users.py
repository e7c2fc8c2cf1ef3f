"""Who is talking: the user of a chat, created with the defaults on first contact."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.coaching.domain import User
from storage import Claim, Store

logger = logging.getLogger(__name__)


async def user_for_chat(
    store: Store, chat_id: int, now: datetime, *, known: User | None = None
) -> User:
    """The user of this chat (`known`: as this update read it already; otherwise read, or
    created when new); a user who had blocked the bot and writes again is active again."""
    user = known if known is not None else await store.ensure_user(chat_id, now)
    if not user.active:
        user = await store.set_active(user.chat_id, True)
    return user


async def drop_pending_question(store: Store, user: User | None) -> User | None:
    """Forget the question the bot asked last (a command was sent instead of an answer); the
    user as it now is."""
    if user is not None and user.awaiting is not None:
        return await store.set_awaiting(user.chat_id, None)
    return user


async def mark_blocked(store: Store, chat_id: int, reason: object) -> None:
    """The user blocked the bot: no more scheduled messages until they write again."""
    logger.warning("Chat %s blocked the bot (%s): marked inactive", chat_id, reason)
    await store.set_active(chat_id, False)


async def claim_update(store: Store, update_id: int, chat_id: int | None, now: datetime) -> Claim:
    """Claim an update, reading its chat's user on the way; `first` is False when it was
    handled already (Telegram delivered it again)."""
    return await store.claim_update(update_id, chat_id, now)
