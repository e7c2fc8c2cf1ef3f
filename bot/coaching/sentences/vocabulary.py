"""The words of one language, as data: the types of the rules a sentence may match, of its
time phrases, and of the word lists the reader consults. The reading code knows no language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from bot.coaching.domain import Ask, Channel, Kind


class Decide(Enum):
    """How a rule's kind is settled."""

    FIXED = "fixed"  # the rule's kind as it is
    REPLY = "reply"  # positive, declined or later, from the words of the reply
    OBJECT = "object"  # from what was sent: a message (outreach), a follow-up or a thing (give)
    MESSAGE = "message"  # like OBJECT, but only a message or a follow-up matches


@dataclass(frozen=True)
class Rule:
    """A sentence pattern and what it means.

    Pattern words are separated by spaces: `a|an` are alternatives, a trailing `?` makes a
    word optional, `{name}` is the contact, `{obj}` what was sent or shared, and `~` up to
    two filler words ("just", "finally"). A pattern starting with `{name}` has the name
    before the verb ("{name} ~ replied").
    """

    pattern: str
    kind: Kind
    channel: Channel | None = None
    ask: Ask | None = None
    note: str | None = None  # for a give: what was given, before the rest of the sentence
    decide: Decide = Decide.FIXED


@dataclass(frozen=True)
class TimePhrase:
    """When something happened: a pattern and how many days ago it means.

    Slots: `{number}` (days is multiplied by it), `{weekday}` (any spelling, after a
    marker), `{weekday_name}` (a full day name on its own), `{weekend}`, `{clock}` (a time
    of day). `days=None` leaves the day as it is ("at 3pm").
    """

    pattern: str
    days: int | None = 0
    future: bool = False


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The words of one language. Keys are compared after bot.coaching.names.name_key (no case, no
    accents); phrases are space-separated words.
    """

    rules: tuple[Rule, ...]
    time_phrases: tuple[TimePhrase, ...]
    numbers: Mapping[str, int]
    weekdays: Mapping[str, int]  # every spelling, Monday being 0
    weekday_names: frozenset[str]  # the spellings that are a day on their own
    weekend_words: frozenset[str]
    weekend_day: int
    # Words that never belong to a name: function words (a note of only these is empty)...
    function_words: frozenset[str]
    # ...and interjections and time words ("finally", "great", "today").
    interjections: frozenset[str]
    name_particles: frozenset[str]  # lowercase words inside names: "de", "van"
    not_names: frozenset[str]  # words that are not a contact: "someone", "recruiter"
    descriptors: frozenset[str]  # before a relation: "my old boss Ana", "the recruiter, Jess"
    relations: frozenset[str]
    titles: frozenset[str]  # written with a full stop inside a name: "Dr. Patel"
    clitics: frozenset[str]  # split off a pronoun ("she'd"); the possessive from any word
    possessive: str  # "Ana's": split off, and "Priya's colleague Ravi" names Ravi
    fillers: frozenset[str]  # what `~` may skip between a name and its verb
    abbreviations: Mapping[str, str]  # word → the word it stands for ("w" → "with")
    past_forms: frozenset[str]  # a rule with one of these is about the past
    intent_words: frozenset[str]  # before an action in its clause: not done (yet)
    infinitive: str  # "to" right before an action: "need to email"...
    infinitive_done: frozenset[str]  # ...unless after these: "got to", "went to"
    # Before a reply in its clause: there was no reply ("no reply from Ana"), or it is
    # imagined ("I'm scared Pia will say no").
    negations: frozenset[str]
    clause_words: frozenset[str]  # words that start a new clause
    openers: frozenset[str]  # skipped at the start before looking for a question word
    question_words: frozenset[str]
    request_patterns: tuple[str, ...]  # "can you log", dropped from the start
    channel_words: Mapping[str, Channel]
    channel_markers: frozenset[str]  # "on LinkedIn", "by email"
    bare_channel_words: frozenset[str]  # a channel right after the name needs no marker
    articles: frozenset[str]  # between a marker and its word: "for a referral"
    ask_words: Mapping[str, Ask]  # what `{ask}` matches, after an article and adjectives
    ask_adjectives: frozenset[str]  # "for a quick chat"
    # Patterns that say the ask: "for {ask}" takes the ask from the words, "refer me" is one.
    ask_patterns: Mapping[str, Ask | None]
    again_words: tuple[str, ...]  # an outreach said again is a follow-up
    repeat_words: frozenset[str]  # inside what was sent: "a second message" is a follow-up
    dropped_words: frozenset[str]  # right after the name, not a note: "called Ana back"
    meal_markers: frozenset[str]  # "met Ana for coffee": for + ...
    meal_words: frozenset[str]
    message_nouns: Mapping[str, tuple[Kind, Channel | None]]
    gift_words: frozenset[str]
    own_items: frozenset[str]  # "sent Ana my CV" is an outreach, not a give
    own_marker: str  # "my"
    object_starters: frozenset[str]  # what a sent thing may start with: "a", "the", "my"
    with_words: frozenset[str]  # "a message with the article" is a give
    reply_positive: tuple[str, ...]  # phrases that look negative but are not: "no problem"
    reply_later: tuple[str, ...]
    reply_declined: tuple[str, ...]
