"""The user's progress read from the log: the goal projection, the streak, the asks that got a
yes, and the opportunities that are hot.

Glue between the pure rules (`projection`, `streaks`, `ladder`) and the user's settings: plain
functions of records and `today`, the user's local date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from bot.coaching.domain import (
    QUOTA_KINDS,
    REPLY_KINDS,
    Ask,
    Contact,
    Interaction,
    Kind,
    Opportunity,
    Stage,
    User,
)
from bot.coaching.ladder import HELPED_KINDS
from bot.coaching.projection import Projection, measure_pace, project
from bot.coaching.streaks import Streak, current_streak, local_day_counts

STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
# A reply answers a reach-out logged to the same person this many days before it.
REPLY_LOOKBACK_DAYS = 21
# From an interview on, something is hot: celebrate it, and keep the coffee-chat pace so there
# are options to compare.
HOT_STAGES = (Stage.INTERVIEW, Stage.NEGOTIATION, Stage.OFFER)


def chats_done(interactions: Iterable[Interaction]) -> int:
    """Coffee chats held: what counts toward the goal."""
    return sum(1 for item in interactions if item.kind is Kind.COFFEE_CHAT)


def user_projection(user: User, interactions: Sequence[Interaction], today: date) -> Projection:
    """Where the user's goal stands, from their settings and their whole log."""
    return project(
        user.goal_count,
        user.goal_date,
        chats_done(interactions),
        user.weekly_chats,
        today,
        measure_pace(interactions, user.timezone, today),
        rest_days=user.rest_days,
        daily_quota=user.daily_quota,
    )


def user_streak(user: User, interactions: Iterable[Interaction], today: date) -> Streak:
    """The streak of active days with the quota met, on the user's local dates."""
    instants = [item.at for item in interactions if item.kind in QUOTA_KINDS]
    counts = local_day_counts(instants, user.timezone)
    return current_streak(counts, user.daily_quota, user.rest_days, today)


def answered_asks(interactions: Iterable[Interaction]) -> list[tuple[Ask, datetime]]:
    """The asks that got a yes, with when: an outreach's ask is answered by the contact's next
    positive reply or coffee chat. A later follow-up with an ask of its own replaces the ask
    waiting for an answer; a "no" settles it unanswered; a "later" leaves it waiting.
    """
    waiting: dict[int, Ask | None] = {}
    answered: list[tuple[Ask, datetime]] = []
    for item in sorted(interactions, key=lambda item: (item.at, item.id)):
        if item.kind is Kind.OUTREACH or (item.kind is Kind.FOLLOW_UP and item.ask is not None):
            waiting[item.contact_id] = item.ask
        elif item.kind is Kind.REPLY_DECLINED:
            waiting.pop(item.contact_id, None)
        elif item.kind in HELPED_KINDS:
            ask = waiting.pop(item.contact_id, None)
            if ask is not None:
                answered.append((ask, item.at))
    return answered


def replies_to_outreach(interactions: Iterable[Interaction], start: datetime, end: datetime) -> int:
    """How many replies in [start, end) answered a reach-out: the user reached that person
    (outreach or follow-up) in the three weeks before the reply."""
    reached: dict[int, list[datetime]] = {}
    replies: list[Interaction] = []
    for item in interactions:
        if item.kind in QUOTA_KINDS:
            reached.setdefault(item.contact_id, []).append(item.at)
        elif item.kind in REPLY_KINDS and start <= item.at < end:
            replies.append(item)
    window = timedelta(days=REPLY_LOOKBACK_DAYS)
    return sum(
        1
        for reply in replies
        if any(reply.at - window <= at <= reply.at for at in reached.get(reply.contact_id, ()))
    )


def is_give_day(today: date, rest_days: Sequence[int]) -> bool:
    """Whether the morning message suggests a give today: once a week, on the first active
    day of the week (Monday, unless it is a rest day). A fixed day keeps the rule stateless."""
    active = [day for day in range(7) if day not in rest_days] or [0]
    return today.weekday() == active[0]


def hot_opportunities(opportunities: Iterable[Opportunity]) -> list[Opportunity]:
    """Opportunities at an interview or later (not closed), the furthest along first."""
    hot = [item for item in opportunities if item.stage in HOT_STAGES]
    return sorted(hot, key=lambda item: (-STAGE_ORDER.index(item.stage), -item.id))


def by_stage(
    items: Iterable[tuple[Opportunity, Contact]],
) -> list[tuple[Stage, list[tuple[Opportunity, Contact]]]]:
    """Opportunities (with their contacts) grouped by stage in pipeline order; stages without
    any are left out."""
    groups: dict[Stage, list[tuple[Opportunity, Contact]]] = {stage: [] for stage in STAGE_ORDER}
    for opportunity, contact in items:
        groups[opportunity.stage].append((opportunity, contact))
    return [(stage, group) for stage, group in groups.items() if group]
