"""Compiled patterns matched against tokens, with backtracking; a match captures where the
name and the sent object are, and the ask, number or weekday it read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from bot.coaching.domain import Ask
from bot.coaching.sentences.grammar import BREAKS, Element, Grammar, Pattern, Slot, Word
from bot.coaching.sentences.tokens import Token

# At most this many words make a name ("Mary Ann de la Cruz").
MAX_NAME_WORDS = 5
# Without capitals to go by, a name is at most this many words ("ana maria lopez").
MAX_LOWERCASE_NAME_WORDS = 3
# At most this many words make what was sent in "sent {obj} to {name}".
MAX_OBJECT_WORDS = 8
# Numbers of days or weeks beyond this are not read as a time ("9999 days ago").
MAX_DAYS_AGO = 3650

_NOTE_BREAKS = frozenset(":—–-")
_CLOCK = re.compile(r"[0-9]{1,2}(?:[:.h][0-9]{2})?(?:am|pm|h)?")

_V = TypeVar("_V")


@dataclass(frozen=True)
class Captures:
    """What a match read: token spans of the name and object, and the values of slots."""

    name: tuple[int, int] | None = None
    obj: tuple[int, int] | None = None
    ask: Ask | None = None
    number: int | None = None
    weekday: int | None = None
    words: tuple[int, ...] = ()  # the tokens matched by pattern words


_NO_CAPTURES = Captures()


@dataclass(frozen=True)
class Match:
    """Where a pattern matched, as token indices, and what it captured."""

    start: int  # first token of the match, a leading name included
    trigger: int  # first token after a leading name
    end: int  # exclusive
    captures: Captures


class Matcher:
    """Matches compiled patterns against a list of tokens, with backtracking."""

    def __init__(self, grammar: Grammar, tokens: Sequence[Token]) -> None:
        self.grammar = grammar
        self.vocabulary = grammar.vocabulary
        self.tokens = tokens

    def match(self, pattern: Pattern, start: int) -> Match | None:
        """The first way `pattern` matches at `start` (for a leading name: where its verb is)."""
        tokens = self.tokens
        if start >= len(tokens):
            return None
        if pattern.anchor is not None and not any(
            _word_matches(token, pattern.anchor)
            for token in tokens[start : start + pattern.reach + 1]
        ):
            return None
        captures = _NO_CAPTURES
        if pattern.name_first:
            name = self.name_before(start)
            if name is None:
                return None
            captures = Captures(name=name)
        found = self._walk(pattern.elements, 0, start, captures)
        if found is None:
            return None
        end, captures = found
        first = captures.name[0] if pattern.name_first and captures.name else start
        return Match(start=first, trigger=start, end=end, captures=captures)

    def longest(self, patterns: Sequence[Pattern], start: int) -> Match | None:
        """The longest match at `start` of any of `patterns`."""
        best: Match | None = None
        for pattern in patterns:
            found = self.match(pattern, start)
            if found is not None and found.end > start and (best is None or found.end > best.end):
                best = found
        return best

    def _walk(
        self, elements: tuple[Element, ...], index: int, at: int, captures: Captures
    ) -> tuple[int, Captures] | None:
        if index == len(elements):
            return at, captures
        element = elements[index]
        tokens = self.tokens
        if isinstance(element, Word):
            if at < len(tokens) and _word_matches(tokens[at], element.keys):
                found = self._walk(
                    elements, index + 1, at + 1, replace(captures, words=(*captures.words, at))
                )
                if found is not None:
                    return found
            if element.optional:
                return self._walk(elements, index + 1, at, captures)
            return None
        options: list[tuple[int, Captures]] = []
        if element is Slot.FILLER:
            allowed = self.vocabulary.fillers | self.vocabulary.ask_adjectives
            size = 0
            while size < 2 and at + size < len(tokens) and key_in(tokens[at + size], allowed):
                size += 1
            options = [(at + count, captures) for count in range(size, -1, -1)]
        elif element is Slot.NAME:
            following = _next_required(elements, index + 1)
            options = [
                (span[1], replace(captures, name=span)) for span in self.names_after(at, following)
            ]
        elif element is Slot.OBJECT:
            following = _next_required(elements, index + 1)
            options = [
                (end, replace(captures, obj=(at, end))) for end in self.object_ends(at, following)
            ]
        elif element is Slot.ASK:
            options = [(end, replace(captures, ask=ask)) for ask, end in self.asks_at(at)]
        elif element is Slot.NUMBER:
            options = [(end, replace(captures, number=value)) for value, end in self.numbers_at(at)]
        elif (weekday := self._weekday(element, at)) is not None:
            options = [(at + 1, replace(captures, weekday=weekday))]
        elif element is Slot.CLOCK and at < len(tokens) and _CLOCK.fullmatch(tokens[at].key):
            options = [(at + 1, captures)]
        for end, changed in options:
            found = self._walk(elements, index + 1, end, changed)
            if found is not None:
                return found
        return None

    def _weekday(self, element: Element, at: int) -> int | None:
        if at >= len(self.tokens) or not self.tokens[at].word:
            return None
        word = self.tokens[at].fixed
        vocabulary = self.vocabulary
        if element is Slot.WEEKDAY:
            return vocabulary.weekdays.get(word)
        if element is Slot.WEEKDAY_NAME and word in vocabulary.weekday_names:
            return vocabulary.weekdays.get(word)
        if element is Slot.WEEKEND and word in vocabulary.weekend_words:
            return vocabulary.weekend_day
        return None

    # --- names

    def is_stop(self, token: Token, *, capitalized_ok: bool) -> bool:
        """Whether `token` ends a name: a function word always; a vocabulary word unless it
        is capitalised where a name may be ("coffee with Will", "Chase replied").
        """
        if not token.word:
            return True
        stops = self.grammar.stop_words
        if token.key in stops or token.fixed in stops:
            return True
        soft = self.grammar.soft_stops
        if token.key in soft or token.fixed in soft:
            return not (capitalized_ok and token.capitalized)
        return False

    def names_after(
        self, at: int, following: Element | None, *, chained: bool = False
    ) -> list[tuple[int, int]]:
        """Where a name starting at `at` may start and end, the likeliest first."""
        tokens = self.tokens
        start = self._skip_descriptor(at)
        end = start
        while end < len(tokens) and end - start < MAX_NAME_WORDS:
            token = tokens[end]
            if self.is_stop(token, capitalized_ok=not token.initial):
                break
            if end > start and token.pos != tokens[end - 1].pos + 1:
                break
            end += 1
        if end == start:
            return []
        span = tokens[start:end]
        if not span[0].lowercase:
            preferred = start + self._leading_name_run(span)
        elif following is Slot.OBJECT and not (
            end < len(tokens) and key_in(tokens[end], self.vocabulary.object_starters)
        ):
            preferred = start + 1  # "sent ana hiring tips": the name is "ana"
        else:
            preferred = min(end, start + MAX_LOWERCASE_NAME_WORDS)
        if not chained and (chain := self._after_possessive(preferred, following)):
            return chain
        ends = [preferred]
        if following is not None:
            ends += [stop for stop in range(end, start, -1) if stop != preferred]
        return [(start, stop) for stop in ends]

    def _skip_descriptor(self, at: int) -> int:
        """Where the name starts after "my old manager", "the recruiter," or "recruiter Lisa"."""
        tokens = self.tokens
        vocabulary = self.vocabulary
        if at >= len(tokens):
            return at
        described = key_in(tokens[at], vocabulary.descriptors)
        index = at + 1 if described else at
        relations = 0
        possessive = False
        while index < len(tokens) and (
            (key_in(tokens[index], vocabulary.relations) and tokens[index].lowercase)
            or tokens[index].text == ","
            or tokens[index].key == vocabulary.possessive
        ):
            relations += key_in(tokens[index], vocabulary.relations)
            possessive = possessive or tokens[index].key == vocabulary.possessive
            index += 1
        if not relations:
            return at
        if not (described or possessive) and not (
            index < len(tokens) and tokens[index].capitalized
        ):
            return at  # "messaged recruiter lisa" could be a name of three words
        return index

    def _after_possessive(self, at: int, following: Element | None) -> list[tuple[int, int]]:
        """ "Priya's colleague Ravi": the names after the relation, if `at` is "'s"."""
        tokens = self.tokens
        vocabulary = self.vocabulary
        if at >= len(tokens) or tokens[at].key != vocabulary.possessive:
            return []
        index = at + 1
        while index < len(tokens) and (
            key_in(tokens[index], vocabulary.relations) or tokens[index].text == ","
        ):
            index += 1
        if index == at + 1 or not any(
            key_in(token, vocabulary.relations) for token in tokens[at + 1 : index]
        ):
            return []
        return self.names_after(index, following, chained=True)

    def _leading_name_run(self, span: Sequence[Token]) -> int:
        """How many of `span`'s words are the name: capitalised words, with lowercase
        particles between them ("Ana de la Cruz"), up to the first other lowercase word.
        """
        particles = self.vocabulary.name_particles
        size = 0
        while size < len(span):
            if not span[size].lowercase:
                size += 1
                continue
            ahead = size
            while ahead < len(span) and span[ahead].lowercase and span[ahead].key in particles:
                ahead += 1
            if ahead == size or ahead >= len(span) or span[ahead].lowercase:
                break
            size = ahead
        return max(size, 1)

    def name_before(self, at: int) -> tuple[int, int] | None:
        """The name that ends right before `at` ("Ana López replied"), if any.

        For "Jessica's assistant replied" it is Jessica.
        """
        tokens = self.tokens
        vocabulary = self.vocabulary
        relation = at
        while relation > 0 and key_in(tokens[relation - 1], vocabulary.relations):
            relation -= 1
        if relation < at and relation > 1 and tokens[relation - 1].key == vocabulary.possessive:
            at = relation - 1
        start = at
        while start > 0 and at - start < MAX_NAME_WORDS:
            token = tokens[start - 1]
            if self.is_stop(token, capitalized_ok=True) or key_in(token, vocabulary.past_forms):
                break
            if start < at and tokens[start].pos != token.pos + 1:
                break
            start -= 1
        if start == at:
            return None
        span = tokens[start:at]
        if span[-1].lowercase or not any(token.capitalized for token in span):
            return max(start, at - MAX_LOWERCASE_NAME_WORDS), at
        particles = self.vocabulary.name_particles
        size = 0
        while size < len(span):
            if not span[-1 - size].lowercase:
                size += 1
                continue
            behind = size
            while behind < len(span) and span[-1 - behind].key in particles:
                behind += 1
            if behind >= len(span) or span[-1 - behind].lowercase:
                break
            size = behind
        return at - size, at

    # --- objects, asks and numbers

    def starts_object(self, token: Token) -> bool:
        """Whether what was sent may start with `token` ("a", "the", "my", "LinkedIn")."""
        vocabulary = self.vocabulary
        return token.word and (
            key_in(token, vocabulary.object_starters)
            or key_in(token, vocabulary.gift_words)
            or key_in(token, vocabulary.own_items)
            or key_in(token, self.grammar.numbers)
            or key_in(token, self.grammar.object_heads)
        )

    def object_ends(self, at: int, following: Element | None) -> list[int]:
        """Where what was sent, starting at `at`, may end (the shortest first)."""
        tokens = self.tokens
        if at >= len(tokens) or not tokens[at].word:
            return []
        if following is not None:
            if not self.starts_object(tokens[at]) or not isinstance(following, Word):
                return []
            ends = []
            for end in range(at + 1, min(len(tokens), at + MAX_OBJECT_WORDS + 1)):
                if not tokens[end - 1].word:
                    break
                if _word_matches(tokens[end], following.keys):
                    ends.append(end)
            return ends
        first = tokens[at]
        if key_in(first, self.grammar.stop_words) and not self.starts_object(first):
            return []
        end = at
        while end < len(tokens) and tokens[end].word:
            end += 1
        return [end]

    def asks_at(self, at: int) -> list[tuple[Ask, int]]:
        """An ask word after an optional article and adjectives: "a quick chat" → coffee."""
        tokens = self.tokens
        vocabulary = self.vocabulary
        found: list[tuple[Ask, int]] = []
        starts = [at]
        if at < len(tokens) and key_in(tokens[at], vocabulary.articles):
            starts.append(at + 1)
        for start in starts:
            index = start
            for _ in range(3):
                phrase = self.phrase_at(index, self.grammar.ask_words, 3)
                if phrase is not None:
                    found.append(phrase)
                if index >= len(tokens) or not key_in(tokens[index], vocabulary.ask_adjectives):
                    break
                index += 1
        return sorted(found, key=lambda item: -item[1])

    def numbers_at(self, at: int) -> list[tuple[int, int]]:
        tokens = self.tokens
        if at >= len(tokens) or not tokens[at].word:
            return []
        if tokens[at].key.isdigit():
            value = int(tokens[at].key[:6])
            return [(value, at + 1)] if 0 < value <= MAX_DAYS_AGO else []
        found = []
        for size in (3, 2, 1):
            number = self.phrase_at(at, self.grammar.numbers, size)
            if number is not None and number[1] == at + size:
                found.append(number)
        return found

    def phrase_at(self, at: int, table: Mapping[str, _V], longest: int) -> tuple[_V, int] | None:
        """The longest phrase of `table` (up to `longest` words) at `at`, and where it ends."""
        tokens = self.tokens
        for size in range(min(longest, len(tokens) - at), 0, -1):
            words = tokens[at : at + size]
            if not all(token.word for token in words):
                continue
            for phrase in (
                " ".join(token.fixed for token in words),
                " ".join(token.key for token in words),
            ):
                if phrase in table:
                    return table[phrase], at + size
        return None


def _next_required(elements: tuple[Element, ...], index: int) -> Element | None:
    """The element after optional words: what a name or an object must stop before."""
    for element in elements[index:]:
        if isinstance(element, Word) and element.optional:
            continue
        return element
    return None


def _word_matches(token: Token, keys: frozenset[str]) -> bool:
    if not token.word:
        return token.text in keys
    return token.key in keys or token.fixed in keys


def forms(tokens: Sequence[Token]) -> frozenset[str]:
    """Every form by which a pattern word can match one of `tokens` (see `_word_matches`)."""
    found: set[str] = set()
    for token in tokens:
        if token.word:
            found.update((token.key, token.fixed))
        else:
            found.add(token.text)
    return frozenset(found)


def key_in(token: Token, words: frozenset[str] | Mapping[str, object]) -> bool:
    """Whether `token` is a word of `words`, as written or corrected."""
    return token.word and (token.key in words or token.fixed in words)


def is_break(token: Token) -> bool:
    """Whether `token` is clause-breaking punctuation."""
    return not token.word and token.text in BREAKS


def is_note_break(token: Token) -> bool:
    """A colon or a dash: what follows is the user's own words."""
    return not token.word and token.text in _NOTE_BREAKS
