"""Local-time rules: the user's day, times of day, target dates and time zones."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.dates import (
    add_months,
    add_years,
    is_rest_day,
    local_day_bounds,
    local_today,
    parse_target_date,
    parse_time_of_day,
)
from bot.coaching.domain import DEFAULT_REST_DAYS
from bot.coaching.errors import InputError
from bot.coaching.zones import (
    HALF_HOUR_ZONES,
    ZONE_ABBREVIATIONS,
    parse_timezone,
    timezone_for_location,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- the user's day --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "tz", "today"),
    [
        (utc(2026, 3, 5, 12), "UTC", date(2026, 3, 5)),
        (utc(2026, 3, 5, 23, 30), "Europe/Berlin", date(2026, 3, 6)),
        (utc(2026, 3, 5, 13, 0), "Australia/Sydney", date(2026, 3, 6)),
        (utc(2026, 3, 5, 12, 59), "Australia/Sydney", date(2026, 3, 5)),
        (utc(2026, 3, 6, 7, 59), "America/Los_Angeles", date(2026, 3, 5)),
        (utc(2026, 3, 5, 18, 30), "Asia/Kolkata", date(2026, 3, 6)),
        (utc(2026, 3, 5, 10, 0), "Pacific/Kiritimati", date(2026, 3, 6)),
        (utc(2026, 3, 5, 11, 0), "Etc/GMT+12", date(2026, 3, 4)),
    ],
)
def test_local_today(now: datetime, tz: str, today: date) -> None:
    assert local_today(now, tz) == today


@pytest.mark.parametrize(
    ("day", "tz", "start", "end", "hours"),
    [
        (date(2026, 6, 1), "UTC", utc(2026, 6, 1), utc(2026, 6, 2), 24),
        (date(2026, 6, 1), "Europe/London", utc(2026, 5, 31, 23), utc(2026, 6, 1, 23), 24),
        # London: clocks go forward on 29 March and back on 25 October 2026
        (date(2026, 3, 29), "Europe/London", utc(2026, 3, 29), utc(2026, 3, 29, 23), 23),
        (date(2026, 10, 25), "Europe/London", utc(2026, 10, 24, 23), utc(2026, 10, 26), 25),
        # Sydney: back on 5 April, forward on 4 October 2026
        (
            date(2026, 4, 5),
            "Australia/Sydney",
            utc(2026, 4, 4, 13),
            utc(2026, 4, 5, 14),
            25,
        ),
        (
            date(2026, 10, 4),
            "Australia/Sydney",
            utc(2026, 10, 3, 14),
            utc(2026, 10, 4, 13),
            23,
        ),
        # Los Angeles: forward on 8 March, back on 1 November 2026
        (
            date(2026, 3, 8),
            "America/Los_Angeles",
            utc(2026, 3, 8, 8),
            utc(2026, 3, 9, 7),
            23,
        ),
        (
            date(2026, 11, 1),
            "America/Los_Angeles",
            utc(2026, 11, 1, 7),
            utc(2026, 11, 2, 8),
            25,
        ),
        # Santiago skips midnight itself: 6 September 2026 starts at 01:00
        (
            date(2026, 9, 6),
            "America/Santiago",
            utc(2026, 9, 6, 4),
            utc(2026, 9, 7, 3),
            23,
        ),
        (date(2026, 3, 5), "Asia/Kolkata", utc(2026, 3, 4, 18, 30), utc(2026, 3, 5, 18, 30), 24),
    ],
)
def test_local_day_bounds(day: date, tz: str, start: datetime, end: datetime, hours: int) -> None:
    assert local_day_bounds(day, tz) == (start, end)
    assert end - start == timedelta(hours=hours)


ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Los_Angeles",
    "America/Santiago",
    "America/Havana",
    "Asia/Beirut",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Asia/Kathmandu",
]


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    tz=st.sampled_from(ZONES),
)
def test_local_day_bounds_contain_the_days_noon(day: date, tz: str) -> None:
    start, end = local_day_bounds(day, tz)
    noon = datetime.combine(day, time(12), tzinfo=ZoneInfo(tz))
    assert start < end
    assert start <= noon < end
    assert start.tzinfo is UTC
    assert local_day_bounds(day + timedelta(days=1), tz)[0] == end


@pytest.mark.parametrize(
    ("day", "rest_days", "rest"),
    [
        (date(2026, 3, 7), DEFAULT_REST_DAYS, True),  # Saturday
        (date(2026, 3, 8), DEFAULT_REST_DAYS, True),  # Sunday
        (date(2026, 3, 9), DEFAULT_REST_DAYS, False),  # Monday
        (date(2026, 3, 13), DEFAULT_REST_DAYS, False),  # Friday
        (date(2026, 3, 13), (4,), True),
        (date(2026, 3, 7), (), False),
    ],
)
def test_is_rest_day(day: date, rest_days: tuple[int, ...], rest: bool) -> None:
    assert is_rest_day(day, rest_days) is rest


# --- times of day ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", time(8, 0)),
        ("08", time(8, 0)),
        ("08:00", time(8, 0)),
        ("8:30", time(8, 30)),
        ("8.30", time(8, 30)),
        ("8am", time(8, 0)),
        ("8 AM", time(8, 0)),
        ("8 a.m.", time(8, 0)),
        ("7.30 pm", time(19, 30)),
        ("7:30pm", time(19, 30)),
        ("7pm", time(19, 0)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("12:15 am", time(0, 15)),
        ("19:00", time(19, 0)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("8h", time(8, 0)),
        ("08h30", time(8, 30)),
        ("0800", time(8, 0)),
        ("830", time(8, 30)),
        ("1930", time(19, 30)),
        ("noon", time(12, 0)),
        ("Noon", time(12, 0)),
        ("midday", time(12, 0)),
        ("midnight", time(0, 0)),
        ("  9  ", time(9, 0)),
    ],
)
def test_parse_time_of_day(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "soon", "25", "24:00", "8:60", "13pm", "0am", "8:5", "8m", "-1", "8 in the morning"],
)
def test_parse_time_of_day_refuses(text: str) -> None:
    with pytest.raises(InputError, match="8:30"):
        parse_time_of_day(text)


CLOCKISH = st.builds(
    "{}{}{}{}".format,
    st.integers(0, 9999),
    st.sampled_from(["", ":", ".", "h"]),
    st.sampled_from(["", "0", "00", "30", "59", "60", "99"]),
    st.sampled_from(["", "am", " pm", "p.m.", "a", "m", "h"]),
)


@given(st.text(max_size=12) | CLOCKISH)
def test_parse_time_of_day_only_raises_input_error(text: str) -> None:
    with contextlib.suppress(InputError):
        parse_time_of_day(text)


# --- target dates ----------------------------------------------------------------------

TODAY = date(2026, 3, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31 March", date(2026, 3, 31)),
        ("March 31", date(2026, 3, 31)),
        ("31 Mar", date(2026, 3, 31)),
        ("31st March", date(2026, 3, 31)),
        ("the 31st of March", date(2026, 3, 31)),
        ("31 of March", date(2026, 3, 31)),
        ("March 31st, 2027", date(2027, 3, 31)),
        ("31 Mar 2027", date(2027, 3, 31)),
        ("1 March", date(2027, 3, 1)),  # already past this year: next year
        ("14 March", date(2027, 3, 14)),
        ("16 march", date(2026, 3, 16)),
        ("Sept 1", date(2026, 9, 1)),
        ("1 Sep", date(2026, 9, 1)),
        ("29 February", date(2028, 2, 29)),  # the next one
        ("2027-03-31", date(2027, 3, 31)),
        ("2027/3/31", date(2027, 3, 31)),
        ("31/03/2027", date(2027, 3, 31)),
        ("31.03.2027", date(2027, 3, 31)),
        ("31-03-2027", date(2027, 3, 31)),
        ("31/03/27", date(2027, 3, 31)),
        ("1/4", date(2026, 4, 1)),
        ("in 8 weeks", date(2026, 5, 10)),
        ("in 3 months", date(2026, 6, 15)),
        ("in 10 days", date(2026, 3, 25)),
        ("in a month", date(2026, 4, 15)),
        ("in two weeks", date(2026, 3, 29)),
        ("in 1 year", date(2027, 3, 15)),
        ("6 months", date(2026, 9, 15)),
        ("3 weeks from now", date(2026, 4, 5)),
        ("end of June", date(2026, 6, 30)),
        ("End of February", date(2027, 2, 28)),
        ("end of March", date(2026, 3, 31)),
        ("end of June 2027", date(2027, 6, 30)),
        ("end of the month", date(2026, 3, 31)),
        ("end of year", date(2026, 12, 31)),
        ("tomorrow", date(2026, 3, 16)),
        ("  31   March. ", date(2026, 3, 31)),
    ],
)
def test_parse_target_date(text: str, expected: date) -> None:
    assert parse_target_date(text, TODAY) == expected


def test_month_arithmetic_keeps_within_the_month() -> None:
    assert parse_target_date("in 1 month", date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_target_date("in 1 month", date(2028, 1, 31)) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert parse_target_date("end of February", date(2027, 3, 1)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Send a date"),
        ("someday", "couldn't read"),
        ("next spring", "couldn't read"),
        ("2020-01-01", "1 January 2020 has already passed"),
        ("1 March 2026", "already passed"),
        ("15 March", "That's today"),
        ("15/03/2026", "That's today"),
        ("in 0 days", "That's today"),
        ("in 6 years", "more than 5 years"),
        ("2031-03-16", "more than 5 years"),
        ("in 999999999999 days", "more than 5 years"),
        ("in 99999 years", "more than 5 years"),
        ("31 June", "June has no day 31"),
        ("30 February 2027", "February 2027 has no day 30"),
        ("2027-02-29", "February 2027 has no day 29"),
        ("2027-13-01", "isn't a date"),
        ("03/31/2027", "day first"),
        ("0 March", "March has no day 0"),
    ],
)
def test_parse_target_date_refuses(text: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        parse_target_date(text, TODAY)


def test_five_years_is_the_limit() -> None:
    assert parse_target_date("2031-03-15", TODAY) == date(2031, 3, 15)
    assert parse_target_date("in 5 years", TODAY) == date(2031, 3, 15)


DATEISH = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"(in )?[0-9]{1,6} (day|week|month|year)s?", fullmatch=True),
    st.from_regex(r"[0-9]{1,2}[/.\-][0-9]{1,2}([/.\-][0-9]{2,4})?", fullmatch=True),
    st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", fullmatch=True),
    st.builds(
        "{} {} {}".format,
        st.integers(0, 40),
        st.sampled_from(["march", "feb", "February", "june", "sept"]),
        st.sampled_from(["", "2026", "2031", "2099", "0000"]),
    ),
    st.builds("end of {}".format, st.sampled_from(["june", "february", "month", "year"])),
)


@given(text=DATEISH, today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_target_date_is_ahead_and_within_five_years(text: str, today: date) -> None:
    try:
        found = parse_target_date(text, today)
    except InputError:
        return
    assert today < found <= add_years(today, 5)


# --- time zones ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        # IANA names, in any case
        ("Europe/London", "Europe/London"),
        ("europe/london", "Europe/London"),
        ("AMERICA/NEW_YORK", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Etc/GMT+5", "Etc/GMT+5"),
        # UTC and offsets
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("UTC+10", "Etc/GMT-10"),
        ("UTC +2", "Etc/GMT-2"),
        ("utc+02:00", "Etc/GMT-2"),
        ("GMT-3", "Etc/GMT+3"),
        ("-08:00", "Etc/GMT+8"),
        ("−8", "Etc/GMT+8"),  # a typographic minus
        ("+1", "Etc/GMT-1"),
        ("UTC+0", "UTC"),
        ("UTC+14", "Etc/GMT-14"),
        ("UTC-12", "Etc/GMT+12"),
        ("+5:30", "Asia/Kolkata"),
        ("UTC+05:30", "Asia/Kolkata"),
        ("+0530", "Asia/Kolkata"),
        ("+5:45", "Asia/Kathmandu"),
        ("+9:30", "Australia/Darwin"),
        ("-3:30", "America/St_Johns"),
        # abbreviations
        ("EST", "America/New_York"),
        ("pst", "America/Los_Angeles"),
        ("CET", "Europe/Paris"),
        ("IST", "Asia/Kolkata"),
        # cities
        ("New York", "America/New_York"),
        ("new york city", "America/New_York"),
        ("NYC", "America/New_York"),
        ("Sydney", "Australia/Sydney"),
        ("london", "Europe/London"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Bengaluru", "Asia/Kolkata"),
        ("Bangalore", "Asia/Kolkata"),
        ("Tokyo", "Asia/Tokyo"),
        ("Lisbon", "Europe/Lisbon"),
        ("Berlin", "Europe/Berlin"),
        ("München", "Europe/Berlin"),
        ("munchen", "Europe/Berlin"),
        ("Kiev", "Europe/Kyiv"),
        ("St. Petersburg", "Europe/Moscow"),
        ("Saint Petersburg", "Europe/Moscow"),
        ("Москва", "Europe/Moscow"),
        ("Hong Kong", "Asia/Hong_Kong"),
        ("Perth", "Australia/Perth"),
        ("Perth, Scotland", "Europe/London"),
        ("Portland, Maine", "America/New_York"),
        ("Portland, OR", "America/Los_Angeles"),
        ("Paris, France", "Europe/Paris"),
        ("Valencia, Spain", "Europe/Madrid"),
        # countries with one clock
        ("Japan", "Asia/Tokyo"),
        ("Germany", "Europe/Berlin"),
        ("India", "Asia/Kolkata"),
        ("UK", "Europe/London"),
        ("Singapore", "Asia/Singapore"),
    ],
)
def test_parse_timezone(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Send your time zone"),
        ("Atlantis Prime", "couldn't find a time zone for “Atlantis Prime”"),
        ("Europe/Atlantis", "couldn't find"),
        ("UTC+15", r"No time zone uses UTC\+15\. Offsets go from UTC-12 to UTC\+14"),
        ("UTC-13", "No time zone uses UTC-13"),
        ("+4:15", r"No time zone uses UTC\+4:15"),
        ("USA", "more than one time zone. Send your city instead, for example"),
        ("Russia", "more than one time zone"),
        ("Australia", "for example “Sydney”"),
        ("x" * 200, "…"),
    ],
)
def test_parse_timezone_refuses(text: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        parse_timezone(text)


def test_timezone_refusal_gives_examples() -> None:
    with pytest.raises(InputError) as caught:
        parse_timezone("nowhere at all")
    for example in ("Europe/Berlin", "UTC+2", "Lisbon"):
        assert example in caught.value.message


@pytest.mark.parametrize(("offset", "zone"), sorted(HALF_HOUR_ZONES.items()))
def test_half_hour_zones_keep_that_standard_offset(offset: tuple[int, int], zone: str) -> None:
    hours, minutes = offset
    expected = timedelta(hours=hours, minutes=minutes if hours >= 0 else -minutes)
    for instant in (utc(2026, 1, 15, 12), utc(2026, 7, 15, 12)):
        local = instant.astimezone(ZoneInfo(zone))
        assert local.utcoffset() - local.dst() == expected  # type: ignore[operator]


def test_every_answer_is_a_real_zone() -> None:
    for zone in [*ZONE_ABBREVIATIONS.values(), *HALF_HOUR_ZONES.values()]:
        ZoneInfo(zone)


@given(st.text(max_size=30))
def test_parse_timezone_only_raises_input_error(text: str) -> None:
    try:
        zone = parse_timezone(text)
    except InputError:
        return
    ZoneInfo(zone)


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (51.5074, -0.1278, "Europe/London"),
        (40.7128, -74.0060, "America/New_York"),
        (-33.8688, 151.2093, "Australia/Sydney"),
        (35.6762, 139.6503, "Asia/Tokyo"),
        (38.7223, -9.1393, "Europe/Lisbon"),
        (-23.5505, -46.6333, "America/Sao_Paulo"),
        (12.9716, 77.5946, "Asia/Kolkata"),
        (21.3069, -157.8583, "Pacific/Honolulu"),
        (64.1466, -21.9426, "Atlantic/Reykjavik"),
        (-41.2865, 174.7762, "Pacific/Auckland"),
    ],
)
def test_timezone_for_location(latitude: float, longitude: float, zone: str) -> None:
    assert timezone_for_location(latitude, longitude) == zone


@pytest.mark.parametrize(("latitude", "longitude"), [(91.0, 0.0), (0.0, 181.0), (-90.5, 10.0)])
def test_timezone_for_location_refuses_impossible_places(latitude: float, longitude: float) -> None:
    with pytest.raises(InputError, match="location"):
        timezone_for_location(latitude, longitude)
