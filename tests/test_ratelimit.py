"""PacedRateLimiter: a burst then about one message a second per chat, about 30 a second
overall, a 429's retry_after waited out by every request, and no pacing once lifted.

Driven directly with small fake Bot API calls, then through a real PTB bot against the
emulator. Bounds are loose: these tests check the shape of the pacing, not a benchmark.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.delivery.ratelimit import CHAT_BURST, PacedRateLimiter, answering_an_update
from bot.local.emulator import BotApiEmulator

LIFTED: dict[str, Any] = {"overall_per_second": None, "chat_per_second": None}


class FakeCall:
    """A Bot API call that records when it ran and raises the given errors first, in order."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.started: list[float] = []
        self.wall_started: list[float] = []

    async def __call__(self) -> dict[str, Any]:
        self.started.append(time.monotonic())
        self.wall_started.append(time.time())
        if self.errors:
            raise self.errors.pop(0)
        return {"ok": True}


async def through(
    limiter: PacedRateLimiter,
    call: FakeCall,
    chat_id: int = 1,
    *,
    rate_limit_args: int | None = None,
) -> Any:
    """Send one fake sendMessage to `chat_id` through the limiter."""
    return await limiter.process_request(
        call, (), {}, "sendMessage", {"chat_id": chat_id}, rate_limit_args
    )


async def test_a_chat_gets_a_short_burst_then_about_one_message_a_second() -> None:
    limiter = PacedRateLimiter(overall_per_second=None)  # one a second per chat, a burst
    busy, other = FakeCall(), FakeCall()
    started = time.monotonic()

    async def busy_chat() -> None:
        for _ in range(CHAT_BURST + 1):
            await through(limiter, busy, chat_id=1)

    async def other_chat() -> None:
        await asyncio.sleep(0.2)  # while chat 1 is waiting for the message after its burst
        await through(limiter, other, chat_id=2)

    await asyncio.gather(busy_chat(), other_chat())
    offsets = [moment - started for moment in busy.started]
    burst, after = offsets[CHAT_BURST - 1], offsets[CHAT_BURST]
    assert burst < 0.3, f"the burst of {CHAT_BURST} was paced: {offsets}"
    assert 0.7 < after - burst < 1.5, f"the one after the burst not about a second later: {offsets}"
    assert other.started[0] - started < 0.5, "another chat waited for chat 1"


async def test_all_chats_together_are_paced_at_about_thirty_a_second() -> None:
    limiter = PacedRateLimiter(chat_per_second=None)  # 30 a second overall
    call = FakeCall()
    await asyncio.gather(*(through(limiter, call, chat_id=chat) for chat in range(75)))
    moments = sorted(call.started)
    rate = (len(moments) - 1) / (moments[-1] - moments[0])
    assert 27 < rate < 31, f"{rate:.1f} a second"
    per_second = Counter(int(moment) for moment in call.wall_started)
    assert max(per_second.values()) <= 30, f"a wall-clock second above the cap: {per_second}"
    assert_clear_of_second_ends(call.wall_started)


async def test_a_send_too_late_for_its_second_does_not_crowd_the_next() -> None:
    limiter = PacedRateLimiter(chat_per_second=None)  # 30 a second overall
    call = FakeCall()
    await asyncio.sleep(1.7 - time.time() % 1)  # 0.7 s into a wall-clock second
    sends = asyncio.gather(*(through(limiter, call, chat_id=chat) for chat in range(45)))
    await asyncio.sleep(0.1)
    time.sleep(0.4)  # noqa: ASYNC251 (busy across the second's end: its last slots are gone)
    await sends
    per_second = Counter(int(moment) for moment in call.wall_started)
    assert max(per_second.values()) <= 30, f"a wall-clock second above the cap: {per_second}"
    assert_clear_of_second_ends(call.wall_started)
    assert len(call.started) == 45


def assert_clear_of_second_ends(moments: list[float]) -> None:
    """No send left in the last 10 ms of a wall-clock second, where its trip to Telegram
    would make Telegram count it in the next one (31 in a second: a 429)."""
    late = [round(moment % 1, 4) for moment in moments if moment % 1 > 0.99]
    assert not late, f"sends at the very end of a second: {late}"


async def test_a_late_event_loop_costs_the_pace_nothing() -> None:
    limiter = PacedRateLimiter(chat_per_second=None)  # 30 a second overall
    call = FakeCall()
    await asyncio.sleep(1.05 - time.time() % 1)  # start just after a wall-clock second begins
    sends = asyncio.gather(*(through(limiter, call, chat_id=chat) for chat in range(60)))
    await asyncio.sleep(0.5)
    time.sleep(0.3)  # noqa: ASYNC251 (the event loop is busy elsewhere: nine slots go by)
    await sends
    moments = sorted(call.started)
    # 60 sends at 30 a second take two seconds: the late ones catch up within their second.
    assert moments[-1] - moments[0] < 2.1, f"the pace lost time: {moments[-1] - moments[0]:.2f} s"
    per_second = Counter(int(moment) for moment in call.wall_started)
    assert max(per_second.values()) <= 30, f"a wall-clock second above the cap: {per_second}"
    assert_clear_of_second_ends(call.wall_started)


