"""Goal projection: the finish date, on track or late, and the raised plan that makes the date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.domain import Interaction, Kind
from bot.coaching.projection import (
    DEFAULT_CHATS_PER_OUTREACH,
    MIN_OUTREACH_FOR_MEASURED,
    MIN_WEEKS_FOR_MEASURED,
    PaceHistory,
    Projection,
    RaisedPlan,
    active_days_per_week,
    finish_date,
    measure_pace,
    project,
    projection_text,
)

TODAY = date(2026, 11, 23)  # a Monday
NEW = PaceHistory.empty()
# Six weeks in: 60 reach-outs and 6 chats (1 in 10), 1.5 chats a week lately.
STEADY = PaceHistory(
    weeks_active=6,
    total_outreach=60,
    total_chats=6,
    recent_outreach=(10, 10, 10, 10),
    recent_chats=(1, 1, 2, 2),
)


def days(count: int) -> date:
    return TODAY + timedelta(days=count)


# --- the pace and the conversion -------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "enough"),
    [
        (NEW, False),
        (STEADY, True),
        (PaceHistory(weeks_active=MIN_WEEKS_FOR_MEASURED, total_outreach=10, total_chats=0), True),
        (
            PaceHistory(weeks_active=MIN_WEEKS_FOR_MEASURED - 1, total_outreach=99, total_chats=9),
            False,
        ),
        (
            PaceHistory(
                weeks_active=20, total_outreach=MIN_OUTREACH_FOR_MEASURED - 1, total_chats=5
            ),
            False,
        ),
    ],
)
def test_enough_history(history: PaceHistory, enough: bool) -> None:
    assert history.enough is enough


@pytest.mark.parametrize(
    ("history", "weekly_chats", "chats_per_outreach"),
    [
        (STEADY, Fraction(3, 2), Fraction(1, 10)),
        # Only the last four weeks count, and never weeks before the start.
        (
            PaceHistory(8, 40, 8, (9, 9, 9, 9, 9, 9), (9, 9, 1, 1, 1, 1)),
            Fraction(1),
            Fraction(1, 5),
        ),
        (
            PaceHistory(3, 30, 3, (0, 0, 0, 10, 10, 10), (5, 5, 5, 1, 1, 1)),
            Fraction(1),
            Fraction(1, 10),
        ),
        # Without the weekly numbers: the mean since the start.
        (
            PaceHistory(weeks_active=5, total_outreach=50, total_chats=4),
            Fraction(4, 5),
            Fraction(2, 25),
        ),
        # No chat yet: no measured conversion.
        (PaceHistory(weeks_active=5, total_outreach=50, total_chats=0), Fraction(0), None),
        # Chats with people never reached out to (warm friends) cap the conversion at 1.
        (PaceHistory(weeks_active=5, total_outreach=3, total_chats=9), Fraction(9, 5), Fraction(1)),
        (NEW, Fraction(0), None),
    ],
)
def test_measured_numbers(
    history: PaceHistory, weekly_chats: Fraction, chats_per_outreach: Fraction | None
) -> None:
    assert history.weekly_chats == weekly_chats
    assert history.chats_per_outreach == chats_per_outreach


def test_history_refuses_negative_numbers() -> None:
    with pytest.raises(ValueError, match="negative"):
        PaceHistory(weeks_active=3, total_outreach=-1, total_chats=0)


@pytest.mark.parametrize(
    ("remaining", "pace", "expected"),
    [
        (0, Fraction(0), TODAY),
        (1, Fraction(7), days(1)),
        (50, Fraction(2), days(175)),
        (44, Fraction(3, 2), days(206)),  # 205.3 days, rounded up
        (3, Fraction(0), None),
        (1, Fraction(1, 10**9), None),  # beyond the calendar
    ],
)
def test_finish_date(remaining: int, pace: Fraction, expected: date | None) -> None:
    assert finish_date(remaining, pace, TODAY) == expected


@pytest.mark.parametrize(
    ("rest_days", "active"),
    [((5, 6), 5), ((), 7), ((6,), 6), ((0, 1, 2, 3, 4, 5, 6), 7), ((5, 5, 6), 5)],
)
def test_active_days_per_week(rest_days: tuple[int, ...], active: int) -> None:
    assert active_days_per_week(rest_days) == active


# --- projections -----------------------------------------------------------------------


def test_new_user_on_track_with_the_plan() -> None:
    projection = project(50, date(2027, 6, 30), 0, 2, TODAY, NEW)
    assert projection.finish_date == date(2027, 5, 17)  # 175 days at 2 a week
    assert projection.on_track is True
    assert projection.days_late == 0
    assert projection.raised is None
    assert not projection.pace_measured
    assert projection.chats_per_outreach == DEFAULT_CHATS_PER_OUTREACH


def test_new_user_late_gets_raised_numbers() -> None:
    projection = project(50, date(2027, 3, 1), 0, 2, TODAY, NEW)
    assert projection.finish_date == date(2027, 5, 17)
    assert projection.on_track is False
    assert projection.days_late == 77
    assert projection.weeks_late == 11
    # 50 chats in 98 days: 3.6 a week, so 4; at 1 chat in 5 reach-outs over 5 days, 4 a day.
    assert projection.raised == RaisedPlan(
        weekly_chats=4, daily_outreach=4, active_days=5, stretch=False
    )


def test_measured_pace_and_conversion_take_over() -> None:
    projection = project(50, date(2027, 6, 1), 6, 2, TODAY, STEADY)
    assert projection.pace_measured
    assert projection.weekly_pace == Fraction(3, 2)
    assert projection.conversion_measured
    assert projection.chats_per_outreach == Fraction(1, 10)
    assert projection.finish_date == days(206)
    assert projection.days_late == (days(206) - date(2027, 6, 1)).days
    # 44 chats in 190 days: 1.6 a week, so 2 (the plan); at 1 in 10 over 5 days, 4 a day.
    assert projection.raised == RaisedPlan(
        weekly_chats=2, daily_outreach=4, active_days=5, stretch=False
    )


def test_raised_plan_never_below_the_plan_or_the_quota() -> None:
    slow = PaceHistory(6, 60, 30, (10, 10, 10, 10), (1, 1, 1, 1))
    projection = project(60, days(200), 30, 4, TODAY, slow, daily_quota=5)
    assert projection.raised is not None
    assert projection.raised.weekly_chats == 4  # 30 in 200 days needs 2; the plan says 4
    assert projection.raised.daily_outreach == 5  # 4 at a conversion of 1 in 2 is 1 a day


def test_rest_days_spread_the_outreach() -> None:
    every_day = project(50, date(2027, 3, 1), 0, 2, TODAY, NEW, rest_days=(), daily_quota=0)
    weekdays = project(50, date(2027, 3, 1), 0, 2, TODAY, NEW, daily_quota=0)
    assert every_day.raised is not None
    assert weekdays.raised is not None
    assert every_day.raised.active_days == 7
    assert every_day.raised.daily_outreach == 3  # 20 reach-outs a week over 7 days
    assert weekdays.raised.daily_outreach == 4  # ... over 5 days


def test_a_big_jump_is_a_stretch() -> None:
    projection = project(50, days(14), 0, 2, TODAY, NEW)
    assert projection.raised is not None
    assert projection.raised.weekly_chats == 25
    assert projection.raised.stretch
    assert "move the date" in projection_text(projection)


def test_zero_measured_pace_has_no_finish_but_a_plan() -> None:
    stalled = PaceHistory(6, 40, 2, (10, 0, 0, 0), (0, 0, 0, 0))
    projection = project(50, date(2027, 6, 1), 2, 2, TODAY, stalled)
    assert projection.finish_date is None
    assert projection.on_track is False
    assert projection.days_late is None
    assert projection.weeks_late is None
    assert projection.raised is not None
    assert "no finish date in sight" in projection_text(projection)


def test_zero_planned_pace_without_a_date() -> None:
    projection = project(50, None, 0, 0, TODAY, NEW)
    assert projection.finish_date is None
    assert projection.on_track is None
    assert projection.raised is None
    assert "no finish date yet" in projection_text(projection)


def test_no_target_date() -> None:
    projection = project(50, None, 10, 2, TODAY, NEW)
    assert projection.finish_date == days(140)
    assert projection.on_track is None
    assert projection.days_late is None
    assert projection.raised is None


@pytest.mark.parametrize("chats_done", [50, 51, 80])
def test_goal_met_or_passed_after_lowering_it(chats_done: int) -> None:
    projection = project(50, date(2027, 3, 1), chats_done, 2, TODAY, STEADY)
    assert projection.goal_met
    assert projection.remaining == 0
    assert projection.finish_date == TODAY
    assert projection.on_track is True
    assert projection.days_late == 0
    assert projection.raised is None
    assert projection_text(projection).startswith("🎉")


def test_goal_met_even_after_the_date() -> None:
    projection = project(50, days(-30), 50, 2, TODAY, NEW)
    assert projection.on_track is True
    assert projection.target_passed


def test_target_date_passed() -> None:
    projection = project(50, days(-10), 40, 2, TODAY, NEW)
    assert projection.target_passed
    assert projection.on_track is False
    assert projection.finish_date == days(35)
    assert projection.days_late == 45
    assert projection.raised is None
    text = projection_text(projection)
    assert "was 13 November" in text
    assert "pick a new date" in text


def test_target_date_is_today() -> None:
    projection = project(50, TODAY, 49, 2, TODAY, NEW)
    assert not projection.target_passed
    assert projection.on_track is False
    assert projection.raised is None  # no days left to spread a raised plan over
    assert "is today" in projection_text(projection)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ((-1, None, 0, 2), "negative"),
        ((50, None, -1, 2), "negative"),
        ((50, None, 0, -2), "negative"),
    ],
)
def test_project_refuses_negative_numbers(
    arguments: tuple[int, date | None, int, int], says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        project(*arguments, TODAY, NEW)


# --- in words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("projection", "expected"),
    [
        (
            project(50, date(2027, 6, 30), 0, 2, TODAY, NEW),
            "You're on track: at your planned 2 chats a week you'll reach 50 around 17 May 2027, "
            "in time for 30 June 2027.",
        ),
        (
            project(50, date(2027, 3, 1), 0, 2, TODAY, NEW),
            "At your planned 2 chats a week you'd reach 50 around 17 May 2027, about 11 weeks "
            "after 1 March 2027. To make it, aim for 4 coffee chats a week, about 4 reach-outs "
            "on each active day.",
        ),
        (
            project(50, date(2027, 6, 1), 6, 2, TODAY, STEADY),
            "At your recent pace of about 1.5 chats a week you'd reach 50 around 17 June 2027, "
            "about 3 weeks after 1 June 2027. To make it, get back to your planned 2 coffee "
            "chats a week, about 4 reach-outs on each active day.",
        ),
        (
            project(10, None, 9, 1, TODAY, NEW),
            "1 coffee chat to go: at your planned 1 chat a week you'll get there around "
            "30 November.",
        ),
        (
            project(10, None, 10, 1, TODAY, NEW),
            "🎉 Goal reached: 10 coffee chats! Set a new one in /settings whenever you're ready.",
        ),
        (
            project(10, days(3), 9, 2, TODAY, NEW),
            "At your planned 2 chats a week you'd reach 10 around 27 November, 1 day after "
            "26 November. To make it, aim for 3 coffee chats a week, about 3 reach-outs on each "
            "active day.",
        ),
    ],
)
def test_projection_text(projection: Projection, expected: str) -> None:
    assert projection_text(projection) == expected


# --- measuring the pace from the log ---------------------------------------------------


def logged(kind: Kind, at: datetime) -> Interaction:
    return Interaction(
        id=1, chat_id=1, contact_id=1, kind=kind, channel=None, ask=None, note=None, at=at
    )


def test_measure_pace_from_the_log() -> None:
    start = datetime(2026, 10, 26, 9, tzinfo=UTC)  # four weeks before TODAY
    log = [logged(Kind.OUTREACH, start + timedelta(days=day)) for day in range(28)]
    log += [logged(Kind.FOLLOW_UP, start + timedelta(days=3))]
    log += [logged(Kind.COFFEE_CHAT, start + timedelta(days=day)) for day in (1, 2, 20)]
    log += [logged(Kind.GAVE, start), logged(Kind.REPLY_POSITIVE, start)]
    log += [logged(Kind.OUTREACH, datetime(2026, 11, 23, 10, tzinfo=UTC))]  # today
    log += [logged(Kind.OUTREACH, datetime(2026, 11, 30, 10, tzinfo=UTC))]  # not yet
    history = measure_pace(log, "UTC", TODAY)
    assert history == PaceHistory(
        weeks_active=4,
        total_outreach=30,
        total_chats=3,
        recent_outreach=(8, 7, 7, 7),
        recent_chats=(2, 0, 1, 0),
    )


def test_measure_pace_on_local_dates() -> None:
    # 23:30 UTC on 2 Nov is already 3 Nov in Sydney: three weeks ago, not three weeks and a day.
    log = [logged(Kind.OUTREACH, datetime(2026, 11, 2, 23, 30, tzinfo=UTC))]
    assert measure_pace(log, "UTC", TODAY).weeks_active == 3
    assert measure_pace(log, "Australia/Sydney", TODAY).weeks_active == 2


def test_measure_pace_without_a_log() -> None:
    assert measure_pace([], "UTC", TODAY) == PaceHistory.empty()
    assert measure_pace([logged(Kind.GAVE, datetime(2026, 1, 1, tzinfo=UTC))], "UTC", TODAY) == NEW


# --- properties ------------------------------------------------------------------------

histories = st.builds(
    PaceHistory,
    weeks_active=st.integers(0, 30),
    total_outreach=st.integers(0, 400),
    total_chats=st.integers(0, 100),
    recent_outreach=st.lists(st.integers(0, 40), max_size=6).map(tuple),
    recent_chats=st.lists(st.integers(0, 10), max_size=6).map(tuple),
)
todays = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
rest_day_sets = st.sets(st.integers(0, 6)).map(lambda days: tuple(sorted(days)))


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Projection, tuple[int, ...], int]:
    today = draw(todays)
    goal_date = draw(st.none() | st.integers(-60, 730).map(lambda n: today + timedelta(days=n)))
    rest_days = draw(rest_day_sets)
    quota = draw(st.integers(0, 10))
    projection = project(
        draw(st.integers(0, 200)),
        goal_date,
        draw(st.integers(0, 250)),
        draw(st.integers(0, 10)),
        today,
        draw(histories),
        rest_days=rest_days,
        daily_quota=quota,
    )
    return projection, rest_days, quota


@given(scenarios())
def test_numbers_are_never_negative_nor_in_the_past(
    scenario: tuple[Projection, tuple[int, ...], int],
) -> None:
    projection, _, _ = scenario
    assert projection.remaining >= 0
    assert projection.weekly_pace >= 0
    assert projection.chats_per_outreach > 0
    assert projection.days_late is None or projection.days_late >= 0
    if projection.finish_date is not None:
        assert projection.finish_date >= projection.today
    else:
        assert projection.weekly_pace == 0
        assert projection.remaining > 0
    if projection.raised is not None:
        assert projection.raised.weekly_chats >= 1
        assert projection.raised.daily_outreach >= 1
        assert 1 <= projection.raised.active_days <= 7


@given(scenarios())
def test_on_track_matches_the_finish_date(
    scenario: tuple[Projection, tuple[int, ...], int],
) -> None:
    projection, _, _ = scenario
    if projection.goal_date is None:
        assert projection.on_track is None
        assert projection.raised is None
        return
    finish = projection.finish_date
    in_time = finish is not None and finish <= projection.goal_date
    assert projection.on_track is (projection.goal_met or in_time)
    if projection.on_track:
        assert projection.days_late == 0
        assert projection.raised is None
    else:
        # Late: a raised plan exactly when there are days left to carry it.
        assert (projection.raised is not None) is (projection.goal_date > projection.today)


@given(scenarios())
def test_raised_plan_makes_the_target_date(
    scenario: tuple[Projection, tuple[int, ...], int],
) -> None:
    projection, rest_days, quota = scenario
    plan = projection.raised
    if plan is None:
        return
    assert projection.goal_date is not None
    arguments = (projection.goal_count, projection.goal_date, projection.chats_done)
    # As a plan: the raised weekly chats finish in time.
    planned = project(
        *arguments, plan.weekly_chats, projection.today, NEW, rest_days=rest_days, daily_quota=quota
    )
    assert planned.on_track is True
    assert planned.finish_date is not None
    assert planned.finish_date <= projection.goal_date
    # The daily reach-outs bring in the weekly chats at the assumed conversion.
    assert plan.daily_outreach * plan.active_days * projection.chats_per_outreach >= (
        plan.weekly_chats
    )
    # And lived for a few weeks, the measured pace makes it too.
    lived = PaceHistory(
        weeks_active=4,
        total_outreach=max(MIN_OUTREACH_FOR_MEASURED, 4 * plan.daily_outreach * plan.active_days),
        total_chats=4 * plan.weekly_chats,
        recent_chats=(plan.weekly_chats,) * 4,
    )
    measured = project(*arguments, 0, projection.today, lived, rest_days=rest_days)
    assert measured.pace_measured
    assert measured.on_track is True


@given(scenarios())
def test_text_is_html_safe_and_short(scenario: tuple[Projection, tuple[int, ...], int]) -> None:
    projection, _, _ = scenario
    text = projection_text(projection)
    assert text
    assert not any(character in text for character in "<>&")
    assert text.count(". ") <= 2
    assert len(text) < 400
