"""The Bot API transport (aiohttp under PTB's request interface) against the emulator over
real sockets: what arrives, and how each failure is told apart, since that decides what is
safe to send again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from io import BytesIO

import pytest
from telegram import InputFile
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ExtBot

from bench.processes import free_port
from bot.delivery.ratelimit import PacedRateLimiter, may_have_arrived
from bot.delivery.transport import AiohttpRequest, ConnectionFailed, ConnectionLost
from bot.local.emulator import BotApiEmulator

CHAT = 4242


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as running:
        yield running


def bot_at(
    base_url: str, token: str, *, timeout: float = 5.0, limiter: PacedRateLimiter | None = None
) -> ExtBot[None]:
    """A PTB bot whose requests go through our transport."""
    return ExtBot(
        token,
        base_url=base_url + "/bot",
        base_file_url=base_url + "/file/bot",
        request=AiohttpRequest(8, read_timeout=timeout, write_timeout=timeout),
        rate_limiter=limiter,
    )


async def test_texts_files_and_downloads_arrive_as_sent(emulator: BotApiEmulator) -> None:
    bot = bot_at(emulator.base_url, emulator.token)
    async with bot:
        await bot.send_message(CHAT, "Héllo & good morning: 1 of 3 reach-outs ✨")
        sent = await bot.send_document(
            CHAT, InputFile(BytesIO(b"name,notes\nAna,met at \xc3\xa9cole\n"), "export.csv")
        )
        assert sent.document is not None
        file = await bot.get_file(sent.document.file_id)
        downloaded = await file.download_as_bytearray()
    [message] = [m for m in emulator.messages(CHAT) if m.text]
    assert message.text == "Héllo & good morning: 1 of 3 reach-outs ✨"
    assert bytes(downloaded) == b"name,notes\nAna,met at \xc3\xa9cole\n"


async def test_a_refused_call_is_the_bot_apis_answer(emulator: BotApiEmulator) -> None:
    async with bot_at(emulator.base_url, emulator.token) as bot:
        with pytest.raises(BadRequest, match="text is empty"):
            await bot.send_message(CHAT, "")


async def test_no_connection_means_not_sent_so_a_send_is_tried_again() -> None:
    port = free_port()  # nothing listens there yet
    emulator = BotApiEmulator()
    limiter = PacedRateLimiter(
        overall_per_second=None, chat_per_second=None, network_retries=3, network_backoff=0.2
    )
    bot = bot_at(f"http://127.0.0.1:{port}", emulator.token, limiter=limiter)
    with pytest.raises(ConnectionFailed) as refused:
        await bot.initialize()  # getMe: nothing listens yet
    assert not may_have_arrived(refused.value)
    await bot.request.initialize()  # the session, without getMe
    sending = asyncio.create_task(bot.send_message(CHAT, "Good morning"))
    await asyncio.sleep(0.1)  # the first attempt finds nothing listening
    await emulator.start(port)
    try:
        await sending
        assert [m.text for m in emulator.messages(CHAT)] == ["Good morning"]
    finally:
        await bot.shutdown()
        await emulator.stop()


async def test_a_connection_closed_before_the_answer_may_have_arrived(
    emulator: BotApiEmulator,
) -> None:
    emulator.drop_next("sendMessage", after_processing=True)
    async with bot_at(emulator.base_url, emulator.token) as bot:
        with pytest.raises(ConnectionLost) as lost:
            await bot.send_message(CHAT, "Good morning")
        assert may_have_arrived(lost.value)
        await bot.send_message(CHAT, "and again")  # the pool opens a fresh connection
    assert [m.text for m in emulator.messages(CHAT)] == ["Good morning", "and again"]


async def test_an_answer_later_than_the_read_timeout_is_a_timeout(
    emulator: BotApiEmulator,
) -> None:
    emulator.stall_next("sendMessage", 1.0)
    async with bot_at(emulator.base_url, emulator.token, timeout=0.3) as bot:
        with pytest.raises(TimedOut) as late:
            await bot.send_message(CHAT, "Good morning")
        assert may_have_arrived(late.value)
        await asyncio.sleep(0.8)  # let the stalled answer finish
    assert [m.text for m in emulator.messages(CHAT)] == ["Good morning"]


async def test_a_server_error_surely_did_not_arrive(emulator: BotApiEmulator) -> None:
    emulator.fail_next("sendMessage", status=502, description="Bad Gateway")
    async with bot_at(emulator.base_url, emulator.token) as bot:
        with pytest.raises(NetworkError) as failed:
            await bot.send_message(CHAT, "Good morning")
    assert not may_have_arrived(failed.value)
