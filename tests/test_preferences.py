"""The /settings preferences: typed text and quick choices parse, and values round-trip."""

from __future__ import annotations

import contextlib
from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.errors import InputError
from bot.coaching.preferences import BY_KEY, PREFERENCES, Preference, parse_rest_days

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("preference", PREFERENCES, ids=lambda preference: preference.key)
def test_every_quick_choice_parses(preference: Preference) -> None:
    for _label, token in preference.choices:
        preference.parse(token, TODAY)


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("mt", "7:30", time(7, 30)),
        ("mt", "0900", time(9, 0)),
        ("et", "off", None),
        ("et", "19:00", time(19, 0)),
        ("dq", "5", 5),
        ("wc", "3", 3),
        ("gc", "100", 100),
        ("gd", "none", None),
        ("gd", "6m", date(2027, 5, 23)),
        ("gd", "2027-03-31", date(2027, 3, 31)),
        ("fu", "2 5 10", (2, 5, 10)),
        ("fu", "3-7-14", (3, 7, 14)),
        ("rd", "sat sun", (5, 6)),
        ("rd", "Friday", (4,)),
        ("rd", "none", ()),
        ("rd", "weekend", (5, 6)),
        ("rv", "Sunday", 6),
        ("rv", "mon", 0),
        ("rt", "18:00", time(18, 0)),
        ("tz", "Lisbon", "Europe/Lisbon"),
        ("fp", "never", "never"),
        ("fp", "some days", "some"),
        ("fp", "Every day", "daily"),
    ],
)
def test_typed_values(key: str, text: str, expected: object) -> None:
    assert BY_KEY[key].parse(text, TODAY) == expected


@pytest.mark.parametrize(
    ("key", "text", "reason"),
    [
        ("dq", "0", "from 1 to 50"),
        ("dq", "lots", "from 1 to 50"),
        ("gc", "1001", "from 1 to 1000"),
        ("gd", "2020-01-01", "passed"),
        ("rd", "mon tue wed thu fri sat sun", "at least one active day"),
        ("rd", "someday", "Sat Sun"),
        ("rv", "Funday", "weekday"),
        ("mt", "25:00", "Try"),
    ],
)
def test_bad_values_explain(key: str, text: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        BY_KEY[key].parse(text, TODAY)


@given(st.sets(st.integers(min_value=0, max_value=6), max_size=6))
def test_rest_days_round_trip(days: set[int]) -> None:
    shown = BY_KEY["rd"].show(tuple(sorted(days)))
    assert parse_rest_days(shown) == tuple(sorted(days))


@given(st.times().map(lambda moment: moment.replace(second=0, microsecond=0, tzinfo=None)))
def test_times_round_trip(moment: time) -> None:
    for key in ("mt", "et", "rt"):
        assert BY_KEY[key].parse(BY_KEY[key].show(moment), TODAY) == moment


@given(st.integers(min_value=1, max_value=1000))
def test_counts_round_trip_within_their_range(count: int) -> None:
    for key, highest in (("dq", 50), ("wc", 30), ("gc", 1000)):
        if count <= highest:
            assert BY_KEY[key].parse(BY_KEY[key].show(count), TODAY) == count


@given(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=5))
def test_cadence_round_trips(days: list[int]) -> None:
    cadence = tuple(days)
    assert BY_KEY["fu"].parse(BY_KEY["fu"].show(cadence).removesuffix(" days"), TODAY) == cadence


@given(st.dates(min_value=date(2026, 11, 24), max_value=date(2031, 11, 1)))
def test_goal_dates_round_trip(day: date) -> None:
    shown = BY_KEY["gd"].show(day).split(" ", 1)[1]  # "31 Mar 2027" without the weekday
    assert BY_KEY["gd"].parse(shown, TODAY) == day


@pytest.mark.parametrize("value", ["never", "some", "daily"])
def test_fear_prompts_round_trip(value: str) -> None:
    assert BY_KEY["fp"].parse(BY_KEY["fp"].show(value), TODAY) == value


@given(st.text(max_size=60))
def test_parsing_only_ever_raises_input_error(text: str) -> None:
    for preference in PREFERENCES:
        if preference.key == "tz":
            continue  # covered by the time zone parser's own property test
        with contextlib.suppress(InputError):
            preference.parse(text, TODAY)
