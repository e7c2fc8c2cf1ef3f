"""`outreach-coach chat`: the terminal chat against the local emulator."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.clock import Clock, OffsetClock
from bot.coaching.timing import next_daily
from bot.config import Settings
from bot.local.emulator import BotMessage, Button
from bot.local.terminal import CHAT_ID, render, run_terminal_chat
from storage import Store

START = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # a Saturday, the eve of Europe's DST switch


def echo_bot(settings: Settings, clock: Clock) -> Application[Any, Any, Any, Any, Any, Any]:
    """A small stand-in for the coach: buttons, an edit, a photo, a scheduled message."""
    assert settings.token is not None
    application = ApplicationBuilder().token(settings.token).base_url(settings.bot_api_url).build()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(
            "Hi <b>there</b> &amp; welcome.\nPick one:",
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton("Done", callback_data="done"),
                        InlineKeyboardButton("Snooze", callback_data="snooze"),
                    ]
                ]
            ),
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"You chose {query.data}.")

    async def later(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        async def remind(context: ContextTypes.DEFAULT_TYPE) -> None:
            await context.bot.send_message(CHAT_ID, "A scheduled nudge.")

        assert context.job_queue is not None
        context.job_queue.run_once(remind, 0.2)

    async def chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_photo(b"\x89PNG fake", caption="Your week")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        assert update.effective_message.text is not None
        await update.effective_message.reply_text(
            f"It is {clock.now():%H:%M} and you said: {update.effective_message.text}"
        )

    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("later", later))
    application.add_handler(CommandHandler("chart", chart))
    application.add_handler(CallbackQueryHandler(pressed))

    async def located(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        location = update.effective_message.location
        assert location is not None
        await update.effective_message.reply_text(f"Near {location.latitude}, {location.longitude}")

    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(MessageHandler(filters.LOCATION, located))
    return application


async def chat(script: str, clock: OffsetClock, tmp_path: Path, **kwargs: Any) -> list[str]:
    output = io.StringIO()
    settings = Settings(token=None, database_url=f"sqlite:///{tmp_path}/t.db")
    await run_terminal_chat(
        settings, clock, input_stream=io.StringIO(script), output=output, **kwargs
    )
    return output.getvalue().splitlines()


async def test_scripted_chat(tmp_path: Path) -> None:
    clock = OffsetClock()
    clock.move_to(START)
    lines = await chat(
        "/start\n2\n/later\n:wait 1\n/chart\n:skip 1d2h\n:at 08:00 Europe/Berlin\nhello\n7\n",
        clock,
        tmp_path,
        build=echo_bot,
    )
    transcript = "\n".join(lines)
    assert lines[0].startswith("Outreach Coach is running")
    assert transcript[transcript.index("you> /start") :].startswith(
        "you> /start\n"
        "coach> Hi there & welcome.\n"
        "       Pick one:\n"
        "       [1] Done  [2] Snooze\n"
        "you> 2\n"
        "coach> (edited) You chose snooze.\n"
        "you> /later\n"
        "you> :wait 1\n"
        "coach> A scheduled nudge.\n"
        "you> /chart\n"
        "coach> [picture: Your week]\n"
        "you> :skip 1d2h\n"
        "Skipped ahead. It is now Sun 29 Mar 2026, 14:00 UTC.\n"
        "you> :at 08:00 Europe/Berlin\n"
        "It is now Mon 30 Mar 2026, 08:00 Europe/Berlin.\n"
        "you> hello\n"
        "coach> It is 06:00 and you said: hello\n"
        "you> 7\n"
        "coach> It is 06:00 and you said: 7"
    ), transcript
    assert "(!)" not in transcript
    assert "\x1b[" not in transcript


async def test_quit_help_and_unknown_commands(tmp_path: Path) -> None:
    clock = OffsetClock()
    lines = await chat(
        ":help\n:nope\n:skip soon\n:at 25:00\n:now Mars/Base\n"
        ":location 52.52 13.4\n:location north\n:quit\nhello\n",
        clock,
        tmp_path,
        build=echo_bot,
    )
    transcript = "\n".join(lines)
    assert ":skip 1d" in transcript
    assert "I don't know :nope" in transcript
    assert "Try :skip 1d" in transcript
    assert "Try :at 08:00" in transcript
    assert "I don't know the time zone 'Mars/Base'" in transcript
    assert "coach> Near 52.52, 13.4" in transcript
    assert "Try :location 52.52 13.40" in transcript
    assert "hello" not in transcript  # nothing is read after :quit


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        (BotMessage(1, 1, "text", "<b>Hi</b>", "Hi"), "Hi"),
        (BotMessage(1, 1, "photo", "", ""), "[picture]"),
        (BotMessage(1, 1, "photo", "Week", "Week"), "[picture: Week]"),
        (
            BotMessage(1, 1, "document", "", "", filename="export.json", data=b"{}"),
            "[file: export.json, 2 bytes]",
        ),
        (
            BotMessage(
                1, 1, "document", "All yours", "All yours", [[Button("x", "y")]], "a.zip", b"PK"
            ),
            "[file: a.zip, 2 bytes]\nAll yours",
        ),
    ],
)
def test_render(message: BotMessage, shown: str) -> None:
    assert render(message) == shown


BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("now", "wall", "expected"),
    [
        (
            datetime(2026, 3, 28, 6, 0, tzinfo=UTC),
            time(8, 0),
            datetime(2026, 3, 28, 7, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 3, 28, 12, 0, tzinfo=UTC),
            time(8, 0),
            datetime(2026, 3, 29, 6, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 10, 24, 12, 0, tzinfo=UTC),
            time(8, 0),
            datetime(2026, 10, 25, 7, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 3, 28, 7, 0, tzinfo=UTC),
            time(8, 0),
            datetime(2026, 3, 29, 6, 0, tzinfo=UTC),
        ),
    ],
)
def test_at_moves_to_the_next_wall_time_across_dst(
    now: datetime, wall: time, expected: datetime
) -> None:
    got = next_daily(wall, BERLIN.key, now)  # what `:at` uses
    assert got == expected
    assert got - now <= timedelta(days=1)


async def test_real_bot_answers_help(tmp_path: Path) -> None:
    lines = await chat("/help\n", OffsetClock(), tmp_path)
    transcript = "\n".join(lines)
    assert "you> /help" in transcript
    assert "coach> " in transcript.split("you> /help", 1)[1], transcript
    assert "(!)" not in transcript, transcript
    assert "has not finished" not in transcript, transcript


async def test_a_second_chat_on_the_same_database_is_answered(tmp_path: Path) -> None:
    for _ in range(2):
        lines = await chat("/contacts\n", OffsetClock(), tmp_path)
        transcript = "\n".join(lines)
        assert "coach> " in transcript.split("you> /contacts", 1)[1], transcript


async def test_charts_and_exports_are_saved_as_files_whose_paths_are_shown(
    tmp_path: Path,
) -> None:
    files = tmp_path / "files"
    lines = await chat(
        "/add Ana\n/reach Ana via email\n/progress\n/export\n",
        OffsetClock(),
        tmp_path,
        files_dir=files,
    )
    transcript = "\n".join(lines)
    assert f"saved in {files}/" in transcript
    saved = {path.suffix: path for path in files.iterdir()}
    assert set(saved) == {".png", ".json", ".zip"}
    for path in saved.values():
        assert f"saved as {path}" in transcript
    assert saved[".png"].read_bytes().startswith(b"\x89PNG")
    assert "Ana" in json.loads(saved[".json"].read_text())["contacts"][0]["name"]
    assert zipfile.is_zipfile(saved[".zip"])


async def _production_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    store = await Store.open(url)
    await store.ensure_user(4242, datetime(2026, 11, 23, tzinfo=UTC))
    await store.close()
    return url


def _terminal(folder: Path, script: str, *options: str, **environ: str) -> CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", *options],
        input=script,
        cwd=folder,
        env={**os.environ, **environ},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_terminal_chat_keeps_off_a_database_with_other_chats(tmp_path: Path) -> None:
    production = tmp_path / "outreach-coach.db"
    url = await _production_database(production)
    before = production.read_bytes()

    # DATABASE_URL is the real bot's: the terminal chat uses its own file, every time.
    for _ in range(2):
        answered = _terminal(tmp_path, "/contacts\n", DATABASE_URL=url)
        assert answered.returncode == 0, answered.stderr
        assert "coach> " in answered.stdout.split("you> /contacts", 1)[1], answered.stdout
    assert (tmp_path / "outreach-coach-chat.db").exists()

    refused = _terminal(tmp_path, "/contacts\n", "--database", url)
    assert refused.returncode == 2
    assert refused.stderr.strip().count("\n") == 0
    assert "holds other people's chats" in refused.stderr
    assert refused.stdout == ""
    assert production.read_bytes() == before
