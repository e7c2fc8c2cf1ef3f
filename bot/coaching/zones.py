"""Time zones: reading one as the user types it (a name, an offset, an abbreviation, a city
or a country), and the zone of a shared location.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from zoneinfo import available_timezones

from bot.coaching.errors import InputError
from bot.coaching.places import SHOWN_PLACE_LENGTH, nearest_zone, zone_for_place
from bot.coaching.text import shorten

_ZONE_EXAMPLES = "“Europe/Berlin”, “UTC+2” or a city like “Lisbon”"
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
    zone = zone_for_place(cleaned)
    if zone is not None:
        return zone
    shown = shorten(cleaned, SHOWN_PLACE_LENGTH)
    raise InputError(f"I couldn't find a time zone for “{shown}”. Try {_ZONE_EXAMPLES}.")


def timezone_for_location(latitude: float, longitude: float) -> str:
    """The time zone of the nearest city (over 15,000 people) to a shared location."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InputError(
            f"That location doesn't look right. Send your city instead, like {_ZONE_EXAMPLES}."
        )
    return nearest_zone(latitude, longitude)


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
