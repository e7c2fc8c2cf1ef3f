"""The pure fear rules: evidence arithmetic, prompt frequency, reframes and the crisis check."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.domain import Fear, FearOutcome, Kind
from bot.coaching.errors import InputError
from bot.coaching.fears import (
    MAX_FEAR_LENGTH,
    PromptSetting,
    Situation,
    ask_nervousness,
    clean_fear_text,
    evidence_of,
    morning_prompt_due,
    parse_prompt_setting,
    situation_of,
    sounds_like_crisis,
    valid_strength,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def fear(
    strength_before: int = 3,
    outcome: FearOutcome | None = None,
    strength_after: int | None = None,
    text: str | None = "they'll say no",
) -> Fear:
    return Fear(
        id=1,
        chat_id=1,
        text=text,
        strength_before=strength_before,
        strength_after=strength_after,
        outcome=outcome,
        contact_id=None,
        interaction_id=None,
        tie_until=None,
        created_at=NOW,
        tested_at=NOW if outcome else None,
    )


YES, PARTLY, NO = FearOutcome.YES, FearOutcome.PARTLY, FearOutcome.NO


# --- evidence -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fears", "counts", "averages"),
    [
        ([], (0, 0, 0, 0, 0, 0), (None, None)),
        ([fear(4)], (1, 0, 0, 0, 0, 1), (None, None)),
        ([fear(4, NO, 2)], (1, 1, 0, 0, 1, 0), (4.0, 2.0)),
        (
            [fear(4, NO, 2), fear(5, YES, 5), fear(2, PARTLY, 1)],
            (3, 3, 1, 1, 1, 0),
            (11 / 3, 8 / 3),
        ),
        # A tested fear whose "how strong now" was skipped counts as tested, not in the averages.
        ([fear(5, NO), fear(3, NO, 1), fear(2)], (3, 2, 0, 0, 2, 1), (3.0, 1.0)),
        # An untested fear never enters the averages, whatever it holds.
        ([fear(1, None, None), fear(5, YES, 4)], (2, 1, 1, 0, 0, 1), (5.0, 4.0)),
        # A bare nervousness rating is a fear like any other.
        ([fear(3, NO, 1, text=None)], (1, 1, 0, 0, 1, 0), (3.0, 1.0)),
    ],
)
def test_evidence_counts_and_averages(
    fears: list[Fear],
    counts: tuple[int, int, int, int, int, int],
    averages: tuple[float | None, float | None],
) -> None:
    evidence = evidence_of(fears)
    assert (
        evidence.total,
        evidence.tested,
        evidence.came_true,
        evidence.partly,
        evidence.did_not,
        evidence.open,
    ) == counts
    assert evidence.average_before == pytest.approx(averages[0])
    assert evidence.average_after == pytest.approx(averages[1])
    assert evidence.has_evidence is (evidence.tested > 0)


strengths = st.integers(min_value=1, max_value=5)
fears_strategy = st.lists(
    st.builds(
        fear,
        strength_before=strengths,
        outcome=st.none() | st.sampled_from(list(FearOutcome)),
        strength_after=st.none() | strengths,
    ),
    max_size=40,
)


@given(fears_strategy)
def test_evidence_counts_always_add_up(fears: list[Fear]) -> None:
    evidence = evidence_of(fears)
    assert evidence.total == len(fears)
    assert evidence.tested + evidence.open == evidence.total
    assert evidence.came_true + evidence.partly + evidence.did_not == evidence.tested
    assert 0 <= evidence.rated <= evidence.tested
    assert (evidence.average_before is None) is (evidence.rated == 0)
    assert (evidence.average_after is None) is (evidence.rated == 0)
    for average in (evidence.average_before, evidence.average_after):
        assert average is None or 1 <= average <= 5


@given(fears_strategy, st.randoms())
def test_evidence_does_not_depend_on_order(fears: list[Fear], random: Random) -> None:
    shuffled = list(fears)
    random.shuffle(shuffled)
    before, after = evidence_of(fears), evidence_of(shuffled)
    assert before.tested == after.tested
    assert (before.came_true, before.partly, before.did_not) == (
        after.came_true,
        after.partly,
        after.did_not,
    )
    assert before.average_before == pytest.approx(after.average_before)


# --- when to ask --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "day", "due"),
    [
        ("never", date(2026, 11, 24), False),
        ("daily", date(2026, 11, 24), True),
        ("daily", date(2026, 11, 25), True),
        # "some": every third day by the date's ordinal.
        ("some", date(2026, 11, 23), date(2026, 11, 23).toordinal() % 3 == 0),
        ("some", date(2026, 11, 24), date(2026, 11, 24).toordinal() % 3 == 0),
        ("some", date(2026, 11, 25), date(2026, 11, 25).toordinal() % 3 == 0),
        # An unknown stored value behaves like the default, "some".
        ("sometimes", date(2026, 11, 24), morning_prompt_due("some", date(2026, 11, 24))),
    ],
)
def test_morning_prompt_by_setting(setting: str, day: date, due: bool) -> None:
    assert morning_prompt_due(setting, day) is due


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_some_days_is_one_day_in_three_and_fixed_per_date(day: date) -> None:
    window = [day + timedelta(days=offset) for offset in range(3)]
    assert sum(morning_prompt_due("some", each) for each in window) == 1
    assert morning_prompt_due("some", day) == morning_prompt_due(
        "some", date.fromisoformat(str(day))
    )
    assert morning_prompt_due("daily", day)
    assert not morning_prompt_due("never", day)


def test_settings_parse_with_a_safe_default() -> None:
    assert parse_prompt_setting("daily") is PromptSetting.DAILY
    assert parse_prompt_setting("never") is PromptSetting.NEVER
    assert parse_prompt_setting("") is PromptSetting.SOME


@pytest.mark.parametrize(
    ("setting", "kind", "new_today", "has_fear", "ask"),
    [
        ("some", Kind.OUTREACH, 1, False, True),
        ("daily", Kind.OUTREACH, 1, False, True),
        ("some", Kind.OUTREACH, 2, False, False),  # at most once a day: the first one only
        ("some", Kind.OUTREACH, 1, True, False),  # a fear already rides on it
        ("some", Kind.FOLLOW_UP, 1, False, False),  # follow-ups are not first reaches
        ("never", Kind.OUTREACH, 1, False, False),
    ],
)
def test_when_to_ask_how_nervous(
    setting: str, kind: Kind, new_today: int, has_fear: bool, ask: bool
) -> None:
    assert ask_nervousness(setting, kind, new_today, has_fear) is ask


# --- reframes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "outcome", "situation"),
    [
        (Kind.FOLLOW_UP, None, Situation.SILENCE),
        (Kind.OUTREACH, None, Situation.SILENCE),
        (Kind.REPLY_LATER, YES, Situation.SILENCE),
        (Kind.REPLY_LATER, PARTLY, Situation.SILENCE),
        (Kind.REPLY_DECLINED, None, Situation.DECLINE),
        (Kind.REPLY_DECLINED, YES, Situation.DECLINE),
        (Kind.REPLY_DECLINED, PARTLY, Situation.DECLINE),
        (Kind.REPLY_POSITIVE, YES, Situation.GOOD),
        (Kind.COFFEE_CHAT, PARTLY, Situation.GOOD),
        # A fear proved wrong is good news, whatever the reply was.
        (Kind.REPLY_DECLINED, NO, Situation.GOOD),
        (Kind.REPLY_LATER, NO, Situation.GOOD),
        (Kind.REPLY_POSITIVE, NO, Situation.GOOD),
    ],
)
def test_reframe_is_chosen_by_situation(
    kind: Kind, outcome: FearOutcome | None, situation: Situation
) -> None:
    assert situation_of(kind, outcome) is situation


# --- the text of a fear --------------------------------------------------------------------------


def test_fear_text_is_trimmed_and_bounded() -> None:
    assert clean_fear_text("  they'll   say\nno  ") == "they'll say no"
    with pytest.raises(InputError):
        clean_fear_text("   ")
    with pytest.raises(InputError, match="Nothing was saved"):
        clean_fear_text("x" * (MAX_FEAR_LENGTH + 1))
    assert clean_fear_text("x" * MAX_FEAR_LENGTH) == "x" * MAX_FEAR_LENGTH


@pytest.mark.parametrize(("value", "valid"), [(0, False), (1, True), (5, True), (6, False)])
def test_strength_scale(value: int, valid: bool) -> None:
    assert valid_strength(value) is valid


# --- crisis -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "sometimes I think about killing myself",
        "I've been feeling suicidal",
        "maybe I should just end it all",
        "I want to end my life",
        "I don't want to live anymore",
        "I dont want to be alive",
        "I wish I were dead",
        "everyone would be better off dead without me... I mean me",
        "I've been self-harming again",
        "I want to hurt myself",
        "I WANT TO DIE",
        "I don’t want to live like this",  # a typographic apostrophe
        "there's no reason to live",
    ],
)
def test_crisis_messages_are_recognised(text: str) -> None:
    assert sounds_like_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "this job hunt is killing me",
        "I'm dying to hear back from Ana",
        "coffee with Ana, she said the deadline will kill the project",
        "I'm afraid they'll think I'm desperate",
        "I died a little when she didn't reply",
        "end of the day I emailed Priya",
        "did I hurt my chances by asking too early?",
        "they'll say no and I'll feel stupid",
    ],
)
def test_everyday_words_are_not_a_crisis(text: str) -> None:
    assert not sounds_like_crisis(text)
