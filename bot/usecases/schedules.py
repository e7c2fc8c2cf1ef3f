"""Planning a user's scheduled messages: the database holds when each is next due."""

from __future__ import annotations

from datetime import datetime

from bot.coaching.domain import User
from bot.coaching.timing import SCHEDULED_KINDS, next_due
from storage import Store


async def sync_schedules(store: Store, user: User, now: datetime) -> None:
    """(Re)plan every scheduled message of a user after set-up or a settings change."""
    for kind in SCHEDULED_KINDS:
        await store.set_schedule(
            user.chat_id, kind.value, next_due(kind, user, now) if user.onboarded else None
        )
