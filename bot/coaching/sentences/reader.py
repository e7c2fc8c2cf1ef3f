"""Reading one sentence into a log: the time phrases taken out, the earliest rule that
matches and is not negated or planned, then the channel, ask and note from what follows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.coaching.domain import MAX_NOTE_LENGTH, Ask, Channel, Kind
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name, name_key
from bot.coaching.sentences.english import ENGLISH
from bot.coaching.sentences.grammar import SENTENCE_ENDS, Grammar, Pattern, compile_grammar
from bot.coaching.sentences.matcher import (
    Captures,
    Match,
    Matcher,
    forms,
    is_break,
    is_note_break,
    key_in,
)
from bot.coaching.sentences.tokens import Token, normalize, tokenize
from bot.coaching.sentences.vocabulary import Decide, Rule, TimePhrase, Vocabulary
from bot.coaching.text import shorten

# Longer messages are not read as a sentence (a log is one line; this also bounds the work).
MAX_SENTENCE_LENGTH = 2000

_EDGE = " \t\n\r.,;:!?-–—[]{}\"'…"


@dataclass(frozen=True)
class SentenceLog:
    """What a plain sentence logs."""

    kind: Kind
    name: str  # the contact as written in the sentence, cleaned ("Ana López")
    channel: Channel | None  # outreach and follow-ups only; None when not said
    ask: Ask | None  # outreach and follow-ups only
    note: str | None
    days_ago: int  # 0 today, 1 yesterday, ...


def parse_sentence(
    text: str, today: date, *, vocabulary: Vocabulary = ENGLISH
) -> SentenceLog | None:
    """Read a plain sentence as a log, or None when it is not one (a greeting, a question,
    a plan, gibberish). Never raises.
    """
    if len(text) > MAX_SENTENCE_LENGTH:
        return None
    grammar = compile_grammar(vocabulary)
    return _Reader(grammar, normalize(text), today).read()


@dataclass(frozen=True)
class _Time:
    start: int  # positions among all the tokens
    end: int
    days: int | None  # None: a time of day, the day is not said
    future: bool


@dataclass(frozen=True)
class _Decided:
    """What a sent object made of the log."""

    kind: Kind
    channel: Channel | None
    rest: list[int]  # what follows the message noun, read like the rest of the sentence
    again: bool


@dataclass(frozen=True)
class _Details:
    """The channel, ask and "again" found after an outreach, and the words left for a note."""

    channel: Channel | None
    late_channel: Channel | None  # said after a colon: used when nothing else says one
    ask: Ask | None
    again: bool
    rest: list[int]


class _Reader:
    """Reads one sentence."""

    def __init__(self, grammar: Grammar, text: str, today: date) -> None:
        self.grammar = grammar
        self.vocabulary = grammar.vocabulary
        self.text = text
        self.today = today
        self.tokens: list[Token] = []  # all of them
        self.active: list[Token] = []  # without the time phrases
        self.times: list[_Time] = []

    def read(self) -> SentenceLog | None:
        if self.text.lstrip().startswith("/"):
            return None  # a command, handled elsewhere
        tokens, requested = self._drop_request(tokenize(self.text, self.grammar))
        if not any(token.word for token in tokens):
            return None
        if not requested and self._is_question(tokens):
            return None
        self.tokens = tokens
        self.times = self._times(tokens)
        # Past time phrases are taken out; a future one ("next week") stays in the note.
        taken = {
            pos for time in self.times if not time.future for pos in range(time.start, time.end)
        }
        self.active = [token for token in tokens if token.pos not in taken]
        matcher = Matcher(self.grammar, self.active)
        present = forms(self.active)
        candidates: list[tuple[int, int, Rule, Match]] = []
        for order, (rule, pattern) in enumerate(self.grammar.rules):
            if pattern.anchor is not None and pattern.anchor.isdisjoint(present):
                continue  # the word it hangs on is nowhere in the sentence
            for start in range(len(self.active)):
                found = matcher.match(pattern, start)
                if found is not None:
                    candidates.append((found.start, order, rule, found))
        candidates.sort(key=lambda item: (item[0], item[1]))
        for _, _, rule, found in candidates:
            log = self._log(matcher, rule, found)
            if log is not None:
                return log
        return None

    # --- before the rules

    def _drop_request(self, tokens: list[Token]) -> tuple[list[Token], bool]:
        """Without a leading "can you log" or "please note:"; and whether there was one."""
        matcher = Matcher(self.grammar, tokens)
        start = 0
        while start < len(tokens) and (
            not tokens[start].word or key_in(tokens[start], self.vocabulary.openers)
        ):
            start += 1
        found = matcher.longest(self.grammar.requests, start)
        if found is not None and found.end < len(tokens):
            # Positions are indices into the token list, so the rest is numbered afresh.
            rest = tokens[found.end :]
            return [replace(token, pos=index) for index, token in enumerate(rest)], True
        return tokens, False

    def _is_question(self, tokens: list[Token]) -> bool:
        if tokens and tokens[-1].text == "?":
            return True
        first = next(
            (
                token
                for token in tokens
                if token.word and not key_in(token, self.vocabulary.openers)
            ),
            None,
        )
        return first is not None and first.key in self.vocabulary.question_words

    def _times(self, tokens: list[Token]) -> list[_Time]:
        """The time phrases of the sentence, the longest at each place, left to right."""
        matcher = Matcher(self.grammar, tokens)
        found: list[_Time] = []
        at = 0
        while at < len(tokens):
            best: tuple[TimePhrase, Match] | None = None
            for phrase, pattern in self.grammar.times:
                match = matcher.match(pattern, at)
                if (
                    match is not None
                    and match.end > at
                    and (best is None or match.end > best[1].end)
                ):
                    best = (phrase, match)
            if best is None:
                at += 1
                continue
            phrase, match = best
            found.append(
                _Time(
                    start=tokens[at].pos,
                    end=tokens[match.end - 1].pos + 1,
                    days=self._days(phrase, match.captures),
                    future=phrase.future,
                )
            )
            at = match.end
        return found

    def _days(self, phrase: TimePhrase, captures: Captures) -> int | None:
        if phrase.future:
            return 0
        if captures.weekday is not None:
            return (self.today.weekday() - captures.weekday) % 7 or 7
        if phrase.days is None:
            return None
        return phrase.days * (captures.number or 1)

    def _days_ago(self, before: int | None = None) -> int:
        """Days ago from the first past time phrase (before position `before`, if given)."""
        for time in self.times:
            if before is not None and time.start >= before:
                break
            if time.days is not None and not time.future:
                return time.days
        return 0

    # --- checks on a match

    def _clause_before(self, at: int) -> list[Token]:
        """The words of the clause before active token `at`, nearest first."""
        words: list[Token] = []
        for token in reversed(self.active[:at]):
            if not token.word or key_in(token, self.vocabulary.clause_words):
                break
            words.append(token)
        return words

    def _future_in_sentence(self, position: int) -> bool:
        """Whether a future time phrase ("tomorrow") is in the sentence at `position`."""
        tokens = self.tokens
        left = position
        while left > 0 and tokens[left - 1].text not in SENTENCE_ENDS:
            left -= 1
        right = position
        while right < len(tokens) and tokens[right].text not in SENTENCE_ENDS:
            right += 1
        return any(time.future and left <= time.start < right for time in self.times)

    def _allowed(self, rule: Rule, match: Match) -> bool:
        """Whether the match is a log: not negated, not an intention, not a plan."""
        vocabulary = self.vocabulary
        before = self._clause_before(match.start)
        if rule.decide is Decide.REPLY:
            return not any(key_in(token, vocabulary.negations) for token in before)
        if any(key_in(token, vocabulary.intent_words) for token in before):
            return False
        if (
            before
            and before[0].fixed == vocabulary.infinitive
            and not (len(before) > 1 and key_in(before[1], vocabulary.infinitive_done))
        ):
            return False
        words = match.captures.words
        past = any(key_in(self.active[index], vocabulary.past_forms) for index in words)
        return past or not self._future_in_sentence(self.active[match.trigger].pos)

    def _name(self, span: tuple[int, int] | None) -> str | None:
        if span is None or span[0] >= span[1]:
            return None
        raw = self.text[self.active[span[0]].start : self.active[span[1] - 1].end]
        try:
            name = clean_contact_name(raw)
        except InputError:
            return None
        key = name_key(name)
        if (
            not any(ch.isalpha() for ch in name)
            or key in self.vocabulary.not_names
            or key in self.grammar.channel_words
        ):
            return None
        return name

    # --- building the log

    def _log(self, matcher: Matcher, rule: Rule, match: Match) -> SentenceLog | None:
        name = self._name(match.captures.name)
        if name is None or not self._allowed(rule, match):
            return None
        rest = list(range(match.end, len(self.active)))
        if rule.decide is Decide.REPLY:
            return self._reply(name, match)
        kind, channel, ask = rule.kind, rule.channel, rule.ask
        obj = match.captures.obj
        if rule.decide in (Decide.OBJECT, Decide.MESSAGE) and obj is not None:
            decided = self._decide_object(matcher, obj)
            if decided.kind is Kind.GAVE and rule.decide is Decide.MESSAGE:
                return None
            if rule.kind is Kind.FOLLOW_UP:
                decided = replace(decided, kind=Kind.FOLLOW_UP)
            kind = decided.kind
            channel = decided.channel or channel
            if kind is Kind.GAVE:
                note = self._note(self._plain_rest([*range(*obj), *rest], meals=False))
                return SentenceLog(kind, name, None, None, note, self._days_ago())
            rest = decided.rest + rest
            if decided.again and kind is Kind.OUTREACH:
                kind = Kind.FOLLOW_UP
        if kind in (Kind.OUTREACH, Kind.FOLLOW_UP):
            details = self._outreach_details(rest)
            if details.again and kind is Kind.OUTREACH:
                kind = Kind.FOLLOW_UP
            return SentenceLog(
                kind,
                name,
                details.channel or channel or details.late_channel,
                ask or details.ask,
                self._note(details.rest),
                self._days_ago(),
            )
        note = self._note(self._plain_rest(rest))
        if kind is Kind.GAVE and rule.note:
            note = rule.note if note is None else f"{rule.note} {note}"
        return SentenceLog(kind, name, None, None, note, self._days_ago())

    def _reply(self, name: str, match: Match) -> SentenceLog:
        """A reply: its kind from the words; its note what follows the first comma or colon."""
        tokens = self.tokens
        after = self.active[match.end - 1].pos + 1 if match.end else 0
        brk = next((t.pos for t in tokens[after:] if is_break(t)), None)
        note = None if brk is None else self._note_from(tokens, range(brk + 1, len(tokens)))
        return SentenceLog(
            self._reply_kind(match), name, None, None, note, self._days_ago(before=brk)
        )

    def _reply_kind(self, match: Match) -> Kind:
        """Positive, declined or later, from the words from the verb on (not the name)."""
        name = match.captures.name or (0, 0)
        skipped = {self.active[index].pos for index in range(*name)}
        start = self.active[match.trigger].pos
        words = [token for token in self.tokens[start:] if token.pos not in skipped]
        matcher = Matcher(self.grammar, words)
        masked: set[int] = set()
        for at in range(len(words)):
            found = matcher.longest(self.grammar.reply_positive, at)
            if found is not None:
                masked.update(range(at, found.end))

        def said(patterns: tuple[Pattern, ...]) -> bool:
            for at in range(len(words)):
                found = matcher.longest(patterns, at)
                if found is not None and not masked.intersection(range(at, found.end)):
                    return True
            return False

        if said(self.grammar.reply_later):
            return Kind.REPLY_LATER
        if said(self.grammar.reply_declined):
            return Kind.REPLY_DECLINED
        return Kind.REPLY_POSITIVE

    def _decide_object(self, matcher: Matcher, span: tuple[int, int]) -> _Decided:
        """What was sent decides the kind: a message, a follow-up, one's own CV, or a gift."""
        vocabulary = self.vocabulary
        grammar = self.grammar
        tokens = matcher.tokens
        start, end = span
        channel: Channel | None = None
        again = False
        # "my CV", "the link to my portfolio": about oneself, so an outreach rather than a give.
        own = any(
            key_in(tokens[index], vocabulary.own_items)
            and any(tokens[before].fixed == vocabulary.own_marker for before in range(start, index))
            for index in range(start, end)
        )
        for index in range(start, end):
            token = tokens[index]
            if key_in(token, vocabulary.gift_words) or (
                own and key_in(token, vocabulary.own_items)
            ):
                if own:
                    return _Decided(Kind.OUTREACH, None, list(range(start, end)), False)
                return _Decided(Kind.GAVE, None, [], False)
            found_channel = matcher.phrase_at(index, grammar.channel_words, 3)
            noun = matcher.phrase_at(index, grammar.message_nouns, 3)
            if noun is not None and (found_channel is None or found_channel[1] <= noun[1]):
                (kind, noun_channel), noun_end = noun
                if self._gift_follows(tokens, noun_end, end):
                    return _Decided(Kind.GAVE, None, [], False)
                return _Decided(kind, channel or noun_channel, list(range(noun_end, end)), again)
            if found_channel is not None and channel is None:
                channel = found_channel[0]
            if key_in(token, vocabulary.repeat_words):
                again = True
        return _Decided(Kind.GAVE, None, [], False)

    def _gift_follows(self, tokens: Sequence[Token], at: int, end: int) -> bool:
        """ "a message with the article": the message carried a gift."""
        vocabulary = self.vocabulary
        if at >= end or not key_in(tokens[at], vocabulary.with_words):
            return False
        return any(key_in(tokens[index], vocabulary.gift_words) for index in range(at, end))

    def _outreach_details(self, rest: list[int]) -> _Details:
        """The channel, the ask and "again" after an outreach; the other words are the note.

        After a colon or a dash the words are the user's own: still read, but kept.
        """
        matcher = Matcher(self.grammar, self.active)
        tokens = self.active
        channel: Channel | None = None
        late_channel: Channel | None = None
        ask: Ask | None = None
        again = False
        kept: list[int] = []  # positions in `rest`
        inner: list[int] = []  # ask words: kept too when they sit between kept words
        after_break = False
        position = 0
        while position < len(rest):
            index = rest[position]
            size = 0
            if is_note_break(tokens[index]):
                after_break = True
            elif not after_break and (found := self._again_at(matcher, index)):
                again, size = True, found
            elif (
                found_channel := self._channel_at(matcher, index, first=position == 0)
            ) is not None:
                size = found_channel[1] - index
                if after_break:
                    late_channel = late_channel or found_channel[0]
                else:
                    channel = channel or found_channel[0]
            elif (found_ask := self._ask_at(matcher, index)) is not None:
                ask = ask or found_ask[0]
                size = found_ask[1] - index
                inner.extend(range(position, min(position + size, len(rest))))
            elif position == 0 and key_in(tokens[index], self.vocabulary.dropped_words):
                size = 1
            if size and not after_break:
                position += size
                continue
            size = max(size, 1)
            kept.extend(range(position, min(position + size, len(rest))))
            position += size
        return _Details(channel, late_channel, ask, again, _joined(rest, kept, inner))

    def _ask_at(self, matcher: Matcher, at: int) -> tuple[Ask, int] | None:
        """The longest ask phrase at `at` ("for a referral", "to pick her brain"), and its end."""
        best: tuple[Ask, int] | None = None
        for pattern, fixed_ask in self.grammar.asks:
            found = matcher.match(pattern, at)
            if found is None or found.end <= at or (best is not None and found.end <= best[1]):
                continue
            ask = fixed_ask or found.captures.ask
            if ask is not None:
                best = (ask, found.end)
        return best

    def _again_at(self, matcher: Matcher, at: int) -> int:
        found = matcher.phrase_at(at, self.grammar.again_words, 4)
        return 0 if found is None else found[1] - at

    def _channel_at(self, matcher: Matcher, at: int, *, first: bool) -> tuple[Channel, int] | None:
        """ "on LinkedIn", "via e-mail", "in person", or a bare "linkedin" right after the name."""
        tokens = matcher.tokens
        vocabulary = self.vocabulary
        words = self.grammar.channel_words
        token = tokens[at]
        if not token.word:
            return None
        if key_in(token, vocabulary.channel_markers):
            after = at + 1
            if after < len(tokens) and key_in(tokens[after], vocabulary.articles):
                found = matcher.phrase_at(after + 1, words, 3)
                if found is not None:
                    return found
            found = matcher.phrase_at(after, words, 3)
            if found is not None:
                return found
        found = matcher.phrase_at(at, words, 3)
        if found is not None and (
            found[1] - at > 1 or (first and key_in(token, vocabulary.bare_channel_words))
        ):
            return found
        return None

    def _plain_rest(self, rest: list[int], *, meals: bool = True) -> list[int]:
        """What follows a chat or a give, without the channel ("on Zoom"), "again" and
        "for coffee" (all kept after a colon or a dash).
        """
        matcher = Matcher(self.grammar, self.active)
        tokens = self.active
        kept: list[int] = []  # positions in `rest`
        inner: list[int] = []  # meal words: kept too when they sit between kept words
        position = 0
        while position < len(rest):
            index = rest[position]
            if is_note_break(tokens[index]):
                kept.extend(range(position, len(rest)))
                break
            size = self._again_at(matcher, index)
            if not size and (found := self._channel_at(matcher, index, first=False)):
                size = found[1] - index
            if not size and meals and key_in(tokens[index], self.vocabulary.meal_markers):
                size = self._meal_length(index)
                inner.extend(range(position, position + size))
            if not size and position == 0 and key_in(tokens[index], self.vocabulary.dropped_words):
                size = 1
            if size:
                position += size
                continue
            kept.append(position)
            position += 1
        return _joined(rest, kept, inner)

    def _meal_length(self, at: int) -> int:
        """ "for a quick coffee" after a chat: how many words, or 0."""
        tokens = self.active
        vocabulary = self.vocabulary
        index = at + 1
        while (
            index < len(tokens)
            and not key_in(tokens[index], vocabulary.meal_words)
            and (
                key_in(tokens[index], vocabulary.articles)
                or key_in(tokens[index], vocabulary.ask_adjectives)
            )
        ):
            index += 1
        if index < len(tokens) and key_in(tokens[index], vocabulary.meal_words):
            return index + 1 - at
        return 0

    def _note(self, indices: Sequence[int]) -> str | None:
        return self._note_from(self.active, indices)

    def _note_from(
        self, tokens: Sequence[Token], indices: Iterator[int] | Sequence[int] | range
    ) -> str | None:
        """The words at `indices` as written: runs of neighbours kept together, edges tidied.

        None when nothing but punctuation and little words ("for", "and") is left.
        """
        chosen = [tokens[index] for index in sorted(set(indices)) if index < len(tokens)]
        if not any(
            token.word and not key_in(token, self.vocabulary.function_words) for token in chosen
        ):
            return None
        pieces: list[str] = []
        run: list[Token] = []
        for token in chosen:
            if run and token.pos != run[-1].pos + 1:
                pieces.append(self.text[run[0].start : run[-1].end])
                run = []
            run.append(token)
        if run:
            pieces.append(self.text[run[0].start : run[-1].end])
        return shorten(_tidy(" ".join(pieces)), MAX_NOTE_LENGTH) or None


def _joined(rest: list[int], kept: list[int], inner: list[int]) -> list[int]:
    """The note's words of `rest`: the kept positions, and the `inner` ones (an ask) that sit
    between two kept words. An ask is taken out of a note only at its edges, never from the
    middle of the user's phrase: "asked to chat to someone in their team" stays whole."""
    if not kept:
        return []
    first, last = min(kept), max(kept)
    chosen = set(kept) | {position for position in inner if first < position < last}
    return [rest[position] for position in sorted(chosen)]


def _tidy(note: str) -> str:
    """Spaces collapsed, punctuation trimmed from the edges, unpaired brackets dropped."""
    note = " ".join(note.split()).strip(_EDGE)
    if note.startswith("(") and note.endswith(")") and note.count("(") == 1:
        note = note[1:-1]
    if note.startswith("(") and ")" not in note:
        note = note[1:]
    if note.endswith(")") and "(" not in note:
        note = note[:-1]
    return note.strip(_EDGE)
