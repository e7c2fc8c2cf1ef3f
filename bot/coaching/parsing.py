"""Parsers for the arguments of the logging commands (/add, /reach, /reply, /chat, /gave).

Each takes the text after the command and returns a frozen dataclass, or raises InputError
with a short hint and an example that works. Names are cleaned, not matched: matching them
to contacts is the caller's job (see bot.coaching.names.match_contacts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from bot.coaching.domain import MAX_NOTE_LENGTH, Ask, Channel, Kind, Tier
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name, name_key, split_names

ADD_USAGE = "/add Ana López warm - met at PyCon"
REACH_USAGE = "/reach Ana via linkedin advice - asked about the PM role"
REPLY_USAGE = "/reply Ana positive (or declined, or later)"
CHAT_USAGE = "/chat Ana - she suggested talking to her manager"
GAVE_USAGE = "/gave Ana - shared an article on hiring"

_T = TypeVar("_T")


@dataclass(frozen=True)
class AddArgs:
    """What /add was asked to save."""

    name: str
    tier: Tier
    note: str | None


@dataclass(frozen=True)
class ReachArgs:
    """An outreach to log. `channel` is a message unless said; `channel_given` tells whether it
    was (a follow-up then goes by the channel of the outreach it follows)."""

    name: str
    channel: Channel
    ask: Ask | None
    note: str | None
    channel_given: bool = field(default=True, compare=False)


@dataclass(frozen=True)
class ReplyArgs:
    """A response to log."""

    name: str
    kind: Kind
    note: str | None = None


@dataclass(frozen=True)
class ChatArgs:
    """A coffee chat held."""

    name: str
    note: str | None


@dataclass(frozen=True)
class GaveArgs:
    """Something the user gave a contact."""

    name: str
    what: str


# Words are compared by their name_key, so "LinkedIn", "linkedin" and "LİNKEDİN" all match.
TIER_WORDS: Mapping[str, Tier] = {
    "warm": Tier.WARM,
    "friend": Tier.WARM,
    "friends": Tier.WARM,
    "family": Tier.WARM,
    "first": Tier.FIRST,
    "1st": Tier.FIRST,
    "first degree": Tier.FIRST,
    "1st degree": Tier.FIRST,
    "second": Tier.SECOND,
    "2nd": Tier.SECOND,
    "second degree": Tier.SECOND,
    "2nd degree": Tier.SECOND,
    "third": Tier.THIRD,
    "3rd": Tier.THIRD,
    "third degree": Tier.THIRD,
    "3rd degree": Tier.THIRD,
    "intro": Tier.INTRO,
    "introduced": Tier.INTRO,
    "introduction": Tier.INTRO,
}

CHANNEL_WORDS: Mapping[str, Channel] = {
    "linkedin": Channel.LINKEDIN,
    "linked in": Channel.LINKEDIN,
    "li": Channel.LINKEDIN,
    "inmail": Channel.INMAIL,
    "in mail": Channel.INMAIL,
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "mail": Channel.EMAIL,
    "call": Channel.CALL,
    "phone": Channel.CALL,
    "phone call": Channel.CALL,
    "video call": Channel.CALL,
    "zoom": Channel.CALL,
    "message": Channel.MESSAGE,
    "msg": Channel.MESSAGE,
    "text": Channel.MESSAGE,
    "sms": Channel.MESSAGE,
    "whatsapp": Channel.MESSAGE,
    "dm": Channel.MESSAGE,
    "telegram": Channel.MESSAGE,
    "signal": Channel.MESSAGE,
    "in person": Channel.IN_PERSON,
    "in_person": Channel.IN_PERSON,
    "in-person": Channel.IN_PERSON,
    "irl": Channel.IN_PERSON,
    "met": Channel.IN_PERSON,
    "face to face": Channel.IN_PERSON,
    "other": Channel.OTHER,
}

# Channel words that are never part of a name, so "/reach Ana linkedin" needs no "via".
_BARE_CHANNEL_WORDS = frozenset(
    {
        "linkedin",
        "inmail",
        "email",
        "e-mail",
        "whatsapp",
        "telegram",
        "sms",
        "irl",
        "in_person",
        "in person",
        "face to face",
    }
)
# Words that introduce a channel. Only "via" insists that a channel follows.
_CHANNEL_MARKERS = frozenset({"via", "on", "by", "over", "through"})

ASK_WORDS: Mapping[str, Ask] = {
    "help": Ask.HELP,
    "offer": Ask.HELP,
    "offer help": Ask.HELP,
    "offered help": Ask.HELP,
    "advice": Ask.ADVICE,
    "intro": Ask.INTRO,
    "introduction": Ask.INTRO,
    "coffee": Ask.COFFEE,
    "chat": Ask.COFFEE,
    "coffee chat": Ask.COFFEE,
    "referral": Ask.REFERRAL,
    "refer": Ask.REFERRAL,
    "apply": Ask.REFERRAL,
}
# Filler before an ask: "/reach Ana via email for advice", "... for a coffee".
_ASK_FILLERS = frozenset({"for", "ask", "asked", "asking", "about", "a", "an", "to"})

REPLY_WORDS: Mapping[str, Kind] = {
    "positive": Kind.REPLY_POSITIVE,
    "yes": Kind.REPLY_POSITIVE,
    "good": Kind.REPLY_POSITIVE,
    "great": Kind.REPLY_POSITIVE,
    "ok": Kind.REPLY_POSITIVE,
    "replied": Kind.REPLY_POSITIVE,
    "declined": Kind.REPLY_DECLINED,
    "decline": Kind.REPLY_DECLINED,
    "no": Kind.REPLY_DECLINED,
    "said no": Kind.REPLY_DECLINED,
    "rejected": Kind.REPLY_DECLINED,
    "negative": Kind.REPLY_DECLINED,
    "pass": Kind.REPLY_DECLINED,
    "passed": Kind.REPLY_DECLINED,
    "later": Kind.REPLY_LATER,
    "maybe": Kind.REPLY_LATER,
    "busy": Kind.REPLY_LATER,
    "not now": Kind.REPLY_LATER,
    "not yet": Kind.REPLY_LATER,
}

# A note follows a dash with spaces around it (" - ", " -- "), or an em or en dash.
# "Ana-Maria" keeps its hyphen.
_NOTE_SEPARATOR = re.compile(r"(?:^|\s)-{1,2}(?:\s|$)|\s*[—–]\s*")
_COMMAND_PREFIX = re.compile(r"^/\w+(?:@\w+)?(?:\s+|$)")
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'"


def parse_add_args(text: str) -> AddArgs:
    """Read `/add NAME [tier] [- note]`, e.g. "Ana López warm - met at PyCon".

    The tier defaults to warm: most people start with people they already know.
    """
    head, note = _split_note(_arguments(text, ADD_USAGE))
    return _add_one(head, note)


def parse_add_list(text: str) -> tuple[list[AddArgs], list[str]]:
    """Read `/add NAME [tier], NAME [tier]... [- note]`: "Rui, Carla Mendes first - PyCon".

    The names are split as onboarding splits them (split_names: commas, new lines, "and");
    each may end with its tier and the note goes with each. Returns the names read, and a hint
    for each part that is not one.
    """
    head, note = _split_note(_arguments(text, ADD_USAGE))
    names: list[AddArgs] = []
    problems: list[str] = []
    for part in split_names(head) or [head]:
        try:
            names.append(_add_one(part, note))
        except InputError as error:
            problems.append(error.message)
    return names, problems


def _add_one(head: str, note: str | None) -> AddArgs:
    words = head.split()
    if not words or _is_only(words, TIER_WORDS):
        raise InputError(f"Who should I add? Put the name first, for example: {ADD_USAGE}")
    tier = Tier.WARM
    if (found := _peel_phrase(words, TIER_WORDS)) is not None:
        words, tier = found
    return AddArgs(name=_name(words, ADD_USAGE), tier=tier, note=note)


def parse_reach_args(text: str) -> ReachArgs:
    """Read `/reach NAME [via CHANNEL] [ask] [- note]`, e.g. "Ana via linkedin advice".

    The channel defaults to a message; the ask is None when not given.
    """
    head, note = _split_note(_arguments(text, REACH_USAGE))
    words = head.split()
    who = f"Who did you reach out to? Name first, for example: {REACH_USAGE}"
    if not words or _is_only(words, ASK_WORDS) or _is_only(words, CHANNEL_WORDS):
        raise InputError(who)
    channel: Channel | None = None
    ask: Ask | None = None

    via = _last_index(words, "via")
    if via == 0:
        raise InputError(who)
    if via is not None:
        tail = words[via + 1 :]
        words = words[:via]
        found_channel = _peel_leading_phrase(tail, CHANNEL_WORDS)
        if found_channel is None:
            raise InputError(
                f"I don't know the channel “{' '.join(tail) or '…'}”. Try one of: "
                f"{_channel_list()}. For example: {REACH_USAGE}"
            )
        tail, channel = found_channel
        if tail:
            ask = _whole_ask(tail)
            if ask is None:
                raise InputError(
                    f"I didn't catch the ask “{' '.join(tail)}”. Asks go from small to bold: "
                    f"{_ask_list()}. For example: {REACH_USAGE}"
                )

    # Without "via" (or before it), peel an ask and a channel off the end, in either order.
    for _ in range(2):
        if ask is None and (found_ask := _peel_ask(words)) is not None:
            words, ask = found_ask
        if channel is None and (found_channel := _peel_channel(words)) is not None:
            words, channel = found_channel

    return ReachArgs(
        name=_name(words, REACH_USAGE),
        channel=channel or Channel.MESSAGE,
        ask=ask,
        note=note,
        channel_given=channel is not None,
    )


def parse_reply_args(text: str) -> ReplyArgs:
    """Read `/reply NAME [positive|declined|later] [- note]`; a reply is positive by default."""
    head, note = _split_note(_arguments(text, REPLY_USAGE))
    words = head.split()
    if not words or _is_only(words, REPLY_WORDS):
        raise InputError(f"Who replied? Name first, for example: {REPLY_USAGE}")
    kind = Kind.REPLY_POSITIVE
    if (found := _peel_phrase(words, REPLY_WORDS)) is not None:
        words, kind = found
    return ReplyArgs(name=_name(words, REPLY_USAGE), kind=kind, note=note)


def parse_chat_args(text: str) -> ChatArgs:
    """Read `/chat NAME [- notes]`, e.g. "Ana - she suggested talking to her manager"."""
    head, note = _split_note(_arguments(text, CHAT_USAGE))
    words = head.split()
    if not words:
        raise InputError(f"Who did you have the chat with? For example: {CHAT_USAGE}")
    return ChatArgs(name=_name(words, CHAT_USAGE), note=note)


def parse_gave_args(text: str, known_names: Sequence[str] = ()) -> GaveArgs:
    """Read `/gave NAME WHAT`: the longest known name at the start, else "NAME - WHAT", else
    the first word is the name.
    """
    body = _arguments(text, GAVE_USAGE)
    words = body.split()
    known = _longest_known_prefix(words, known_names)
    if known is not None:
        name, size = known
        rest = " ".join(words[size:])
        separator = _NOTE_SEPARATOR.match(rest)
        what = _clean_note(rest[separator.end() :] if separator else rest)
    elif _NOTE_SEPARATOR.search(body):
        head, what = _split_note(body)
        if not head.split():
            raise InputError(f"Who did you give something to? For example: {GAVE_USAGE}")
        name = _name(head.split(), GAVE_USAGE)
    else:
        name = _name(words[:1], GAVE_USAGE)
        what = _clean_note(" ".join(words[1:]))

    if not what:
        raise InputError(
            f"What did you give {name}? Add it after the name, for example: {GAVE_USAGE}"
        )
    return GaveArgs(name=name, what=what)


# --- helpers ---------------------------------------------------------------------------


def _arguments(text: str, usage: str) -> str:
    """The text after the command (a leading "/cmd" or "/cmd@bot" is dropped)."""
    body = _COMMAND_PREFIX.sub("", text.strip(), count=1).strip()
    if not body:
        raise InputError(f"Tell me who, for example: {usage}")
    return body


def _split_note(body: str) -> tuple[str, str | None]:
    match = _NOTE_SEPARATOR.search(body)
    if match is None:
        return body, None
    return body[: match.start()], _clean_note(body[match.end() :])


def _clean_note(raw: str) -> str | None:
    """A note with its lines kept but invisible control characters dropped; None if empty."""
    lines = [
        "".join(ch for ch in line if unicodedata.category(ch) != "Cc").strip()
        for line in raw.splitlines()
    ]
    note = "\n".join(line for line in lines if line).strip()
    if not note:
        return None
    if len(note) > MAX_NOTE_LENGTH:
        raise InputError(
            f"That note is {len(note)} characters; notes can be up to {MAX_NOTE_LENGTH}. "
            "Nothing was saved yet: send it again with a shorter note."
        )
    return note


def _name(words: Sequence[str], usage: str) -> str:
    try:
        return clean_contact_name(" ".join(words))
    except InputError as error:
        raise InputError(f"{error.message}\nFor example: {usage}") from None


def _word_key(word: str) -> str:
    return name_key(word.strip(_EDGE_PUNCTUATION))


def _peel_phrase(words: list[str], table: Mapping[str, _T]) -> tuple[list[str], _T] | None:
    """Match the last one to three words against `table`; keep at least one word as a name."""
    for size in (3, 2, 1):
        if len(words) <= size:
            continue
        phrase = " ".join(_word_key(word) for word in words[-size:])
        if phrase in table:
            return words[:-size], table[phrase]
    return None


def _peel_leading_phrase(words: list[str], table: Mapping[str, _T]) -> tuple[list[str], _T] | None:
    for size in (3, 2, 1):
        if len(words) < size:
            continue
        phrase = " ".join(_word_key(word) for word in words[:size])
        if phrase in table:
            return words[size:], table[phrase]
    return None


def _is_only(words: list[str], table: Mapping[str, object]) -> bool:
    return " ".join(_word_key(word) for word in words) in table


def _whole_ask(words: list[str]) -> Ask | None:
    """`words` as one ask, with an optional "for"/"asking" before it: "for coffee chat"."""
    keys = [_word_key(word) for word in words]
    while len(keys) > 1 and keys[0] in _ASK_FILLERS:
        keys = keys[1:]
    return ASK_WORDS.get(" ".join(keys))


def _peel_ask(words: list[str]) -> tuple[list[str], Ask] | None:
    """An ask at the end of `words`, with an optional "for"/"asking" before it."""
    found = _peel_phrase(words, ASK_WORDS)
    if found is None:
        return None
    rest, ask = found
    while len(rest) > 1 and _word_key(rest[-1]) in _ASK_FILLERS:
        rest = rest[:-1]
    return rest, ask


def _peel_channel(words: list[str]) -> tuple[list[str], Channel] | None:
    """A channel at the end of `words`: after "on"/"by"/"over", or a word no name has."""
    for size in (3, 2, 1):
        if len(words) <= size:
            continue
        phrase = " ".join(_word_key(word) for word in words[-size:])
        if phrase not in CHANNEL_WORDS:
            continue
        before = words[:-size]
        if len(before) > 1 and _word_key(before[-1]) in _CHANNEL_MARKERS:
            return before[:-1], CHANNEL_WORDS[phrase]
        if phrase in _BARE_CHANNEL_WORDS:
            return before, CHANNEL_WORDS[phrase]
    return None


def _last_index(words: Sequence[str], wanted: str) -> int | None:
    for index in range(len(words) - 1, -1, -1):
        if _word_key(words[index]) == wanted:
            return index
    return None


def _longest_known_prefix(
    words: Sequence[str], known_names: Sequence[str]
) -> tuple[str, int] | None:
    """The longest known name the words start with, and how many words it took."""
    keys = [_word_key(word) for word in words]
    best: tuple[str, int] | None = None
    for known in known_names:
        known_words = name_key(known).split()
        size = len(known_words)
        if not size or size > len(keys):
            continue
        if keys[:size] == known_words and (best is None or size > best[1]):
            best = (known, size)
    return best


def _channel_list() -> str:
    return ", ".join(channel.value.replace("_", " ") for channel in Channel)


def _ask_list() -> str:
    return ", ".join(ask.value for ask in Ask)
