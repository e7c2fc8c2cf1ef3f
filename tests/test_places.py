"""Cities to time zones: the most populous match and its country's zone, and a question when
cities of similar size on different clocks share the name."""

from __future__ import annotations

import pytest

from bot.coaching.errors import InputError
from bot.coaching.places import (
    AMBIGUOUS_SHARE,
    MAX_CITY_CHOICES,
    AmbiguousPlace,
    City,
    city_choice,
    pick_city,
)
from bot.coaching.zones import parse_timezone


@pytest.mark.parametrize(
    ("city", "zone"),
    [
        # A big city's odd alternate name never beats a real one: Bordeaux is "porto" too.
        ("Porto", "Europe/Lisbon"),
        ("porto", "Europe/Lisbon"),
        ("Lisboa", "Europe/Lisbon"),
        ("Bordeaux", "Europe/Paris"),
        ("London", "Europe/London"),  # London, Ontario is a twentieth of its size
        ("Paris", "Europe/Paris"),
        ("Perth", "Australia/Perth"),
        ("Vancouver", "America/Vancouver"),  # Vancouver, Washington keeps the same clock
        ("Sydney", "Australia/Sydney"),
        ("Dublin", "Europe/Dublin"),
        ("Madrid", "Europe/Madrid"),
        ("Sevilla", "Europe/Madrid"),
        ("Munich", "Europe/Berlin"),
        ("Frankfurt", "Europe/Berlin"),
        ("Toronto", "America/Toronto"),
        ("San Francisco", "America/Los_Angeles"),
        ("Columbus", "America/New_York"),
        ("Washington", "America/New_York"),
        ("Lima", "America/Lima"),
        ("Santiago", "America/Santiago"),
        ("Alexandria", "Africa/Cairo"),
        # A town's main name against a far larger city's other name: the city.
        ("Calcutta", "Asia/Kolkata"),
        ("Hanover", "Europe/Berlin"),
        ("Bombay", "Asia/Kolkata"),
        # Islands keep their own clock inside a one-clock country.
        ("Las Palmas", "Atlantic/Canary"),
        # With a country or a state, the largest city there.
        ("Portland, Maine", "America/New_York"),
        ("Portland, OR", "America/Los_Angeles"),
        ("Cambridge, UK", "Europe/London"),
        ("Cambridge, Massachusetts", "America/New_York"),
        ("Valencia, Spain", "Europe/Madrid"),
        ("Birmingham, Alabama", "America/Chicago"),
    ],
)
def test_a_city_resolves_to_its_most_populous_match(city: str, zone: str) -> None:
    assert parse_timezone(city) == zone


@pytest.mark.parametrize(
    ("city", "labels"),
    [
        ("Portland", ["Portland, Oregon", "Portland, Maine"]),
        (
            "Cambridge",
            [
                "Cambridge, United Kingdom",
                "Cambridge, Canada",
                "Cambridge, Massachusetts",
                "Cambridge, New Zealand",
            ],
        ),
        ("Valencia", ["Valencia, Venezuela", "Valencia, Spain"]),
        ("Birmingham", ["Birmingham, United Kingdom", "Birmingham, Alabama"]),
        ("Hyderabad", ["Hyderabad, India", "Hyderabad, Pakistan"]),
    ],
)
def test_cities_of_similar_size_on_other_clocks_ask(city: str, labels: list[str]) -> None:
    with pytest.raises(AmbiguousPlace) as asked:
        parse_timezone(city)
    assert [choice.label for choice in asked.value.choices] == labels
    assert f"There's more than one {city}. Which one is yours?" in asked.value.message
    for choice in asked.value.choices:  # each button finds its city again
        assert city_choice(choice.city_id) == choice


def test_an_ambiguous_city_is_an_input_error_with_an_example() -> None:
    with pytest.raises(InputError, match="like “Portland, Maine”"):
        parse_timezone("portland")


def test_an_unknown_city_id_is_no_choice() -> None:
    assert city_choice(999_999_999_999) is None


def town(population: int, zone: str, country: str = "US", city_id: int = 0) -> City:
    return City(city_id or population, "Springfield", country, "XX", population, zone)


@pytest.mark.parametrize(
    ("cities", "picked"),
    [
        # One city: that one.
        ([town(50_000, "America/Chicago")], 50_000),
        # Others on the same clock, however large: the largest.
        ([town(100_000, "America/Chicago"), town(90_000, "America/Winnipeg", "CA")], 100_000),
        # Another clock, but small: the largest.
        ([town(1_000_000, "Europe/London", "GB"), town(99_999, "America/Chicago")], 1_000_000),
        # Another clock at a tenth of the size: a question, largest first.
        ([town(100_000, "America/Chicago"), town(1_000_000, "Europe/London", "GB")], None),
    ],
)
def test_pick_city(cities: list[City], picked: int | None) -> None:
    result = pick_city(cities)
    if picked is None:
        assert isinstance(result, tuple)
        assert [city.population for city in result] == [1_000_000, 100_000]
    else:
        assert isinstance(result, City)
        assert result.population == picked


def test_pick_city_offers_a_few_choices_largest_first() -> None:
    zones = {
        "GB": "Europe/London",
        "US": "America/Chicago",
        "JP": "Asia/Tokyo",
        "AU": "Australia/Perth",
        "AE": "Asia/Dubai",
    }
    cities = [
        town(100_000 - index, zone, country, index + 1)
        for index, (country, zone) in enumerate(zones.items())
    ]
    result = pick_city(cities)
    assert isinstance(result, tuple)
    assert len(result) == MAX_CITY_CHOICES
    assert [city.countrycode for city in result] == ["GB", "US", "JP", "AU"]
    assert AMBIGUOUS_SHARE == 0.1


def test_pick_city_needs_a_city() -> None:
    with pytest.raises(ValueError, match="no city"):
        pick_city([])