async def test_a_reply_does_not_queue_behind_a_broadcast() -> None:
    limiter = PacedRateLimiter(overall_per_second=2, chat_per_second=None)
    broadcast, reply = FakeCall(), FakeCall()
    started = time.monotonic()

    async def answer_an_update() -> None:
        await asyncio.sleep(0.1)  # while 10 scheduled messages wait for the overall pace
        with answering_an_update():
            await through(limiter, reply, chat_id=99)

    fan_out = [through(limiter, broadcast, chat_id=chat) for chat in range(10)]
    await asyncio.gather(*fan_out, answer_an_update())
    assert reply.started[0] - started < 0.5, "the reply waited for the broadcast's pace"
    assert max(broadcast.started) - started > 3, "the broadcast was not paced"


async def test_a_429_pauses_every_request_for_its_retry_after_then_retries() -> None:
    limiter = PacedRateLimiter(**LIFTED)
    limited = FakeCall(RetryAfter(timedelta(seconds=0.5)))
    bystander = FakeCall()

    async def bystander_send() -> Any:
        await asyncio.sleep(0.1)  # arrives during the pause
        return await through(limiter, bystander, chat_id=2)

    results = await asyncio.gather(through(limiter, limited, chat_id=1), bystander_send())
    assert results == [{"ok": True}, {"ok": True}]
    first_try, retry = limited.started
    assert retry - first_try >= 0.5
    assert bystander.started[0] - first_try >= 0.5, "a request went out during the pause"


async def test_a_429_that_persists_is_raised_after_max_retries() -> None:
    limiter = PacedRateLimiter(**LIFTED, max_retries=2)
    always_limited = FakeCall(*(RetryAfter(timedelta(0)) for _ in range(5)))
    with pytest.raises(RetryAfter):
        await through(limiter, always_limited)
    assert len(always_limited.started) == 3  # the call and two retries


async def test_rate_limit_args_override_max_retries() -> None:
    limiter = PacedRateLimiter(**LIFTED, max_retries=3)
    limited = FakeCall(RetryAfter(timedelta(0)))
    with pytest.raises(RetryAfter):
        await through(limiter, limited, rate_limit_args=0)
    assert len(limited.started) == 1


async def test_lifted_limits_do_not_pace() -> None:
    limiter = PacedRateLimiter(**LIFTED)
    call = FakeCall()
    started = time.monotonic()
    for _ in range(100):
        await through(limiter, call, chat_id=1)
    await asyncio.gather(*(through(limiter, call, chat_id=chat) for chat in range(100)))
    assert time.monotonic() - started < 0.5  # paced, it would take over three seconds


# --- through a real bot, against the emulator -------------------------------------------------


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A running Bot API emulator."""
    async with BotApiEmulator() as running:
        yield running


def bot_for(emulator: BotApiEmulator, limiter: PacedRateLimiter) -> ExtBot[int]:
    """A PTB bot that sends through `limiter` to the emulator."""
    return ExtBot(
        emulator.token,
        base_url=emulator.base_url + "/bot",
        request=HTTPXRequest(connection_pool_size=8),
        rate_limiter=limiter,
    )


def send_statuses(emulator: BotApiEmulator) -> list[int]:
    """The HTTP status of every sendMessage the emulator answered, in order."""
    return [call.status for call in emulator.calls if call.method == "sendMessage"]


async def test_a_bot_waits_out_a_429_from_telegram_and_delivers_once(
    emulator: BotApiEmulator,
) -> None:
    emulator.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    async with bot_for(emulator, PacedRateLimiter()) as bot:
        started = time.monotonic()
        await bot.send_message(7, "hello")
        elapsed = time.monotonic() - started
    assert elapsed >= 1.0
    assert send_statuses(emulator) == [429, 200]
    assert [message.text for message in emulator.messages(7)] == ["hello"]


async def test_a_bot_raises_the_429_that_outlasts_its_retries(emulator: BotApiEmulator) -> None:
    emulator.fail_next(
        "sendMessage",
        status=429,
        description="Too Many Requests: retry after 1",
        retry_after=1,
        times=2,
    )
    async with bot_for(emulator, PacedRateLimiter(**LIFTED, max_retries=1)) as bot:
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(7, "hello")
    assert raised.value.retry_after == timedelta(seconds=1)
    assert send_statuses(emulator) == [429, 429]
    assert emulator.messages(7) == []


async def test_a_bot_paces_one_chat_but_not_the_others(emulator: BotApiEmulator) -> None:
    async with bot_for(emulator, PacedRateLimiter()) as bot:
        started = time.monotonic()
        count = CHAT_BURST + 1
        await asyncio.gather(*(bot.send_message(7, f"message {n}") for n in range(count)))
        one_chat = time.monotonic() - started
        started = time.monotonic()
        await asyncio.gather(*(bot.send_message(100 + n, "hi") for n in range(count)))
        other_chats = time.monotonic() - started
    assert one_chat > 0.7, "the message after one chat's burst was not held back"
    assert other_chats < 0.7, "different chats were paced as one"
    assert len(emulator.messages(7)) == count
