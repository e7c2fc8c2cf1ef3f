"""Contact names: cleaning what the user typed, and matching it to known contacts forgivingly."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from bot.coaching.domain import MAX_NAME_LENGTH, Contact
from bot.coaching.errors import InputError

# Fuzzy scores (0-100) at or above this count as "probably meant this contact".
FUZZY_THRESHOLD = 85.0
# At most this many candidates come back from a fuzzy match: enough to pick from with buttons.
MAX_CANDIDATES = 5

# Format characters that carry meaning inside a name: the zero-width joiner builds emoji
# sequences (👩‍💻), the non-joiner shapes Persian and Indic words. Tag characters build
# subdivision flags (🏴 England). Every other format character (zero-width spaces,
# BOMs, bidi overrides, soft hyphens) is invisible noise and goes.
_KEPT_FORMAT_CHARS = frozenset({"\u200c", "\u200d"})
_TAG_CHARS = range(0xE0020, 0xE0080)


def clean_contact_name(raw: str) -> str:
    """Tidy a name as typed (spacing, invisible characters) or raise InputError if it can't be one.

    Letters of any script, digits and emoji are kept; the result is NFC-normalised.
    """
    visible = "".join(ch for ch in raw if _keep_in_name(ch))
    name = unicodedata.normalize("NFC", " ".join(visible.split()))
    if not name:
        raise InputError("I need a name, for example: Ana López")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(
            f"That name is {len(name)} characters long; names can be up to {MAX_NAME_LENGTH}. "
            "A first name and a last name is plenty, for example: Ana López"
        )
    if not any(_is_name_character(ch) for ch in name):
        raise InputError("A name needs at least one letter, digit or emoji. For example: Ana López")
    return name


def name_key(name: str) -> str:
    """The key names are compared by: casefolded, accents stripped, spaces collapsed.

    For example "José  Núñez" becomes "jose nunez". Applying it twice changes nothing.
    """
    key = name
    # A few characters only settle after a second round (casefolding can produce new
    # decomposable letters), so repeat until nothing changes.
    for _ in range(4):
        decomposed = unicodedata.normalize("NFKD", key).casefold()
        decomposed = unicodedata.normalize("NFKD", decomposed)
        stripped = "".join(
            ch
            for ch in decomposed
            if not unicodedata.combining(ch) and unicodedata.category(ch) not in ("Cc", "Cf")
        )
        new_key = " ".join(stripped.split())
        if new_key == key:
            break
        key = new_key
    return key


def match_contacts(query: str, contacts: Sequence[Contact]) -> list[Contact]:
    """The contacts `query` may mean, best first: one is a confident match, [] means unknown.

    In order: exact name; first name(s) ("ana" → "Ana López"); the start of the name
    ("ana l", "jona" → "Jonathan"); a whole word elsewhere ("lopez"); then small typos
    ("Jon" → "John"). Several results mean "ask which one".
    """
    query_key = name_key(query)
    if not query_key or not contacts:
        return []
    keyed = [(name_key(contact.name), contact) for contact in contacts]

    exact = [contact for key, contact in keyed if key == query_key]
    if exact:
        return _in_stable_order(exact)

    first_words = [contact for key, contact in keyed if key.startswith(query_key + " ")]
    if first_words:
        return _in_stable_order(first_words)[:MAX_CANDIDATES]

    query_words = query_key.split()
    prefixes = [contact for key, contact in keyed if _starts_with_words(key.split(), query_words)]
    if prefixes:
        return _in_stable_order(prefixes)[:MAX_CANDIDATES]

    whole_words = [contact for key, contact in keyed if _contains_words(key.split(), query_words)]
    if whole_words:
        return _in_stable_order(whole_words)[:MAX_CANDIDATES]

    scored = [(_fuzzy_score(query_key, key), key, contact) for key, contact in keyed]
    close = [item for item in scored if item[0] >= FUZZY_THRESHOLD]
    close.sort(key=lambda item: (-item[0], item[1], item[2].id))
    return [contact for _, _, contact in close[:MAX_CANDIDATES]]


def _keep_in_name(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category == "Cc":
        # Newlines and tabs become spaces (collapsed later); other controls go.
        return ch.isspace()
    if category == "Cf":
        return ch in _KEPT_FORMAT_CHARS or ord(ch) in _TAG_CHARS
    return category not in ("Cs", "Co", "Cn")


def _is_name_character(ch: str) -> bool:
    # L*: letters of any script; N*: digits; So: emoji and other pictographs.
    category = unicodedata.category(ch)
    return category[0] in ("L", "N") or category == "So"


def _in_stable_order(contacts: list[Contact]) -> list[Contact]:
    return sorted(contacts, key=lambda contact: (name_key(contact.name), contact.id))


def _starts_with_words(words: list[str], part: list[str]) -> bool:
    # Whole words, then the start of one more: ["ana", "l"] starts ["ana", "lopez"].
    if len(part) > len(words) or len(" ".join(part)) < 2:
        return False
    return words[: len(part) - 1] == part[:-1] and words[len(part) - 1].startswith(part[-1])


def _contains_words(words: list[str], part: list[str]) -> bool:
    size = len(part)
    return any(words[start : start + size] == part for start in range(len(words) - size + 1))


def _fuzzy_score(query_key: str, key: str) -> float:
    """How close a query is to a name key, 0-100, forgiving typos and a missing last name."""
    scores = [fuzz.ratio(query_key, key), fuzz.token_sort_ratio(query_key, key)]
    query_words = query_key.split()
    words = key.split()
    size = len(query_words)
    if size < len(words):
        # Compare with each run of as many words as the query has: "jon" against "john"
        # of "John Smith". Runs other than the first name count a little less.
        for start in range(len(words) - size + 1):
            window = " ".join(words[start : start + size])
            factor = 1.0 if start == 0 else 0.97
            scores.append(factor * fuzz.ratio(query_key, window))
            if _one_typo_apart(query_key, window):
                scores.append(factor * 90.0)
    if _one_typo_apart(query_key, key):
        scores.append(90.0)
    return max(scores)


def _one_typo_apart(a: str, b: str) -> bool:
    # One insertion, deletion, substitution or swap of neighbours, in names long enough
    # that one letter off is still recognisably the same name ("pryia" for "priya").
    return min(len(a), len(b)) >= 4 and OSA.distance(a, b) <= 1


# --- lists of names, and names that may not be names ----------------------------------------

# Names in one message are separated by new lines, commas, semicolons or "and".
_NAME_SEPARATORS = re.compile(r"[\n,;]+|\s+and\s+", re.IGNORECASE)
_TIME_LIKE = re.compile(
    r"\d{1,2}\s*(?:[:.h]\s*\d{2}\s*(?:[ap]\.?m\.?|h)?|(?:[ap]\.?m\.?|h))", re.IGNORECASE
)
# Words that start a description rather than continue a name ("Inês from my old school").
_SENTENCE_WORDS = frozenset(
    {
        *("from", "at", "who", "whom", "whose", "which", "that", "is", "was", "works"),
        *("worked", "working", "met", "meet", "with", "in", "on", "about", "for", "to"),
        *("my", "our", "your", "his", "her", "their", "its", "i", "we", "she", "he", "they"),
        *("it", "via", "when", "where", "because", "but", "or", "has", "have", "had"),
    }
)
# Words that belong inside names: "Maria da Silva", "Ludwig van Beethoven".
_NAME_PARTICLES = frozenset(
    {
        *("da", "de", "del", "della", "der", "di", "do", "dos", "das", "du", "van", "von"),
        *("den", "la", "le", "el", "al", "bin", "ibn", "ben", "y", "e", "st"),
    }
)
# Words a description starts with, never a name: "the one from the meetup".
_NOT_NAME_STARTS = frozenset({"the", "a", "an", "this", "that", "some", "someone", "somebody"})
# More words than this (particles aside) reads as a sentence rather than a name.
MAX_NAME_WORDS = 5


class NameDoubt(StrEnum):
    """Why a typed name may not be the name the user meant."""

    TIME = "time"
    NUMBER = "number"
    SENTENCE = "sentence"


@dataclass(frozen=True)
class DoubtfulName:
    """A name to ask about before it is stored: why, the name it probably is, and the words
    after it (kept as a note), when there is such a name."""

    doubt: NameDoubt
    name: str | None = None
    rest: str | None = None


def split_names(text: str) -> list[str]:
    """The names in a list as people type one: "Rui, Carla Mendes and Helen O'Brien" or one
    per line. Empty parts are dropped; the names are not cleaned yet."""
    return [part.strip() for part in _NAME_SEPARATORS.split(text) if part.strip()]


def doubtful_name(name: str) -> DoubtfulName | None:
    """Why a cleaned name looks like something else (a time, a number, a sentence), or None
    when it reads as a name. "Inês from my old school" probably means "Inês"."""
    if _TIME_LIKE.fullmatch(name):
        return DoubtfulName(NameDoubt.TIME)
    if not any(ch.isalpha() for ch in name) and any(ch.isdigit() for ch in name):
        return DoubtfulName(NameDoubt.NUMBER)
    head, bracket, inside = name.partition("(")
    if bracket:
        return _sentence(head, inside.rstrip(") "))
    words = name.split()
    for index, word in enumerate(words):
        if word.strip(".,;:!?-–—\"'").casefold() in _SENTENCE_WORDS:
            return _sentence(" ".join(words[:index]), " ".join(words[index:]))
    if len([word for word in words if word.casefold() not in _NAME_PARTICLES]) > MAX_NAME_WORDS:
        return DoubtfulName(NameDoubt.SENTENCE)
    return None


def _sentence(head: str, rest: str) -> DoubtfulName:
    """A name followed by a description: the name it probably is, when the head reads as one."""
    name = head.strip().rstrip(".,;:-–— ")
    first = name.split()[0].casefold() if name else ""
    if (
        not any(ch.isalpha() for ch in name)
        or first in _NOT_NAME_STARTS
        or doubtful_name(name) is not None
    ):
        return DoubtfulName(NameDoubt.SENTENCE)
    return DoubtfulName(NameDoubt.SENTENCE, name, rest.strip() or None)
