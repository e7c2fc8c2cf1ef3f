"""Telegram faults are everyday events: the bot keeps serving, retries only what is safe,
and never loses what the user logged."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from telegram.error import Forbidden, NetworkError, TimedOut

from bot.clock import FrozenClock
from bot.coaching.domain import Kind
from tests.harness import CHAT, BotHarness, running_bot


def _replies(bot: BotHarness, containing: str) -> int:
    return sum(containing in message.text for message in bot.emulator.messages(CHAT))


def _one_line_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    records = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert all(record.exc_info is None for record in records), "a traceback was logged"
    return [record.getMessage() for record in records]


async def _expected_errors(bot: BotHarness, *kinds: type[BaseException]) -> None:
    """The handler errors a fault must cause, taken off the harness's list."""
    assert len(bot.errors) == len(kinds), bot.errors
    assert all(isinstance(error, kind) for error, kind in zip(bot.errors, kinds, strict=True))
    bot.errors.clear()


async def test_a_429_on_a_reply_is_waited_out_and_delivered_once(bot: BotHarness) -> None:
    bot.emulator.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    started = asyncio.get_running_loop().time()
    await bot.say("/add Ana")
    assert asyncio.get_running_loop().time() - started >= 1.0
    assert _replies(bot, "Added Ana") == 1
    assert len(await bot.store.list_contacts(CHAT)) == 1


@pytest.mark.parametrize(("status", "text"), [(500, "Internal Server Error"), (502, "Bad Gateway")])
async def test_a_server_error_on_a_send_is_retried(bot: BotHarness, status: int, text: str) -> None:
    bot.emulator.fail_next("sendMessage", status=status, description=text, times=2)
    await bot.say("/add Ana")
    assert _replies(bot, "Added Ana") == 1


async def test_a_lasting_outage_loses_no_log_and_the_bot_keeps_serving(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.say("/add Ana")
    bot.emulator.fail_next("sendMessage", status=502, description="Bad Gateway", times=3)
    with caplog.at_level(logging.WARNING):
        await bot.say("/reach Ana via email")
    await _expected_errors(bot, NetworkError)
    assert await bot.store.count_interactions(CHAT, (Kind.OUTREACH,)) == 1
    assert any("Bad Gateway" in line for line in _one_line_warnings(caplog))
    [today] = await bot.say("/today")
    assert "1 of 3 reach-outs" in today.text


async def test_a_dropped_send_is_not_repeated(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    bot.emulator.drop_next("sendMessage", after_processing=True)
    await bot.say("/reach Ana")
    await _expected_errors(bot, NetworkError)
    assert _replies(bot, "Logged: message to Ana") == 1  # it arrived once; no second copy
    assert await bot.store.count_interactions(CHAT, (Kind.OUTREACH,)) == 1


async def test_a_dropped_edit_is_retried(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/contacts")
    bot.emulator.drop_next("editMessageText")
    await bot.press("Ana")
    assert "Ana · warm" in bot.last().text
    assert bot.last().edited


@pytest.fixture
async def impatient_bot(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[BotHarness]:
    """A bot whose calls give up after half a second."""
    async with running_bot(tmp_path, clock, request_timeout=0.5) as harness:
        yield harness


async def test_a_timed_out_send_is_not_repeated(impatient_bot: BotHarness) -> None:
    bot = impatient_bot
    await bot.say("/add Ana")
    bot.emulator.stall_next("sendMessage", 1.5)
    await bot.say("/reach Ana")
    await _expected_errors(bot, TimedOut)
    await asyncio.sleep(1.2)  # let the stalled answer finish
    assert _replies(bot, "Logged: message to Ana") == 1
    assert await bot.store.count_interactions(CHAT, (Kind.OUTREACH,)) == 1


async def test_a_user_who_blocked_the_bot_is_marked_inactive_then_back(
    bot: BotHarness,
) -> None:
    await bot.say("/add Ana")
    bot.emulator.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )
    await bot.say("/reach Ana")
    await _expected_errors(bot, Forbidden)
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert not user.active
    assert await bot.store.count_interactions(CHAT, (Kind.OUTREACH,)) == 1
    await bot.say("/today")
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.active


async def test_an_unexpected_error_gets_an_apology_and_the_bot_keeps_serving(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    # A broken database row is the kind of surprise the global handler exists for.
    await bot.say("/add Ana")
    async with bot.store.engine.begin() as conn:
        await conn.exec_driver_sql("UPDATE contacts SET tier = 'martian'")
    with caplog.at_level(logging.ERROR):
        [apology] = await bot.say("/contacts")
    await _expected_errors(bot, ValueError)
    assert "Sorry, something went wrong on my side" in apology.text
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert f"chat {CHAT}" in errors[0].getMessage()
    [help_reply] = await bot.say("/help")
    assert "What I can do" in help_reply.text


async def test_an_update_delivered_twice_is_logged_once(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    update_id = bot.emulator.send_text(CHAT, "/reach Ana via email")
    await bot.emulator.wait_processed(update_id)
    await bot.stop()
    bot.emulator.redeliver(update_id)  # the restart happened before the offset was confirmed
    await bot.start()
    await bot.say("/help")  # handled after the redelivered update: updates run in order
    assert await bot.store.count_interactions(CHAT, (Kind.OUTREACH,)) == 1
    assert _replies(bot, "Logged: email to Ana") == 1


async def test_old_update_records_are_forgotten(bot: BotHarness) -> None:
    await bot.say("/help")
    later = bot.clock.now() + timedelta(days=3)
    assert await bot.store.forget_updates_before(later) == 1
    assert (await bot.store.claim_update(10**9, CHAT, later)).first
