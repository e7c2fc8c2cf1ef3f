"""Browsing the contact list in the Mini App: where each contact stands, the filters, and the
order (who to reach next, as the suggestions have it)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.coaching.companies import company_key, works_at
from bot.coaching.domain import QUOTA_KINDS, REPLY_KINDS, ContactSummary, Interaction, Kind, Tier
from bot.coaching.names import name_key
from bot.coaching.today import held_back, is_parked, suggestion_key

# What counts as the contact answering: any reply, or a coffee chat held.
ANSWER_KINDS = (*REPLY_KINDS, Kind.COFFEE_CHAT)
MAX_SEARCH_LENGTH = 100


class ContactStatus(StrEnum):
    """Where things stand with a contact."""

    NEVER_CONTACTED = "never"
    WAITING = "waiting"
    REPLIED = "replied"
    PARKED = "parked"


@dataclass(frozen=True)
class Standing:
    """One contact as the list shows it: its summary, status and next follow-up."""

    summary: ContactSummary
    status: ContactStatus
    next_follow_up: datetime | None


@dataclass(frozen=True)
class ContactFilter:
    """What the list is narrowed to; every part is optional. `company` is a company key."""

    text: str = ""
    tier: Tier | None = None
    status: ContactStatus | None = None
    company: str | None = None
    at_target: bool = False


def status_of(
    summary: ContactSummary,
    last_reach: datetime | None,
    last_answer: datetime | None,
    now: datetime,
) -> ContactStatus:
    """Parked when let rest or after a last follow-up that went unanswered; never contacted
    when nothing was sent or heard; replied when their latest answer came after the user's
    latest reach-out; waiting otherwise."""
    contact = summary.contact
    if (contact.rest_until is not None and contact.rest_until > now) or is_parked(summary, now):
        return ContactStatus.PARKED
    if last_reach is None and last_answer is None:
        return ContactStatus.NEVER_CONTACTED
    if last_answer is not None and (last_reach is None or last_answer >= last_reach):
        return ContactStatus.REPLIED
    return ContactStatus.WAITING


def standings(
    summaries: Iterable[ContactSummary],
    log: Iterable[Interaction],
    follow_ups_due: dict[int, datetime],
    now: datetime,
) -> list[Standing]:
    """Every contact with its status (from the log) and the due day of its open follow-up
    (`follow_ups_due`, by contact id), in the order to reach them."""
    last_reach: dict[int, datetime] = {}
    last_answer: dict[int, datetime] = {}
    for item in log:
        if item.kind in QUOTA_KINDS:
            latest = last_reach
        elif item.kind in ANSWER_KINDS:
            latest = last_answer
        else:
            continue
        if item.at >= latest.get(item.contact_id, item.at):
            latest[item.contact_id] = item.at
    listed = [
        Standing(
            summary,
            status_of(
                summary,
                last_reach.get(summary.contact.id),
                last_answer.get(summary.contact.id),
                now,
            ),
            follow_ups_due.get(summary.contact.id),
        )
        for summary in summaries
    ]
    listed.sort(key=lambda standing: reach_order_key(standing.summary, now))
    return listed


def reach_order_key(
    summary: ContactSummary, now: datetime
) -> tuple[bool, tuple[int, int, datetime, int]]:
    """Who to reach next: the people today's suggestions would offer, in the suggestions'
    order, then those held back for now (resting, waiting on a follow-up, touched lately), in
    the same order."""
    return held_back(summary, now), suggestion_key(summary)


def narrowed(
    items: Sequence[Standing], wanted: ContactFilter, target_keys: Collection[str]
) -> list[Standing]:
    """The standings that match every part of the filter, in their order. The text matches
    any part of the name or the company, ignoring case and accents."""
    text = name_key(wanted.text[:MAX_SEARCH_LENGTH]) if wanted.text.strip() else ""
    return [item for item in items if _matches(item, wanted, text, target_keys)]


def _matches(item: Standing, wanted: ContactFilter, text: str, keys: Collection[str]) -> bool:
    contact = item.summary.contact
    if wanted.tier is not None and contact.tier is not wanted.tier:
        return False
    if wanted.status is not None and item.status is not wanted.status:
        return False
    if wanted.company is not None and company_key(contact.company or "") != wanted.company:
        return False
    if wanted.at_target and not works_at(contact.company, keys):
        return False
    if text:
        return text in name_key(contact.name) or text in name_key(contact.company or "")
    return True


def companies_of(summaries: Iterable[ContactSummary]) -> list[tuple[str, str]]:
    """The companies the contacts work at, as (key, name as first written), by name; one per
    key ("Acme" and "ACME Inc." are one)."""
    names: dict[str, str] = {}
    for summary in summaries:
        company = summary.contact.company
        if company and company.strip():
            names.setdefault(company_key(company), company.strip())
    return sorted(((key, name) for key, name in names.items() if key), key=lambda x: x[0])
