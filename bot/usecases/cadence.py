"""The follow-ups a log plans for this user: on the user's cadence, never on a rest day."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.coaching.domain import FollowUpReason, Kind, User
from bot.coaching.followups import (
    BOOKING_CHECK_DAYS,
    later_follow_up_due,
    next_follow_up_due,
    on_active_day,
)
from storage.store import FollowUpPlan


def follow_up_due(user: User, last_touch: datetime, attempt: int) -> datetime | None:
    """When follow-up number `attempt` is due after a reach at `last_touch` (None after the
    last one), moved to the user's next active day."""
    return next_follow_up_due(
        last_touch, attempt, user.follow_up_days, tz=user.timezone, rest_days=user.rest_days
    )


def reply_plans(
    user: User, kind: Kind, happened: datetime
) -> tuple[FollowUpPlan | None, FollowUpPlan | None]:
    """After a reply: (a new follow-up to schedule, the open one to carry on). A "later" gets a
    check-back in two weeks; a yes keeps the open follow-up going, to book the coffee chat; a
    "no" needs none."""
    if kind is Kind.REPLY_LATER:
        due = later_follow_up_due(happened, tz=user.timezone, rest_days=user.rest_days)
        return FollowUpPlan(due, 1, FollowUpReason.LATER), None
    if kind is Kind.REPLY_POSITIVE:
        due = on_active_day(
            happened + timedelta(days=BOOKING_CHECK_DAYS), user.timezone, user.rest_days
        )
        return None, FollowUpPlan(due, 1, FollowUpReason.BOOK_CHAT)
    return None, None


def next_step_plan(user: User, now: datetime) -> FollowUpPlan:
    """After a coffee chat: a reminder of the next step in two weeks."""
    due = later_follow_up_due(now, tz=user.timezone, rest_days=user.rest_days)
    return FollowUpPlan(due, 1, FollowUpReason.NEXT_STEP)
