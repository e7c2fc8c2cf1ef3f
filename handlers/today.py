"""/today: quota progress, due follow-ups and who to reach next."""

from __future__ import annotations

from telegram import Update

from bot.coaching.dates import is_rest_day, local_day_bounds, local_today
from bot.coaching.domain import QUOTA_KINDS, User
from bot.coaching.followups import is_due
from bot.coaching.today import suggest_contacts, today_numbers
from bot.context import CoachContext
from bot.messages.texts import today_text
from handlers.callback_data import ButtonAction
from handlers.common import (
    answer_button,
    button,
    current_user,
    keyboard,
    send,
    show,
    with_setup_hint,
)


async def today_command(update: Update, context: CoachContext) -> None:
    """/today."""
    user = await current_user(update, context)
    await send_today(update, context, user)


async def today_button(update: Update, context: CoachContext, _action: ButtonAction) -> None:
    """The Today button: the dashboard as a new message."""
    await answer_button(update)
    user = await current_user(update, context)
    await send_today(update, context, user, in_place=False)


async def send_today(
    update: Update, context: CoachContext, user: User, *, in_place: bool = False
) -> None:
    """Render today's dashboard for `user` and send it (or edit the pressed message)."""
    now = context.clock.now()
    store = context.store
    today = local_today(now, user.timezone)
    start, end = local_day_bounds(today, user.timezone)
    done = await store.count_interactions(user.chat_id, QUOTA_KINDS, start=start, end=end)
    open_items = await store.open_follow_ups(user.chat_id)
    due = [
        (item, contact) for item, contact in open_items if is_due(item.due_at, now, user.timezone)
    ]
    numbers = today_numbers(
        quota=user.daily_quota,
        done=done,
        rest_day=is_rest_day(today, user.rest_days),
        due_follow_ups=len(due),
    )
    suggestions = suggest_contacts(await store.contact_summaries(user.chat_id), now, limit=3)
    rows = [(button(f"📨 {contact.name[:24]}", "ra", contact.id),) for contact in suggestions]
    if due:
        rows.append((button(f"🔁 Follow-ups due ({len(due)})", "fl"),))
    text = with_setup_hint(user, today_text(user, numbers, due, suggestions, now))
    markup = keyboard(*rows) if rows else None
    if in_place:
        await show(update, context, text, markup)
    else:
        await send(update, context, text, markup)
