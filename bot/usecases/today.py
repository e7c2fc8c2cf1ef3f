"""/today: quota progress, due follow-ups and who to reach next."""

from __future__ import annotations

from datetime import datetime

from bot.coaching.dates import is_rest_day, local_day_bounds, local_today
from bot.coaching.domain import QUOTA_KINDS, User
from bot.coaching.followups import is_due
from bot.coaching.text import short_name
from bot.coaching.today import TodayNumbers, suggest_contacts, today_numbers
from bot.messages.common import with_setup_hint
from bot.messages.today import today_text
from bot.usecases.actions import ReachedOut, ShowFollowUps
from bot.usecases.replies import Button, ButtonRow, Reply, Response, sent
from storage import Store


async def show_today(store: Store, user: User, now: datetime, _: object = None) -> Response:
    """/today (and its button): the dashboard, as a new message."""
    return sent(await today_dashboard(store, user, now))


async def today_dashboard(store: Store, user: User, now: datetime) -> Reply:
    """Today's quota, due follow-ups and up to three people to reach."""
    open_items = await store.open_follow_ups(user.chat_id)
    due = [
        (item, contact) for item, contact in open_items if is_due(item.due_at, now, user.timezone)
    ]
    numbers = await today_counts(store, user, now, due_follow_ups=len(due))
    suggestions = suggest_contacts(await store.contact_summaries(user.chat_id), now, limit=3)
    rows: list[ButtonRow] = [
        (Button(f"📨 {short_name(contact.name, 24)}", ReachedOut(contact.id)),)
        for contact in suggestions
    ]
    if due:
        rows.append((Button(f"🔁 Follow-ups due ({len(due)})", ShowFollowUps()),))
    text = with_setup_hint(user, today_text(user, numbers, due, suggestions, now))
    return Reply(text, tuple(rows))


async def today_counts(
    store: Store, user: User, now: datetime, *, due_follow_ups: int = 0
) -> TodayNumbers:
    """Today's quota numbers in the user's zone."""
    today = local_today(now, user.timezone)
    start, end = local_day_bounds(today, user.timezone)
    done = await store.count_interactions(user.chat_id, QUOTA_KINDS, start=start, end=end)
    return today_numbers(
        quota=user.daily_quota,
        done=done,
        rest_day=is_rest_day(today, user.rest_days),
        due_follow_ups=due_follow_ups,
    )
