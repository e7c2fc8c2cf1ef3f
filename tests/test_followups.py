"""Follow-up cadence rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.domain import DEFAULT_FOLLOW_UP_DAYS
from bot.coaching.errors import InputError
from bot.coaching.followups import (
    LATER_FOLLOW_UP_DAYS,
    REST_DAYS_AFTER_LAST_ATTEMPT,
    is_due,
    later_follow_up_due,
    next_follow_up_due,
    parse_cadence,
    rest_until,
    snooze_until,
)

OUTREACH = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3, 7, 14", (3, 7, 14)),
        ("3 7 14", (3, 7, 14)),
        ("3,7,14", (3, 7, 14)),
        ("  3 ,  7 , 14  ", (3, 7, 14)),
        ("3; 7; 14", (3, 7, 14)),
        ("3 / 7 / 14", (3, 7, 14)),
        ("3 and 7 and 14", (3, 7, 14)),
        ("3d 7d 14d", (3, 7, 14)),
        ("3 days, 7 days and 14 days", (3, 7, 14)),
        ("5", (5,)),
        ("1", (1,)),
        ("60", (60,)),
        ("7, 3", (7, 3)),  # gaps need not grow
        ("2, 2, 2, 2, 2", (2, 2, 2, 2, 2)),
    ],
)
def test_parse_cadence(text: str, expected: tuple[int, ...]) -> None:
    assert parse_cadence(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "days between follow-ups"),
        (" , ", "days between follow-ups"),
        ("0", "between 1 and 60"),
        ("61", "between 1 and 60"),
        ("3, 100", "100 isn't"),
        ("9" * 40, "between 1 and 60"),
        ("1, 2, 3, 4, 5, 6", "up to 5"),
        ("soon", "couldn't read “soon”"),
        ("3.5", "couldn't read"),
        ("-3", "couldn't read"),
    ],
)
def test_parse_cadence_refuses(text: str, says: str) -> None:
    with pytest.raises(InputError, match=says) as caught:
        parse_cadence(text)
    assert "3, 7, 14" in caught.value.message


@given(st.text())
def test_parse_cadence_only_raises_input_error(text: str) -> None:
    try:
        cadence = parse_cadence(text)
    except InputError:
        return
    assert 1 <= len(cadence) <= 5
    assert all(1 <= gap <= 60 for gap in cadence)


@pytest.mark.parametrize(
    ("attempt", "cadence", "expected"),
    [
        (1, (3, 7, 14), OUTREACH + timedelta(days=3)),
        (2, (3, 7, 14), OUTREACH + timedelta(days=7)),
        (3, (3, 7, 14), OUTREACH + timedelta(days=14)),
        (4, (3, 7, 14), None),
        (1, (5,), OUTREACH + timedelta(days=5)),
        (2, (5,), None),
        (1, (), None),
    ],
)
def test_next_follow_up_due(
    attempt: int, cadence: tuple[int, ...], expected: datetime | None
) -> None:
    assert next_follow_up_due(OUTREACH, attempt, cadence) == expected


def test_each_gap_counts_from_the_last_touch() -> None:
    first = next_follow_up_due(OUTREACH, 1, DEFAULT_FOLLOW_UP_DAYS)
    assert first == datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    # The first follow-up was done a day late; the second counts from that day.
    done_late = first + timedelta(days=1)
    second = next_follow_up_due(done_late, 2, DEFAULT_FOLLOW_UP_DAYS)
    assert second == datetime(2026, 3, 13, 14, 30, tzinfo=UTC)


@pytest.mark.parametrize("attempt", [0, -1])
def test_attempts_count_from_one(attempt: int) -> None:
    with pytest.raises(ValueError, match="from 1"):
        next_follow_up_due(OUTREACH, attempt, (3, 7, 14))


@given(
    last_touch=st.integers(0, 100 * 365 * 86_400).map(
        lambda seconds: datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    ),
    cadence=st.lists(st.integers(1, 60), min_size=1, max_size=5),
    attempt=st.integers(1, 6),
)
def test_next_follow_up_is_after_the_last_touch(
    last_touch: datetime, cadence: list[int], attempt: int
) -> None:
    due = next_follow_up_due(last_touch, attempt, cadence)
    if attempt > len(cadence):
        assert due is None
    else:
        assert due is not None
        assert due > last_touch


def test_snooze_and_rest() -> None:
    now = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert snooze_until(now) == datetime(2026, 6, 3, 8, 0, tzinfo=UTC)
    assert snooze_until(now, days=7) == datetime(2026, 6, 8, 8, 0, tzinfo=UTC)
    assert REST_DAYS_AFTER_LAST_ATTEMPT == 30
    assert rest_until(now) == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="at least a day"):
        snooze_until(now, days=0)
    assert LATER_FOLLOW_UP_DAYS == 14
    assert later_follow_up_due(now) == datetime(2026, 6, 15, 8, 0, tzinfo=UTC)
    assert later_follow_up_due(now, days=3) == datetime(2026, 6, 4, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due_at", "now", "tz", "due"),
    [
        # same instant
        (datetime(2026, 3, 5, 9, tzinfo=UTC), datetime(2026, 3, 5, 9, tzinfo=UTC), "UTC", True),
        # due later today still counts as due today
        (datetime(2026, 3, 5, 23, tzinfo=UTC), datetime(2026, 3, 5, 1, tzinfo=UTC), "UTC", True),
        # due tomorrow
        (datetime(2026, 3, 6, 0, tzinfo=UTC), datetime(2026, 3, 5, 23, tzinfo=UTC), "UTC", False),
        # long overdue
        (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC), "UTC", True),
        # 23:30 UTC on the 5th is already the 6th in Sydney, and it is only the 5th there
        (
            datetime(2026, 3, 5, 23, 30, tzinfo=UTC),
            datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
            "Australia/Sydney",
            False,
        ),
        # ... but in Los Angeles both are the 5th
        (
            datetime(2026, 3, 5, 23, 30, tzinfo=UTC),
            datetime(2026, 3, 5, 20, 0, tzinfo=UTC),
            "America/Los_Angeles",
            True,
        ),
        # 02:00 UTC on the 6th is still the 5th in Los Angeles
        (
            datetime(2026, 3, 6, 2, 0, tzinfo=UTC),
            datetime(2026, 3, 5, 17, 0, tzinfo=UTC),
            "America/Los_Angeles",
            True,
        ),
        # across the London clock change
        (
            datetime(2026, 3, 29, 23, 30, tzinfo=UTC),  # 00:30 BST on the 30th
            datetime(2026, 3, 29, 22, 0, tzinfo=UTC),  # 23:00 BST on the 29th
            "Europe/London",
            False,
        ),
    ],
)
def test_is_due(due_at: datetime, now: datetime, tz: str, due: bool) -> None:
    assert is_due(due_at, now, tz) is due
