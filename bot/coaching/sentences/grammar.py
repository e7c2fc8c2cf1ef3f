"""A vocabulary compiled for reading: its patterns parsed, its phrases keyed the way tokens
are, and a lexicon of every word it knows (what typos are corrected towards).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from bot.coaching.domain import Ask, Channel, Kind
from bot.coaching.names import name_key
from bot.coaching.sentences.vocabulary import Rule, TimePhrase, Vocabulary

# Vocabulary words this long or longer may be what a typo is corrected towards. Shorter ones
# ("march", "later") are too close to lowercase names ("marco", "layla").
MIN_TYPO_TARGET_LENGTH = 6
# Clause-breaking punctuation; every other symbol (emoji, quotes, slashes) is decoration.
BREAKS = frozenset(".!?;:,()[]{}—–-…")
SENTENCE_ENDS = frozenset(".!?;")

_V = TypeVar("_V")


class Slot(Enum):
    """A place in a pattern that the matcher fills from the sentence."""

    NAME = "{name}"
    OBJECT = "{obj}"
    ASK = "{ask}"
    FILLER = "~"
    NUMBER = "{number}"
    WEEKDAY = "{weekday}"
    WEEKDAY_NAME = "{weekday_name}"
    WEEKEND = "{weekend}"
    CLOCK = "{clock}"


@dataclass(frozen=True)
class Word:
    """A pattern word: any of `keys`, possibly left out."""

    keys: frozenset[str]
    optional: bool


Element = Word | Slot


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern; a leading `{name}` is kept apart as `name_first`."""

    elements: tuple[Element, ...]
    name_first: bool
    # The first word the pattern needs, and how many tokens later it may come (after
    # fillers and optional words): a quick test before matching. None: no such word.
    anchor: frozenset[str] | None
    reach: int


def _compile(pattern: str, abbreviations: Mapping[str, str]) -> Pattern:
    elements: list[Element] = []
    for part in pattern.split():
        slot = next((slot for slot in Slot if slot.value == part), None)
        if slot is not None:
            elements.append(slot)
            continue
        optional = part.endswith("?") and len(part) > 1
        words = part[:-1] if optional else part
        keys = frozenset(
            word if word in BREAKS else _phrase_key(word, abbreviations)
            for word in words.split("|")
        )
        elements.append(Word(keys, optional))
    name_first = bool(elements) and elements[0] is Slot.NAME
    body = tuple(elements[1:] if name_first else elements)
    anchor: frozenset[str] | None = None
    reach = 0
    for element in body:
        if element is Slot.FILLER:
            reach += 2
        elif isinstance(element, Word) and element.optional:
            reach += 1
        elif isinstance(element, Word):
            anchor = element.keys
            break
        else:
            break
    return Pattern(body, name_first, anchor, reach)


def _phrase_key(phrase: str, abbreviations: Mapping[str, str]) -> str:
    return " ".join(abbreviations.get(name_key(word), name_key(word)) for word in phrase.split())


@dataclass(frozen=True, eq=False)
class Grammar:
    """A vocabulary compiled: patterns parsed, phrase keys normalised, a lexicon for typos."""

    vocabulary: Vocabulary
    stop_words: frozenset[str]  # function words and interjections: never in a name
    rules: tuple[tuple[Rule, Pattern], ...]
    times: tuple[tuple[TimePhrase, Pattern], ...]
    requests: tuple[Pattern, ...]
    asks: tuple[tuple[Pattern, Ask | None], ...]
    reply_positive: tuple[Pattern, ...]
    reply_later: tuple[Pattern, ...]
    reply_declined: tuple[Pattern, ...]
    channel_words: Mapping[str, Channel]
    ask_words: Mapping[str, Ask]
    again_words: Mapping[str, bool]
    message_nouns: Mapping[str, tuple[Kind, Channel | None]]
    numbers: Mapping[str, int]
    lexicon: frozenset[str]
    soft_stops: frozenset[str]  # vocabulary words that may still be a capitalised name
    typo_targets: tuple[str, ...]
    object_heads: frozenset[str]  # first words of message nouns and channels


@functools.cache
def compile_grammar(vocabulary: Vocabulary) -> Grammar:
    """The vocabulary compiled once, on first use."""
    abbreviations = vocabulary.abbreviations

    def compiled(pattern: str) -> Pattern:
        return _compile(pattern, abbreviations)

    def keyed(table: Mapping[str, _V]) -> dict[str, _V]:
        return {_phrase_key(phrase, abbreviations): value for phrase, value in table.items()}

    rules = tuple((rule, compiled(rule.pattern)) for rule in vocabulary.rules)
    times = tuple((phrase, compiled(phrase.pattern)) for phrase in vocabulary.time_phrases)
    requests = tuple(compiled(pattern) for pattern in vocabulary.request_patterns)
    asks = tuple((compiled(pattern), ask) for pattern, ask in vocabulary.ask_patterns.items())
    reply_positive = tuple(compiled(pattern) for pattern in vocabulary.reply_positive)
    reply_later = tuple(compiled(pattern) for pattern in vocabulary.reply_later)
    reply_declined = tuple(compiled(pattern) for pattern in vocabulary.reply_declined)
    channel_words = keyed(vocabulary.channel_words)
    ask_words = keyed(vocabulary.ask_words)
    again_words = keyed(dict.fromkeys(vocabulary.again_words, True))
    message_nouns = keyed(vocabulary.message_nouns)
    numbers = keyed(vocabulary.numbers)

    words: set[str] = set()
    patterns = [
        *(pattern for _, pattern in rules),
        *(pattern for _, pattern in times),
        *requests,
        *(pattern for pattern, _ in asks),
        *reply_positive,
        *reply_later,
        *reply_declined,
    ]
    for pattern in patterns:
        for element in pattern.elements:
            if isinstance(element, Word):
                words.update(key for keys in element.keys for key in keys.split())
    for table in (channel_words, ask_words, again_words, message_nouns, numbers):
        for phrase in table:
            words.update(phrase.split())
    words.update(
        vocabulary.weekdays.keys()
        | vocabulary.weekend_words
        | vocabulary.function_words
        | vocabulary.interjections
        | vocabulary.relations
        | vocabulary.fillers
        | vocabulary.intent_words
        | vocabulary.negations
        | vocabulary.question_words
        | vocabulary.openers
        | vocabulary.not_names
        | vocabulary.gift_words
        | vocabulary.own_items
        | vocabulary.meal_words
        | vocabulary.ask_adjectives
        | vocabulary.articles
        | vocabulary.channel_markers
        | vocabulary.dropped_words
        | vocabulary.past_forms
    )
    lexicon = frozenset(word for word in words if word and word not in BREAKS)
    stop_words = vocabulary.function_words | vocabulary.interjections
    return Grammar(
        vocabulary=vocabulary,
        stop_words=stop_words,
        rules=rules,
        times=times,
        requests=requests,
        asks=asks,
        reply_positive=reply_positive,
        reply_later=reply_later,
        reply_declined=reply_declined,
        channel_words=channel_words,
        ask_words=ask_words,
        again_words=again_words,
        message_nouns=message_nouns,
        numbers=numbers,
        lexicon=lexicon,
        soft_stops=lexicon - stop_words - vocabulary.name_particles,
        typo_targets=tuple(
            sorted(
                word for word in lexicon if len(word) >= MIN_TYPO_TARGET_LENGTH and word.isascii()
            )
        ),
        object_heads=frozenset(phrase.split()[0] for phrase in (*message_nouns, *channel_words)),
    )
