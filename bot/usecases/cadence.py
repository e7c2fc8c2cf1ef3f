"""The follow-ups a log plans for this user: on the user's cadence, never on a rest day."""

from __future__ import annotations

from datetime import datetime

from bot.coaching.domain import FollowUpPlan, FollowUpReason, User
from bot.coaching.followups import Cadence, later_follow_up_due


def cadence_of(user: User) -> Cadence:
    """The user's follow-up rhythm: their gaps, time zone and rest days."""
    return Cadence(user.follow_up_days, user.timezone, user.rest_days)


def next_step_plan(user: User, now: datetime) -> FollowUpPlan:
    """After a coffee chat: a reminder of the next step in two weeks."""
    due = later_follow_up_due(now, tz=user.timezone, rest_days=user.rest_days)
    return FollowUpPlan(due, 1, FollowUpReason.NEXT_STEP)
