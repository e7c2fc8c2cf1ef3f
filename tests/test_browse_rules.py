"""The Mini App's contact list as rules: where each contact stands, the filters, and the order
(today's suggestions first, in their order)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.browse import (
    ContactFilter,
    ContactStatus,
    Standing,
    companies_of,
    narrowed,
    standings,
    status_of,
)
from bot.coaching.domain import Channel, Contact, ContactSummary, Interaction, Kind, Tier
from bot.coaching.today import held_back, suggest_contacts

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def person(
    contact_id: int, *, tier: Tier = Tier.WARM, name: str = "", company: str = ""
) -> Contact:
    return Contact(
        id=contact_id,
        chat_id=1,
        name=name or f"Person {contact_id}",
        tier=tier,
        note=None,
        introduced_by_id=None,
        rest_until=None,
        created_at=NOW - 30 * DAY,
        company=company or None,
    )


def summary(
    contact: Contact,
    last: datetime | None = None,
    last_kind: Kind | None = None,
    *,
    open_follow_up: bool = False,
) -> ContactSummary:
    return ContactSummary(contact, last, 0, open_follow_up, last_kind)


def logged(contact_id: int, kind: Kind, at: datetime, ident: int = 1) -> Interaction:
    return Interaction(ident, 1, contact_id, kind, Channel.MESSAGE, None, None, at)


@pytest.mark.parametrize(
    ("item", "reach", "answer", "status"),
    [
        (summary(person(1)), None, None, "never"),
        (summary(person(1), NOW, Kind.OUTREACH, open_follow_up=True), NOW, None, "waiting"),
        (summary(person(1), NOW, Kind.REPLY_LATER), NOW - DAY, NOW, "replied"),
        (summary(person(1), NOW, Kind.COFFEE_CHAT), None, NOW, "replied"),
        # An answer and a reach at the same instant: they answered it.
        (summary(person(1), NOW, Kind.REPLY_POSITIVE), NOW, NOW, "replied"),
        (summary(person(1), NOW, Kind.FOLLOW_UP, open_follow_up=True), NOW, NOW - DAY, "waiting"),
        # The last follow-up went unanswered (no follow-up planned): parked for a month.
        (summary(person(1), NOW - 5 * DAY, Kind.FOLLOW_UP), NOW - 5 * DAY, None, "parked"),
        (summary(person(1), NOW - 40 * DAY, Kind.FOLLOW_UP), NOW - 40 * DAY, None, "waiting"),
        # Let rest by hand.
        (summary(replace(person(1), rest_until=NOW + DAY)), None, None, "parked"),
        (summary(replace(person(1), rest_until=NOW)), None, None, "never"),
    ],
)
def test_where_a_contact_stands(
    item: ContactSummary, reach: datetime | None, answer: datetime | None, status: str
) -> None:
    assert status_of(item, reach, answer, NOW) is ContactStatus(status)


def test_standings_read_the_latest_reach_and_answer_from_the_log() -> None:
    ana, bob, cleo = person(1), person(2), person(3)
    log = [
        logged(1, Kind.OUTREACH, NOW - 9 * DAY),
        logged(1, Kind.REPLY_POSITIVE, NOW - 8 * DAY),
        logged(1, Kind.GAVE, NOW - DAY),  # a give is neither a reach nor an answer
        logged(2, Kind.REPLY_POSITIVE, NOW - 8 * DAY),
        logged(2, Kind.FOLLOW_UP, NOW - DAY),
    ]
    items = standings(
        [
            summary(ana, NOW - DAY, Kind.GAVE),
            summary(bob, NOW - DAY, Kind.FOLLOW_UP, open_follow_up=True),
            summary(cleo),
        ],
        reversed(log),  # the order of the log does not matter
        {2: NOW + 3 * DAY},
        NOW,
    )
    assert [(item.summary.contact.id, item.status, item.next_follow_up) for item in items] == [
        (3, ContactStatus.NEVER_CONTACTED, None),
        (1, ContactStatus.REPLIED, None),
        (2, ContactStatus.WAITING, NOW + 3 * DAY),
    ]


tiers = st.sampled_from(list(Tier))
kinds = st.sampled_from(list(Kind))


@st.composite
def summaries(draw: st.DrawFn) -> list[ContactSummary]:
    count = draw(st.integers(0, 12))
    made = []
    for ident in range(1, count + 1):
        contact = person(ident, tier=draw(tiers))
        days = draw(st.none() | st.integers(0, 60))
        made.append(
            ContactSummary(
                contact=replace(contact, created_at=NOW - draw(st.integers(1, 90)) * DAY),
                last_interaction_at=None if days is None else NOW - days * DAY,
                outreach_count=0,
                has_open_follow_up=draw(st.booleans()),
                last_kind=None if days is None else draw(kinds),
                at_target=draw(st.booleans()),
            )
        )
    return made


@given(summaries())
def test_the_list_starts_with_todays_suggestions_in_their_order(
    items: list[ContactSummary],
) -> None:
    listed = [item.summary for item in standings(items, [], {}, NOW)]
    offered = [item for item in listed if not held_back(item, NOW)]
    assert listed[: len(offered)] == offered
    suggested = suggest_contacts(items, NOW, limit=len(items))
    assert [item.contact for item in offered] == suggested
    assert sorted(item.contact.id for item in listed) == sorted(i.contact.id for i in items)


def _standing(contact: Contact, status: ContactStatus = ContactStatus.NEVER_CONTACTED) -> Standing:
    return Standing(summary(contact), status, None)


ALL = [
    _standing(person(1, name="José Núñez", company="Acme, Inc.")),
    _standing(person(2, tier=Tier.FIRST, name="Ana Stone", company="Amazon Web Services")),
    _standing(person(3, tier=Tier.SECOND, name="Bob Okafor"), ContactStatus.WAITING),
    _standing(person(4, name="Cleo Park", company="Globex"), ContactStatus.PARKED),
]


@pytest.mark.parametrize(
    ("wanted", "ids"),
    [
        (ContactFilter(), [1, 2, 3, 4]),
        (ContactFilter(text="jose nu"), [1]),
        (ContactFilter(text="  NÚÑ "), [1]),
        (ContactFilter(text="acme"), [1]),
        (ContactFilter(text="o"), [1, 2, 3, 4]),
        (ContactFilter(text="zz"), []),
        (ContactFilter(tier=Tier.FIRST), [2]),
        (ContactFilter(status=ContactStatus.PARKED), [4]),
        (ContactFilter(status=ContactStatus.NEVER_CONTACTED, tier=Tier.WARM), [1]),
        (ContactFilter(company="acme"), [1]),
        (ContactFilter(company="globex", status=ContactStatus.WAITING), []),
        (ContactFilter(at_target=True), [1, 2]),  # Amazon Web Services is at "Amazon"
        (ContactFilter(at_target=True, text="stone"), [2]),
    ],
)
def test_filters_narrow_the_list_in_its_order(wanted: ContactFilter, ids: list[int]) -> None:
    found = narrowed(ALL, wanted, {"acme", "amazon"})
    assert [item.summary.contact.id for item in found] == ids


def test_the_companies_to_filter_by_one_per_company() -> None:
    items = [
        summary(person(1, company="Acme, Inc.")),
        summary(person(2, company="ACME")),
        summary(person(3, company="Globex")),
        summary(person(4)),
        summary(person(5, company="  ")),
    ]
    assert companies_of(items) == [("acme", "Acme, Inc."), ("globex", "Globex")]
