"""Cleaning contact names and matching them forgivingly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.domain import MAX_NAME_LENGTH, Contact, Tier
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name, match_contacts, name_key

CREATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def contact(contact_id: int, name: str) -> Contact:
    return Contact(
        id=contact_id,
        chat_id=1,
        name=name,
        tier=Tier.WARM,
        note=None,
        introduced_by_id=None,
        rest_until=None,
        created_at=CREATED,
    )


def names_of(contacts: list[Contact]) -> list[str]:
    return [item.name for item in contacts]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ana López", "Ana López"),
        ("  Ana   López  ", "Ana López"),
        ("Ana\tLópez\n", "Ana López"),
        ("Ana\u00a0López", "Ana López"),
        ("Ana\u200bLópez", "AnaLópez"),
        ("\ufeffBob", "Bob"),
        ("\u202eBob\u202c", "Bob"),
        ("Bob\x00\x07", "Bob"),
        ("José Núñez", "José Núñez"),
        ("Jose\u0301", "José"),  # decomposed accent becomes one character (NFC)
        ("מרים כהן", "מרים כהן"),
        ("محمد علي", "محمد علي"),
        ("زهرا\u200cی", "زهرا\u200cی"),  # Persian non-joiner kept
        ("Ana 🚀", "Ana 🚀"),
        ("👩\u200d💻", "👩\u200d💻"),  # emoji sequence kept whole
        ("李雷", "李雷"),
        ("R2-D2", "R2-D2"),
        ("O'Brien", "O'Brien"),
        ("a" * MAX_NAME_LENGTH, "a" * MAX_NAME_LENGTH),
    ],
)
def test_clean_contact_name(raw: str, expected: str) -> None:
    assert clean_contact_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("", "need a name"),
        ("   \n\t", "need a name"),
        ("\u200b\u200b", "need a name"),
        ("a" * (MAX_NAME_LENGTH + 1), str(MAX_NAME_LENGTH)),
        ("?!?", "letter"),
        ("- . -", "letter"),
        ("\u200d", "letter"),
    ],
)
def test_clean_contact_name_refuses(raw: str, says: str) -> None:
    with pytest.raises(InputError, match=says) as caught:
        clean_contact_name(raw)
    assert "Ana López" in caught.value.message


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("José  Núñez", "jose nunez"),
        ("ANA LÓPEZ", "ana lopez"),
        ("Ana\u00a0López", "ana lopez"),
        ("Straße", "strasse"),
        ("İlker", "ilker"),
        ("Zoë", "zoe"),
        ("Åsa", "asa"),
        ("ﬁona", "fiona"),
        ("  bob ", "bob"),
        ("Bob\u200b", "bob"),
        ("מרים", "מרים"),
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


@given(st.text())
def test_name_key_is_idempotent(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key


@given(st.text())
def test_clean_contact_name_only_raises_input_error(text: str) -> None:
    try:
        name = clean_contact_name(text)
    except InputError:
        return
    assert name == name.strip()
    assert 0 < len(name) <= MAX_NAME_LENGTH
    assert clean_contact_name(name) == name


PEOPLE = [
    contact(1, "Ana López"),
    contact(2, "Anna Schmidt"),
    contact(3, "John Smith"),
    contact(4, "Priya Patel"),
    contact(5, "Bob"),
    contact(6, "José Núñez"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # exact, whatever the case, accents and spacing
        ("Ana López", ["Ana López"]),
        ("ana lopez", ["Ana López"]),
        ("  ANA   LOPEZ ", ["Ana López"]),
        ("jose nunez", ["José Núñez"]),
        ("bob", ["Bob"]),
        # first name
        ("Ana", ["Ana López"]),
        ("anna", ["Anna Schmidt"]),
        ("priya", ["Priya Patel"]),
        # the start of the name
        ("ana l", ["Ana López"]),
        ("pri", ["Priya Patel"]),
        ("an", ["Ana López", "Anna Schmidt"]),
        # a last name
        ("patel", ["Priya Patel"]),
        ("Núñez", ["José Núñez"]),
        # typos
        ("Jon", ["John Smith"]),
        ("Jon Smith", ["John Smith"]),
        ("pryia", ["Priya Patel"]),
        ("Priya Patl", ["Priya Patel"]),
        ("Ana Lopes", ["Ana López"]),
        # unknown
        ("Zed", []),
        ("Carlos", []),
        ("", []),
        ("   ", []),
    ],
)
def test_match_contacts(query: str, expected: list[str]) -> None:
    assert names_of(match_contacts(query, PEOPLE)) == expected


def test_exact_name_wins_over_a_near_one() -> None:
    both = [contact(1, "Anna"), contact(2, "Ana"), contact(3, "John"), contact(4, "Jon")]
    assert names_of(match_contacts("Ana", both)) == ["Ana"]
    assert names_of(match_contacts("anna", both)) == ["Anna"]
    assert names_of(match_contacts("Jon", both)) == ["Jon"]
    assert names_of(match_contacts("JOHN", both)) == ["John"]


def test_near_names_are_offered_when_nothing_is_exact() -> None:
    assert names_of(match_contacts("Ana", [contact(1, "Anna")])) == ["Anna"]
    assert names_of(match_contacts("Jon", [contact(1, "John")])) == ["John"]
    assert names_of(match_contacts("John", [contact(1, "Jon")])) == ["Jon"]


def test_shared_first_name_offers_both() -> None:
    people = [contact(1, "Ana Smith"), contact(2, "Ana López"), contact(3, "Anabel")]
    assert names_of(match_contacts("ana", people)) == ["Ana López", "Ana Smith"]


def test_duplicate_names_are_all_returned() -> None:
    people = [contact(2, "Sam"), contact(1, "sam")]
    assert [item.id for item in match_contacts("Sam", people)] == [1, 2]


def test_fuzzy_candidates_are_best_first() -> None:
    people = [contact(1, "Marta"), contact(2, "Martha"), contact(3, "Marty")]
    assert names_of(match_contacts("Marth", people)) == ["Martha"]
    found = names_of(match_contacts("Mrta", people))
    assert found[0] == "Marta"


def test_no_contacts_means_no_match() -> None:
    assert match_contacts("Ana", []) == []


@given(st.text(max_size=30))
def test_match_contacts_returns_known_contacts(query: str) -> None:
    found = match_contacts(query, PEOPLE)
    assert all(item in PEOPLE for item in found)
    assert len(found) == len({item.id for item in found})
