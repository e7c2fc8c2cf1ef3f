"""What each scheduled message says: composed from the store, or None when its point is met.

Each composer takes the store, the user, the instant the message was scheduled for, and `now`
(read once per tick). Composing only reads, so a message another replica ends up sending
changes nothing. The morning, the fan-out's message, is a `BatchComposer`: a whole batch of
users is read in a few queries and composed in memory (`compose_batch`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.coaching.dates import is_rest_day, local_day_bounds
from bot.coaching.domain import Kind, User
from bot.coaching.progress import REPLY_LOOKBACK_DAYS, replies_to_outreach
from bot.coaching.text import short_name
from bot.coaching.timing import MessageKind, local_date_of, week_key
from bot.coaching.today import suggest_contacts
from bot.messages.today import evening_text, weekly_review_text
from bot.usecases.actions import ReachedOut, ShowToday
from bot.usecases.fears import weekly_evidence_line
from bot.usecases.morning import Morning, compose_mornings
from bot.usecases.progress import projection_summary, weekly_chart
from bot.usecases.replies import Button, ButtonRow
from bot.usecases.today import today_counts
from storage import Store

logger = logging.getLogger(__name__)


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
    # What it showed (kept with its claim), and the keys it settles too (claimed with it).
    content: str | None = None
    also_claim: tuple[tuple[str, str], ...] = ()
    partner_messages: tuple[PartnerMessage, ...] = ()


# (store, user, the instant the message was scheduled for, now) -> the message, or None when
# its point is already met (rest day, quota done, paused...).
Composer = Callable[[Store, User, datetime, datetime], Awaitable[Outgoing | None]]
# Each (user, instant it was scheduled for) -> its message, None, or the error composing it.
Composed = Outgoing | Exception | None
ComposeMany = Callable[
    [Store, Sequence[tuple[User, datetime]], datetime], Awaitable[list[Composed]]
]


@dataclass(frozen=True)
class BatchComposer:
    """A composer that composes a whole batch of users from a few queries; called for one
    user (a `Composer`), it is that batch of one, so the two can never differ."""

    compose_many: ComposeMany

    async def __call__(
        self, store: Store, user: User, scheduled_at: datetime, now: datetime
    ) -> Outgoing | None:
        (outgoing,) = await self.compose_many(store, [(user, scheduled_at)], now)
        if isinstance(outgoing, Exception):
            raise outgoing
        return outgoing


async def compose_batch(
    compose: Composer, store: Store, due: Sequence[tuple[User, datetime]], now: datetime
) -> list[Composed]:
    """Each (user, scheduled instant)'s message, in order: in a few queries by a
    `BatchComposer`, otherwise user by user. An error stands in for the one message it broke;
    a batch whose reading fails is composed again user by user, so that it breaks only the
    messages it has to."""
    if isinstance(compose, BatchComposer):
        try:
            return await compose.compose_many(store, due, now)
        except Exception:
            logger.exception("Could not compose a batch of %s messages: one by one", len(due))
    composed: list[Composed] = []
    for user, scheduled_at in due:
        try:
            composed.append(await compose(store, user, scheduled_at, now))
        except Exception as error:
            composed.append(error)
    return composed


async def _morning_messages(
    store: Store, due: Sequence[tuple[User, datetime]], now: datetime
) -> list[Composed]:
    """The morning message, or the restart nudge when the user has gone quiet, of each user."""
    return [
        _morning_outgoing(morning) if isinstance(morning, Morning) else morning
        for morning in await compose_mornings(store, due, now)
    ]


def _morning_outgoing(morning: Morning) -> Outgoing:
    return Outgoing(
        morning.kind,
        morning.period_key,
        morning.reply.text,
        morning.reply.rows,
        content=morning.plan.to_json() if morning.plan else None,
        also_claim=morning.also_claim,
    )


compose_morning = BatchComposer(_morning_messages)


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
        (Button(f"📨 {short_name(contact.name, 24)}", ReachedOut(contact.id)),)
        for contact in suggestions
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
    lookback = start - timedelta(days=REPLY_LOOKBACK_DAYS)
    log = await store.interactions_between(user.chat_id, lookback, end)
    for item in log:
        if item.at >= start:
            counts[item.kind] = counts.get(item.kind, 0) + 1
    chats_total = await store.count_interactions(user.chat_id, (Kind.COFFEE_CHAT,))
    answered = replies_to_outreach(log, start, end)
    text = weekly_review_text(user, week_start, counts, chats_total, answered)
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
