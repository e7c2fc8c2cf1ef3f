"""The pure rules behind issue 12's daily loop: the morning message's shape and its record,
follow-ups off rest days, who is held back from suggestions, replies credited to reaching out,
which pace the projection uses, names on buttons and plurals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.coaching.dates import is_rest_day
from bot.coaching.domain import (
    Channel,
    Contact,
    ContactSummary,
    FearOutcome,
    Interaction,
    Kind,
    Tier,
)
from bot.coaching.fears import OutcomeSource, Situation, outcome_source, situation_after
from bot.coaching.followups import next_follow_up_due, on_active_day, snooze_until
from bot.coaching.morning import (
    FEAR_PROMPT_BUTTONS,
    MAX_FOLLOW_UPS_SHOWN,
    MAX_MORNING_BUTTONS,
    SILENCE_CHECK_BUTTONS,
    MorningLayout,
    MorningPlan,
    morning_layout,
)
from bot.coaching.progress import replies_to_outreach
from bot.coaching.projection import PaceHistory, pace_note, project
from bot.coaching.text import plural, short_name
from bot.coaching.today import held_back, is_parked, silence_settled, suggest_contacts

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
WEEKEND = (5, 6)

# --- the morning message's shape ---------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "suggestion", "give", "fear", "expected"),
    [
        # A light day: nothing due, the suggestion and the fear question.
        (0, True, False, FEAR_PROMPT_BUTTONS, MorningLayout(0, 0, True, 6)),
        # One follow-up still leaves room for the fear question...
        (1, True, False, FEAR_PROMPT_BUTTONS, MorningLayout(1, 0, True, 8)),
        # ... but not with a give as well.
        (1, True, True, FEAR_PROMPT_BUTTONS, MorningLayout(1, 0, False, 4)),
        # The silence check is a button smaller.
        (1, True, True, SILENCE_CHECK_BUTTONS, MorningLayout(1, 0, True, 8)),
        # Six due: three listed, three more in /followups, no fear question.
        (6, True, False, FEAR_PROMPT_BUTTONS, MorningLayout(3, 3, False, 7)),
        (6, True, True, 0, MorningLayout(3, 3, False, 8)),
        (2, False, False, 0, MorningLayout(2, 0, False, 4)),
        (0, False, False, 0, MorningLayout(0, 0, False, 0)),
    ],
)
def test_morning_layout(
    due: int, suggestion: bool, give: bool, fear: int, expected: MorningLayout
) -> None:
    assert morning_layout(due, suggestion=suggestion, give=give, fear_buttons=fear) == expected


@given(
    due=st.integers(0, 200),
    suggestion=st.booleans(),
    give=st.booleans(),
    fear=st.sampled_from([0, SILENCE_CHECK_BUTTONS, FEAR_PROMPT_BUTTONS]),
)
@example(due=2, suggestion=False, give=False, fear=SILENCE_CHECK_BUTTONS)  # 8 buttons, not light
def test_the_morning_never_outgrows_a_phone_screen(
    due: int, suggestion: bool, give: bool, fear: int
) -> None:
    layout = morning_layout(due, suggestion=suggestion, give=give, fear_buttons=fear)
    assert layout.buttons <= MAX_MORNING_BUTTONS
    assert layout.follow_ups == min(due, MAX_FOLLOW_UPS_SHOWN)
    assert layout.follow_ups + layout.more == due
    if layout.fear_question:
        assert layout.follow_ups <= 1  # only on a light day


def test_morning_layout_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        morning_layout(-1, suggestion=False, give=False, fear_buttons=0)


ids = st.integers(1, 10**9)


@given(
    st.builds(
        MorningPlan,
        follow_up_ids=st.lists(ids, max_size=3).map(tuple),
        more=st.integers(0, 500),
        suggestion_id=st.none() | ids,
        fear_prompt=st.booleans(),
        silence_fear_id=st.none() | ids,
    )
)
def test_a_morning_plan_round_trips(plan: MorningPlan) -> None:
    assert MorningPlan.from_json(plan.to_json()) == plan


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "not json",
        "[]",
        '{"v": 2, "follow_ups": [], "more": 0, "suggestion": null, "fear_prompt": false, '
        '"silence_fear": null}',
        '{"v": 1, "follow_ups": ["1"], "more": 0, "suggestion": null, "fear_prompt": false, '
        '"silence_fear": null}',
        '{"v": 1, "follow_ups": [1], "more": -1, "suggestion": null, "fear_prompt": false, '
        '"silence_fear": null}',
        '{"v": 1, "follow_ups": [1], "more": 0, "suggestion": true, "fear_prompt": false, '
        '"silence_fear": null}',
        '{"v": 1, "follow_ups": [1], "more": 0, "suggestion": null, "fear_prompt": 1, '
        '"silence_fear": null}',
    ],
)
def test_a_malformed_morning_plan_is_none(text: str | None) -> None:
    assert MorningPlan.from_json(text) is None


# --- follow-ups never fall on rest days ----------------------------------------------------


@pytest.mark.parametrize(
    ("due", "tz", "rest_days", "moved"),
    [
        (
            datetime(2026, 11, 27, 9, tzinfo=UTC),
            "UTC",
            WEEKEND,
            datetime(2026, 11, 27, 9, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 28, 9, tzinfo=UTC),
            "UTC",
            WEEKEND,
            datetime(2026, 11, 30, 9, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 29, 23, tzinfo=UTC),
            "UTC",
            WEEKEND,
            datetime(2026, 11, 30, 23, tzinfo=UTC),
        ),
        # Sunday 23:00 UTC is Monday in Sydney: an active day there.
        (
            datetime(2026, 11, 29, 23, tzinfo=UTC),
            "Australia/Sydney",
            WEEKEND,
            datetime(2026, 11, 29, 23, tzinfo=UTC),
        ),
        # A rest day on Friday too: Monday.
        (
            datetime(2026, 11, 27, 9, tzinfo=UTC),
            "UTC",
            (4, 5, 6),
            datetime(2026, 11, 30, 9, tzinfo=UTC),
        ),
        (datetime(2026, 11, 28, 9, tzinfo=UTC), "UTC", (), datetime(2026, 11, 28, 9, tzinfo=UTC)),
        # Every day a rest day (settings refuse it): unchanged rather than lost.
        (
            datetime(2026, 11, 28, 9, tzinfo=UTC),
            "UTC",
            tuple(range(7)),
            datetime(2026, 11, 28, 9, tzinfo=UTC),
        ),
        # The same wall time across a DST change: Saturday 28 March 09:00 in Berlin is 08:00
        # UTC; Monday 30 March 09:00 there is 07:00 UTC.
        (
            datetime(2026, 3, 28, 8, tzinfo=UTC),
            "Europe/Berlin",
            WEEKEND,
            datetime(2026, 3, 30, 7, tzinfo=UTC),
        ),
    ],
)
def test_on_active_day(due: datetime, tz: str, rest_days: tuple[int, ...], moved: datetime) -> None:
    assert on_active_day(due, tz, rest_days) == moved


zones = st.sampled_from(["UTC", "Europe/Lisbon", "America/New_York", "Asia/Kolkata"])
rest_days_sets = st.sets(st.integers(0, 6), max_size=6).map(lambda days: tuple(sorted(days)))


@given(
    due=st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001 (naive bounds, zoned values)
        max_value=datetime(2035, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    tz=zones,
    rest_days=rest_days_sets,
)
def test_a_follow_up_lands_on_the_next_active_day(
    due: datetime, tz: str, rest_days: tuple[int, ...]
) -> None:
    moved = on_active_day(due, tz, rest_days)
    local_day = moved.astimezone(ZoneInfo(tz)).date()
    assert not is_rest_day(local_day, rest_days)
    assert due <= moved < due + timedelta(days=7, hours=2)
    if not is_rest_day(due.astimezone(ZoneInfo(tz)).date(), rest_days):
        assert moved == due


def test_the_cadence_and_snoozes_skip_rest_days() -> None:
    friday = datetime(2026, 11, 27, 9, tzinfo=UTC)
    # Three days after a Wednesday is a Saturday: Monday instead.
    wednesday = friday - timedelta(days=2)
    assert next_follow_up_due(wednesday, 1, (3, 7), rest_days=WEEKEND) == friday + timedelta(days=3)
    assert next_follow_up_due(wednesday, 1, (3, 7)) == friday + timedelta(days=1)
    assert snooze_until(friday, rest_days=WEEKEND) == friday + timedelta(days=3)


# --- who is held back from suggestions ---------------------------------------------------


def person(contact_id: int = 1, rest_until: datetime | None = None) -> Contact:
    return Contact(
        contact_id,
        1,
        f"Person {contact_id}",
        Tier.WARM,
        None,
        None,
        rest_until,
        NOW - timedelta(90),
    )


def history(
    *,
    last_days_ago: float | None = None,
    last_kind: Kind | None = None,
    declined_days_ago: float | None = None,
    open_follow_up: bool = False,
    rest_until: datetime | None = None,
) -> ContactSummary:
    return ContactSummary(
        contact=person(rest_until=rest_until),
        last_interaction_at=None if last_days_ago is None else NOW - timedelta(last_days_ago),
        outreach_count=1,
        has_open_follow_up=open_follow_up,
        last_kind=last_kind,
        last_declined_at=None if declined_days_ago is None else NOW - timedelta(declined_days_ago),
    )


@pytest.mark.parametrize(
    ("summary", "held", "parked", "settled"),
    [
        (history(), False, False, False),
        # Said no: left alone for six weeks.
        (
            history(last_days_ago=10, last_kind=Kind.REPLY_DECLINED, declined_days_ago=10),
            True,
            False,
            False,
        ),
        (
            history(last_days_ago=41, last_kind=Kind.REPLY_DECLINED, declined_days_ago=41),
            True,
            False,
            False,
        ),
        (
            history(last_days_ago=43, last_kind=Kind.REPLY_DECLINED, declined_days_ago=43),
            False,
            False,
            False,
        ),
        # A later "yes" does not clear a recent no.
        (
            history(last_days_ago=20, last_kind=Kind.REPLY_POSITIVE, declined_days_ago=30),
            True,
            False,
            False,
        ),
        # The last follow-up went unanswered: parked for a month; a week on, silence settled.
        (history(last_days_ago=3, last_kind=Kind.FOLLOW_UP), True, True, False),
        (history(last_days_ago=8, last_kind=Kind.FOLLOW_UP), True, True, True),
        (history(last_days_ago=29, last_kind=Kind.OUTREACH), True, True, True),
        (history(last_days_ago=31, last_kind=Kind.FOLLOW_UP), False, False, False),
        # Still waiting on a follow-up: held back, but not parked.
        (
            history(last_days_ago=8, last_kind=Kind.FOLLOW_UP, open_follow_up=True),
            True,
            False,
            False,
        ),
        # A coffee chat two weeks ago is not silence.
        (history(last_days_ago=14, last_kind=Kind.COFFEE_CHAT), False, False, False),
        # Let rest by hand: held back, and the silence was asked about when it was let rest.
        (
            history(last_days_ago=8, last_kind=Kind.FOLLOW_UP, rest_until=NOW + timedelta(20)),
            True,
            True,
            False,
        ),
    ],
)
def test_who_is_held_back(summary: ContactSummary, held: bool, parked: bool, settled: bool) -> None:
    assert held_back(summary, NOW) is held
    assert (suggest_contacts([summary], NOW) == []) is held
    assert is_parked(summary, NOW) is parked
    assert silence_settled(summary, NOW) is settled


# --- replies credited to reaching out ------------------------------------------------------


def logged(contact_id: int, kind: Kind, days_ago: float) -> Interaction:
    return Interaction(
        int(days_ago * 100) + contact_id,
        1,
        contact_id,
        kind,
        Channel.EMAIL,
        None,
        None,
        NOW - timedelta(days=days_ago),
    )


WEEK_START, WEEK_END = NOW - timedelta(days=7), NOW


@pytest.mark.parametrize(
    ("log", "answered"),
    [
        ([], 0),
        # Reached two weeks ago, replied this week: credited.
        ([logged(1, Kind.OUTREACH, 14), logged(1, Kind.REPLY_POSITIVE, 2)], 1),
        # A follow-up counts as reaching out too; a "no" is an answer as well.
        ([logged(1, Kind.FOLLOW_UP, 3), logged(1, Kind.REPLY_DECLINED, 1)], 1),
        # Reached too long before (over three weeks): not credited.
        ([logged(1, Kind.OUTREACH, 30), logged(1, Kind.REPLY_POSITIVE, 2)], 0),
        # A reply from someone never reached in the log: not credited.
        ([logged(1, Kind.OUTREACH, 3), logged(2, Kind.REPLY_LATER, 2)], 0),
        # Reached after the reply: not what brought it.
        ([logged(1, Kind.REPLY_POSITIVE, 3), logged(1, Kind.OUTREACH, 2)], 0),
        # A reply before this week is not this week's.
        ([logged(1, Kind.OUTREACH, 12), logged(1, Kind.REPLY_POSITIVE, 9)], 0),
    ],
)
def test_replies_to_outreach(log: list[Interaction], answered: int) -> None:
    assert replies_to_outreach(log, WEEK_START, WEEK_END) == answered


# --- which pace the projection uses --------------------------------------------------------

TODAY = date(2026, 11, 23)
SLOW = PaceHistory(
    weeks_active=6,
    total_outreach=40,
    total_chats=3,
    recent_outreach=(8, 8, 8, 8),
    recent_chats=(1, 0, 1, 0),
)


@pytest.mark.parametrize(
    ("history", "note"),
    [
        (PaceHistory.empty(), None),
        (
            PaceHistory(weeks_active=1, total_outreach=6, total_chats=0),
            "(That's your planned pace for now: your real one takes over after 3 weeks and "
            "10 reach-outs.)",
        ),
        (
            SLOW,
            "(That's your real pace over the last 4 weeks; your plan says 2 coffee chats a "
            "week. At the planned pace it would be 26 February 2027: that's why it moved.)",
        ),
    ],
)
def test_pace_note(history: PaceHistory, note: str | None) -> None:
    projection = project(30, None, 3, 2, TODAY, history)
    assert pace_note(projection) == note
    assert projection.weekly_pace == (
        Fraction(2) if note != pace_note(project(30, None, 3, 2, TODAY, SLOW)) else Fraction(1, 2)
    )


def test_no_pace_note_once_the_goal_is_met() -> None:
    assert pace_note(project(3, None, 3, 2, TODAY, SLOW)) is None


# --- fears tested by silence, or by hand ---------------------------------------------------


@pytest.mark.parametrize(
    ("tested", "outcome", "situation"),
    [
        (OutcomeSource.SILENCE, FearOutcome.YES, Situation.QUIET),
        (OutcomeSource.SILENCE, FearOutcome.PARTLY, Situation.QUIET),
        (OutcomeSource.SILENCE, FearOutcome.NO, Situation.GOOD),
        (OutcomeSource.BY_HAND, FearOutcome.YES, Situation.DECLINE),
        (OutcomeSource.BY_HAND, FearOutcome.NO, Situation.GOOD),
        (OutcomeSource.REPLY_LATER, FearOutcome.YES, Situation.SILENCE),
        (OutcomeSource.REPLY_DECLINED, FearOutcome.PARTLY, Situation.DECLINE),
        (OutcomeSource.COFFEE_CHAT, FearOutcome.YES, Situation.GOOD),
    ],
)
def test_situation_after(tested: OutcomeSource, outcome: FearOutcome, situation: Situation) -> None:
    assert situation_after(tested, outcome) is situation


def test_replies_and_chats_test_fears_by_their_kind() -> None:
    kinds = (Kind.REPLY_POSITIVE, Kind.REPLY_DECLINED, Kind.REPLY_LATER, Kind.COFFEE_CHAT)
    assert [outcome_source(kind).value for kind in kinds] == [kind.value for kind in kinds]


# --- names on buttons, and plurals -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "limit", "shown"),
    [
        ("Ana", 18, "Ana"),
        ("Helen O'Brien", 18, "Helen O'Brien"),
        ("Carla Mendes da Silva Santos", 18, "Carla Mendes…"),
        ("Carla Mendes da Silva Santos", 24, "Carla Mendes da Silva…"),
        ("Jean van der Berg", 12, "Jean…"),
        ("Maximilianus Augustinus", 10, "Maximilia…"),
    ],
)
def test_short_name(name: str, limit: int, shown: str) -> None:
    assert short_name(name, limit) == shown


words = st.text(st.characters(blacklist_categories=("Z", "C")), min_size=1, max_size=15)


@given(st.lists(words, min_size=1, max_size=5).map(" ".join), st.integers(2, 40))
def test_a_short_name_fits_and_starts_like_the_name(name: str, limit: int) -> None:
    shown = short_name(name, limit)
    assert len(shown) <= limit
    assert shown == name or (shown.endswith("…") and name.startswith(shown.removesuffix("…")))


@pytest.mark.parametrize(
    ("count", "one", "many", "said"),
    [
        (1, "coffee chat", None, "1 coffee chat"),
        (0, "coffee chat", None, "0 coffee chats"),
        (2, "reach-out", None, "2 reach-outs"),
        (1, "reply", "replies", "1 reply"),
        (3, "reply", "replies", "3 replies"),
    ],
)
def test_plural(count: int, one: str, many: str | None, said: str) -> None:
    assert plural(count, one, many) == said
