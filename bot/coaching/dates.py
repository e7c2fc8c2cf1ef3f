"""Dates in the user's life: their day in their zone, times of day, goal dates, and the
English month names and number words the readers share.

Times are stored in UTC; these functions decide what "today", "08:00" and "31 March" mean
in the user's zone.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.coaching.errors import InputError

MAX_TARGET_YEARS = 5

MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Month names in English whatever the process locale is (calendar.month_name follows it).
_MONTHS: Mapping[str, int] = {
    spelling: number
    for number, name in enumerate(MONTH_NAMES)
    if name
    for spelling in (name.lower(), name[:3].lower())
} | {"sept": 9}
NUMBER_WORDS: Mapping[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a few": 3,
}


# --- the user's day --------------------------------------------------------------------


def local_today(now: datetime, tz: str) -> date:
    """The date it is now in the zone `tz`."""
    return now.astimezone(ZoneInfo(tz)).date()


def local_day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants where `day` starts (inclusive) and ends (exclusive) in the zone `tz`.

    A day is 23 or 25 hours long when the clocks change.
    """
    zone = ZoneInfo(tz)
    return _local_midnight(day, zone), _local_midnight(day + timedelta(days=1), zone)


def days_before(now: datetime, days: int) -> datetime:
    """The same time of day, `days` calendar days earlier (for "yesterday", "on Monday")."""
    return now - timedelta(days=days)


def moved_to_day(instant: datetime, day: date, tz: str) -> datetime:
    """`instant` moved to the local `day` in the zone `tz`, at the same local time of day."""
    zone = ZoneInfo(tz)
    wall = instant.astimezone(zone).time()
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def is_rest_day(day: date, rest_days: Sequence[int]) -> bool:
    """Whether `day` is one of the user's rest days (weekday numbers, Monday being 0)."""
    return day.weekday() in rest_days


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    # Where midnight is skipped by a clock change (Santiago, Havana, Beirut), fold=0 reads it
    # with the offset from before the change: that instant is when the day really starts.
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


# --- times of day ----------------------------------------------------------------------

_TIME_EXAMPLES = "8, 8:30, 8am, 7.30 pm or 19:00"
_CLOCK_TIME = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:\s*[:.h]\s*(?P<minute>[0-9]{2}))?h?\s*(?:(?P<half>[ap])\.?m?\.?)?",
    re.ASCII,
)
# "0800", "830", "1930 pm" is refused later by the hour check.
_DIGITS_ONLY = re.compile(
    r"(?P<hour>[0-9]{1,2})(?P<minute>[0-9]{2})\s*(?:(?P<half>[ap])\.?m?\.?)?", re.ASCII
)
_NAMED_TIMES: Mapping[str, time] = {
    "noon": time(12, 0),
    "midday": time(12, 0),
    "midnight": time(0, 0),
}


