"""The real bot on PostgreSQL: the scale-out store runs the same conversations and schedules."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import FrozenClock
from bot.coaching.domain import Kind
from bot.local.emulator import BotApiEmulator
from tests.conftest import MONDAY_MORNING
from tests.harness import CHAT, BotHarness
from tests.postgres import fresh_postgres_database


async def test_a_conversation_and_a_morning_on_postgresql() -> None:
    clock = FrozenClock(MONDAY_MORNING)
    async with fresh_postgres_database() as url, BotApiEmulator() as emulator:
        bot = BotHarness(emulator, clock, url)
        await bot.start()
        try:
            await bot.say("/start")
            for label in ("Skip", "Keep UTC", "Skip (50)", "No date", "2", "Skip (3)", "08:00"):
                await bot.press(label)
            await bot.say("Ana")
            await bot.press("Done")
            await bot.say("/reach Ana via email")
            await bot.say("coffee with Ana")
            await bot.press("Save")
            assert await bot.store.count_interactions(CHAT, (Kind.COFFEE_CHAT,)) == 1
            clock.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
            assert (await bot.tick()).sent == 1
            assert (await bot.tick()).sent == 0
            update_id = emulator.send_text(CHAT, "/export")
            await emulator.wait_processed(update_id)
            assert emulator.last_message(CHAT).kind == "document"
            await bot.say("/delete")
            await bot.press("Yes, delete everything")
            assert await bot.store.export_rows(CHAT) is None
        finally:
            await bot.stop()
        assert bot.errors == []
        assert emulator.violations == []
