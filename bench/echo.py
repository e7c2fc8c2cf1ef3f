"""The baseline of every benchmark: a bare python-telegram-bot bot, PTB's defaults plus
concurrent updates, doing the least a bot can do.

- `python -m bench.echo poll`: an echo bot, long-polling like the coach; each text message
  (a command too) is answered with its own text.
- `python -m bench.echo broadcast --first-chat C --chats N`: one process sends a morning-sized
  text to N chats, 64 at a time (the coach's fan-out concurrency), with no database, and
  prints what it used as JSON (the same fields as `bench.fanout_worker`).
- `python -m bench.echo broadcast ... --rate R`: the same through PTB's own
  `AIORateLimiter` at R a second overall, the baseline of the paced run.
- `--transport aiohttp` (either mode): the coach's Bot API transport
  (`bot/delivery/transport.py`) instead of PTB's default httpx, to tell what the transport
  alone is worth.

The server comes from TELEGRAM_API_BASE_URL and the token from TELEGRAM_BOT_TOKEN.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import time
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.delivery.transport import AiohttpRequest

BROADCAST_TEXT = (
    "Good morning, User. <b>Today: 2 chats.</b>\n\nFollow up with <b>Contact 1</b>: you "
    "emailed them yesterday.\nIdea: ask <b>Contact 2</b> how their week went.\n\n"
    "What holds you back today? One word is enough."
)
"""About the length and markup of the coach's morning message."""
CONCURRENT_SENDS = 64
MAX_RETRIES = 10
"""How often PTB's limiter retries a send after a 429 before it gives up."""
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def echo_application(
    token: str, api_base_url: str, rate: float | None = None, *, transport: str = "httpx"
) -> AnyApplication:
    """PTB's defaults, concurrent updates, and one handler that echoes text; with `rate`,
    PTB's own rate limiter at that many requests a second overall; with `transport`
    "aiohttp", the coach's transport with PTB's default pool sizes and timeouts."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(api_base_url.rstrip("/") + "/bot")
        .concurrent_updates(True)
    )
    if transport == "aiohttp":
        builder = builder.request(AiohttpRequest(256)).get_updates_request(AiohttpRequest(1))
    application: AnyApplication
    if rate is None:
        application = builder.build()
    else:
        limiter = AIORateLimiter(overall_max_rate=rate, max_retries=MAX_RETRIES)
        application = builder.rate_limiter(limiter).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message with its own text."""
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


async def broadcast(application: AnyApplication, first_chat: int, chats: int) -> dict[str, float]:
    """Send BROADCAST_TEXT to `chats` chats, CONCURRENT_SENDS at a time; what it took."""
    semaphore = asyncio.Semaphore(CONCURRENT_SENDS)
    failed = 0

    async def send(chat_id: int) -> None:
        nonlocal failed
        async with semaphore:
            try:
                await application.bot.send_message(chat_id, BROADCAST_TEXT, parse_mode="HTML")
            except TelegramError:  # counted: the driver reports who got nothing
                failed += 1

    await application.initialize()
    try:
        rss_before = current_rss_mib()
        cpu, started = time.process_time(), time.perf_counter()
        await asyncio.gather(*(send(first_chat + index) for index in range(chats)))
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu
    finally:
        await application.shutdown()
    return {
        "sent": chats - failed,
        "failed": failed,
        "send_seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rss_before_mib": rss_before,
        "rss_after_mib": current_rss_mib(),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def current_rss_mib() -> float:
    """Resident memory of this process now, in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str] | None = None) -> None:
    """Run the echo bot, or one broadcast."""
    parser = argparse.ArgumentParser(prog="python -m bench.echo", description=__doc__)
    modes = parser.add_subparsers(dest="mode", required=True)
    poll = modes.add_parser("poll", help="answer each text message with its text, long polling")
    send = modes.add_parser("broadcast", help="send one text to many chats, report JSON")
    for mode in (poll, send):
        mode.add_argument("--transport", choices=("httpx", "aiohttp"), default="httpx")
    send.add_argument("--first-chat", type=int, required=True)
    send.add_argument("--chats", type=int, required=True)
    send.add_argument("--rate", type=float, help="PTB's AIORateLimiter at this rate a second")
    args = parser.parse_args(argv)
    token = os.environ["TELEGRAM_BOT_TOKEN"]
    api_base_url = os.environ["TELEGRAM_API_BASE_URL"]
    if args.mode == "poll":
        echo_application(token, api_base_url, transport=args.transport).run_polling(
            poll_interval=0.0, timeout=timedelta(seconds=10), allowed_updates=Update.ALL_TYPES
        )
        return
    application = echo_application(token, api_base_url, args.rate, transport=args.transport)
    figures = asyncio.run(broadcast(application, args.first_chat, args.chats))
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
