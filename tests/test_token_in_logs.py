"""The bot token appears in no log line, at DEBUG, across a whole end-to-end run."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.logs import configure_logging
from tests.harness import running_bot


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_levels = {name: logging.getLogger(name).level for name in ("aiohttp",)}
    stream = io.StringIO()
    yield stream
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)


async def test_no_log_line_carries_the_token(
    tmp_path: Path, clock: FrozenClock, log_stream: io.StringIO
) -> None:
    async with running_bot(tmp_path, clock) as bot:
        token = bot.emulator.token
        configure_logging("DEBUG", [token])
        handler = logging.getLogger().handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(log_stream)
        # Even a library's warning with a full request URL is redacted (at DEBUG a library's
        # arguments are withheld altogether).
        logging.getLogger("aiohttp").setLevel(logging.DEBUG)
        url = f"{bot.emulator.base_url}/bot{token}/sendMessage"
        logging.getLogger("aiohttp.client").warning("POST %s failed", url)
        await bot.say("/start")
        await bot.say("Alex")
        await bot.say("/add Ana")
        await bot.say("/reach Ana via email")
        await bot.press_data("1:ct:999")
        await bot.restart()
        await bot.say("/today")
    output = log_stream.getvalue()
    assert "getUpdates" in output  # DEBUG really was on
    assert f"/bot{token[:6]}" not in output
    assert token not in output
    assert "[token]" in output
