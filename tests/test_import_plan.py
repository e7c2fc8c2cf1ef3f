"""What an import would do to the contacts, and which companies count as the user's targets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.companies import clean_company, company_key, split_companies, works_at
from bot.coaching.domain import Contact
from bot.coaching.errors import InputError
from bot.coaching.imports.people import ImportedPerson, SkipReason
from bot.coaching.imports.plan import ContactUpdate, most_recent_first, plan_import
from tests.test_names import contact as named_contact

ANA_URL = "https://www.linkedin.com/in/ana"


def contact(contact_id: int, name: str, **fields: Any) -> Contact:
    """A warm contact, with the fields given (company, position, profile_url...)."""
    return replace(named_contact(contact_id, name), **fields)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Acme", "acme"),
        ("Acme, Inc.", "acme"),
        ("ACME Inc", "acme"),
        ("Acme Corporation", "acme"),
        ("Bäckerei Schmidt GmbH", "backerei schmidt"),
        ("Soylent S.A.", "soylent"),
        ("Inc", "inc"),  # a legal form alone is still a name
        ("AT&T", "at t"),
        ("  Hooli  ", "hooli"),
        ("!!!", ""),
    ],
)
def test_company_keys(name: str, key: str) -> None:
    assert company_key(name) == key


@pytest.mark.parametrize(
    ("company", "targets", "expected"),
    [
        ("Acme, Inc.", {"acme"}, True),
        ("Amazon Web Services (AWS)", {"amazon"}, True),
        ("Amazonas Logistics", {"amazon"}, False),
        ("Metaverse Inc", {"meta"}, False),
        ("Globex", {"acme", "globex"}, True),
        (None, {"acme"}, False),
        ("Acme", set(), False),
    ],
)
def test_who_works_at_a_target(company: str | None, targets: set[str], expected: bool) -> None:
    assert works_at(company, targets) is expected


def test_clean_company() -> None:
    assert clean_company("  Acme   Robotics , ") == "Acme Robotics"
    with pytest.raises(InputError):
        clean_company(" ,, ")
    with pytest.raises(InputError):
        clean_company("A" * 101)


@given(st.text(max_size=40))
def test_company_keys_are_stable(name: str) -> None:
    assert company_key(company_key(name)) == company_key(name)


def test_people_are_new_known_by_profile_or_by_name_or_changed() -> None:
    contacts = [
        contact(1, "Ana López", company="Acme", position="Designer", profile_url=ANA_URL),
        contact(2, "Bob Okafor", company="Globex"),
        contact(3, "Chloé Dubois", profile_url="https://www.linkedin.com/in/chloe-1"),
    ]
    people = [
        # Ana, under a new name on LinkedIn: the profile wins over the name.
        ImportedPerson("Ana López-Ruiz", "Initech", "Designer", ANA_URL),
        ImportedPerson("bob okafor", "Globex, Inc.", "Engineer"),  # same company, new detail
        ImportedPerson("Chloe Dubois", profile_url="https://www.linkedin.com/in/chloe-2"),
        ImportedPerson("Dmitri Ivanov"),
    ]
    plan = plan_import(people, contacts, room=10)
    assert [person.name for person in plan.new] == ["Dmitri Ivanov"]
    assert [(match.contact.id, match.person.name) for match in plan.known] == [
        (1, "Ana López-Ruiz"),
        (2, "bob okafor"),
    ]
    assert [match.contact.id for match in plan.changed] == [1]
    assert plan.known[0].company_changed
    assert not plan.known[0].position_changed
    assert not plan.known[1].changed  # "Globex, Inc." is Globex; no position known before
    assert [row.reason for row in plan.skipped] == [SkipReason.SAME_NAME]
    assert plan.over_room == 0


def test_a_known_contact_is_updated_only_where_the_file_adds_something() -> None:
    ana = contact(1, "Ana", company="Acme", position="Designer", email="old@example.org")
    bob = contact(2, "Bob", profile_url="https://www.linkedin.com/in/bob")
    cleo = contact(3, "Cleo", company="Hooli", connected_on=date(2020, 1, 1))
    people = [
        ImportedPerson("Ana", "Initech", None, ANA_URL, "ana@example.org", date(2024, 5, 1)),
        ImportedPerson("Bob", email="bob@example.org"),
        ImportedPerson("Cleo", "Hooli", connected_on=date(2024, 1, 1)),
    ]
    plan = plan_import(people, [ana, bob, cleo], room=0)
    assert plan.updates(keep_emails=False) == [
        ContactUpdate(1, company="Initech", profile_url=ANA_URL, connected_on=date(2024, 5, 1))
    ]
    assert plan.updates(keep_emails=True) == [
        ContactUpdate(1, company="Initech", profile_url=ANA_URL, connected_on=date(2024, 5, 1)),
        ContactUpdate(2, email="bob@example.org"),
    ]
    assert plan.emails == 1  # Ana's address is known already; Bob's would be new


@pytest.mark.parametrize(("room", "new", "over"), [(5, 3, 0), (3, 3, 0), (2, 2, 1), (0, 0, 3)])
def test_new_people_fill_the_room_left(room: int, new: int, over: int) -> None:
    people = [ImportedPerson(f"Person {index}") for index in range(3)]
    plan = plan_import(people, [contact(9, "Someone Else")], room=room)
    assert ([person.name for person in plan.new], plan.over_room) == (
        [f"Person {index}" for index in range(new)],
        over,
    )


def test_the_most_recent_connections_are_kept_first() -> None:
    people = [
        ImportedPerson("Old", connected_on=date(2019, 1, 1)),
        ImportedPerson("Undated"),
        ImportedPerson("New", connected_on=date(2026, 2, 8)),
        ImportedPerson("Also new", connected_on=date(2026, 2, 8)),
        ImportedPerson("Middle", connected_on=date(2023, 5, 5)),
    ]
    kept, left_out = most_recent_first(people, limit=4)
    assert [person.name for person in kept] == ["New", "Also new", "Middle", "Old"]
    assert left_out == 1
    assert most_recent_first(people, limit=10)[1] == 0


@given(
    names=st.lists(st.sampled_from(["Ana", "Bob", "Cleo", "Dee", "Eve"]), max_size=5, unique=True),
    known=st.lists(st.sampled_from(["Ana", "Bob", "Cleo", "Dee", "Eve"]), max_size=5, unique=True),
    room=st.integers(-2, 6),
)
def test_every_person_is_new_known_skipped_or_over_the_room(
    names: list[str], known: list[str], room: int
) -> None:
    contacts = [contact(index + 1, name) for index, name in enumerate(known)]
    plan = plan_import([ImportedPerson(name) for name in names], contacts, room)
    assert len(plan.new) + len(plan.known) + len(plan.skipped) + plan.over_room == len(names)
    assert len(plan.new) <= max(room, 0)
    assert {person.name for person in plan.new}.isdisjoint(known)


@pytest.mark.parametrize(
    ("text", "companies"),
    [
        ("Acme", ["Acme"]),
        ("Acme, Globex", ["Acme", "Globex"]),
        ("Acme, Inc., Globex; Initech\nHooli", ["Acme, Inc.", "Globex", "Initech", "Hooli"]),
        ("Stark Industries, LLC", ["Stark Industries, LLC"]),
        (" , ;", []),
    ],
)
def test_companies_listed_in_one_message(text: str, companies: list[str]) -> None:
    assert split_companies(text) == companies
