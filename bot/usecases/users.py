"""Who is talking: the user of a chat, created with the defaults on first contact."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.coaching.domain import User
from storage import Store

logger = logging.getLogger(__name__)


async def user_for_chat(store: Store, chat_id: int, now: datetime) -> User:
    """The user of this chat; a user who had blocked the bot and writes again is active again."""
    user = await store.ensure_user(chat_id, now)
    if not user.active:
        user = await store.set_active(user.chat_id, True)
    return user


async def drop_pending_question(store: Store, chat_id: int) -> None:
    """Forget the question the bot asked last (a command was sent instead of an answer)."""
    user = await store.get_user(chat_id)
    if user is not None and user.awaiting is not None:
        await store.set_awaiting(chat_id, None)


async def mark_blocked(store: Store, chat_id: int, reason: object) -> None:
    """The user blocked the bot: no more scheduled messages until they write again."""
    logger.warning("Chat %s blocked the bot (%s): marked inactive", chat_id, reason)
    await store.set_active(chat_id, False)


async def first_delivery(store: Store, update_id: int, chat_id: int | None, now: datetime) -> bool:
    """Claim an update; False when it was handled already (Telegram delivered it again)."""
    return await store.first_delivery(update_id, chat_id, now)
