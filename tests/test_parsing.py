"""Parsing the arguments of /add, /reach, /reply, /chat and /gave."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.domain import MAX_NOTE_LENGTH, Ask, Channel, Kind, Tier
from bot.coaching.errors import InputError
from bot.coaching.parsing import (
    AddArgs,
    ChatArgs,
    GaveArgs,
    ReachArgs,
    ReplyArgs,
    parse_add_args,
    parse_chat_args,
    parse_gave_args,
    parse_reach_args,
    parse_reply_args,
)

# --- /add ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana López warm - met at PyCon", AddArgs("Ana López", Tier.WARM, "met at PyCon")),
        ("Bob first", AddArgs("Bob", Tier.FIRST, None)),
        ("Priya", AddArgs("Priya", Tier.WARM, None)),
        ("Sam intro", AddArgs("Sam", Tier.INTRO, None)),
        ("Sam introduced", AddArgs("Sam", Tier.INTRO, None)),
        ("Bob 1st", AddArgs("Bob", Tier.FIRST, None)),
        ("Bob 1st degree", AddArgs("Bob", Tier.FIRST, None)),
        ("Kim 2nd", AddArgs("Kim", Tier.SECOND, None)),
        ("Kim second", AddArgs("Kim", Tier.SECOND, None)),
        ("Lee 3rd", AddArgs("Lee", Tier.THIRD, None)),
        ("Lee Third", AddArgs("Lee", Tier.THIRD, None)),
        ("Mum friend", AddArgs("Mum", Tier.WARM, None)),
        ("Ana (warm)", AddArgs("Ana", Tier.WARM, None)),
        ("Ana WARM", AddArgs("Ana", Tier.WARM, None)),
        ("Ana López - old boss", AddArgs("Ana López", Tier.WARM, "old boss")),
        ("Ana López — old boss", AddArgs("Ana López", Tier.WARM, "old boss")),
        ("Ana López – old boss", AddArgs("Ana López", Tier.WARM, "old boss")),
        ("Ana López—old boss", AddArgs("Ana López", Tier.WARM, "old boss")),
        ("Ana López -- old boss", AddArgs("Ana López", Tier.WARM, "old boss")),
        ("Ana López first - ex-colleague", AddArgs("Ana López", Tier.FIRST, "ex-colleague")),
        ("Ana-Maria Pop", AddArgs("Ana-Maria Pop", Tier.WARM, None)),
        ("Ana -", AddArgs("Ana", Tier.WARM, None)),
        ("Ana - met at PyCon - great talk", AddArgs("Ana", Tier.WARM, "met at PyCon - great talk")),
        ("Ana - line one\nline two", AddArgs("Ana", Tier.WARM, "line one\nline two")),
        ("José Núñez second", AddArgs("José Núñez", Tier.SECOND, None)),
        ("מרים כהן warm", AddArgs("מרים כהן", Tier.WARM, None)),
        ("محمد علي 2nd - زميل", AddArgs("محمد علي", Tier.SECOND, "زميل")),
        ("Ana 🚀 intro", AddArgs("Ana 🚀", Tier.INTRO, None)),
        ("李雷", AddArgs("李雷", Tier.WARM, None)),
        ("/add Ana warm", AddArgs("Ana", Tier.WARM, None)),
        ("/add@OutreachCoachBot Ana 2nd", AddArgs("Ana", Tier.SECOND, None)),
        ("  Ana   López   ", AddArgs("Ana López", Tier.WARM, None)),
    ],
)
def test_parse_add_args(text: str, expected: AddArgs) -> None:
    assert parse_add_args(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "/add Ana"),
        ("   ", "/add Ana"),
        ("/add", "/add Ana"),
        ("warm", "Who should I add"),
        ("- just a note", "Who should I add"),
        ("?? warm", "letter"),
        ("a" * 65, "64"),
        ("Ana - " + "x" * (MAX_NOTE_LENGTH + 1), "Nothing was saved"),
    ],
)
def test_parse_add_args_refuses(text: str, says: str) -> None:
    with pytest.raises(InputError, match=says) as caught:
        parse_add_args(text)
    assert "/add" in caught.value.message or "Nothing was saved" in caught.value.message


def test_long_note_says_the_limit() -> None:
    with pytest.raises(InputError, match=str(MAX_NOTE_LENGTH)):
        parse_add_args("Ana - " + "x" * (MAX_NOTE_LENGTH + 1))
    assert parse_add_args("Ana - " + "x" * MAX_NOTE_LENGTH).note == "x" * MAX_NOTE_LENGTH


# --- /reach ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ana via linkedin advice - asked about PM role",
            ReachArgs("Ana", Channel.LINKEDIN, Ask.ADVICE, "asked about PM role"),
        ),
        ("Bob via email", ReachArgs("Bob", Channel.EMAIL, None, None)),
        ("Priya coffee", ReachArgs("Priya", Channel.MESSAGE, Ask.COFFEE, None)),
        ("Sam", ReachArgs("Sam", Channel.MESSAGE, None, None)),
        ("Ana López via LinkedIn", ReachArgs("Ana López", Channel.LINKEDIN, None, None)),
        ("Ana via li", ReachArgs("Ana", Channel.LINKEDIN, None, None)),
        ("Ana via inmail referral", ReachArgs("Ana", Channel.INMAIL, Ask.REFERRAL, None)),
        ("Ana via mail", ReachArgs("Ana", Channel.EMAIL, None, None)),
        ("Ana via e-mail", ReachArgs("Ana", Channel.EMAIL, None, None)),
        ("Ana via phone", ReachArgs("Ana", Channel.CALL, None, None)),
        ("Ana via call help", ReachArgs("Ana", Channel.CALL, Ask.HELP, None)),
        ("Ana via text", ReachArgs("Ana", Channel.MESSAGE, None, None)),
        ("Ana via sms", ReachArgs("Ana", Channel.MESSAGE, None, None)),
        ("Ana via WhatsApp", ReachArgs("Ana", Channel.MESSAGE, None, None)),
        ("Ana via dm", ReachArgs("Ana", Channel.MESSAGE, None, None)),
        ("Ana via telegram", ReachArgs("Ana", Channel.MESSAGE, None, None)),
        ("Ana via in person", ReachArgs("Ana", Channel.IN_PERSON, None, None)),
        ("Ana via in_person", ReachArgs("Ana", Channel.IN_PERSON, None, None)),
        ("Ana via irl coffee", ReachArgs("Ana", Channel.IN_PERSON, Ask.COFFEE, None)),
        ("Ana via met", ReachArgs("Ana", Channel.IN_PERSON, None, None)),
        ("Ana via other", ReachArgs("Ana", Channel.OTHER, None, None)),
        ("Ana via in person coffee chat", ReachArgs("Ana", Channel.IN_PERSON, Ask.COFFEE, None)),
        ("Ana via email for advice", ReachArgs("Ana", Channel.EMAIL, Ask.ADVICE, None)),
        ("Ana advice via email", ReachArgs("Ana", Channel.EMAIL, Ask.ADVICE, None)),
        ("Ana offer", ReachArgs("Ana", Channel.MESSAGE, Ask.HELP, None)),
        ("Ana help", ReachArgs("Ana", Channel.MESSAGE, Ask.HELP, None)),
        ("Ana intro", ReachArgs("Ana", Channel.MESSAGE, Ask.INTRO, None)),
        ("Ana introduction", ReachArgs("Ana", Channel.MESSAGE, Ask.INTRO, None)),
        ("Ana chat", ReachArgs("Ana", Channel.MESSAGE, Ask.COFFEE, None)),
        ("Ana coffee chat", ReachArgs("Ana", Channel.MESSAGE, Ask.COFFEE, None)),
        ("Ana refer", ReachArgs("Ana", Channel.MESSAGE, Ask.REFERRAL, None)),
        ("Ana apply", ReachArgs("Ana", Channel.MESSAGE, Ask.REFERRAL, None)),
        ("Ana for a coffee", ReachArgs("Ana", Channel.MESSAGE, Ask.COFFEE, None)),
        ("Ana on linkedin", ReachArgs("Ana", Channel.LINKEDIN, None, None)),
        ("Ana on linkedin for advice", ReachArgs("Ana", Channel.LINKEDIN, Ask.ADVICE, None)),
        ("Ana by phone", ReachArgs("Ana", Channel.CALL, None, None)),
        ("Ana linkedin", ReachArgs("Ana", Channel.LINKEDIN, None, None)),
        ("Ana email advice", ReachArgs("Ana", Channel.EMAIL, Ask.ADVICE, None)),
        ("Ana in person", ReachArgs("Ana", Channel.IN_PERSON, None, None)),
        ("Bob Call", ReachArgs("Bob Call", Channel.MESSAGE, None, None)),
        ("Ana-Maria via email - hi", ReachArgs("Ana-Maria", Channel.EMAIL, None, "hi")),
        ("José Núñez via email", ReachArgs("José Núñez", Channel.EMAIL, None, None)),
        ("מרים via email", ReachArgs("מרים", Channel.EMAIL, None, None)),
        ("Ana 🚀 coffee", ReachArgs("Ana 🚀", Channel.MESSAGE, Ask.COFFEE, None)),
        ("/reach Ana via email", ReachArgs("Ana", Channel.EMAIL, None, None)),
        ("Oliver Via via email", ReachArgs("Oliver Via", Channel.EMAIL, None, None)),
    ],
)
def test_parse_reach_args(text: str, expected: ReachArgs) -> None:
    assert parse_reach_args(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "/reach Ana"),
        ("via email", "Who did you reach out to"),
        ("linkedin", "Who did you reach out to"),
        ("coffee", "Who did you reach out to"),
        ("Ana via pigeon", "linkedin, inmail"),
        ("Ana via", "channel"),
        ("Ana via email blah", "ask"),
        ("Ana - " + "x" * (MAX_NOTE_LENGTH + 1), "Nothing was saved"),
    ],
)
def test_parse_reach_args_refuses(text: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        parse_reach_args(text)


def test_unknown_channel_lists_every_channel() -> None:
    with pytest.raises(InputError) as caught:
        parse_reach_args("Ana via pigeon")
    for channel in ("message", "call", "email", "linkedin", "inmail", "in person", "other"):
        assert channel in caught.value.message


# --- /reply ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana", ReplyArgs("Ana", Kind.REPLY_POSITIVE)),
        ("Ana positive", ReplyArgs("Ana", Kind.REPLY_POSITIVE)),
        ("Ana yes", ReplyArgs("Ana", Kind.REPLY_POSITIVE)),
        ("Ana good", ReplyArgs("Ana", Kind.REPLY_POSITIVE)),
        ("Ana declined", ReplyArgs("Ana", Kind.REPLY_DECLINED)),
        ("Ana decline", ReplyArgs("Ana", Kind.REPLY_DECLINED)),
        ("Ana no", ReplyArgs("Ana", Kind.REPLY_DECLINED)),
        ("Ana said no", ReplyArgs("Ana", Kind.REPLY_DECLINED)),
        ("Ana rejected", ReplyArgs("Ana", Kind.REPLY_DECLINED)),
        ("Ana pass", ReplyArgs("Ana", Kind.REPLY_DECLINED)),
        ("Ana later", ReplyArgs("Ana", Kind.REPLY_LATER)),
        ("Ana maybe", ReplyArgs("Ana", Kind.REPLY_LATER)),
        ("Ana busy", ReplyArgs("Ana", Kind.REPLY_LATER)),
        ("Ana not now", ReplyArgs("Ana", Kind.REPLY_LATER)),
        ("Ana López Later", ReplyArgs("Ana López", Kind.REPLY_LATER)),
        ("Ana López", ReplyArgs("Ana López", Kind.REPLY_POSITIVE)),
        (
            "Ana yes - wants to chat Tuesday",
            ReplyArgs("Ana", Kind.REPLY_POSITIVE, "wants to chat Tuesday"),
        ),
        ("محمد علي later", ReplyArgs("محمد علي", Kind.REPLY_LATER)),
    ],
)
def test_parse_reply_args(text: str, expected: ReplyArgs) -> None:
    assert parse_reply_args(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "yes", "not now", "- hi"])
def test_parse_reply_args_refuses(text: str) -> None:
    with pytest.raises(InputError, match="/reply Ana"):
        parse_reply_args(text)


# --- /chat -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana", ChatArgs("Ana", None)),
        ("Ana López - talk to her manager", ChatArgs("Ana López", "talk to her manager")),
        ("Ana López — great chat", ChatArgs("Ana López", "great chat")),
        ("José Núñez", ChatArgs("José Núñez", None)),
        ("/chat Ana - notes", ChatArgs("Ana", "notes")),
    ],
)
def test_parse_chat_args(text: str, expected: ChatArgs) -> None:
    assert parse_chat_args(text) == expected


@pytest.mark.parametrize("text", ["", "- notes only"])
def test_parse_chat_args_refuses(text: str) -> None:
    with pytest.raises(InputError, match="/chat Ana"):
        parse_chat_args(text)


# --- /gave -----------------------------------------------------------------------------

KNOWN = ("Ana", "Ana López", "Bob", "José Núñez")


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        ("Ana shared an article", (), GaveArgs("Ana", "shared an article")),
        ("Ana López - intro to Bob", (), GaveArgs("Ana López", "intro to Bob")),
        ("Ana López — intro to Bob", (), GaveArgs("Ana López", "intro to Bob")),
        ("Ana López intro to Bob", KNOWN, GaveArgs("Ana López", "intro to Bob")),
        ("ana lopez intro to Bob", KNOWN, GaveArgs("Ana López", "intro to Bob")),
        ("Ana López - intro to Bob", KNOWN, GaveArgs("Ana López", "intro to Bob")),
        ("Ana shared a post", KNOWN, GaveArgs("Ana", "shared a post")),
        ("jose nunez a book", KNOWN, GaveArgs("José Núñez", "a book")),
        ("Carla Gómez - a referral", KNOWN, GaveArgs("Carla Gómez", "a referral")),
        ("Carla a referral", KNOWN, GaveArgs("Carla", "a referral")),
        ("Bob feedback on his CV - twice", KNOWN, GaveArgs("Bob", "feedback on his CV - twice")),
        ("/gave Bob a coffee", (), GaveArgs("Bob", "a coffee")),
    ],
)
def test_parse_gave_args(text: str, known: tuple[str, ...], expected: GaveArgs) -> None:
    assert parse_gave_args(text, known) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "/gave Ana"),
        ("Ana", "What did you give Ana"),
        ("Ana López", "What did you give Ana López"),
        ("Ana -", "What did you give Ana"),
        ("- an article", "Who did you give"),
    ],
)
def test_parse_gave_args_refuses(text: str, says: str) -> None:
    with pytest.raises(InputError, match=says) as caught:
        parse_gave_args(text, KNOWN)
    assert "/gave Ana" in caught.value.message


# --- every parser, any text ------------------------------------------------------------

PARSERS: list[Callable[[str], object]] = [
    parse_add_args,
    parse_reach_args,
    parse_reply_args,
    parse_chat_args,
    parse_gave_args,
    lambda text: parse_gave_args(text, KNOWN),
]

WORDY_TEXT = st.lists(
    st.sampled_from(
        ["Ana", "López", "via", "email", "-", "—", "warm", "coffee", "in", "person", "no", "x", " "]
    )
    | st.text(max_size=8),
    max_size=8,
).map(" ".join)


@settings(max_examples=300)
@given(parser=st.sampled_from(PARSERS), text=st.text() | WORDY_TEXT)
def test_parsers_only_raise_input_error(parser: Callable[[str], object], text: str) -> None:
    try:
        parser(text)
    except InputError as error:
        message = error.message
    else:
        message = "parsed"
    assert message
