"""Today's numbers (quota, what is done, what is due) and whom to reach out to next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.coaching.domain import QUOTA_KINDS, Contact, ContactSummary, Interaction, Tier

# A contact touched this recently is left alone: nobody likes two pings in a week.
RECENT_TOUCH_DAYS = 7
# Someone who said no is not suggested again for this long.
DECLINED_REST_DAYS = 42
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
    """Up to `limit` contacts to reach out to today, best first.

    Skips contacts resting, with an open follow-up, touched in the last 7 days or who said no
    in the last 6 weeks. Warm people never contacted come first, then 1st-degree contacts at a
    target company, then everyone else never contacted (intro, 1st, 2nd, 3rd; oldest added
    first), then those contacted longest ago.
    """
    if limit <= 0:
        return []
    recent = now - timedelta(days=RECENT_TOUCH_DAYS)
    declined = now - timedelta(days=DECLINED_REST_DAYS)
    candidates = [
        summary
        for summary in summaries
        if not _resting(summary.contact, now)
        and not summary.has_open_follow_up
        and (summary.last_interaction_at is None or summary.last_interaction_at <= recent)
        and (summary.last_declined_at is None or summary.last_declined_at <= declined)
    ]
    candidates.sort(key=_suggestion_order)
    return [summary.contact for summary in candidates[:limit]]


def _resting(contact: Contact, now: datetime) -> bool:
    return contact.rest_until is not None and contact.rest_until > now


def _suggestion_order(summary: ContactSummary) -> tuple[int, int, datetime, int]:
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