def parse_time_of_day(text: str) -> time:
    """Read a time of day: "8", "08:00", "8:30", "8am", "7.30 pm", "19:00", "noon"."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _NAMED_TIMES:
        return _NAMED_TIMES[cleaned]
    match = _CLOCK_TIME.fullmatch(cleaned) or _DIGITS_ONLY.fullmatch(cleaned)
    if match is None:
        raise InputError(f"I couldn't read that as a time. Try {_TIME_EXAMPLES}.")
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    half = match["half"]
    if half is not None:
        if not 1 <= hour <= 12:
            raise InputError(f"With am or pm the hour goes from 1 to 12. Try {_TIME_EXAMPLES}.")
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        raise InputError(f"That isn't a time on the clock. Try {_TIME_EXAMPLES}.")
    return time(hour, minute)


# --- target dates ----------------------------------------------------------------------

_DATE_EXAMPLES = "“31 March”, “2027-03-31”, “in 8 weeks” or “end of June”"
_MONTH_PATTERN = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMBER_PATTERN = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_ISO_DATE = re.compile(r"(?P<year>[0-9]{4})[-/.](?P<month>[0-9]{1,2})[-/.](?P<day>[0-9]{1,2})")
_NUMERIC_DATE = re.compile(
    r"(?P<day>[0-9]{1,2})[-/.](?P<month>[0-9]{1,2})(?:[-/.](?P<year>[0-9]{4}|[0-9]{2}))?"
)
_DAY_MONTH = re.compile(
    rf"(?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?(?: of)? (?P<month>{_MONTH_PATTERN})\.?"
    r"(?: (?P<year>[0-9]{4}))?"
)
_MONTH_DAY = re.compile(
    rf"(?P<month>{_MONTH_PATTERN})\.? (?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?"
    r"(?: (?P<year>[0-9]{4}))?"
)
_RELATIVE = re.compile(
    rf"(?:in )?(?P<count>[0-9]+|{_NUMBER_PATTERN}) (?P<unit>day|week|month|year)s?"
    r"(?: from (?:now|today))?"
)
_END_OF_MONTH = re.compile(
    rf"(?:the )?end of (?P<month>{_MONTH_PATTERN})(?: (?P<year>[0-9]{{4}}))?"
)
_END_OF_PERIOD = re.compile(r"(?:the )?end of (?:the |this )?(?P<period>month|year)")


def parse_target_date(text: str, today: date) -> date:
    """Read a goal date ahead of `today`, within five years.

    Understands "31 March", "March 31", "31 Mar 2027", "2027-03-31", "31/03/2027" (day first),
    "in 8 weeks", "in 3 months" and "end of June"; without a year, the next such date.
    """
    cleaned = " ".join(text.strip().lower().replace(",", " ").split()).rstrip(".")
    cleaned = cleaned.removeprefix("by ").removeprefix("on ").removeprefix("the ")
    if not cleaned:
        raise InputError(f"Send a date, for example {_DATE_EXAMPLES}.")
    try:
        found = _read_date(cleaned, today)
        too_far = found is not None and found > add_years(today, MAX_TARGET_YEARS)
    except OverflowError:
        raise InputError(_too_far_message(today)) from None
    if found is None:
        raise InputError(f"I couldn't read that date. Try {_DATE_EXAMPLES}.")
    if found < today:
        raise InputError(
            f"{_format_date(found)} has already passed. Pick a date ahead, "
            "for example “in 8 weeks”."
        )
    if found == today:
        raise InputError("That's today. Pick a date ahead, for example “in 8 weeks”.")
    if too_far:
        raise InputError(_too_far_message(today))
    return found


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, kept within the month (31 January + 1 month = 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years (29 February becomes 28 February in other years)."""
    return add_months(day, 12 * years)


