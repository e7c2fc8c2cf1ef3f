"""No secret and no word a user wrote reaches stderr: `outreach-coach run` as a process, at
DEBUG, in webhook mode, through a refused token and a database error."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

import httpx
import pytest

from bench.processes import free_port
from bot.local.emulator import BotApiEmulator
from bot.logs import RedactingFilter
from tests.harness import command_update

CHAT = 777
SECRET = "hook-Secret_kept_out_of_logs"
REFUSED_TOKEN = "999999:" + "R" * 35
# What the user writes below: a contact's name and note, a fear, and a second contact whose
# insert the database refuses.
USER_WORDS = (
    "Zebedee",
    "Quillfeather",
    "salary talk",
    "Marguerite",
    "laugh at my accent",
    "Ottoline",
    "Vexworth",
    "divorce lawyer",
)


def _environment(tmp_path: Path, emulator: BotApiEmulator, token: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}",
        "WEBHOOK_URL": "https://coach.example/hook",
        "WEBHOOK_SECRET": SECRET,
        "PORT": str(port),
        "LISTEN": "127.0.0.1",
        "LOG_LEVEL": "DEBUG",
    }


async def _start(environment: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_a_refused_token_stops_the_bot_with_one_line_without_it(tmp_path: Path) -> None:
    async with BotApiEmulator() as emulator:
        bot = await _start(_environment(tmp_path, emulator, REFUSED_TOKEN, free_port()))
        stdout, stderr = await asyncio.wait_for(bot.communicate(), 60)
    errors = stderr.decode()
    assert bot.returncode == 1
    assert errors.splitlines()[-1] == (
        "outreach-coach: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): "
        "check it with @BotFather."
    )
    assert "Traceback" not in errors
    for secret in (REFUSED_TOKEN, REFUSED_TOKEN.split(":")[1], SECRET):
        assert secret not in errors
    assert stdout == b""


async def _wait_for_messages(emulator: BotApiEmulator, count: int) -> None:
    deadline = time.monotonic() + 20
    while len(emulator.messages(CHAT)) < count:
        assert time.monotonic() < deadline, "the bot did not answer"
        await asyncio.sleep(0.05)


async def _wait_until_listening(port: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            assert time.monotonic() < deadline, "the bot did not start listening"
            await asyncio.sleep(0.1)
            continue
        writer.close()
        return


async def test_debug_logs_of_a_webhook_run_hold_no_secret_and_no_users_words(
    tmp_path: Path,
) -> None:
    async with BotApiEmulator() as emulator:
        port = free_port()
        url = f"http://127.0.0.1:{port}/hook"
        bot = await _start(_environment(tmp_path, emulator, emulator.token, port))
        try:
            await _wait_until_listening(port)
            async with httpx.AsyncClient() as client:

                async def post(update_id: int, text: str, secret: str = SECRET) -> int:
                    update = command_update(update_id, CHAT, text)
                    headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
                    response = await client.post(url, json=update, headers=headers)
                    return response.status_code

                assert await post(1, "/add Zebedee Quillfeather - salary talk") == 200
                await _wait_for_messages(emulator, 1)
                assert await post(2, "/fear Marguerite will laugh at my accent") == 200
                await _wait_for_messages(emulator, 2)
                assert await post(3, "/add Zebedee Quillfeather", secret="wrong") == 403
                # The database refuses the next contact: an error with its values in the query.
                with sqlite3.connect(tmp_path / "coach.db") as database:
                    database.execute(
                        "CREATE TRIGGER refuse BEFORE INSERT ON contacts "
                        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                    )
                before = len(emulator.messages(CHAT))
                assert await post(4, "/add Ottoline Vexworth - divorce lawyer") == 200
                await _wait_for_messages(emulator, before + 1)
                assert "Sorry, something went wrong" in emulator.messages(CHAT)[-1].text
        finally:
            bot.send_signal(signal.SIGTERM)
            stdout, stderr = await asyncio.wait_for(bot.communicate(), 30)
    errors = stderr.decode()
    assert bot.returncode == 0, errors[-2000:]
    assert " DEBUG " in errors  # DEBUG really was on
    assert "IntegrityError" in errors  # the database error was logged
    assert "refused by the test" in errors
    assert "SQL parameters hidden" in errors
    for secret in (emulator.token, emulator.token.split(":")[1], SECRET):
        assert secret not in errors
    for word in USER_WORDS:
        assert word not in errors, f"{word!r} is in the log"
    assert stdout == b""


def _shown(name: str, level: int, message: str, *args: object) -> str:
    record = logging.LogRecord(name, level, __file__, 1, message, args, None)
    assert RedactingFilter([SECRET]).filter(record)
    return logging.Formatter("%(message)s").format(record)


@pytest.mark.parametrize(
    ("name", "level", "message", "args", "shown"),
    [
        # A library's DEBUG line keeps its numbers, not its other arguments.
        (
            "telegram.ext.ExtBot",
            logging.DEBUG,
            "Calling Bot API endpoint `%s` with parameters `%s`",
            ("sendMessage", {"chat_id": 1, "text": "Added Zebedee"}),
            "Calling Bot API endpoint `[…]` with parameters `[…]`",
        ),
        ("telegram.ext.Updater", logging.DEBUG, "Update %d of %.1f", (7, 2.5), "Update 7 of 2.5"),
        ("aiosqlite", logging.DEBUG, "executing %d", ("Zebedee",), "executing %d […]"),
        # Our own DEBUG lines log ids and are kept as they are.
        ("bot.webhook", logging.DEBUG, "Webhook: update %s", ("12",), "Webhook: update 12"),
        # From INFO up, only the secrets go.
        ("tornado.general", logging.INFO, "from %s", (f"x{SECRET}y",), "from x[token]y"),
        # PostgreSQL quotes the refused row in DETAIL: dropped, the rest kept.
        (
            "handlers.error_handler",
            logging.ERROR,
            "%s",
            ("duplicate key\nDETAIL:  Key (name_key)=(zebedee) already exists.\n[SQL: x]",),
            "duplicate key\n[SQL: x]",
        ),
    ],
)
def test_the_filter_keeps_secrets_and_users_words_out(
    name: str, level: int, message: str, args: tuple[object, ...], shown: str
) -> None:
    assert _shown(name, level, message, *args) == shown
