"""bot/coaching/partners.py: invite codes, who can accept, and the week in numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.domain import Interaction, Kind, User
from bot.coaching.partners import (
    CODE_LENGTH,
    InviteProblem,
    Partnership,
    code_digest,
    invite_link,
    invite_problem,
    is_invite_code,
    new_invite_code,
    partner_week,
)

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
SUNDAY = date(2026, 11, 29)
USER = User(
    chat_id=1,
    name="Sam",
    timezone="UTC",
    goal_count=30,
    goal_date=None,
    weekly_chats=2,
    daily_quota=1,
    morning_time=time(8),
    evening_time=None,
    follow_up_days=(3, 7, 14),
    rest_days=(5, 6),
    onboarding_step=None,
    onboarded_at=NOW,
    awaiting=None,
    created_at=NOW,
)
INVITE = Partnership(
    id=1,
    chat_id=1,
    owner_name="Sam",
    created_at=NOW,
    expires_at=NOW + timedelta(days=7),
    partner_chat_id=None,
    partner_name=None,
    accepted_at=None,
    ended_at=None,
)


def test_codes_are_new_each_time_and_fit_a_start_parameter() -> None:
    codes = {new_invite_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == CODE_LENGTH <= 64 and is_invite_code(code) for code in codes)


@given(st.text(max_size=80))
def test_only_a_code_shaped_text_is_a_code(text: str) -> None:
    shaped = len(text) == CODE_LENGTH and all(
        c.isascii() and (c.isalnum() or c in "_-") for c in text
    )
    assert is_invite_code(text) == shaped


def test_the_digest_is_stable_and_is_not_the_code() -> None:
    code = new_invite_code()
    assert code_digest(code) == code_digest(code)
    assert code not in code_digest(code)
    assert len(code_digest(code)) == 64


def test_the_link_opens_the_bot_with_the_code() -> None:
    assert invite_link("coach_bot", "abc") == "https://t.me/coach_bot?start=abc"


@pytest.mark.parametrize(
    ("invite", "chat_id", "now", "problem"),
    [
        (INVITE, 2, NOW, None),
        (INVITE, 2, NOW + timedelta(days=7) - timedelta(seconds=1), None),
        (INVITE, 2, NOW + timedelta(days=7), InviteProblem.GONE),
        (INVITE, 1, NOW, InviteProblem.OWN),
        (None, 2, NOW, InviteProblem.GONE),
        (replace(INVITE, accepted_at=NOW, partner_chat_id=3), 2, NOW, InviteProblem.GONE),
        (replace(INVITE, ended_at=NOW), 2, NOW, InviteProblem.GONE),
        (replace(INVITE, ended_at=NOW), 1, NOW, InviteProblem.GONE),
        (replace(INVITE, accepted_at=NOW, partner_chat_id=2), 2, NOW, InviteProblem.ACCEPTED),
        (
            replace(INVITE, accepted_at=NOW, partner_chat_id=2),
            2,
            NOW + timedelta(days=30),
            InviteProblem.ACCEPTED,
        ),
    ],
)
def test_who_can_accept_an_invite(
    invite: Partnership | None, chat_id: int, now: datetime, problem: InviteProblem | None
) -> None:
    assert invite_problem(invite, chat_id, now) == problem


def log(*entries: tuple[datetime, Kind]) -> list[Interaction]:
    return [
        Interaction(
            id=index, chat_id=1, contact_id=1, kind=kind, channel=None, ask=None, note=None, at=at
        )
        for index, (at, kind) in enumerate(entries)
    ]


def day(number: int, hour: int = 10) -> datetime:
    """An instant in November 2026 (the 23rd is a Monday)."""
    return datetime(2026, 11, number, hour, tzinfo=UTC)


def test_the_week_counts_monday_to_today_in_the_users_zone() -> None:
    entries = log(
        (day(22, 23), Kind.OUTREACH),  # Sunday before, in UTC; Monday in Auckland
        (day(23), Kind.OUTREACH),
        (day(24), Kind.FOLLOW_UP),
        (day(24), Kind.REPLY_POSITIVE),
        (day(25), Kind.REPLY_DECLINED),
        (day(26), Kind.COFFEE_CHAT),
        (day(27), Kind.GAVE),
        (day(29, 23), Kind.OUTREACH),  # Monday in Auckland: next week there
    )
    week = partner_week(USER, entries, SUNDAY)
    assert (week.week_start, week.week_end) == (date(2026, 11, 23), SUNDAY)
    assert (week.reach_outs, week.replies, week.chats, week.chats_total) == (3, 2, 1, 1)
    auckland = partner_week(replace(USER, timezone="Pacific/Auckland"), entries, SUNDAY)
    assert (auckland.reach_outs, auckland.replies, auckland.chats) == (3, 2, 1)


@pytest.mark.parametrize(
    ("goal_date", "chats_this_week", "on_track"),
    [
        (None, 2, True),  # without a date: the weekly plan met
        (None, 1, False),
        (date(2027, 6, 1), 0, True),  # 30 chats at 2 a week by June: in time
        (date(2026, 12, 31), 2, False),  # 28 more in a month: behind
    ],
)
def test_on_track(goal_date: date | None, chats_this_week: int, on_track: bool) -> None:
    entries = log(*[(day(24 + index), Kind.COFFEE_CHAT) for index in range(chats_this_week)])
    week = partner_week(replace(USER, goal_date=goal_date), entries, SUNDAY)
    assert week.on_track is on_track


def test_a_met_goal_is_on_track_and_the_streak_counts_active_days() -> None:
    entries = log(*[(day(23 + index), Kind.OUTREACH) for index in range(5)])
    week = partner_week(replace(USER, goal_count=0), entries, SUNDAY)
    assert week.on_track
    assert week.streak_days == 5
