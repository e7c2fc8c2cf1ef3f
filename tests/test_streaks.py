"""Streaks across rest days, local dates across zones and DST, and milestones once each."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.dates import local_day_bounds
from bot.coaching.domain import DEFAULT_REST_DAYS
from bot.coaching.streaks import (
    Milestone,
    MilestoneKind,
    Streak,
    current_streak,
    local_day_counts,
    milestones,
    new_milestones,
    reached_milestones,
)

MONDAY = date(2026, 11, 23)
WEEKEND = DEFAULT_REST_DAYS


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def nov(*days_and_counts: tuple[int, int]) -> dict[date, int]:
    """Counts on days of November 2026: nov((16, 3), (17, 4))."""
    return {date(2026, 11, day): count for day, count in days_and_counts}


LAST_WEEK_MET = nov((16, 3), (17, 3), (18, 4), (19, 3), (20, 5))  # Mon-Fri, quota 3


# --- streaks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "today", "expected"),
    [
        # The weekend neither breaks the streak nor adds to it; today is still in progress.
        (LAST_WEEK_MET, MONDAY, Streak(days=5, best=5, today_counts=False)),
        (LAST_WEEK_MET | nov((23, 3)), MONDAY, Streak(days=6, best=6, today_counts=True)),
        (LAST_WEEK_MET | nov((23, 2)), MONDAY, Streak(days=5, best=5, today_counts=False)),
        # Outreach on a Saturday is welcome, but does not extend the streak.
        (LAST_WEEK_MET | nov((21, 9), (22, 9)), MONDAY, Streak(days=5, best=5, today_counts=False)),
        # On a rest day the streak holds, and today does not count.
        (LAST_WEEK_MET, date(2026, 11, 22), Streak(days=5, best=5, today_counts=False)),
        (LAST_WEEK_MET | nov((22, 4)), date(2026, 11, 22), Streak(5, 5, False)),
        # A missed active day breaks it, even with today in progress.
        (LAST_WEEK_MET, date(2026, 11, 24), Streak(days=0, best=5, today_counts=False)),
        # Monday missed, Tuesday met, Wednesday (today) still in progress.
        (
            LAST_WEEK_MET | nov((24, 3)),
            date(2026, 11, 25),
            Streak(days=1, best=5, today_counts=False),
        ),
        # Friday below quota: only what comes after counts.
        (nov((16, 3), (17, 3), (18, 3), (19, 3), (20, 1)), MONDAY, Streak(0, 4, False)),
        (nov((16, 3), (17, 3), (18, 3), (19, 3), (20, 1), (23, 3)), MONDAY, Streak(1, 4, True)),
        # The best streak is remembered.
        (
            nov((2, 3), (3, 3), (4, 3), (5, 3), (6, 3), (9, 3), (10, 3), (19, 3), (20, 3)),
            MONDAY,
            Streak(days=2, best=7, today_counts=False),
        ),
        ({}, MONDAY, Streak(days=0, best=0, today_counts=False)),
        # Days after today are not counted (a clock set back, a bad row).
        (nov((30, 9)), MONDAY, Streak(days=0, best=0, today_counts=False)),
        (LAST_WEEK_MET | nov((24, 9)), MONDAY, Streak(days=5, best=5, today_counts=False)),
    ],
)
def test_current_streak(counts: dict[date, int], today: date, expected: Streak) -> None:
    assert current_streak(counts, 3, WEEKEND, today) == expected


def test_rest_days_are_the_users() -> None:
    # Resting on Monday and Tuesday instead: the weekend counts, Monday doesn't break it.
    counts = nov((19, 3), (20, 3), (21, 3), (22, 3))
    assert current_streak(counts, 3, (0, 1), date(2026, 11, 24)) == Streak(4, 4, False)
    assert current_streak(counts, 3, WEEKEND, date(2026, 11, 24)) == Streak(0, 2, False)


def test_every_day_a_rest_day() -> None:
    assert current_streak(LAST_WEEK_MET, 3, tuple(range(7)), MONDAY) == Streak(0, 0, False)


def test_a_quota_of_zero_still_needs_one_action() -> None:
    counts = nov((19, 1), (20, 1), (23, 0))
    assert current_streak(counts, 0, WEEKEND, MONDAY) == Streak(2, 2, False)


def test_streak_in_the_users_zone() -> None:
    # Logged at 22:30 UTC each weekday evening: the next morning in Sydney.
    instants = [utc(2026, 11, day, 22, 30) for day in (15, 16, 17, 18, 19)]
    in_utc = local_day_counts(instants, "UTC")
    in_sydney = local_day_counts(instants, "Australia/Sydney")
    # In UTC that is Sunday to Thursday, and Friday was missed; in Sydney, Monday to Friday.
    assert current_streak(in_utc, 1, WEEKEND, MONDAY) == Streak(0, 4, False)
    assert current_streak(in_sydney, 1, WEEKEND, MONDAY) == Streak(5, 5, False)


daily_counts = st.dictionaries(
    st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31)), st.integers(0, 6)
)
rest_day_sets = st.sets(st.integers(0, 6)).map(lambda days: tuple(sorted(days)))


@given(daily_counts, st.integers(0, 5), rest_day_sets)
def test_streak_bounds(counts: dict[date, int], quota: int, rest_days: tuple[int, ...]) -> None:
    streak = current_streak(counts, quota, rest_days, MONDAY)
    met_days = [
        day
        for day, count in counts.items()
        if day <= MONDAY and count >= max(quota, 1) and day.weekday() not in rest_days
    ]
    assert 0 <= streak.days <= streak.best <= len(met_days)
    assert streak.today_counts is (MONDAY in met_days)


@given(daily_counts, st.integers(1, 5), st.dates(date(2026, 9, 1), date(2026, 12, 31)))
def test_rest_days_change_nothing(counts: dict[date, int], quota: int, rest_day: date) -> None:
    rest_days = (rest_day.weekday(),)
    with_rest_day_count = counts | {rest_day: 9}
    without = {day: count for day, count in counts.items() if day != rest_day}
    assert current_streak(with_rest_day_count, quota, rest_days, MONDAY) == current_streak(
        without, quota, rest_days, MONDAY
    )


# --- local dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "instants", "expected"),
    [
        # London springs forward at 01:00 UTC on 29 March 2026: a 23-hour day.
        (
            "Europe/London",
            [utc(2026, 3, 28, 23, 59), utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 22, 59)],
            {date(2026, 3, 28): 1, date(2026, 3, 29): 2},
        ),
        ("Europe/London", [utc(2026, 3, 29, 23, 0)], {date(2026, 3, 30): 1}),
        # ... and falls back on 25 October: a 25-hour day, from 23:00 UTC to midnight UTC.
        (
            "Europe/London",
            [utc(2026, 10, 24, 22, 59), utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 23, 59)],
            {date(2026, 10, 24): 1, date(2026, 10, 25): 2},
        ),
        # Sydney leaves daylight saving on 5 April 2026 (25 hours: 13:00 UTC to 14:00 UTC) ...
        (
            "Australia/Sydney",
            [utc(2026, 4, 4, 12, 59), utc(2026, 4, 4, 13, 0), utc(2026, 4, 5, 13, 59)],
            {date(2026, 4, 4): 1, date(2026, 4, 5): 2},
        ),
        ("Australia/Sydney", [utc(2026, 4, 5, 14, 0)], {date(2026, 4, 6): 1}),
        # ... and enters it on 4 October (23 hours: 14:00 UTC to 13:00 UTC).
        (
            "Australia/Sydney",
            [utc(2026, 10, 3, 13, 59), utc(2026, 10, 3, 14, 0), utc(2026, 10, 4, 12, 59)],
            {date(2026, 10, 3): 1, date(2026, 10, 4): 2},
        ),
        ("Australia/Sydney", [utc(2026, 10, 4, 13, 0)], {date(2026, 10, 5): 1}),
        ("UTC", [], {}),
    ],
)
def test_local_day_counts_across_clock_changes(
    tz: str, instants: list[datetime], expected: dict[date, int]
) -> None:
    assert local_day_counts(instants, tz) == expected
    assert local_day_counts(instants, ZoneInfo(tz)) == expected


@given(
    st.datetimes(
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive)
        max_value=datetime(2028, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    st.sampled_from(["Europe/London", "Australia/Sydney", "America/Santiago", "Asia/Kolkata"]),
)
def test_local_day_counts_agree_with_day_bounds(instant: datetime, tz: str) -> None:
    (day,) = local_day_counts([instant], tz)
    start, end = local_day_bounds(day, tz)
    assert start <= instant < end


def test_local_day_counts_refuses_naive_instants() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_day_counts([datetime(2026, 1, 1)], "UTC")  # noqa: DTZ001


# --- milestones ------------------------------------------------------------------------

FIRST, TEN, HALF, GOAL = (
    MilestoneKind.FIRST_CHAT,
    MilestoneKind.TEN_CHATS,
    MilestoneKind.HALFWAY,
    MilestoneKind.GOAL,
)


@pytest.mark.parametrize(
    ("goal", "expected"),
    [
        (50, [(FIRST, 1), (TEN, 10), (HALF, 25), (GOAL, 50)]),
        (20, [(FIRST, 1), (HALF, 10), (GOAL, 20)]),  # half-way wins over ten chats
        (11, [(FIRST, 1), (HALF, 6), (TEN, 10), (GOAL, 11)]),
        (10, [(FIRST, 1), (HALF, 5), (GOAL, 10)]),
        (3, [(FIRST, 1), (HALF, 2), (GOAL, 3)]),
        (2, [(FIRST, 1), (GOAL, 2)]),  # the first chat is the half-way too
        (1, [(GOAL, 1)]),
        (0, [(FIRST, 1), (TEN, 10)]),
    ],
)
def test_milestones(goal: int, expected: list[tuple[MilestoneKind, int]]) -> None:
    assert [(milestone.kind, milestone.chats) for milestone in milestones(goal)] == expected


def test_reached_milestones() -> None:
    assert reached_milestones(0, 50) == []
    assert [m.kind for m in reached_milestones(1, 50)] == [FIRST]
    assert [m.kind for m in reached_milestones(30, 50)] == [FIRST, TEN, HALF]
    # The goal was lowered below what is done: every milestone is reached.
    assert [m.kind for m in reached_milestones(30, 20)] == [FIRST, HALF, GOAL]


@pytest.mark.parametrize(
    ("before", "after", "goal", "expected"),
    [
        (0, 1, 50, [FIRST]),
        (1, 2, 50, []),
        (9, 10, 50, [TEN]),
        (24, 25, 50, [HALF]),
        (49, 50, 50, [GOAL]),
        (50, 51, 50, []),
        (0, 30, 50, [FIRST, TEN, HALF]),  # several at once (a bulk import)
        (30, 29, 50, []),  # a chat deleted
        (30, 31, 20, []),  # the goal was lowered past: nothing new
    ],
)
def test_new_milestones(before: int, after: int, goal: int, expected: list[MilestoneKind]) -> None:
    assert [m.kind for m in new_milestones(before, after, goal)] == expected


@given(st.integers(0, 150))
def test_each_milestone_is_noted_once(goal: int) -> None:
    seen: list[Milestone] = []
    for chats in range(1, max(goal, 10) + 5):
        seen += new_milestones(chats - 1, chats, goal)
    assert seen == milestones(goal)
    assert len({milestone.key for milestone in seen}) == len(seen)


def test_milestone_notes() -> None:
    notes = {m.kind: m.note for m in milestones(50)}
    assert "first coffee chat" in notes[FIRST]
    assert "Ten coffee chats" in notes[TEN]
    assert "25 of 50" in notes[HALF]
    assert "50 coffee chats" in notes[GOAL]
    assert all(note and not any(c in note for c in "<>&") for note in notes.values())
    assert milestones(50)[2].key == "halfway:25"
