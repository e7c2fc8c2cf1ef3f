"""The pure rules behind logs and their corrections: what a log does to follow-ups, the channel
a follow-up goes by, the day a "later" answer names, and the day a log happened."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.dates import MAX_CHECK_BACK_DAYS, MONTH_NAMES, check_back_day, parse_past_day
from bot.coaching.domain import (
    Channel,
    FollowUpEffects,
    FollowUpPlan,
    FollowUpStatus,
    Interaction,
    Kind,
)
from bot.coaching.errors import InputError
from bot.coaching.followups import follow_up_channel, follow_up_effects

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
CADENCE = (3, 7, 14)
DONE, REPLIED = FollowUpStatus.DONE, FollowUpStatus.REPLIED


@pytest.mark.parametrize(
    ("kind", "open_attempt", "expected"),
    [
        (Kind.OUTREACH, None, FollowUpEffects(None, FollowUpPlan(AT + timedelta(days=3), 1))),
        (Kind.OUTREACH, 1, FollowUpEffects(DONE, FollowUpPlan(AT + timedelta(days=7), 2))),
        (Kind.FOLLOW_UP, 2, FollowUpEffects(DONE, FollowUpPlan(AT + timedelta(days=14), 3))),
        (Kind.FOLLOW_UP, 3, FollowUpEffects(DONE, None)),  # the last one: nothing more planned
        (Kind.REPLY_POSITIVE, 1, FollowUpEffects(REPLIED)),
        (Kind.REPLY_DECLINED, None, FollowUpEffects(REPLIED)),
        (Kind.REPLY_LATER, 1, FollowUpEffects(REPLIED, FollowUpPlan(AT + timedelta(days=14), 1))),
        (Kind.COFFEE_CHAT, 2, FollowUpEffects(REPLIED)),
        (Kind.GAVE, 1, FollowUpEffects()),
    ],
)
def test_what_a_log_does_to_follow_ups(
    kind: Kind, open_attempt: int | None, expected: FollowUpEffects
) -> None:
    assert follow_up_effects(kind, AT, open_attempt, CADENCE) == expected


def test_a_later_with_a_day_plans_the_check_in_on_that_day() -> None:
    day = AT + timedelta(days=45)
    effects = follow_up_effects(Kind.REPLY_LATER, AT, None, CADENCE, check_back=day)
    assert effects == FollowUpEffects(REPLIED, FollowUpPlan(day, 1))


def _log(number: int, kind: Kind, channel: Channel | None, days: int) -> Interaction:
    return Interaction(number, 1, 1, kind, channel, None, None, AT + timedelta(days=days))


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([], Channel.MESSAGE),
        ([_log(1, Kind.OUTREACH, Channel.LINKEDIN, 0)], Channel.LINKEDIN),
        (
            [_log(2, Kind.FOLLOW_UP, Channel.EMAIL, 3), _log(1, Kind.OUTREACH, Channel.CALL, 0)],
            Channel.EMAIL,
        ),
        (  # a reply or a give says nothing about the channel
            [_log(2, Kind.REPLY_LATER, None, 3), _log(1, Kind.OUTREACH, Channel.INMAIL, 0)],
            Channel.INMAIL,
        ),
        ([_log(1, Kind.GAVE, None, 0)], Channel.MESSAGE),
    ],
)
def test_a_follow_up_goes_by_the_channel_of_the_outreach_it_follows(
    history: list[Interaction], expected: Channel
) -> None:
    assert follow_up_channel(history) is expected


# --- "later": when to check back ---------------------------------------------------------

TODAY = date(2026, 11, 20)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("maybe after xmas", date(2027, 1, 7)),
        ("Ask again after Christmas", date(2027, 1, 7)),
        ("after the holidays", date(2027, 1, 7)),
        ("in the new year", date(2027, 1, 7)),
        ("after the summer", date(2027, 9, 1)),
        ("check back in two weeks", date(2026, 12, 4)),
        ("in a few weeks", date(2026, 12, 11)),
        ("in 10 days", date(2026, 11, 30)),
        ("next week", date(2026, 11, 27)),
        ("next month", date(2026, 12, 1)),
        ("busy until March", date(2027, 3, 1)),
        ("after March", date(2027, 4, 1)),
        ("mid January", date(2027, 1, 15)),
        ("try again in Q3", date(2027, 7, 1)),
        ("out until Monday", date(2026, 11, 23)),
        ("she's out of office until the 15th", date(2026, 12, 15)),
        ("maybe later", None),
        ("not now", None),
        ("in November", None),  # the month we are in: no day ahead to read
        ("in Q4", None),
        ("", None),
    ],
)
def test_check_back_day(text: str, expected: date | None) -> None:
    assert check_back_day(text, TODAY) == expected


def test_after_christmas_in_the_holidays_is_the_coming_january() -> None:
    assert check_back_day("after xmas", date(2026, 12, 28)) == date(2027, 1, 7)
    assert check_back_day("after xmas", date(2027, 1, 3)) == date(2027, 1, 7)


@given(st.text(max_size=80), st.dates(date(2000, 1, 1), date(2090, 12, 31)))
def test_check_back_is_ahead_within_a_year_or_none(text: str, today: date) -> None:
    day = check_back_day(text, today)
    assert day is None or 0 < (day - today).days <= MAX_CHECK_BACK_DAYS


@given(
    st.sampled_from(["after xmas", "in 3 weeks", "next month", "after June", "after the summer"]),
    st.dates(date(2000, 1, 1), date(2090, 12, 31)),
)
def test_a_named_day_is_always_found(text: str, today: date) -> None:
    assert check_back_day(f"said {text}, sorry", today) is not None


# --- the day a log happened -----------------------------------------------------------------

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", MONDAY),
        ("Yesterday", date(2026, 11, 22)),
        ("3 days ago", date(2026, 11, 20)),
        ("two days ago", date(2026, 11, 21)),
        ("a week ago", date(2026, 11, 16)),
        ("Friday", date(2026, 11, 20)),
        ("last monday", date(2026, 11, 16)),
        ("on Wed", date(2026, 11, 18)),
        ("21 Nov", date(2026, 11, 21)),
        ("Nov 2", date(2026, 11, 2)),
        ("25 December", date(2025, 12, 25)),  # this year's is ahead: last year's
        ("2026-11-01", date(2026, 11, 1)),
        ("21/11", date(2026, 11, 21)),
    ],
)
def test_parse_past_day(text: str, expected: date) -> None:
    assert parse_past_day(text, MONDAY) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("tomorrow", "couldn't read"),
        ("2026-12-01", "hasn't happened yet"),
        ("2024-01-01", "more than a year ago"),
        ("31 February", "no day 31"),
        ("soonish", "couldn't read"),
    ],
)
def test_parse_past_day_refuses(text: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        parse_past_day(text, MONDAY)


@given(st.integers(0, 365), st.dates(date(2001, 1, 1), date(2090, 12, 31)))
def test_days_ago_and_dates_round_trip(days: int, today: date) -> None:
    day = today - timedelta(days=days)
    assert parse_past_day(f"{days} days ago", today) == day
    assert parse_past_day(day.isoformat(), today) == day
    if days < 365:  # a day and month name the latest such day, at most a year back
        assert parse_past_day(f"{day.day} {MONTH_NAMES[day.month]}", today) == day
