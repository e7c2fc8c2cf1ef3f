"""bot/coaching/progress.py: answered asks, hot opportunities and the pipeline order, as tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.coaching.domain import Ask, Contact, Interaction, Kind, Opportunity, Stage, Tier
from bot.coaching.progress import answered_asks, by_stage, hot_opportunities, is_give_day

START = datetime(2026, 11, 23, 9, tzinfo=UTC)


def log(*entries: tuple[int, Kind, Ask | None]) -> list[Interaction]:
    """Interactions one hour apart: (contact id, kind, ask)."""
    return [
        Interaction(
            id=index,
            chat_id=1,
            contact_id=contact_id,
            kind=kind,
            channel=None,
            ask=ask,
            note=None,
            at=START + timedelta(hours=index),
        )
        for index, (contact_id, kind, ask) in enumerate(entries)
    ]


OUT, F, YES, NO, LATER, CHAT = (
    Kind.OUTREACH,
    Kind.FOLLOW_UP,
    Kind.REPLY_POSITIVE,
    Kind.REPLY_DECLINED,
    Kind.REPLY_LATER,
    Kind.COFFEE_CHAT,
)


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([], []),
        ([(1, OUT, Ask.ADVICE)], []),  # no answer yet
        ([(1, OUT, Ask.ADVICE), (1, YES, None)], [Ask.ADVICE]),
        ([(1, OUT, Ask.ADVICE), (1, CHAT, None)], [Ask.ADVICE]),  # met without a logged reply
        ([(1, OUT, Ask.ADVICE), (1, YES, None), (1, CHAT, None)], [Ask.ADVICE]),  # answered once
        ([(1, OUT, Ask.ADVICE), (1, NO, None), (1, YES, None)], []),  # a no settles it
        ([(1, OUT, Ask.ADVICE), (1, LATER, None), (1, YES, None)], [Ask.ADVICE]),  # later waits
        ([(1, OUT, Ask.ADVICE), (1, F, Ask.COFFEE), (1, YES, None)], [Ask.COFFEE]),
        ([(1, OUT, Ask.ADVICE), (1, F, None), (1, YES, None)], [Ask.ADVICE]),
        ([(1, OUT, None), (1, YES, None)], []),  # no ask recorded
        ([(1, OUT, Ask.ADVICE), (2, YES, None)], []),  # someone else answered
        (
            [(1, OUT, Ask.HELP), (2, OUT, Ask.INTRO), (2, YES, None), (1, YES, None)],
            [Ask.INTRO, Ask.HELP],
        ),
    ],
)
def test_answered_asks(entries: list[tuple[int, Kind, Ask | None]], expected: list[Ask]) -> None:
    assert [ask for ask, _ in answered_asks(log(*entries))] == expected


def test_an_answer_carries_the_time_it_came() -> None:
    [(ask, at)] = answered_asks(log((1, OUT, Ask.COFFEE), (1, LATER, None), (1, YES, None)))
    assert (ask, at) == (Ask.COFFEE, START + timedelta(hours=2))


def opportunity(id_: int, stage: Stage) -> Opportunity:
    return Opportunity(id_, 1, 1, f"role {id_}", stage, START, START)


def test_hot_opportunities_are_interview_and_later_but_not_closed() -> None:
    items = [opportunity(index, stage) for index, stage in enumerate(Stage)]
    assert [item.stage for item in hot_opportunities(items)] == [
        Stage.OFFER,
        Stage.NEGOTIATION,
        Stage.INTERVIEW,
    ]


def test_by_stage_follows_the_pipeline_and_skips_empty_stages() -> None:
    contact = Contact(1, 1, "Ana", Tier.WARM, None, None, None, START)
    items = [(opportunity(1, Stage.OFFER), contact), (opportunity(2, Stage.CHAT), contact)]
    items.append((opportunity(3, Stage.OFFER), contact))
    groups = by_stage(items)
    assert [(stage, [item.id for item, _ in group]) for stage, group in groups] == [
        (Stage.CHAT, [2]),
        (Stage.OFFER, [1, 3]),
    ]


@pytest.mark.parametrize(
    ("rest_days", "give_day"),
    [
        ((5, 6), 0),  # Monday
        ((), 0),
        ((0,), 1),  # Monday off: Tuesday
        ((0, 1, 2, 3, 4), 5),
        (tuple(range(7)), 0),  # all rest: still once a week
    ],
)
def test_a_give_is_suggested_on_the_first_active_day_of_the_week(
    rest_days: tuple[int, ...], give_day: int
) -> None:
    week = [START.date() + timedelta(days=offset) for offset in range(7)]  # Monday to Sunday
    assert [day.weekday() for day in week if is_give_day(day, rest_days)] == [give_day]
