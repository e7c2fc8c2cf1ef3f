"""Today's numbers (quota, what is done, what is due) and whom to reach out to next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.coaching.domain import QUOTA_KINDS, Contact, ContactSummary, Interaction, Tier
from bot.coaching.followups import REST_DAYS_AFTER_LAST_ATTEMPT

# A contact touched this recently is left alone: nobody likes two pings in a week.
RECENT_TOUCH_DAYS = 7
# Someone who said no is not suggested again for a few weeks.
DECLINED_QUIET_DAYS = 42
# Someone whose last follow-up went unanswered is parked this long (as if let rest).
PARKED_DAYS = REST_DAYS_AFTER_LAST_ATTEMPT
# A last follow-up unanswered this long has met its answer: silence.
SILENCE_SETTLES_DAYS = 7
# Never-contacted people are suggested in this order: easy, familiar people first.
TIER_ORDER: tuple[Tier, ...] = (Tier.WARM, Tier.INTRO, Tier.FIRST, Tier.SECOND, Tier.THIRD)


@dataclass(frozen=True)
class TodayNumbers:
    """Where today stands against the daily quota."""

    quota: int
    done: int
    remaining: int
    rest_day: bool
    due_follow_ups: int

    @property
    def quota_met(self) -> bool:
        """Whether today asks for nothing more (quota reached, or a rest day)."""
        return self.remaining == 0


def today_numbers(quota: int, done: int, rest_day: bool, due_follow_ups: int) -> TodayNumbers:
    """Today's numbers from the user's quota, today's quota actions and due follow-ups.

    On a rest day nothing remains to do, though anything done still counts.
    """
    if quota < 0 or done < 0 or due_follow_ups < 0:
        raise ValueError("today's numbers cannot be negative")
    remaining = 0 if rest_day else max(0, quota - done)
    return TodayNumbers(
        quota=quota,
        done=done,
        remaining=remaining,
        rest_day=rest_day,
        due_follow_ups=due_follow_ups,
    )


def count_quota_actions(interactions: Sequence[Interaction], start: datetime, end: datetime) -> int:
    """How many interactions in [start, end) count toward the daily quota (outreach, follow-up)."""
    return sum(1 for item in interactions if item.kind in QUOTA_KINDS and start <= item.at < end)


def suggest_contacts(
    summaries: Sequence[ContactSummary], now: datetime, limit: int = 3
) -> list[Contact]:
    """Up to `limit` contacts to reach out to today, best first: those not held back
    (`held_back`), in the order of `suggestion_key`."""
    if limit <= 0:
        return []
    candidates = [summary for summary in summaries if not held_back(summary, now)]
    candidates.sort(key=suggestion_key)
    return [summary.contact for summary in candidates[:limit]]


def held_back(summary: ContactSummary, now: datetime) -> bool:
    """Whether a contact is left out of today's suggestions: resting, waiting on a follow-up,
    touched in the last week, said no in the last six weeks, or parked after a last follow-up
    that went unanswered (for a month, as if let rest)."""
    contact, last = summary.contact, summary.last_interaction_at
    if contact.rest_until is not None and contact.rest_until > now:
        return True
    if summary.has_open_follow_up:
        return True
    if last is not None and last > now - timedelta(days=RECENT_TOUCH_DAYS):
        return True
    declined = summary.last_declined_at
    if declined is not None and declined > now - timedelta(days=DECLINED_QUIET_DAYS):
        return True
    return is_parked(summary, now)


def is_parked(summary: ContactSummary, now: datetime) -> bool:
    """Whether the contact's last follow-up went unanswered lately: the cadence ran out (the
    last thing logged is the user's own reach, and no follow-up is planned) less than a month
    ago."""
    last = summary.last_interaction_at
    return (
        summary.last_kind in QUOTA_KINDS
        and not summary.has_open_follow_up
        and last is not None
        and last > now - timedelta(days=PARKED_DAYS)
    )


def silence_settled(summary: ContactSummary, now: datetime) -> bool:
    """Whether the contact's last follow-up went unanswered for a week (and the contact is
    parked, not let rest by hand): a fear about their silence can be tested now."""
    contact, last = summary.contact, summary.last_interaction_at
    resting = contact.rest_until is not None and contact.rest_until > now
    return (
        not resting
        and is_parked(summary, now)
        and last is not None
        and last <= now - timedelta(days=SILENCE_SETTLES_DAYS)
    )


def suggestion_key(summary: ContactSummary) -> tuple[int, int, datetime, int]:
    """The order of suggestions: warm people never contacted first, then 1st-degree contacts at
    a target company, then everyone else never contacted (intro, 1st, 2nd, 3rd; oldest added
    first), then those contacted longest ago."""
    contact = summary.contact
    if summary.last_interaction_at is not None:
        return (3, 0, summary.last_interaction_at, contact.id)
    if contact.tier is Tier.WARM:
        group = 0
    elif contact.tier is Tier.FIRST and summary.at_target:
        group = 1
    else:
        group = 2
    return (group, TIER_ORDER.index(contact.tier), contact.created_at, contact.id)
