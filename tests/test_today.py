"""Today's numbers and the contacts suggested for today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.domain import Channel, Contact, ContactSummary, Interaction, Kind, Tier
from bot.coaching.today import TodayNumbers, count_quota_actions, suggest_contacts, today_numbers

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("quota", "done", "rest_day", "due", "expected"),
    [
        (3, 0, False, 0, TodayNumbers(3, 0, 3, False, 0)),
        (3, 1, False, 2, TodayNumbers(3, 1, 2, False, 2)),
        (3, 3, False, 0, TodayNumbers(3, 3, 0, False, 0)),
        (3, 5, False, 1, TodayNumbers(3, 5, 0, False, 1)),
        (3, 0, True, 0, TodayNumbers(3, 0, 0, True, 0)),
        (3, 2, True, 4, TodayNumbers(3, 2, 0, True, 4)),
        (0, 0, False, 0, TodayNumbers(0, 0, 0, False, 0)),
    ],
)
def test_today_numbers(
    quota: int, done: int, rest_day: bool, due: int, expected: TodayNumbers
) -> None:
    assert today_numbers(quota, done, rest_day, due) == expected


def test_quota_met() -> None:
    assert today_numbers(3, 3, False, 0).quota_met
    assert today_numbers(3, 0, True, 0).quota_met
    assert not today_numbers(3, 2, False, 0).quota_met


def test_today_numbers_refuse_negative_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        today_numbers(3, -1, False, 0)


@given(
    quota=st.integers(0, 50),
    done=st.integers(0, 100),
    rest_day=st.booleans(),
    due=st.integers(0, 20),
)
def test_remaining_is_never_negative(quota: int, done: int, rest_day: bool, due: int) -> None:
    numbers = today_numbers(quota, done, rest_day, due)
    assert 0 <= numbers.remaining <= quota
    assert numbers.remaining == 0 or numbers.done + numbers.remaining == quota


def interaction(interaction_id: int, kind: Kind, at: datetime) -> Interaction:
    return Interaction(
        id=interaction_id,
        chat_id=1,
        contact_id=1,
        kind=kind,
        channel=Channel.MESSAGE,
        ask=None,
        note=None,
        at=at,
    )


def test_count_quota_actions() -> None:
    start, end = NOW.replace(hour=0), NOW.replace(hour=0) + timedelta(days=1)
    log = [
        interaction(1, Kind.OUTREACH, start),  # the first instant counts
        interaction(2, Kind.FOLLOW_UP, NOW),
        interaction(3, Kind.REPLY_POSITIVE, NOW),  # replies are not the user's action
        interaction(4, Kind.COFFEE_CHAT, NOW),
        interaction(5, Kind.GAVE, NOW),
        interaction(6, Kind.OUTREACH, end),  # the end is the next day
        interaction(7, Kind.OUTREACH, start - timedelta(seconds=1)),
    ]
    assert count_quota_actions(log, start, end) == 2


def person(
    contact_id: int,
    tier: Tier = Tier.WARM,
    *,
    created_days_ago: int = 30,
    rest_until: datetime | None = None,
) -> Contact:
    return Contact(
        id=contact_id,
        chat_id=1,
        name=f"Person {contact_id}",
        tier=tier,
        note=None,
        introduced_by_id=None,
        rest_until=rest_until,
        created_at=NOW - timedelta(days=created_days_ago),
    )


def summary(
    contact: Contact, *, last_days_ago: float | None = None, open_follow_up: bool = False
) -> ContactSummary:
    last = None if last_days_ago is None else NOW - timedelta(days=last_days_ago)
    return ContactSummary(
        contact=contact,
        last_interaction_at=last,
        outreach_count=0 if last is None else 1,
        has_open_follow_up=open_follow_up,
    )


def ids(contacts: list[Contact]) -> list[int]:
    return [contact.id for contact in contacts]


def test_never_contacted_come_first_by_tier_then_age() -> None:
    summaries = [
        summary(person(1, Tier.THIRD)),
        summary(person(2, Tier.SECOND)),
        summary(person(3, Tier.FIRST)),
        summary(person(4, Tier.INTRO)),
        summary(person(5, Tier.WARM, created_days_ago=1)),
        summary(person(6, Tier.WARM, created_days_ago=10)),
        summary(person(7, Tier.WARM), last_days_ago=60),
    ]
    assert ids(suggest_contacts(summaries, NOW, limit=10)) == [6, 5, 4, 3, 2, 1, 7]
    assert ids(suggest_contacts(summaries, NOW)) == [6, 5, 4]


def test_contacted_longest_ago_first() -> None:
    summaries = [
        summary(person(1), last_days_ago=8),
        summary(person(2), last_days_ago=40),
        summary(person(3), last_days_ago=20),
    ]
    assert ids(suggest_contacts(summaries, NOW)) == [2, 3, 1]


@pytest.mark.parametrize(
    ("item", "suggested"),
    [
        (summary(person(1)), True),
        (summary(person(1), open_follow_up=True), False),
        (summary(person(1), last_days_ago=1), False),
        (summary(person(1), last_days_ago=6.9), False),
        (summary(person(1), last_days_ago=7), True),
        (summary(person(1, rest_until=NOW + timedelta(days=1))), False),
        (summary(person(1, rest_until=NOW)), True),
        (summary(person(1, rest_until=NOW - timedelta(days=1)), last_days_ago=31), True),
    ],
)
def test_who_is_left_alone(item: ContactSummary, suggested: bool) -> None:
    assert (suggest_contacts([item], NOW) != []) is suggested


@pytest.mark.parametrize("limit", [0, -1])
def test_no_suggestions_for_no_limit(limit: int) -> None:
    assert suggest_contacts([summary(person(1))], NOW, limit=limit) == []


def test_suggestions_do_not_depend_on_input_order() -> None:
    summaries = [
        summary(person(1, Tier.WARM)),
        summary(person(2, Tier.WARM)),  # same tier and age: the lower id first
        summary(person(3), last_days_ago=9),
        summary(person(4), last_days_ago=9),
    ]
    expected = [1, 2, 3, 4]
    assert ids(suggest_contacts(summaries, NOW, limit=4)) == expected
    assert ids(suggest_contacts(summaries[::-1], NOW, limit=4)) == expected


def at_work(
    contact_id: int, tier: Tier, *, target: bool = False, declined_days_ago: float | None = None
) -> ContactSummary:
    declined = None if declined_days_ago is None else NOW - timedelta(days=declined_days_ago)
    return ContactSummary(
        contact=person(contact_id, tier),
        last_interaction_at=declined,
        outreach_count=0,
        has_open_follow_up=False,
        last_declined_at=declined,
        at_target=target,
    )


def test_warm_first_then_first_degree_at_target_companies_then_the_rest() -> None:
    summaries = [
        at_work(1, Tier.FIRST),
        at_work(2, Tier.INTRO),
        at_work(3, Tier.FIRST, target=True),
        at_work(4, Tier.SECOND, target=True),  # a target, but not someone the user knows
        at_work(5, Tier.WARM),
        at_work(6, Tier.WARM, target=True),
        summary(person(7, Tier.FIRST), last_days_ago=30),
    ]
    assert ids(suggest_contacts(summaries, NOW, limit=10)) == [5, 6, 3, 2, 1, 4, 7]


@pytest.mark.parametrize(
    ("declined_days_ago", "suggested"), [(1, False), (20, False), (41.9, False), (42, True)]
)
def test_someone_who_said_no_is_left_alone_for_six_weeks(
    declined_days_ago: float, suggested: bool
) -> None:
    item = at_work(1, Tier.FIRST, target=True, declined_days_ago=declined_days_ago)
    assert (suggest_contacts([item], NOW) != []) is suggested
