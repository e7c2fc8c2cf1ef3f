"""Plain sentences read as logs: the corpus, the rules behind it, and properties."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.domain import MAX_NOTE_LENGTH, Ask, Channel, Kind
from bot.coaching.names import name_key
from bot.coaching.sentences import (
    ENGLISH,
    MAX_SENTENCE_LENGTH,
    Decide,
    Rule,
    SentenceLog,
    TimePhrase,
    parse_sentence,
)

CORPUS = Path(__file__).with_name("sentence_corpus.tsv")
# The day the corpus is written for: a Wednesday.
CORPUS_TODAY = date(2026, 11, 25)
MIN_ACCURACY = 0.95
MIN_LOGS = 300
MIN_NOT_LOGS = 40


@dataclass(frozen=True)
class Case:
    line: int
    text: str
    expected: SentenceLog | None


def _optional(value: str) -> str | None:
    return None if value == "-" else value


def load_corpus() -> list[Case]:
    """The sentences of sentence_corpus.tsv with what each should log."""
    cases = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        text, kind, *rest = line.split("\t")
        if kind == "none":
            assert not rest, f"line {number}: a sentence that is not a log has no other columns"
            cases.append(Case(number, text, None))
            continue
        assert len(rest) == 5, f"line {number}: expected 7 tab-separated columns"
        name, channel, ask, note, days = rest
        channel_value = _optional(channel)
        ask_value = _optional(ask)
        expected = SentenceLog(
            kind=Kind(kind),
            name=name,
            channel=None if channel_value is None else Channel(channel_value),
            ask=None if ask_value is None else Ask(ask_value),
            note=_optional(note),
            days_ago=int(days),
        )
        cases.append(Case(number, text, expected))
    return cases


def describe(log: SentenceLog | None) -> str:
    if log is None:
        return "None"
    fields = [
        log.kind.value,
        repr(log.name),
        log.channel.value if log.channel else "-",
        log.ask.value if log.ask else "-",
        repr(log.note) if log.note else "-",
        str(log.days_ago),
    ]
    return " | ".join(fields)


# --- the corpus ------------------------------------------------------------------------


def test_corpus_is_big_and_varied() -> None:
    cases = load_corpus()
    logs = [case for case in cases if case.expected is not None]
    assert len(logs) >= MIN_LOGS
    assert len(cases) - len(logs) >= MIN_NOT_LOGS
    assert {case.expected.kind for case in logs if case.expected} == set(Kind)
    texts = [case.text for case in cases]
    assert len(texts) == len(set(texts)), "a sentence appears twice"


def test_corpus_accuracy() -> None:
    """At least 95% of the corpus is read exactly as expected (every field)."""
    cases = load_corpus()
    wrong = []
    for case in cases:
        got = parse_sentence(case.text, CORPUS_TODAY)
        if got != case.expected:
            wrong.append(
                f"line {case.line}: {case.text!r}\n"
                f"    expected {describe(case.expected)}\n"
                f"    got      {describe(got)}"
            )
    correct = len(cases) - len(wrong)
    accuracy = correct / len(cases)
    print(f"sentence corpus: {correct}/{len(cases)} = {accuracy:.1%}")
    assert accuracy >= MIN_ACCURACY, "misread sentences:\n" + "\n".join(wrong)


# --- the examples of the product -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("coffee with Ana", Kind.COFFEE_CHAT, "Ana"),
        ("messaged Bob on LinkedIn", Kind.OUTREACH, "Bob"),
        ("emailed Priya about an intro", Kind.OUTREACH, "Priya"),
        ("Ana replied", Kind.REPLY_POSITIVE, "Ana"),
        ("Ana said no", Kind.REPLY_DECLINED, "Ana"),
        ("Ana said maybe later", Kind.REPLY_LATER, "Ana"),
        ("Ana will get back to me next month", Kind.REPLY_LATER, "Ana"),
        ("followed up with Sam by email", Kind.FOLLOW_UP, "Sam"),
        ("sent Ana the hiring article", Kind.GAVE, "Ana"),
        ("shared an article with Ana", Kind.GAVE, "Ana"),
        ("introduced Ana to Lee", Kind.GAVE, "Ana"),
        ("had a call with Ana yesterday", Kind.COFFEE_CHAT, "Ana"),
        ("asked Ana for a referral", Kind.OUTREACH, "Ana"),
        ("reached out to José Núñez on WhatsApp to ask for advice", Kind.OUTREACH, "José Núñez"),
    ],
)
def test_product_examples(text: str, kind: Kind, name: str) -> None:
    log = parse_sentence(text, CORPUS_TODAY)
    assert log is not None
    assert (log.kind, log.name) == (kind, name)


def test_channel_ask_and_note_of_an_outreach() -> None:
    assert parse_sentence("messaged Bob on LinkedIn about the PM role", CORPUS_TODAY) == (
        SentenceLog(Kind.OUTREACH, "Bob", Channel.LINKEDIN, None, "about the PM role", 0)
    )
    assert parse_sentence(
        "reached out to José Núñez on WhatsApp to ask for advice", CORPUS_TODAY
    ) == SentenceLog(Kind.OUTREACH, "José Núñez", Channel.MESSAGE, Ask.ADVICE, None, 0)


def test_a_call_held_is_a_chat_and_calling_is_an_outreach() -> None:
    chat = parse_sentence("had a call with Ana", CORPUS_TODAY)
    call = parse_sentence("called Ana", CORPUS_TODAY)
    assert chat is not None
    assert chat.kind is Kind.COFFEE_CHAT
    assert chat.channel is None
    assert call is not None
    assert call.kind is Kind.OUTREACH
    assert call.channel is Channel.CALL


def test_a_reply_without_a_no_is_positive_and_later_wins_over_no() -> None:
    def kind(text: str) -> Kind | None:
        log = parse_sentence(text, CORPUS_TODAY)
        return None if log is None else log.kind

    assert kind("Ana replied") is Kind.REPLY_POSITIVE
    assert kind("Ana replied: no problem, happy to chat") is Kind.REPLY_POSITIVE
    assert kind("Ana said no") is Kind.REPLY_DECLINED
    assert kind("Ana said no, but maybe next month") is Kind.REPLY_LATER


@pytest.mark.parametrize(
    "text",
    [
        "Ana didn't reply",
        "no reply from Ana",
        "I need to email Ana",
        "coffee with Ana tomorrow",
        "should I message Bob?",
        "/reach Ana",
        "Ana is on LinkedIn",
        "Ana will be at the conference",
        "I'm scared Pia will say no",
    ],
)
def test_not_logs(text: str) -> None:
    assert parse_sentence(text, CORPUS_TODAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "log: coffee with Ana",
        "please log coffee with Ana",
        "can you log coffee with Ana?",
        "Could you please note that I had coffee with Ana",
    ],
)
def test_a_request_to_log_is_read_as_the_log(text: str) -> None:
    assert parse_sentence(text, CORPUS_TODAY) == SentenceLog(
        Kind.COFFEE_CHAT, "Ana", None, None, None, 0
    )


def test_a_plan_after_a_request_is_still_a_plan() -> None:
    assert parse_sentence("can you log coffee with Ana tomorrow?", CORPUS_TODAY) is None


def test_another_language_is_another_vocabulary() -> None:
    """The matching code knows no English: a few Spanish words make Spanish sentences work."""
    spanish = replace(
        ENGLISH,
        rules=(
            Rule("café con {name}", Kind.COFFEE_CHAT),
            Rule("escribí a {name}", Kind.OUTREACH, channel=Channel.MESSAGE),
            Rule("{name} ~ respondió|contestó", Kind.REPLY_POSITIVE, decide=Decide.REPLY),
        ),
        time_phrases=(TimePhrase("ayer", days=1), TimePhrase("hace {number} días", days=1)),
        numbers={"dos": 2, "tres": 3},
        function_words=frozenset({"a", "con", "de", "el", "la", "que", "por", "y"}),
        interjections=frozenset({"ayer", "hoy"}),
        reply_later=("más tarde",),
        reply_declined=("no",),
    )
    assert parse_sentence("café con Ana López ayer", CORPUS_TODAY, vocabulary=spanish) == (
        SentenceLog(Kind.COFFEE_CHAT, "Ana López", None, None, None, 1)
    )
    assert parse_sentence(
        "escribí a José hace dos días por el puesto", CORPUS_TODAY, vocabulary=spanish
    ) == SentenceLog(Kind.OUTREACH, "José", Channel.MESSAGE, None, "por el puesto", 2)
    declined = parse_sentence("Ana respondió que no", CORPUS_TODAY, vocabulary=spanish)
    assert declined is not None
    assert declined.kind is Kind.REPLY_DECLINED
    assert parse_sentence("coffee with Ana", CORPUS_TODAY, vocabulary=spanish) is None


# --- days ------------------------------------------------------------------------------

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "today", "days_ago"),
    [
        ("coffee with Ana", MONDAY, 0),
        ("coffee with Ana today", MONDAY, 0),
        ("coffee with Ana yesterday", MONDAY, 1),
        ("coffee with Ana the day before yesterday", MONDAY, 2),
        ("coffee with Ana 5 days ago", MONDAY, 5),
        ("coffee with Ana a week ago", MONDAY, 7),
        ("coffee with Ana 2 weeks ago", MONDAY, 14),
        # A weekday is the most recent one before today; today's own name means last week.
        ("coffee with Ana on Monday", MONDAY, 7),
        ("coffee with Ana last Monday", MONDAY, 7),
        ("coffee with Ana on Sunday", MONDAY, 1),
        ("coffee with Ana on Friday", MONDAY, 3),
        ("coffee with Ana on Tuesday", MONDAY, 6),
        ("coffee with Ana on Tuesday", MONDAY + timedelta(days=1), 7),
        ("coffee with Ana on Tuesday", MONDAY + timedelta(days=2), 1),
        ("coffee with Ana over the weekend", MONDAY, 2),
        ("coffee with Ana on Sat", MONDAY, 2),
    ],
)
def test_days_ago(text: str, today: date, days_ago: int) -> None:
    log = parse_sentence(text, today)
    assert log is not None
    assert log.days_ago == days_ago


@settings(max_examples=30)
@given(today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_a_weekday_is_always_one_to_seven_days_ago(today: date) -> None:
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        log = parse_sentence(f"coffee with Ana on {day}", today)
        assert log is not None
        assert 1 <= log.days_ago <= 7
        assert (today - timedelta(days=log.days_ago)).strftime("%A") == day


# --- properties ------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "coffee",
        "with",
        "Ana",
        "López",
        "messaged",
        "on",
        "LinkedIn",
        "replied",
        "said",
        "no",
        "later",
        "yesterday",
        "Monday",
        "2",
        "days",
        "ago",
        "sent",
        "the",
        "article",
        "to",
        "followed",
        "up",
        "asked",
        "for",
        "a",
        "referral",
        "-",
        ",",
        ":",
        "?",
        "'s",
        "🙂",
        "again",
        "my",
        "old",
        "manager",
        "O'Brien",
        "introduced",
        "and",
    ]
)
SENTENCEISH = st.lists(WORDS, max_size=14).map(" ".join)


def _check(log: SentenceLog | None) -> None:
    if log is None:
        return
    assert log.name.strip()
    assert log.days_ago >= 0
    assert log.note is None or 0 < len(log.note) <= MAX_NOTE_LENGTH
    if log.kind not in (Kind.OUTREACH, Kind.FOLLOW_UP):
        assert log.channel is None
        assert log.ask is None


@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    _check(parse_sentence(text, CORPUS_TODAY))


@settings(max_examples=200)
@given(SENTENCEISH, st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_sentence_like_text_never_raises(text: str, today: date) -> None:
    log = parse_sentence(text, today)
    _check(log)
    if log is not None:
        assert name_key(log.name) in name_key(text), "the name comes from the sentence"


def test_long_text_is_not_a_sentence() -> None:
    assert parse_sentence("coffee with Ana " + "x" * MAX_SENTENCE_LENGTH, CORPUS_TODAY) is None
