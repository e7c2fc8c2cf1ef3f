"""The `outreach-coach` command: `run` talks to Telegram, `chat` to a local emulator."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from dataclasses import replace
from pathlib import Path

from telegram.error import InvalidToken

from bot.clock import OffsetClock, SystemClock
from bot.config import CHAT_DATABASE_URL, Settings, SettingsError, load_settings
from bot.logs import configure_logging

logger = logging.getLogger(__name__)

# Where the terminal chat saves the files the bot sends (exports, charts).
CHAT_FILES_FOLDER = "outreach-coach-chat-files"


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the bot; returns the process exit code."""
    parser = argparse.ArgumentParser(
        prog="outreach-coach", description="A Telegram coach for networking your way to a new job."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot against Telegram (needs TELEGRAM_BOT_TOKEN)")
    chat = commands.add_parser("chat", help="talk to the bot in this terminal, no token needed")
    chat.add_argument(
        "--database",
        default=CHAT_DATABASE_URL,
        help=f"the chat's own database (default {CHAT_DATABASE_URL}; DATABASE_URL is not used)",
    )
    args = parser.parse_args(argv)
    # Opt in to PTB's timedelta time periods (the coming default; the old ints warn).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    environ = dict(os.environ)
    if args.command == "chat":
        environ["DATABASE_URL"] = args.database
    try:
        settings = load_settings(environ, require_token=args.command == "run")
        if args.command == "chat":
            _chat(settings)
            return 0
    except SettingsError as error:
        print(f"outreach-coach: {error.message}", file=sys.stderr)
        return 2
    redacting = configure_logging(settings.log_level, settings.secrets())
    try:
        _run(settings)
    except InvalidToken:
        print(
            "outreach-coach: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): "
            "check it with @BotFather.",
            file=sys.stderr,
        )
        return 1
    except Exception as error:
        # One line for the operator; the traceback only at DEBUG, through the redacting filter.
        logger.debug("The bot stopped on an error", exc_info=error)
        first_line = (str(error).strip().splitlines() or [""])[0]
        print(
            redacting.redact(f"outreach-coach: stopped: {type(error).__name__}: {first_line}"),
            file=sys.stderr,
        )
        return 1
    return 0


def _chat(settings: Settings) -> None:
    from bot.local.terminal import run_terminal_chat

    configure_logging("WARNING", [])
    asyncio.run(
        run_terminal_chat(
            replace(settings, token=None), OffsetClock(), files_dir=Path(CHAT_FILES_FOLDER)
        )
    )


def _run(settings: Settings) -> None:
    # Imported here so that a settings error exits at once, before the bot's imports.
    from bot.application import build_application, serve

    serve(build_application(settings, SystemClock()), settings)


if __name__ == "__main__":
    sys.exit(main())
