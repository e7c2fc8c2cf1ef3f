"""The morning message's shape: what fits on one phone screen, and what it showed.

Pure: everything one user's morning is composed from (read for a whole batch of users at
once), how many follow-ups it lists with their buttons, whether the fear question fits (a light
day), and the record of what a sent morning message showed, kept as JSON so that its buttons
can redraw it in place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.coaching.domain import (
    Contact,
    ContactSummary,
    Fear,
    FollowUp,
    Interaction,
    Opportunity,
    User,
)

# At most this many follow-ups are listed with their buttons; the rest wait in /followups.
MAX_FOLLOW_UPS_SHOWN = 3
# A light day: no more follow-ups due than this, so a fear question has room.
LIGHT_DAY_FOLLOW_UPS = 1
# Buttons in the whole message, so that it fits one phone screen.
MAX_MORNING_BUTTONS = 8
# Each listed follow-up has its main answer and a "more" button.
BUTTONS_PER_FOLLOW_UP = 2
# The one-tap fear question: three common fears, "something else", "not today".
FEAR_PROMPT_BUTTONS = 5
# "No answer: did it happen?": yes, partly, no, skip.
SILENCE_CHECK_BUTTONS = 4
PLAN_VERSION = 1


@dataclass(frozen=True)
class MorningInputs:
    """Everything one user's morning message is composed from, as the store holds it now."""

    user: User
    # Every contact with its history in brief, by id.
    summaries: tuple[ContactSummary, ...]
    # Open follow-ups with their contacts, the soonest due first.
    open_follow_ups: tuple[tuple[FollowUp, Contact], ...]
    # The whole interaction log, oldest first (today's count, the stall, the streak, gives).
    log: tuple[Interaction, ...]
    # Opportunities with their contacts, the most recently moved first.
    pipeline: tuple[tuple[Opportunity, Contact], ...]
    # Fears without an outcome yet, oldest first.
    open_fears: tuple[Fear, ...]
    # (kind, period) keys claimed in the sent-log, of the kinds a morning asks about.
    claims: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class MorningLayout:
    """What a morning message carries: the follow-ups it lists, how many more wait, and
    whether its fear question fits."""

    follow_ups: int
    more: int
    fear_question: bool
    buttons: int


def morning_layout(
    due_follow_ups: int, *, suggestion: bool, give: bool, fear_buttons: int
) -> MorningLayout:
    """The layout for a morning with `due_follow_ups` due, a suggestion and a give (one button
    each) and a fear question of `fear_buttons` buttons (0: none due today).

    The fear question comes only on a light day: at most one follow-up due, and room for its
    buttons within the buttons allowed after everything else.
    """
    if due_follow_ups < 0 or fear_buttons < 0:
        raise ValueError("counts cannot be negative")
    shown = min(due_follow_ups, MAX_FOLLOW_UPS_SHOWN)
    buttons = shown * BUTTONS_PER_FOLLOW_UP + int(suggestion) + int(give)
    light = shown <= LIGHT_DAY_FOLLOW_UPS
    fear = fear_buttons > 0 and light and buttons + fear_buttons <= MAX_MORNING_BUTTONS
    return MorningLayout(
        follow_ups=shown,
        more=due_follow_ups - shown,
        fear_question=fear,
        buttons=buttons + (fear_buttons if fear else 0),
    )


@dataclass(frozen=True)
class MorningPlan:
    """What one morning message showed: the follow-ups listed (by id), how many more waited,
    the contact suggested, and the fear question it carried (a fear id for 'no answer: did it
    happen?', or the one-tap question)."""

    follow_up_ids: tuple[int, ...] = ()
    more: int = 0
    suggestion_id: int | None = None
    fear_prompt: bool = False
    silence_fear_id: int | None = None

    def to_json(self) -> str:
        """The stored form (sent_messages.content)."""
        return json.dumps(
            {
                "v": PLAN_VERSION,
                "follow_ups": list(self.follow_up_ids),
                "more": self.more,
                "suggestion": self.suggestion_id,
                "fear_prompt": self.fear_prompt,
                "silence_fear": self.silence_fear_id,
            }
        )

    @classmethod
    def from_json(cls, text: str | None) -> MorningPlan | None:
        """The plan stored as `text`; None for nothing or anything not exactly our format."""
        try:
            data = json.loads(text) if text else None
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("v") != PLAN_VERSION:
            return None
        ids, more = data.get("follow_ups"), data.get("more")
        suggestion, silence = data.get("suggestion"), data.get("silence_fear")
        fear_prompt = data.get("fear_prompt")
        if not (isinstance(ids, list) and all(_is_id(item) for item in ids)):
            return None
        if not (isinstance(more, int) and _is_count(more) and isinstance(fear_prompt, bool)):
            return None
        if not all(item is None or _is_id(item) for item in (suggestion, silence)):
            return None
        return cls(tuple(ids), more, suggestion, fear_prompt, silence)


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
