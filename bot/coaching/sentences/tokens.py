"""A sentence as tokens: words and clause punctuation with their places in the text, each
word keyed for comparison and, when it is one typo away from a vocabulary word, corrected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.coaching.names import name_key
from bot.coaching.sentences.grammar import BREAKS, SENTENCE_ENDS, Grammar

# Words this long or longer may carry one typo ("mesaged", "linkdin", "cofee").
MIN_TYPO_LENGTH = 5

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_SLASH_WITH = re.compile(r"\b([wW])/(?=\S)")
_DIGITS_AND_WORD = re.compile(r"([0-9]+)([^\W\d_]+)")


@dataclass(frozen=True, slots=True)
class Token:
    """A word or a clause-breaking punctuation mark of a sentence."""

    text: str  # as written
    key: str  # compared form: casefolded, no accents, abbreviations expanded
    fixed: str  # the key, or the vocabulary word it is one typo away from
    start: int
    end: int
    pos: int  # index among all the tokens of the sentence
    word: bool  # False for punctuation
    initial: bool  # first word of the text or of a sentence

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def lowercase(self) -> bool:
        return self.text[:1].islower()


def normalize(text: str) -> str:
    """The text in NFC, with one kind of apostrophe and "w/Ana" spaced as "w/ Ana"."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return _SLASH_WITH.sub(r"\1/ ", text)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def tokenize(text: str, grammar: Grammar) -> list[Token]:
    """Words and clause punctuation, with their places in `text`; decoration is dropped."""
    vocabulary = grammar.vocabulary
    pieces: list[tuple[str, int, bool]] = []  # text, start, is a word
    for chunk in re.finditer(r"\S+", text):
        start, end = chunk.span()
        head = start
        while head < end and not _is_word_char(text[head]):
            pieces.append((text[head], head, False))
            head += 1
        tail = end
        while tail > head and not _is_word_char(text[tail - 1]):
            tail -= 1
        if tail < end and text[tail] == "." and name_key(text[head:tail]) in vocabulary.titles:
            tail += 1  # "Dr." keeps its full stop
        if head < tail:
            pieces.extend(_split_word(text[head:tail], head, grammar))
        pieces.extend((text[index], index, False) for index in range(tail, end))

    tokens: list[Token] = []
    sentence_start = True
    for piece, start, is_word in pieces:
        key = name_key(piece)
        if not is_word and piece not in BREAKS:
            expanded = vocabulary.abbreviations.get(piece)
            if expanded is None:
                continue  # emoji, quotes and other decoration
            key, is_word = expanded, True
        elif is_word:
            key = vocabulary.abbreviations.get(key, key)
        token = Token(
            text=piece,
            key=key,
            fixed=key,
            start=start,
            end=start + len(piece),
            pos=len(tokens),
            word=is_word,
            initial=sentence_start and is_word,
        )
        if is_word and key not in grammar.lexicon:
            token = _with_fixed(token, grammar)
        tokens.append(token)
        if is_word:
            sentence_start = False
        elif piece in SENTENCE_ENDS or piece == ":":
            sentence_start = True
    return tokens


def _split_word(word: str, start: int, grammar: Grammar) -> Iterator[tuple[str, int, bool]]:
    """A word as pieces: "Ana's" and "she'd" lose their clitic, "follow-up" and "2days" are
    split when their parts are vocabulary words, "Ana-Maria" stays whole.
    """
    vocabulary = grammar.vocabulary
    base, clitic = word, ""
    lowered = word.lower()
    for candidate in sorted(vocabulary.clitics, key=len, reverse=True):
        if lowered.endswith(candidate) and len(word) > len(candidate):
            stem = word[: -len(candidate)]
            if candidate == vocabulary.possessive or name_key(stem) in grammar.stop_words:
                base, clitic = stem, word[-len(candidate) :]
            break
    parts = base.split("-")
    if len(parts) > 1 and all(name_key(part) in grammar.lexicon for part in parts if part):
        offset = start
        for part in parts:
            if part:
                yield part, offset, True
            offset += len(part) + 1
    elif (digits := _DIGITS_AND_WORD.fullmatch(base)) and name_key(digits[2]) in grammar.lexicon:
        yield digits[1], start, True
        yield digits[2], start + len(digits[1]), True
    else:
        yield base, start, True
    if clitic:
        yield clitic, start + len(base), True


def _with_fixed(token: Token, grammar: Grammar) -> Token:
    """The token with `fixed` set to the vocabulary word it is one typo away from, if any.

    Capitalised words inside a sentence are names, never typos.
    """
    key = token.key
    if len(key) < MIN_TYPO_LENGTH or (token.capitalized and not token.initial):
        return token
    if not all(ch.isalpha() or ch in "'-" for ch in key):
        return token
    best = process.extractOne(key, grammar.typo_targets, scorer=OSA.distance, score_cutoff=1)
    if best is None:
        return token
    return replace(token, fixed=best[0])
