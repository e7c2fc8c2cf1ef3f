"""The pace of scheduled messages: BROADCAST_RATE and PAID_BROADCAST, checked at start, and
the emulator's Telegram-like flood control that a bot sending too fast runs into."""

from __future__ import annotations

import httpx
import pytest

from bot.config import SettingsError, load_settings
from bot.local.emulator import BotApiEmulator, FloodControl

TOKEN = "123456:" + "A" * 35


def test_thirty_a_second_free_by_default() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert (settings.broadcast_rate, settings.paid_broadcast) == (30, False)


@pytest.mark.parametrize(
    ("rate", "paid", "expected"),
    [("1", "", 1), ("30", "off", 30), ("300", "on", 300), ("1000", "on", 1000), (" 12 ", "", 12)],
)
def test_a_rate_up_to_thirty_or_with_paid_broadcasts_up_to_a_thousand(
    rate: str, paid: str, expected: int
) -> None:
    settings = load_settings(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "BROADCAST_RATE": rate, "PAID_BROADCAST": paid}
    )
    assert settings.broadcast_rate == expected
    assert settings.paid_broadcast is (paid == "on")


@pytest.mark.parametrize(
    ("rate", "paid", "message"),
    [
        ("31", "", "BROADCAST_RATE above 30 needs paid broadcasts.*PAID_BROADCAST=on"),
        ("300", "off", "BROADCAST_RATE above 30 needs paid broadcasts"),
        ("1001", "on", "from 1 to 1000"),
        ("0", "", "from 1 to 1000"),
        ("2.5", "", "whole number"),
        ("fast", "", "not 'fast'"),
        ("30", "yes", "PAID_BROADCAST must be on or off"),
    ],
)
def test_a_rate_telegram_would_refuse_stops_the_bot_at_start(
    rate: str, paid: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "BROADCAST_RATE": rate, "PAID_BROADCAST": paid})


class Wall:
    """A wall clock a test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_flood_control_admits_thirty_in_a_wall_clock_second_then_answers_retry_after() -> None:
    wall = Wall(1000.2)
    flood = FloodControl(wall_clock=wall)
    assert [flood.admit(chat) for chat in range(30)] == [None] * 30
    assert flood.admit(99) == 1
    wall.now = 1000.99
    assert flood.admit(100) == 1
    wall.now = 1001.0  # a new wall-clock second
    assert flood.admit(101) is None
    assert (flood.refusals, flood.per_second) == (2, {1000: 30, 1001: 1})


def test_paid_sends_go_up_to_a_thousand_a_second_and_free_ones_stay_at_thirty() -> None:
    flood = FloodControl(wall_clock=Wall(50.0))
    assert all(flood.admit(chat, paid=True) is None for chat in range(1000))
    assert flood.admit(1000, paid=True) == 1
    assert flood.admit(1001) == 1  # the free cap is long gone
    assert flood.per_second[50] == 1000


def test_one_chat_gets_a_burst_then_one_a_second() -> None:
    wall = Wall(10.0)
    flood = FloodControl(chat_burst=3, wall_clock=wall)
    assert [flood.admit(7) for _ in range(4)] == [None, None, None, 1]
    assert flood.admit(8) is None  # another chat is not held
    wall.now = 11.0
    assert flood.admit(7) is None
    assert flood.admit(7) == 1


async def test_the_emulator_answers_a_send_above_the_cap_with_429_and_retry_after() -> None:
    flood = FloodControl(free_per_second=2, wall_clock=Wall(5.0))
    async with BotApiEmulator(flood_control=flood) as emulator, httpx.AsyncClient() as client:
        url = f"{emulator.base_url}/bot{emulator.token}/sendMessage"
        answers = [
            await client.post(url, json={"chat_id": chat, "text": "Good morning"})
            for chat in (1, 2, 3)
        ]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2].json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert [call.status for call in emulator.calls] == [200, 200, 429]
    assert len(emulator.messages(3)) == 0
