"""The asks ladder (one step up, at most weekly) and gives next to asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from bot.coaching.domain import Ask, Interaction, Kind
from bot.coaching.ladder import (
    ANSWERED_TO_CLIMB,
    LADDER,
    GivesAndAsks,
    contacts_owed_a_give,
    current_rung,
    give_suggestion_text,
    gives_vs_asks,
    next_rung_suggestion,
    rung_suggestion_text,
)

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def answered(*asks: Ask) -> list[tuple[Ask, datetime]]:
    """Asks answered one day apart, the last one yesterday."""
    return [(ask, NOW - timedelta(days=len(asks) - index)) for index, ask in enumerate(asks)]


def test_the_ladder_is_the_order_of_asks() -> None:
    assert LADDER == (Ask.HELP, Ask.ADVICE, Ask.INTRO, Ask.COFFEE, Ask.REFERRAL)
    assert ANSWERED_TO_CLIMB == 3


@pytest.mark.parametrize(
    ("asks", "expected"),
    [
        ((), None),
        ((Ask.HELP, Ask.HELP), None),
        ((Ask.HELP, Ask.HELP, Ask.HELP), Ask.ADVICE),
        ((Ask.ADVICE, Ask.HELP, Ask.ADVICE, Ask.HELP, Ask.ADVICE), Ask.INTRO),
        # One answer at a higher rung makes that the current rung: three there first.
        ((Ask.HELP, Ask.HELP, Ask.HELP, Ask.ADVICE), None),
        ((Ask.HELP, Ask.COFFEE, Ask.COFFEE, Ask.COFFEE), Ask.REFERRAL),
        ((Ask.REFERRAL,) * 5, None),  # the top rung
    ],
)
def test_next_rung_suggestion(asks: tuple[Ask, ...], expected: Ask | None) -> None:
    assert next_rung_suggestion(answered(*asks), None, NOW) == expected


def test_current_rung() -> None:
    assert current_rung([]) is None
    assert current_rung(answered(Ask.COFFEE, Ask.HELP)) is Ask.COFFEE


@pytest.mark.parametrize(
    ("last_suggested_at", "suggests"),
    [
        (None, True),
        (NOW - timedelta(days=7), True),
        (NOW - timedelta(days=6, hours=23), False),
        (NOW - timedelta(minutes=1), False),
        (NOW, False),
    ],
)
def test_at_most_once_a_week(last_suggested_at: datetime | None, suggests: bool) -> None:
    suggestion = next_rung_suggestion(answered(*[Ask.HELP] * 3), last_suggested_at, NOW)
    assert (suggestion is not None) is suggests


def test_answers_after_now_do_not_count() -> None:
    asks = [*answered(Ask.HELP, Ask.HELP), (Ask.HELP, NOW + timedelta(hours=1))]
    assert next_rung_suggestion(asks, None, NOW) is None


def test_suggestions_come_at_most_weekly_over_time() -> None:
    asks = answered(*[Ask.HELP] * 3)
    last: datetime | None = None
    sent: list[datetime] = []
    for hour in range(0, 24 * 40, 5):
        now = NOW + timedelta(hours=hour)
        if next_rung_suggestion(asks, last, now) is not None:
            sent.append(now)
            last = now
    assert len(sent) == 6
    assert all(later - earlier >= timedelta(days=7) for earlier, later in pairwise(sent))


@pytest.mark.parametrize("ask", LADDER[1:])
def test_rung_suggestion_text(ask: Ask) -> None:
    text = rung_suggestion_text(ask)
    assert text.startswith("🪜")
    assert "step up" in text
    assert not any(character in text for character in "<>&")


def test_no_text_for_the_bottom_rung() -> None:
    with pytest.raises(ValueError, match="bottom"):
        rung_suggestion_text(Ask.HELP)


# --- gives and asks --------------------------------------------------------------------


def logged(
    kind: Kind, contact_id: int = 1, ask: Ask | None = None, days_ago: float = 1
) -> Interaction:
    return Interaction(
        id=1,
        chat_id=1,
        contact_id=contact_id,
        kind=kind,
        channel=None,
        ask=ask,
        note=None,
        at=NOW - timedelta(days=days_ago),
    )


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        ([], GivesAndAsks(0, 0)),
        ([logged(Kind.GAVE), logged(Kind.GAVE, contact_id=2)], GivesAndAsks(2, 0)),
        ([logged(Kind.OUTREACH, ask=Ask.HELP)], GivesAndAsks(1, 0)),  # offering help gives
        ([logged(Kind.OUTREACH, ask=Ask.ADVICE), logged(Kind.OUTREACH)], GivesAndAsks(0, 2)),
        (
            [
                logged(Kind.OUTREACH, ask=Ask.COFFEE),
                logged(Kind.FOLLOW_UP),
                logged(Kind.REPLY_POSITIVE),
                logged(Kind.COFFEE_CHAT),
                logged(Kind.GAVE),
            ],
            GivesAndAsks(1, 1),
        ),
    ],
)
def test_gives_vs_asks(log: list[Interaction], expected: GivesAndAsks) -> None:
    assert gives_vs_asks(log) == expected
    gives, asks = gives_vs_asks(log)  # a plain tuple too
    assert (gives, asks) == expected


def test_contacts_owed_a_give() -> None:
    log = [
        # 1 helped and got a give after: even.
        logged(Kind.COFFEE_CHAT, contact_id=1, days_ago=10),
        logged(Kind.GAVE, contact_id=1, days_ago=9),
        # 2 replied warmly 5 days ago, and again yesterday: owed since 5 days ago.
        logged(Kind.REPLY_POSITIVE, contact_id=2, days_ago=1),
        logged(Kind.REPLY_POSITIVE, contact_id=2, days_ago=5),
        # 3 got an offer of help long ago, then had a chat 3 days ago.
        logged(Kind.OUTREACH, contact_id=3, ask=Ask.HELP, days_ago=30),
        logged(Kind.COFFEE_CHAT, contact_id=3, days_ago=3),
        # 4 said no, 5 said later: neither is help.
        logged(Kind.REPLY_DECLINED, contact_id=4),
        logged(Kind.REPLY_LATER, contact_id=5),
        # 6 had a chat 20 days ago: the longest wait.
        logged(Kind.COFFEE_CHAT, contact_id=6, days_ago=20),
    ]
    assert contacts_owed_a_give(log) == [6, 2, 3]
    assert contacts_owed_a_give([]) == []


def test_give_suggestion_text_escapes_the_name() -> None:
    text = give_suggestion_text("Ana <b>&</b>")
    assert "<b>Ana &lt;b&gt;&amp;&lt;/b&gt;</b>" in text
    assert "/gave" in text
