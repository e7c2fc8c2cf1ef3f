"""Chats do not wait for each other; one chat's updates are handled in the order sent."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from bot.application import CoachApplication
from bot.clock import FrozenClock
from bot.delivery.chat_order import ChatOrderedUpdateProcessor
from bot.delivery.ratelimit import PacedRateLimiter
from bot.local.emulator import BotApiEmulator
from tests.harness import BotHarness

BUSY_CHAT = 1001
OTHER_CHAT = 2002
BACKLOG = 20


def _processor(application: CoachApplication) -> ChatOrderedUpdateProcessor:
    processor = application.update_processor
    assert isinstance(processor, ChatOrderedUpdateProcessor)
    return processor


async def test_a_busy_chat_does_not_hold_another_and_keeps_its_order(
    tmp_path: Path, clock: FrozenClock
) -> None:
    async with BotApiEmulator() as emulator:
        # Telegram's per-chat pace, made quicker so the test is short: the busy chat's 20
        # replies take about four seconds.
        harness = BotHarness(
            emulator,
            clock,
            f"sqlite:///{tmp_path / 'coach.db'}",
            rate_limiter=PacedRateLimiter(overall_per_second=30, chat_per_second=5, chat_burst=1),
        )
        await harness.start()
        try:
            names = [f"Person{number:02d}" for number in range(1, BACKLOG + 1)]
            busy = [emulator.send_text(BUSY_CHAT, f"/add {name}") for name in names]
            await asyncio.sleep(0.3)  # the busy chat's backlog is being worked through
            other = emulator.send_text(OTHER_CHAT, "/help")
            await emulator.wait_processed(other, timeout=2)
            answered_while_busy = len(emulator.messages(BUSY_CHAT))
            assert "What I can do" in emulator.messages(OTHER_CHAT)[0].text
            assert answered_while_busy < BACKLOG, "the other chat waited for the whole backlog"

            for update_id in busy:
                await emulator.wait_processed(update_id, timeout=20)
            added = [
                found[1]
                for message in emulator.messages(BUSY_CHAT)
                if (found := re.search(r"(Person\d\d)", message.text))
            ]
            assert added == names
            assert harness.application is not None
            assert _processor(harness.application).chats_in_line == 0
        finally:
            await harness.stop()
        assert harness.errors == []
        assert emulator.violations == []


async def test_a_chart_slow_to_send_holds_neither_another_chat_nor_its_own_order(
    bot: BotHarness,
) -> None:
    # The chart's sendPhoto is carried out at once but answered only after a few seconds.
    bot.emulator.stall_next("sendPhoto", 6)
    progress = bot.emulator.send_text(BUSY_CHAT, "/progress")
    for _ in range(200):  # the words, then the chart, reach the chat (its answer is late)
        if len(bot.emulator.messages(BUSY_CHAT)) == 2:
            break
        await asyncio.sleep(0.05)
    later = bot.emulator.send_text(BUSY_CHAT, "/today")
    other = bot.emulator.send_text(OTHER_CHAT, "/today")
    await bot.emulator.wait_processed(other)
    assert "Today" in bot.emulator.messages(OTHER_CHAT)[0].text
    # The busy chat's /today waits for its own /progress to finish.
    assert [message.kind for message in bot.emulator.messages(BUSY_CHAT)] == ["text", "photo"]
    await bot.emulator.wait_processed(progress)
    await bot.emulator.wait_processed(later)
    words, chart, today = bot.emulator.messages(BUSY_CHAT)
    assert "Your progress" in words.text
    assert chart.kind == "photo"
    assert "Today" in today.text
