"""What each scheduled message says: composed from the store, or None when its point is met.

Each composer takes the store, the user, the instant the message was scheduled for, and `now`
(read once per tick). Composing only reads, so a message another replica ends up sending
changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.coaching.dates import is_rest_day, local_day_bounds
from bot.coaching.domain import QUOTA_KINDS, Kind, User
from bot.coaching.followups import is_due
from bot.coaching.timing import MessageKind, local_date_of, stalled_since, week_key
from bot.coaching.today import suggest_contacts
from bot.messages.today import evening_text, morning_text, restart_text, weekly_review_text
from bot.usecases.actions import ReachedOut, ShowToday
from bot.usecases.fears import morning_prompt, weekly_evidence_line
from bot.usecases.followups import follow_up_rows
from bot.usecases.progress import morning_habit, projection_summary, weekly_chart
from bot.usecases.replies import Button, ButtonRow
from bot.usecases.today import today_counts
from storage import Store


@dataclass(frozen=True)
class PartnerMessage:
    """What the user's accountability partner receives with a scheduled message (the week's
    numbers with the review, a heads-up with the restart nudge), claimed in the user's
    sent-log under (kind, period_key) and sent after the user's own message."""

    partnership_id: int
    chat_id: int
    kind: str
    period_key: str
    text: str
    rows: tuple[ButtonRow, ...] = ()


@dataclass(frozen=True)
class Outgoing:
    """A composed scheduled message and the sent-log key it is claimed under.

    With a `photo` (the weekly chart), the text becomes its caption when it fits; otherwise the
    text goes first and the photo follows with `caption`.
    """

    kind: MessageKind
    period_key: str
    text: str
    rows: tuple[ButtonRow, ...] = ()
    photo: bytes | None = None
    caption: str | None = None
    partner_messages: tuple[PartnerMessage, ...] = ()


# (store, user, the instant the message was scheduled for, now) -> the message, or None when
# its point is already met (rest day, quota done, paused...).
Composer = Callable[[Store, User, datetime, datetime], Awaitable[Outgoing | None]]


async def compose_morning(
    store: Store, user: User, scheduled_at: datetime, now: datetime
) -> Outgoing | None:
    """The morning message, or the restart nudge when the user has gone quiet."""
    today = local_date_of(scheduled_at, user.timezone)
    if user.paused(now) or is_rest_day(today, user.rest_days):
        return None
    last = await store.last_interaction_at(user.chat_id, QUOTA_KINDS)
    since = stalled_since(
        local_date_of(last, user.timezone) if last else None,
        local_date_of(user.onboarded_at or user.created_at, user.timezone),
        today,
        user.rest_days,
        user.stall_days,
    )
    suggestions = suggest_contacts(await store.contact_summaries(user.chat_id), now, limit=1)
    suggestion = suggestions[0] if suggestions else None
    open_items = await store.open_follow_ups(user.chat_id)
    if since is not None and not await store.is_claimed(
        user.chat_id, MessageKind.RESTART.value, since.isoformat()
    ):
        # The smallest step back: a new hello, or else a nudge to someone already waiting.
        nudge_to, is_follow_up = suggestion, False
        if nudge_to is None and open_items:
            nudge_to, is_follow_up = open_items[0][1], True
        rows = (
            ((Button(f"📨 Done: {nudge_to.name[:24]}", ReachedOut(nudge_to.id)),),)
            if nudge_to
            else ()
        )
        text = restart_text(user, nudge_to, follow_up=is_follow_up)
        return Outgoing(MessageKind.RESTART, since.isoformat(), text, rows)
    numbers = await today_counts(store, user, now)
    if numbers.remaining == 0:
        return None
    due = [
        (item, contact) for item, contact in open_items if is_due(item.due_at, now, user.timezone)
    ]
    rows_list = follow_up_rows(due)
    if suggestion is not None:
        rows_list.append(
            (Button(f"📨 I reached out to {suggestion.name[:20]}", ReachedOut(suggestion.id)),)
        )
    habit, habit_rows = await morning_habit(store, user, today)
    rows_list += habit_rows
    fear_prompt = morning_prompt(user, today)  # now and then, per the user's setting
    habit += [fear_prompt.line] if fear_prompt.line else []
    rows_list += fear_prompt.rows
    return Outgoing(
        MessageKind.MORNING,
        today.isoformat(),
        "\n\n".join([morning_text(user, numbers, due, suggestion), *habit]),
        tuple(rows_list),
    )


async def compose_evening(
    store: Store, user: User, scheduled_at: datetime, now: datetime
) -> Outgoing | None:
    """The evening check-in, only on an active day whose quota is not met yet."""
    today = local_date_of(scheduled_at, user.timezone)
    if user.paused(now) or is_rest_day(today, user.rest_days):
        return None
    numbers = await today_counts(store, user, now)
    if numbers.remaining == 0:
        return None
    suggestions = suggest_contacts(await store.contact_summaries(user.chat_id), now, limit=2)
    rows: list[ButtonRow] = [
        (Button(f"📨 {contact.name[:24]}", ReachedOut(contact.id)),) for contact in suggestions
    ]
    rows.append((Button("📋 Today", ShowToday()),))
    return Outgoing(
        MessageKind.EVENING, today.isoformat(), evening_text(user, numbers), tuple(rows)
    )


async def compose_weekly_review(
    store: Store, user: User, scheduled_at: datetime, now: datetime
) -> Outgoing | None:
    """The weekly review: the last seven local days in numbers."""
    if user.paused(now):
        return None
    today = local_date_of(scheduled_at, user.timezone)
    week_start = today - timedelta(days=today.weekday())
    start, _ = local_day_bounds(week_start, user.timezone)
    _, end = local_day_bounds(today, user.timezone)
    counts: dict[Kind, int] = {}
    for item in await store.interactions_between(user.chat_id, start, end):
        counts[item.kind] = counts.get(item.kind, 0) + 1
    chats_total = await store.count_interactions(user.chat_id, (Kind.COFFEE_CHAT,))
    text = weekly_review_text(user, week_start, counts, chats_total)
    text += f"\n🧭 {await projection_summary(store, user, now)}"
    evidence = await weekly_evidence_line(store, user)
    text += f"\n{evidence}" if evidence else ""
    chart = await weekly_chart(await store.interactions_of(user.chat_id), user, today)
    return Outgoing(
        MessageKind.WEEKLY_REVIEW, week_key(today), text, photo=chart.png, caption=chart.caption
    )


COMPOSERS: dict[MessageKind, Composer] = {
    MessageKind.MORNING: compose_morning,
    MessageKind.EVENING: compose_evening,
    MessageKind.WEEKLY_REVIEW: compose_weekly_review,
}
