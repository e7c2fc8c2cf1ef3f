"""Fears as predictions: the evidence they meet, when to ask about them, and how to answer.

Pure rules: plain data in, plain data out. No Telegram, no database and no clock: whoever
calls passes the local date or the counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.coaching.domain import Fear, FearOutcome, Kind
from bot.coaching.errors import InputError

MIN_STRENGTH = 1
MAX_STRENGTH = 5
MAX_FEAR_LENGTH = 300
# "Some days" asks on every third day, counted from the proleptic ordinal of the date, so
# the answer for a date never changes and neither restarts nor replicas can double it.
SOME_DAYS_EVERY = 3
# One-tap answers to the morning question: a code (for the button) and the fear it stands for.
PRESET_FEARS: dict[str, str] = {
    "i": "They won't answer.",
    "n": "They'll say no.",
    "a": "I'll come across as awkward.",
}


class PromptSetting(StrEnum):
    """How often the morning message asks about fears (the users.fear_prompts column)."""

    NEVER = "never"
    SOME = "some"
    DAILY = "daily"


class Situation(StrEnum):
    """What just happened, as far as choosing a reframe goes."""

    SILENCE = "silence"  # no answer yet, or "later": busy, not a no
    DECLINE = "decline"  # a no, or the feared thing happened
    GOOD = "good"  # a good outcome: worth noting as evidence
    QUIET = "quiet"  # no answer even after the last follow-up: timing, not a verdict


class OutcomeSource(StrEnum):
    """What showed whether a fear came true: an answer, a chat, silence, or the user's word."""

    REPLY_POSITIVE = "reply_positive"
    REPLY_DECLINED = "reply_declined"
    REPLY_LATER = "reply_later"
    COFFEE_CHAT = "coffee_chat"
    SILENCE = "silence"  # let rest, or the last follow-up went unanswered
    BY_HAND = "by_hand"  # recorded from /fears


# Outcomes of an outreach that answer a fear tied to it.
OUTCOME_KINDS = (Kind.REPLY_POSITIVE, Kind.REPLY_DECLINED, Kind.REPLY_LATER, Kind.COFFEE_CHAT)


@dataclass(frozen=True)
class Evidence:
    """What the user's own fears add up to."""

    total: int
    tested: int
    came_true: int
    partly: int
    did_not: int
    open: int
    # Averages over the tested fears rated both before and after (None when there are none).
    rated: int
    average_before: float | None
    average_after: float | None

    @property
    def has_evidence(self) -> bool:
        """Whether at least one fear has met its outcome."""
        return self.tested > 0


def evidence_of(fears: Sequence[Fear]) -> Evidence:
    """Count tested fears by outcome and average their strength before and after."""
    outcomes = [fear.outcome for fear in fears if fear.outcome is not None]
    pairs = [
        (fear.strength_before, fear.strength_after)
        for fear in fears
        if fear.outcome is not None and fear.strength_after is not None
    ]
    return Evidence(
        total=len(fears),
        tested=len(outcomes),
        came_true=outcomes.count(FearOutcome.YES),
        partly=outcomes.count(FearOutcome.PARTLY),
        did_not=outcomes.count(FearOutcome.NO),
        open=len(fears) - len(outcomes),
        rated=len(pairs),
        average_before=_average([before for before, _ in pairs]),
        average_after=_average([after for _, after in pairs]),
    )


def _average(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def parse_prompt_setting(value: str) -> PromptSetting:
    """The setting a stored value names; unknown values fall back to the default, 'some'."""
    try:
        return PromptSetting(value)
    except ValueError:
        return PromptSetting.SOME


def morning_prompt_due(setting: str, day: date) -> bool:
    """Whether the morning message of local `day` carries the one-tap fear question."""
    chosen = parse_prompt_setting(setting)
    if chosen is PromptSetting.DAILY:
        return True
    if chosen is PromptSetting.SOME:
        return day.toordinal() % SOME_DAYS_EVERY == 0
    return False


def ask_nervousness(setting: str, kind: Kind, new_outreach_today: int, has_fear: bool) -> bool:
    """Whether to ask 'how nervous were you?' right after logging an outreach.

    Only for the first new outreach of the local day (so at most once a day; a follow-up is
    never the first reach), never when a fear already rides on it, and never for a user who
    turned fear prompts off.
    """
    if parse_prompt_setting(setting) is PromptSetting.NEVER or has_fear:
        return False
    return kind is Kind.OUTREACH and new_outreach_today == 1


def situation_of(kind: Kind, outcome: FearOutcome | None = None) -> Situation:
    """The situation a reframe answers: a fear proved wrong is good news whatever the reply;
    otherwise what the contact did decides (no answer or 'later', a no, or a yes)."""
    if outcome is FearOutcome.NO:
        return Situation.GOOD
    if kind in (Kind.OUTREACH, Kind.FOLLOW_UP, Kind.REPLY_LATER):
        return Situation.SILENCE
    if kind is Kind.REPLY_DECLINED:
        return Situation.DECLINE
    return Situation.GOOD


def outcome_source(kind: Kind) -> OutcomeSource:
    """What a logged reply or coffee chat tests a fear by."""
    return OutcomeSource(kind.value)


def situation_after(tested: OutcomeSource, outcome: FearOutcome | None) -> Situation:
    """The situation a reframe answers once a fear met its outcome: a fear proved wrong is good
    news; silence after the last try is timing; recorded by hand, a fear that came true gets
    the 'not a verdict' answer; otherwise what the contact did decides."""
    if outcome is FearOutcome.NO:
        return Situation.GOOD
    if tested is OutcomeSource.SILENCE:
        return Situation.QUIET
    if tested is OutcomeSource.BY_HAND:
        return Situation.DECLINE
    return situation_of(Kind(tested.value), outcome)


def clean_fear_text(text: str) -> str:
    """A fear as the user wrote it, trimmed; InputError when empty or too long."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InputError("That was empty, so I didn't write anything down.")
    if len(cleaned) > MAX_FEAR_LENGTH:
        raise InputError(
            f"That's {len(cleaned)} characters; a fear fits in {MAX_FEAR_LENGTH}. "
            "Nothing was saved: try the one sentence that matters most?"
        )
    return cleaned


def valid_strength(value: int) -> bool:
    """Whether `value` is on the 1-5 scale."""
    return MIN_STRENGTH <= value <= MAX_STRENGTH


# --- a message that may be about a crisis, not about networking ---------------------------------

# Deliberately small and specific: phrases people use about ending their life or hurting
# themselves. Everyday hyperbole ("this job hunt is killing me") must not match.
_CRISIS_PATTERNS = (
    r"\bkill(ing)? my ?self\b",
    r"\bsuicid(e|al)\b",
    r"\bend(ing)? (my|it) (own )?life\b",
    r"\bend(ing)? it all\b",
    r"\btake my (own )?life\b",
    r"\b(want|wanna|going) to die\b",
    r"\bwish i (was|were) dead\b",
    r"\bbetter off dead\b",
    r"\bdon'?t want to (live|be alive|exist)\b",
    r"\bno reason to live\b",
    r"\bself[- ]?harm(ing)?\b",
    r"\b(hurt|harm|cut)(ing)? my ?self\b",
)
_CRISIS = re.compile("|".join(_CRISIS_PATTERNS))


def sounds_like_crisis(text: str) -> bool:
    """Whether a message suggests the user may be in crisis (then: care, not coaching)."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    folded = folded.replace("\u2019", "'").replace("\u2018", "'")
    folded = " ".join(folded.split())
    return _CRISIS.search(folded) is not None
