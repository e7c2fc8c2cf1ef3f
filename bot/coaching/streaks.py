"""The habit: the streak of active days with the quota met, and the milestones on the way.

Everything here works on local dates; `local_day_counts` turns UTC instants into them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.coaching.dates import is_rest_day
from bot.coaching.text import plural

TEN_CHATS = 10


@dataclass(frozen=True)
class Streak:
    """The current streak, the best one so far, and whether today already counts in it."""

    days: int
    best: int
    today_counts: bool


def local_day_counts(instants: Iterable[datetime], tz: str | ZoneInfo) -> dict[date, int]:
    """How many of the (aware) instants fall on each local date in the zone `tz`.

    Each instant is converted on its own, so days of 23 or 25 hours around a clock change
    get exactly the instants that fall between their two local midnights.
    """
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    counts: dict[date, int] = {}
    for instant in instants:
        if instant.tzinfo is None:
            raise ValueError("local_day_counts takes aware datetimes only")
        day = instant.astimezone(zone).date()
        counts[day] = counts.get(day, 0) + 1
    return counts


def current_streak(
    active_days_with_counts: Mapping[date, int],
    quota: int,
    rest_days: Sequence[int],
    today: date,
) -> Streak:
    """The streak of active days with the quota met, up to `today` (local dates).

    Rest days neither break nor extend it; today, until its quota is met, is still in progress
    and breaks nothing. A quota below 1 counts as 1: a day needs at least one action.
    """
    need = max(quota, 1)
    past_days = [day for day in active_days_with_counts if day <= today]
    if not past_days:
        return Streak(days=0, best=0, today_counts=False)

    def met(day: date) -> bool:
        return active_days_with_counts.get(day, 0) >= need

    today_counts = not is_rest_day(today, rest_days) and met(today)
    run = best = 0
    # Walk forward from the first logged day: bounded, even when every day is a rest day.
    day = min(past_days)
    while day <= today:
        if not is_rest_day(day, rest_days):
            if met(day):
                run += 1
            elif day != today:
                run = 0
            best = max(best, run)
        day += timedelta(days=1)
    return Streak(days=run, best=best, today_counts=today_counts)


# --- milestones ------------------------------------------------------------------------


class MilestoneKind(StrEnum):
    """The moments worth a short note."""

    FIRST_CHAT = "first_chat"
    TEN_CHATS = "ten_chats"
    HALFWAY = "halfway"
    GOAL = "goal"


# When two milestones fall on the same chat (the first of a goal of 2, the tenth of 20), only
# the one earlier in this order is kept.
_PRECEDENCE = (
    MilestoneKind.GOAL,
    MilestoneKind.FIRST_CHAT,
    MilestoneKind.HALFWAY,
    MilestoneKind.TEN_CHATS,
)


@dataclass(frozen=True)
class Milestone:
    """A milestone: which one, the chat count that reaches it, and its note."""

    kind: MilestoneKind
    chats: int
    note: str

    @property
    def key(self) -> str:
        """A stable key for the sent-log, so each note goes out once: 'halfway:25'."""
        return f"{self.kind}:{self.chats}"


def milestones(goal_count: int) -> list[Milestone]:
    """All milestones of a goal, in the order they are reached.

    The first chat; ten chats (when the goal is above ten); half-way (half the goal, rounded
    up); the goal. A goal of 0 has only the first chat and ten chats.
    """
    thresholds = {MilestoneKind.FIRST_CHAT: 1}
    if goal_count > TEN_CHATS or goal_count < 1:
        thresholds[MilestoneKind.TEN_CHATS] = TEN_CHATS
    if goal_count >= 1:
        thresholds[MilestoneKind.HALFWAY] = math.ceil(goal_count / 2)
        thresholds[MilestoneKind.GOAL] = goal_count
    by_count: dict[int, MilestoneKind] = {}
    for kind in sorted(thresholds, key=_PRECEDENCE.index, reverse=True):
        by_count[thresholds[kind]] = kind
    return [
        Milestone(kind=kind, chats=count, note=_note(kind, count, goal_count))
        for count, kind in sorted(by_count.items())
    ]


def reached_milestones(chats_done: int, goal_count: int) -> list[Milestone]:
    """The milestones reached with `chats_done` chats."""
    return [milestone for milestone in milestones(goal_count) if milestone.chats <= chats_done]


def new_milestones(before: int, after: int, goal_count: int) -> list[Milestone]:
    """The milestones crossed when the chat count went from `before` to `after`."""
    return [milestone for milestone in milestones(goal_count) if before < milestone.chats <= after]


def _note(kind: MilestoneKind, chats: int, goal_count: int) -> str:
    if kind is MilestoneKind.FIRST_CHAT:
        return (
            "☕ Your first coffee chat is done! The first one takes the most courage; "
            "the next ones get easier."
        )
    if kind is MilestoneKind.TEN_CHATS:
        return (
            "🔟 Ten coffee chats! Ten people now know what you're looking for, "
            "and any of them may think of you."
        )
    if kind is MilestoneKind.HALFWAY:
        return (
            f"⛰️ Halfway there: {chats} of {plural(goal_count, 'coffee chat')}. "
            "You know how it's done now, and the second half tends to go quicker."
        )
    return (
        f"🎉 {plural(goal_count, 'coffee chat')}: you reached your goal! "
        "Take a moment to look back at how far the first small message has brought you."
    )