def _read_date(cleaned: str, today: date) -> date | None:
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    if match := _ISO_DATE.fullmatch(cleaned):
        return _make_date(int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _NUMERIC_DATE.fullmatch(cleaned):
        day, month = int(match["day"]), int(match["month"])
        if month > 12:
            raise InputError(
                "I read dates day first: 31/03/2027 is 31 March 2027. "
                "Writing the month as a word always works too: 31 March 2027."
            )
        return _dated(day, month, match["year"], today)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if match := pattern.fullmatch(cleaned):
            return _dated(int(match["day"]), _MONTHS[match["month"]], match["year"], today)
    if match := _RELATIVE.fullmatch(cleaned):
        return _relative(match["count"], match["unit"], today)
    if match := _END_OF_MONTH.fullmatch(cleaned):
        month = _MONTHS[match["month"]]
        last_day = calendar.monthrange(2000 if month == 2 else 2001, month)[1]
        if match["year"]:
            year = int(match["year"])
            return _make_date(year, month, calendar.monthrange(year, month)[1])
        return _dated(last_day, month, None, today, clamp=True)
    if match := _END_OF_PERIOD.fullmatch(cleaned):
        if match["period"] == "year":
            return date(today.year, 12, 31)
        return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    return None


def _dated(
    day: int, month: int, year_text: str | None, today: date, *, clamp: bool = False
) -> date:
    """A day and month in the given year, or the next such date on or after `today`."""
    if year_text is not None:
        year = int(year_text)
        return _make_date(year + 2000 if len(year_text) == 2 else year, month, day)
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
        _make_date(None, month, day)  # raises the friendly error
    for year in range(today.year, today.year + 9):
        if day > calendar.monthrange(year, month)[1]:
            if not clamp:
                continue
            candidate = date(year, month, calendar.monthrange(year, month)[1])
        else:
            candidate = date(year, month, day)
        if candidate >= today:
            return candidate
    raise OverflowError("no such date ahead")


def _relative(count_text: str, unit: str, today: date) -> date:
    count = NUMBER_WORDS.get(count_text)
    if count is None:
        # Anything over 10,000 days is far beyond the limit anyway; int() refuses huge strings.
        count = int(count_text) if len(count_text) <= 5 else 99_999
    if count == 0:
        return today
    if unit == "day":
        return today + timedelta(days=count)
    if unit == "week":
        return today + timedelta(weeks=count)
    if unit == "month":
        return add_months(today, count)
    return add_years(today, count)


def _make_date(year: int | None, month: int, day: int) -> date:
    """The date, or an InputError that says what is wrong with it (`year` None: any year)."""
    try:
        return date(2000 if year is None else year, month, day)
    except ValueError:
        if 1 <= month <= 12 and (year is None or 1 <= year <= 9999):
            when = MONTH_NAMES[month] if year is None else f"{MONTH_NAMES[month]} {year}"
            raise InputError(
                f"{when} has no day {day}. Try another date, for example {_DATE_EXAMPLES}."
            ) from None
        raise InputError(f"That isn't a date I know. Try {_DATE_EXAMPLES}.") from None


def _format_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def _too_far_message(today: date) -> str:
    limit = add_years(today, MAX_TARGET_YEARS)
    return (
        f"That's more than {MAX_TARGET_YEARS} years away. Pick a date up to "
        f"{_format_date(limit)}: a closer goal keeps the daily steps meaningful."
    )


# --- the day a log happened, and when to check back ---------------------------------------

MAX_DAYS_BACK = 366
_DAY_EXAMPLES = "“yesterday”, “3 days ago”, “Monday” or “21 Nov”"
_WEEKDAYS: Mapping[str, int] = {
    spelling: number
    for number, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
    for spelling in (name, name[:3])
} | {"tues": 1, "wed": 2, "thur": 3, "thurs": 3}
_WEEKDAY_PATTERN = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_AGO = re.compile(rf"(?P<count>[0-9]+|{_NUMBER_PATTERN}) (?P<unit>day|week)s? ago")
_PAST_WEEKDAY = re.compile(rf"(?:last |on |this past )?(?P<weekday>{_WEEKDAY_PATTERN})")


def parse_past_day(text: str, today: date) -> date:
    """Read the day something happened: "today", "yesterday", "3 days ago", "a week ago",
    "Monday" (the last one before today), "21 Nov", "2026-11-21" or "21/11"; within a year
    back, never ahead."""
    cleaned = " ".join(text.strip().lower().replace(",", " ").split()).rstrip(".")
    cleaned = cleaned.removeprefix("on ").removeprefix("the ")
    found = _read_past_day(cleaned, today)
    if found is None:
        raise InputError(f"I couldn't read that day. Try {_DAY_EXAMPLES}.")
    if found > today:
        raise InputError(f"{_format_date(found)} hasn't happened yet. Try {_DAY_EXAMPLES}.")
    if (today - found).days > MAX_DAYS_BACK:
        raise InputError("That's more than a year ago. Pick a day within the last year.")
    return found


def _read_past_day(cleaned: str, today: date) -> date | None:
    if cleaned in ("today", "now"):
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    if match := _AGO.fullmatch(cleaned):
        count = NUMBER_WORDS.get(match["count"]) or int(match["count"][:5])
        return today - timedelta(days=count * (7 if match["unit"] == "week" else 1))
    if match := _PAST_WEEKDAY.fullmatch(cleaned):
        return today - timedelta(days=(today.weekday() - _WEEKDAYS[match["weekday"]]) % 7 or 7)
    if match := _ISO_DATE.fullmatch(cleaned):
        return _make_date(int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _NUMERIC_DATE.fullmatch(cleaned):
        if int(match["month"]) > 12:
            return None
        return _dated_back(int(match["day"]), int(match["month"]), match["year"], today)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if match := pattern.fullmatch(cleaned):
            return _dated_back(int(match["day"]), _MONTHS[match["month"]], match["year"], today)
    return None


def _dated_back(day: int, month: int, year_text: str | None, today: date) -> date:
    """A day and month in the given year, or the last such date on or before `today`."""
    if year_text is not None:
        year = int(year_text)
        return _make_date(year + 2000 if len(year_text) == 2 else year, month, day)
    candidate = _make_date(today.year, month, day) if (month, day) != (2, 29) else None
    if candidate is not None and candidate <= today:
        return candidate
    for year in range(today.year - 1, today.year - 9, -1):
        if day <= calendar.monthrange(year, month)[1]:
            return date(year, month, day)
    return _make_date(None, month, day)


# When a "later" answer says when: each pattern and how it turns into a day.
MAX_CHECK_BACK_DAYS = 366
# After Christmas and New Year people are back at work about a week into January.
BACK_AFTER_NEW_YEAR = (1, 7)
BACK_AFTER_SUMMER = (9, 1)
_HOLIDAYS = re.compile(
    r"\b(?:after|past|post|beyond|following|over) (?:the )?"
    r"(?P<what>christmas|xmas|x-mas|new year'?s?|holidays|holiday season|festive season|summer)"
    r"|\b(?:in|from|early in) the new year"
)
_IN_COUNT = re.compile(
    rf"\b(?:in|after|another) (?P<count>[0-9]{{1,3}}|{_NUMBER_PATTERN}) (?P<unit>day|week|month)s?"
    rf"|\b(?P<count2>[0-9]{{1,3}}|{_NUMBER_PATTERN}) (?P<unit2>day|week|month)s? from now"
)
_NEXT = re.compile(r"\bnext (?P<unit>week|month)\b")
_MONTH_HINT = re.compile(
    rf"\b(?P<how>in|after|until|till|til|from|by|around|early|mid|late|end of|beginning of)"
    rf"(?: (?:early|mid|late))? (?P<month>{_MONTH_PATTERN})\b"
)
_WEEKDAY_HINT = re.compile(
    rf"\b(?P<how>until|till|til|after|on|next|this) (?P<weekday>{_WEEKDAY_PATTERN})\b"
)
_DAY_OF_MONTH_HINT = re.compile(
    r"\b(?:until|till|til|after|on|from) the (?P<day>[0-9]{1,2})(?:st|nd|rd|th)\b"
)
_QUARTER_HINT = re.compile(r"\bq(?P<quarter>[1-4])\b")


def check_back_day(text: str, today: date) -> date | None:
    """When a "later" answer says to come back: "after xmas" (early January), "in two weeks",
    "next month" (its first day), "until March", "after March", "Q3", "until Monday",
    "until the 15th". None when the text says no day (or one not ahead within a year)."""
    cleaned = " " + " ".join(text.lower().replace("’", "'").split()) + " "
    found: list[tuple[int, date | None]] = []
    for pattern, read in _CHECK_BACK_READERS:
        for match in pattern.finditer(cleaned):
            found.append((match.start(), read(match, today)))
    days = [day for _, day in sorted(found, key=lambda item: item[0]) if day is not None]
    day = days[0] if days else None
    if day is None or not 0 < (day - today).days <= MAX_CHECK_BACK_DAYS:
        return None
    return day


def _next_yearly(month: int, day: int, today: date) -> date:
    """The next `day` of `month` after `today`."""
    candidate = date(today.year, month, day)
    return candidate if candidate > today else date(today.year + 1, month, day)


def _after_holidays(match: re.Match[str], today: date) -> date:
    if match["what"] == "summer" or (match["what"] == "holidays" and today.month in (6, 7, 8)):
        return _next_yearly(*BACK_AFTER_SUMMER, today)
    return _next_yearly(*BACK_AFTER_NEW_YEAR, today)


def _in_count(match: re.Match[str], today: date) -> date:
    count_text = match["count"] or match["count2"]
    unit = match["unit"] or match["unit2"]
    return _relative(count_text, unit, today)


def _next_unit(match: re.Match[str], today: date) -> date:
    if match["unit"] == "week":
        return today + timedelta(weeks=1)
    return add_months(today, 1).replace(day=1)


def _month_hint(match: re.Match[str], today: date) -> date | None:
    month = _MONTHS[match["month"]]
    how = match["how"]
    if how == "after":
        month = month % 12 + 1
    day = {"mid": 15, "late": 20, "end of": 25}.get(how, 1)
    if month == today.month and how != "after":
        return None  # "in November" in November: no day ahead to read
    return _next_yearly(month, day, today)


def _weekday_hint(match: re.Match[str], today: date) -> date:
    ahead = (_WEEKDAYS[match["weekday"]] - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead + (1 if match["how"] == "after" else 0))


def _day_of_month_hint(match: re.Match[str], today: date) -> date | None:
    day = int(match["day"])
    for months in range(3):
        first = add_months(today.replace(day=1), months)
        if day <= calendar.monthrange(first.year, first.month)[1]:
            candidate = first.replace(day=day)
            if candidate > today:
                return candidate
    return None


def _quarter_hint(match: re.Match[str], today: date) -> date | None:
    month = 3 * (int(match["quarter"]) - 1) + 1
    if (today.month - 1) // 3 == (month - 1) // 3:
        return None  # the quarter we are in
    return _next_yearly(month, 1, today)


_CHECK_BACK_READERS: tuple[
    tuple[re.Pattern[str], Callable[[re.Match[str], date], date | None]], ...
] = (
    (_HOLIDAYS, _after_holidays),
    (_IN_COUNT, _in_count),
    (_NEXT, _next_unit),
    (_MONTH_HINT, _month_hint),
    (_WEEKDAY_HINT, _weekday_hint),
    (_DAY_OF_MONTH_HINT, _day_of_month_hint),
    (_QUARTER_HINT, _quarter_hint),
)
