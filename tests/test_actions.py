"""Button payloads: one typed registry, packed and decoded in one place; anything else is stale."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.domain import Kind, OnboardingStep
from bot.usecases.actions import (
    AnswerFollowUp,
    ChooseSetting,
    FollowUpAnswer,
    LogReply,
    OnboardingAnswer,
    OpenCard,
    RateNewFear,
    StaleButton,
    ToggleRestDay,
    actions,
    pack,
    unpack,
)
from handlers.buttons import ROUTES


def test_round_trip() -> None:
    action = AnswerFollowUp(12, FollowUpAnswer.DONE)
    assert pack(action) == "1:fu:12:d"
    assert unpack("1:fu:12:d") == action


@pytest.mark.parametrize(
    "data", [None, "", "2:ct:1", "1:ct", "1:ct:1:2", "1:nope:1", "1:ct:a b", "1:" + "x" * 70]
)
def test_malformed_payloads_are_stale(data: str | None) -> None:
    with pytest.raises(StaleButton) as stale:
        unpack(data)
    assert not stale.value.readable


def test_ids_must_be_numbers() -> None:
    with pytest.raises(StaleButton):
        unpack("1:ct:abc")


@pytest.mark.parametrize(
    "data",
    [
        "1:ob:quota:1000000000",  # a daily quota of a billion
        "1:ob:goal:0",
        "1:ob:weekly:0",
        "1:ob:morning:2500",
        "1:ob:date:999m",
        "1:ob:name:admin",
        "1:fs:1:9",  # strength 1-5, 0 skips
        "1:sd:7",  # weekdays 0-6
        "1:sv:dq:1000000",  # only the quick choices a setting offers
        "1:se:zz",
        "1:rk:1:q",
        "1:ct:0",
        "1:cl:everyone:0",
        "1:cl:all:100000",
    ],
)
def test_values_outside_their_bounds_are_stale(data: str) -> None:
    with pytest.raises(StaleButton) as stale:
        unpack(data)
    assert stale.value.readable


def test_values_inside_their_bounds_decode() -> None:
    assert unpack("1:ob:quota:5") == OnboardingAnswer(OnboardingStep.QUOTA, "5")
    assert unpack("1:ob:date:3m") == OnboardingAnswer(OnboardingStep.DATE, "3m")
    assert unpack("1:fs:4:0") == RateNewFear(4, 0)
    assert unpack("1:sd:6") == ToggleRestDay(6)
    assert unpack("1:sv:dq:5") == ChooseSetting("dq", "5")
    assert unpack("1:rk:3:l") == LogReply(3, Kind.REPLY_LATER)


def test_pack_refuses_what_telegram_or_unpack_would() -> None:
    with pytest.raises(ValueError, match="bounds"):
        pack(OnboardingAnswer(OnboardingStep.QUOTA, "1000000000"))
    with pytest.raises(ValueError, match="outside"):
        pack(OpenCard(0))


def test_every_action_has_one_route() -> None:
    assert set(ROUTES) == set(actions().values())


@given(st.text(max_size=100))
def test_unpack_never_raises_anything_else(data: str) -> None:
    try:
        action = unpack(data)
    except StaleButton:
        return
    assert len(data.encode()) <= 64
    assert pack(action) == data
