"""Plan backwards from the goal: when the user will reach it, and what it takes to make the date.

Pure arithmetic on plain numbers and `today` (see docs/PROJECTION.md for the formulas).
Paces are exact fractions inside, so "the raised plan makes the date" holds to the day.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from bot.coaching.dates import MONTH_NAMES
from bot.coaching.domain import (
    DEFAULT_DAILY_QUOTA,
    DEFAULT_REST_DAYS,
    QUOTA_KINDS,
    Interaction,
    Kind,
)

# The measured pace and conversion replace the plan once the user has this much history.
MIN_WEEKS_FOR_MEASURED = 3
MIN_OUTREACH_FOR_MEASURED = 10
# The measured chat pace is the mean of the last few complete weeks: recent enough to follow
# a change of rhythm, long enough that one busy or quiet week does not swing it.
RECENT_WEEKS = 4
# Before there is enough history: one coffee chat for every five reach-outs.
DEFAULT_CHATS_PER_OUTREACH = Fraction(1, 5)
# Above these the raised plan is a big jump, and the text offers moving the date instead.
STRETCH_DAILY_OUTREACH = 12
STRETCH_WEEKLY_CHATS = 10


@dataclass(frozen=True)
class PaceHistory:
    """What the user has actually done, measured from the log.

    "Outreach" is every action that counts toward the daily quota (outreach and follow-ups);
    the recent tuples hold complete weeks, oldest first.
    """

    weeks_active: int
    total_outreach: int
    total_chats: int
    recent_outreach: tuple[int, ...] = ()
    recent_chats: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        numbers = (self.weeks_active, self.total_outreach, self.total_chats)
        if min(numbers + self.recent_outreach + self.recent_chats, default=0) < 0:
            raise ValueError("measured numbers cannot be negative")

    @classmethod
    def empty(cls) -> PaceHistory:
        """No history yet: a new user."""
        return cls(weeks_active=0, total_outreach=0, total_chats=0)

    @property
    def enough(self) -> bool:
        """Whether there is enough history to trust the measured numbers over the plan."""
        return (
            self.weeks_active >= MIN_WEEKS_FOR_MEASURED
            and self.total_outreach >= MIN_OUTREACH_FOR_MEASURED
        )

    @property
    def weekly_chats(self) -> Fraction:
        """Coffee chats a week over the last few complete weeks (since the start at most)."""
        recent = self._recent(self.recent_chats)
        if recent:
            return Fraction(sum(recent), len(recent))
        if self.weeks_active == 0:
            return Fraction(0)
        return Fraction(self.total_chats, self.weeks_active)

    @property
    def chats_per_outreach(self) -> Fraction | None:
        """The measured conversion since the start (at most 1), or None without a chat yet."""
        if self.total_outreach == 0 or self.total_chats == 0:
            return None
        return min(Fraction(self.total_chats, self.total_outreach), Fraction(1))

    def _recent(self, weeks: tuple[int, ...]) -> tuple[int, ...]:
        # Weeks before the user started would only drag the mean down.
        count = min(RECENT_WEEKS, self.weeks_active)
        return weeks[-count:] if count else ()


@dataclass(frozen=True)
class RaisedPlan:
    """The subgoals that would make the target date: chats a week, and reach-outs on each
    active day at the conversion the projection assumes."""

    weekly_chats: int
    daily_outreach: int
    active_days: int
    stretch: bool


@dataclass(frozen=True)
class Projection:
    """Where the goal stands and when, at the current pace, it will be reached."""

    today: date
    goal_count: int
    goal_date: date | None
    chats_done: int
    remaining: int
    planned_weekly_chats: int
    weekly_pace: Fraction
    pace_measured: bool
    chats_per_outreach: Fraction
    conversion_measured: bool
    # None when the pace is zero: no finish in sight. Today once the goal is met.
    finish_date: date | None
    # None without a target date.
    on_track: bool | None
    # 0 when on track; None without a target date or without a finish date.
    days_late: int | None
    # Only when late and the target date is still ahead.
    raised: RaisedPlan | None
    # When the planned pace would finish (to explain a jump once the real pace takes over),
    # and how many weeks of history the real pace has.
    planned_finish_date: date | None = None
    weeks_of_history: int = 0

    @property
    def goal_met(self) -> bool:
        """Whether the goal is reached (or passed, after the goal was lowered)."""
        return self.remaining == 0

    @property
    def target_passed(self) -> bool:
        """Whether the target date is behind us (today is still in time)."""
        return self.goal_date is not None and self.goal_date < self.today

    @property
    def weeks_late(self) -> int | None:
        """Days late in whole weeks, rounded up."""
        return None if self.days_late is None else math.ceil(self.days_late / 7)


def project(
    goal_count: int,
    goal_date: date | None,
    chats_done: int,
    weekly_chats: int,
    today: date,
    history: PaceHistory,
    *,
    rest_days: Sequence[int] = DEFAULT_REST_DAYS,
    daily_quota: int = DEFAULT_DAILY_QUOTA,
) -> Projection:
    """Project the finish date from the pace (measured once `history.enough`, else the planned
    `weekly_chats`), and when it is later than `goal_date`, the raised subgoals that make it.
    """
    if min(goal_count, chats_done, weekly_chats, daily_quota) < 0:
        raise ValueError("goal, chats, weekly chats and quota cannot be negative")
    remaining = max(0, goal_count - chats_done)
    measured = history.enough
    pace = history.weekly_chats if measured else Fraction(weekly_chats)
    measured_conversion = history.chats_per_outreach if measured else None
    conversion = measured_conversion or DEFAULT_CHATS_PER_OUTREACH
    finish = finish_date(remaining, pace, today)

    on_track: bool | None = None
    days_late: int | None = None
    raised: RaisedPlan | None = None
    if goal_date is not None:
        on_track = remaining == 0 or (finish is not None and finish <= goal_date)
        if on_track:
            days_late = 0
        elif finish is not None:
            days_late = (finish - goal_date).days
        if not on_track and goal_date > today:
            raised = raised_plan(
                remaining,
                (goal_date - today).days,
                weekly_chats,
                conversion,
                rest_days,
                daily_quota,
            )
    return Projection(
        today=today,
        goal_count=goal_count,
        goal_date=goal_date,
        chats_done=chats_done,
        remaining=remaining,
        planned_weekly_chats=weekly_chats,
        weekly_pace=pace,
        pace_measured=measured,
        chats_per_outreach=conversion,
        conversion_measured=measured_conversion is not None,
        finish_date=finish,
        on_track=on_track,
        days_late=days_late,
        raised=raised,
        planned_finish_date=finish_date(remaining, Fraction(weekly_chats), today),
        weeks_of_history=history.weeks_active,
    )


def finish_date(remaining: int, weekly_pace: Fraction, today: date) -> date | None:
    """When `remaining` chats are done at `weekly_pace`: today + ceil(7 × remaining / pace)
    days; today when nothing remains; None at a zero pace (or beyond the calendar)."""
    if remaining <= 0:
        return today
    if weekly_pace <= 0:
        return None
    days = math.ceil(Fraction(7 * remaining) / weekly_pace)
    if days > (date.max - today).days:
        return None
    return today + timedelta(days=days)


def raised_plan(
    remaining: int,
    days_left: int,
    planned_weekly_chats: int,
    chats_per_outreach: Fraction,
    rest_days: Sequence[int],
    daily_quota: int,
) -> RaisedPlan:
    """The smallest whole weekly chats (never below the plan) that finish `remaining` chats in
    `days_left` days, and the daily reach-outs (never below the quota) that bring them in."""
    if days_left < 1 or remaining < 1 or chats_per_outreach <= 0:
        raise ValueError("a raised plan needs chats to go, days left and a conversion")
    needed = math.ceil(Fraction(7 * remaining, days_left))
    weekly = max(needed, planned_weekly_chats)
    active = active_days_per_week(rest_days)
    daily = max(math.ceil(weekly / (chats_per_outreach * active)), daily_quota)
    stretch = daily > STRETCH_DAILY_OUTREACH or weekly > STRETCH_WEEKLY_CHATS
    return RaisedPlan(
        weekly_chats=weekly, daily_outreach=daily, active_days=active, stretch=stretch
    )


def active_days_per_week(rest_days: Sequence[int]) -> int:
    """Days a week that are not rest days; with every day at rest, the plan spreads over all 7."""
    return (7 - len({day for day in rest_days if 0 <= day <= 6})) or 7


def measure_pace(
    interactions: Iterable[Interaction], tz: str, today: date, recent_weeks: int = RECENT_WEEKS
) -> PaceHistory:
    """The measured numbers from the log, on local dates in the zone `tz`.

    The start is the first day with outreach or a chat; weeks are rolling 7-day windows that
    end yesterday (today is not over yet); nothing after today counts.
    """
    zone = ZoneInfo(tz)
    outreach_by_day: dict[date, int] = {}
    chats_by_day: dict[date, int] = {}
    for item in interactions:
        if item.kind in QUOTA_KINDS:
            counts = outreach_by_day
        elif item.kind is Kind.COFFEE_CHAT:
            counts = chats_by_day
        else:
            continue
        day = item.at.astimezone(zone).date()
        if day <= today:
            counts[day] = counts.get(day, 0) + 1
    if not outreach_by_day and not chats_by_day:
        return PaceHistory.empty()
    started_on = min(outreach_by_day.keys() | chats_by_day.keys())
    weeks_active = (today - started_on).days // 7
    windows = [
        (today - timedelta(days=7 * back), today - timedelta(days=7 * (back - 1)))
        for back in range(min(recent_weeks, weeks_active), 0, -1)
    ]
    return PaceHistory(
        weeks_active=weeks_active,
        total_outreach=sum(outreach_by_day.values()),
        total_chats=sum(chats_by_day.values()),
        recent_outreach=tuple(_sum_between(outreach_by_day, *window) for window in windows),
        recent_chats=tuple(_sum_between(chats_by_day, *window) for window in windows),
    )


def _sum_between(counts: dict[date, int], start: date, end: date) -> int:
    return sum(count for day, count in counts.items() if start <= day < end)


# --- in words --------------------------------------------------------------------------


def projection_text(projection: Projection) -> str:
    """One or two warm, concrete sentences about the goal (HTML-safe: numbers and dates only)."""
    p = projection
    goal = _chats(p.goal_count)
    if p.goal_met:
        if p.chats_done > p.goal_count:
            return (
                f"🎉 {p.chats_done} coffee chats, past your goal of {p.goal_count}! "
                "Set a new goal in /settings whenever you like: every extra chat is another option."
            )
        return f"🎉 Goal reached: {goal}! Set a new one in /settings whenever you're ready."

    to_go = f"{_chats(p.remaining)} to go"
    pace = _pace_words(p)
    finish = None if p.finish_date is None else _day(p.finish_date, p.today)
    no_pace = _no_pace_words(p)

    if p.goal_date is None:
        if finish is None:
            return (
                f"{to_go}. {no_pace}, so there's no finish date yet: one chat puts it on the map."
            )
        return f"{to_go}: {pace} you'll get there around {finish}."

    target = _day(p.goal_date, p.today)
    if p.goal_date <= p.today:
        when = "is today" if p.goal_date == p.today else f"was {target}"
        head = f"Your target date {when}, with {p.chats_done} of {goal} done."
        if finish is None:
            return f"{head} Pick a new date in /settings: one chat this week gets you moving again."
        return (
            f"{head} {_capitalized(pace)} you'd finish around {finish}: "
            "pick a new date in /settings and keep going."
        )

    if p.on_track:
        return (
            f"You're on track: {pace} you'll reach {p.goal_count} around {finish}, "
            f"in time for {target}."
        )

    plan = p.raised
    assert plan is not None  # late with the date still ahead always has a raised plan
    daily = f"about {_reach_outs(plan.daily_outreach)} on each active day"
    if p.pace_measured and plan.weekly_chats == p.planned_weekly_chats:
        aim = f"get back to your planned {_chats(plan.weekly_chats)} a week, {daily}"
    else:
        aim = f"aim for {_chats(plan.weekly_chats)} a week, {daily}"
    if finish is None:
        return (
            f"{no_pace}, so there's no finish date in sight yet. "
            f"To reach {p.goal_count} by {target}, {aim}."
        )
    late = _late_words(p.days_late or 0)
    head = (
        f"{_capitalized(pace)} you'd reach {p.goal_count} around {finish}, {late} after {target}."
    )
    if plan.stretch:
        return f"{head} To make it, {aim}; or move the date to {finish}, which is fine too."
    return f"{head} To make it, {aim}."


def pace_note(projection: Projection) -> str | None:
    """Which pace the projection uses, once there is some history: the plan's until the real
    one takes over, then the real one, and why the date moved when it differs from the plan's.
    """
    p = projection
    if p.goal_met or p.weeks_of_history == 0:
        return None
    if not p.pace_measured:
        return (
            f"(That's your planned pace for now: your real one takes over after "
            f"{MIN_WEEKS_FOR_MEASURED} weeks and {MIN_OUTREACH_FOR_MEASURED} reach-outs.)"
        )
    weeks = min(RECENT_WEEKS, p.weeks_of_history)
    note = (
        f"(That's your real pace over the last {weeks} weeks; "
        f"your plan says {_chats(p.planned_weekly_chats)} a week."
    )
    finish, planned = p.finish_date, p.planned_finish_date
    if finish is not None and planned is not None and abs((finish - planned).days) >= 7:
        note += f" At the planned pace it would be {_day(planned, p.today)}: that's why it moved."
    return note + ")"


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _reach_outs(count: int) -> str:
    return "1 reach-out" if count == 1 else f"{count} reach-outs"


def _chats(count: int) -> str:
    return f"{count} coffee chat" if count == 1 else f"{count} coffee chats"


def _pace_words(p: Projection) -> str:
    rate = f"{_number(p.weekly_pace)} a week"
    if p.pace_measured:
        return f"at your recent pace of {rate}"
    return f"at your planned {rate}"


def _no_pace_words(p: Projection) -> str:
    if p.pace_measured:
        return "Your last few weeks had no coffee chats"
    return "Your plan has no chats a week yet"


def _number(value: Fraction) -> str:
    """'2 chats', '1 chat', 'about 1.5 chats'."""
    if value.denominator == 1:
        return "1 chat" if value == 1 else f"{value.numerator} chats"
    shown = f"{float(value):.1f}".removesuffix(".0")
    return f"about {shown} chat" if shown == "1" else f"about {shown} chats"


def _late_words(days: int) -> str:
    if days < 7:
        return "1 day" if days == 1 else f"{days} days"
    weeks = math.ceil(days / 7)
    return f"about {weeks} weeks" if weeks > 1 else "about a week"


def _day(day: date, today: date) -> str:
    text = f"{day.day} {MONTH_NAMES[day.month]}"
    return text if day.year == today.year else f"{text} {day.year}"
