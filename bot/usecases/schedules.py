"""Planning a user's scheduled messages: the database holds when each is next due."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.coaching.domain import DRAFT_LIFETIME, User
from bot.coaching.timing import SCHEDULED_KINDS, next_due
from storage import Store

# Telegram redelivers an unconfirmed update within a day: older records can go.
UPDATE_MEMORY = timedelta(days=2)


async def forget_old_records(store: Store, now: datetime) -> None:
    """Housekeeping after a tick: updates too old to be redelivered, drafts left unanswered."""
    await store.forget_updates_before(now - UPDATE_MEMORY)
    await store.forget_drafts_before(now - DRAFT_LIFETIME)


async def sync_schedules(store: Store, user: User, now: datetime) -> None:
    """(Re)plan every scheduled message of a user after set-up or a settings change."""
    for kind in SCHEDULED_KINDS:
        await store.set_schedule(
            user.chat_id, kind.value, next_due(kind, user, now) if user.onboarded else None
        )
