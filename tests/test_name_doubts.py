"""Names as the user meant them: a list split in one place, and names that look like a time,
a number or a sentence noticed before they are stored."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.names import DoubtfulName, NameDoubt, doubtful_name, split_names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Rui, Carla Mendes, Helen O'Brien", ["Rui", "Carla Mendes", "Helen O'Brien"]),
        ("Ana\nBob\n\nPriya", ["Ana", "Bob", "Priya"]),
        ("Rui, Carla and Helen", ["Rui", "Carla", "Helen"]),
        ("Rui; Carla; Bo", ["Rui", "Carla", "Bo"]),
        ("Rui, Carla Mendes and Helen O'Brien, Bo", ["Rui", "Carla Mendes", "Helen O'Brien", "Bo"]),
        ("Bob & Co, Ana", ["Bob & Co", "Ana"]),
        ("Ana-Maria Popescu", ["Ana-Maria Popescu"]),
        ("Alexandra Sanders", ["Alexandra Sanders"]),  # "and" inside a word is no separator
        (" , ,", []),
    ],
)
def test_split_names(text: str, names: list[str]) -> None:
    assert split_names(text) == names


@given(st.lists(st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?", fullmatch=True), max_size=6))
def test_a_comma_list_splits_into_its_names(names: list[str]) -> None:
    assert split_names(", ".join(names)) == [name for name in names if name.strip()]


@pytest.mark.parametrize(
    ("name", "doubt"),
    [
        ("8:00", DoubtfulName(NameDoubt.TIME)),
        ("7.30 pm", DoubtfulName(NameDoubt.TIME)),
        ("9am", DoubtfulName(NameDoubt.TIME)),
        ("42", DoubtfulName(NameDoubt.NUMBER)),
        ("+351 912 345 678", DoubtfulName(NameDoubt.NUMBER)),
        (
            "Inês from my old school",
            DoubtfulName(NameDoubt.SENTENCE, "Inês", "from my old school"),
        ),
        (
            "Bob Smith who works at Google",
            DoubtfulName(NameDoubt.SENTENCE, "Bob Smith", "who works at Google"),
        ),
        ("Ana (recruiter)", DoubtfulName(NameDoubt.SENTENCE, "Ana", "recruiter")),
        ("from my old school", DoubtfulName(NameDoubt.SENTENCE)),
        ("8:00 from school", DoubtfulName(NameDoubt.SENTENCE)),
        ("the one I met at the meetup last week", DoubtfulName(NameDoubt.SENTENCE)),
        ("Ana", None),
        ("Helen O'Brien", None),
        ("Maria da Conceição de Sousa", None),
        ("Ludwig van Beethoven", None),
        ("Ahmed Said", None),
        ("Dr. Patel", None),
        ("Ana 2", None),
        ("3M", None),
        ("👩‍💻 Zoë", None),
    ],
)
def test_doubtful_name(name: str, doubt: DoubtfulName | None) -> None:
    assert doubtful_name(name) == doubt


@given(st.text(min_size=1, max_size=64))
def test_a_suggested_name_is_a_plain_name_taken_from_the_start(name: str) -> None:
    doubt = doubtful_name(name)
    if doubt is None or doubt.name is None:
        return
    assert name.startswith(doubt.name)
    assert doubtful_name(doubt.name) is None
    assert any(ch.isalpha() for ch in doubt.name)
