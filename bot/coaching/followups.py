"""Follow-up cadence: when to nudge again after an outreach that got no reply."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coaching.domain import (
    QUOTA_KINDS,
    Channel,
    FollowUpEffects,
    FollowUpPlan,
    FollowUpStatus,
    Interaction,
    Kind,
)
from bot.coaching.errors import InputError

MIN_GAP_DAYS = 1
MAX_GAP_DAYS = 60
MAX_ATTEMPTS = 5
SNOOZE_DAYS = 2
# "Later" replies and finished coffee chats get one check-in this many days on.
LATER_FOLLOW_UP_DAYS = 14
# After the last follow-up a contact rests this long before the bot suggests them again.
REST_DAYS_AFTER_LAST_ATTEMPT = 30

_CADENCE_EXAMPLE = "3, 7, 14 (follow up 3 days after the outreach, then 7, then 14 days later)"
_CADENCE_SEPARATORS = re.compile(r"(?:\s*[,;/+]\s*|\s+and\s+|\s+)", re.IGNORECASE)
_GAP = re.compile(r"(\d+)\s*(?:d|days?)?", re.IGNORECASE)


def parse_cadence(text: str) -> tuple[int, ...]:
    """Read a follow-up cadence such as "3, 7, 14" or "3 7 14": 1-5 gaps of 1-60 days each."""
    cleaned = re.sub(r"\b(\d+)\s+days?\b", r"\1", text.strip(), flags=re.IGNORECASE)
    parts = [part for part in _CADENCE_SEPARATORS.split(cleaned) if part]
    if not parts:
        raise InputError(f"Send the days between follow-ups, for example: {_CADENCE_EXAMPLE}")
    if len(parts) > MAX_ATTEMPTS:
        raise InputError(
            f"That's {len(parts)} follow-ups; up to {MAX_ATTEMPTS} is plenty. "
            f"For example: {_CADENCE_EXAMPLE}"
        )
    gaps: list[int] = []
    for part in parts:
        match = _GAP.fullmatch(part)
        if match is None:
            raise InputError(
                f"I couldn't read “{part}” as a number of days. "
                f"Send whole numbers, for example: {_CADENCE_EXAMPLE}"
            )
        digits = match.group(1)
        # A very long digit string is simply too many days (and int() refuses huge ones).
        gap = int(digits) if len(digits) <= 6 else MAX_GAP_DAYS + 1
        if not MIN_GAP_DAYS <= gap <= MAX_GAP_DAYS:
            raise InputError(
                f"Each gap should be between {MIN_GAP_DAYS} and {MAX_GAP_DAYS} days "
                f"({digits} isn't). For example: {_CADENCE_EXAMPLE}"
            )
        gaps.append(gap)
    return tuple(gaps)


def next_follow_up_due(
    last_touch: datetime, attempt: int, cadence: Sequence[int]
) -> datetime | None:
    """When follow-up number `attempt` (1-based) is due, counted from the last touch; None after
    the last one. Attempt 1 is cadence[0] days after the outreach, attempt 2 cadence[1] after it.
    """
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")
    if attempt > len(cadence):
        return None
    gap = cadence[attempt - 1]
    if gap < MIN_GAP_DAYS:
        raise ValueError(f"a follow-up gap must be at least {MIN_GAP_DAYS} day, got {gap}")
    return last_touch + timedelta(days=gap)


def snooze_until(now: datetime, days: int = SNOOZE_DAYS) -> datetime:
    """When a snoozed follow-up comes back."""
    if days < 1:
        raise ValueError(f"snooze for at least a day, got {days}")
    return now + timedelta(days=days)


def later_follow_up_due(now: datetime, days: int = LATER_FOLLOW_UP_DAYS) -> datetime:
    """When to check in again after a "later" reply or a coffee chat: two weeks on by default."""
    if days < 1:
        raise ValueError(f"follow up at least a day later, got {days}")
    return now + timedelta(days=days)


def rest_until(now: datetime) -> datetime:
    """Until when a contact rests after the last follow-up (or when the user lets it rest)."""
    return now + timedelta(days=REST_DAYS_AFTER_LAST_ATTEMPT)


def is_due(due_at: datetime, now: datetime, tz: str) -> bool:
    """Whether a follow-up is due: its day in the user's zone is today or earlier."""
    zone = ZoneInfo(tz)
    return due_at.astimezone(zone).date() <= now.astimezone(zone).date()


def follow_up_effects(
    kind: Kind,
    at: datetime,
    open_attempt: int | None,
    cadence: Sequence[int],
    *,
    check_back: datetime | None = None,
) -> FollowUpEffects:
    """What logging `kind` at `at` does to the contact's follow-ups, given the attempt of the
    one open (None when none is).

    An outreach or follow-up closes the open one as done and plans the next of the cadence; a
    reply or a coffee chat closes it as replied, and a "later" plans one check-in (at
    `check_back` when the answer said when, else two weeks on); a give changes nothing.
    """
    if kind in QUOTA_KINDS:
        attempt = (open_attempt or 0) + 1
        due = next_follow_up_due(at, attempt, cadence)
        return FollowUpEffects(
            FollowUpStatus.DONE if open_attempt is not None else None,
            FollowUpPlan(due, attempt) if due is not None else None,
        )
    if kind is Kind.REPLY_LATER:
        return FollowUpEffects(
            FollowUpStatus.REPLIED, FollowUpPlan(check_back or later_follow_up_due(at), 1)
        )
    if kind is Kind.GAVE:
        return FollowUpEffects()
    return FollowUpEffects(FollowUpStatus.REPLIED)


def follow_up_channel(history: Sequence[Interaction]) -> Channel:
    """The channel a follow-up goes by unless the user says: the one of the latest outreach
    or follow-up in `history` (any order), a message when there is none."""
    reaches = [item for item in history if item.kind in QUOTA_KINDS and item.channel]
    if not reaches:
        return Channel.MESSAGE
    latest = max(reaches, key=lambda item: (item.at, item.id))
    assert latest.channel is not None
    return latest.channel
