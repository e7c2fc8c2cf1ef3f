"""The bot's side of the fan-out benchmark, in a process of its own: the real application,
one scheduled tick, and what it took, as one JSON line on stdout.

`python -P bench/fanout_worker.py --due-at ISO [--unpaced] [--users N]`, with the usual
settings in the environment (TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL, DATABASE_URL, and
BROADCAST_RATE / PAID_BROADCAST for the pace). It builds the application as production does
(`build_application`, a `FrozenClock` at the due instant, no periodic tick), times one query
for every due row, then runs `run_scheduled` once: with `--unpaced` every limit lifted,
otherwise with the limiter the settings give.

It imports only the bot's packages and the standard library, so that `-P` with PYTHONPATH
pointing at another checkout measures that checkout's bot (a before figure).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import time
from datetime import datetime
from typing import Any

import bot
from bot.application import build_application, run_scheduled
from bot.clock import FrozenClock
from bot.config import load_settings
from bot.delivery.ratelimit import PacedRateLimiter


def rss_mib(key: str = "VmRSS") -> float:
    """Resident memory of this process now (or at its highest, `VmHWM`), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def fan_out(due_at: datetime, users: int, *, unpaced: bool) -> dict[str, Any]:
    """Build the bot, find every due row once, run one tick; the figures."""
    figures: dict[str, Any] = {"code": os.path.dirname(os.path.dirname(bot.__file__))}
    figures["rss_start_mib"] = rss_mib()
    settings = load_settings()
    limiter = PacedRateLimiter(overall_per_second=None, chat_per_second=None) if unpaced else None
    application = build_application(
        settings, FrozenClock(due_at), tick_schedules=False, rate_limiter=limiter
    )
    await application.initialize()
    assert application.post_init is not None
    await application.post_init(application)
    try:
        store = application.bot_data.store
        gc.collect()
        figures["rss_before_mib"] = rss_mib()
        started = time.perf_counter()
        found = len(await store.due_schedules(due_at, users + 1))
        figures["find_seconds"] = time.perf_counter() - started
        figures["found"] = found
        gc.collect()
        figures["rss_after_find_mib"] = rss_mib()
        cpu, started = time.process_time(), time.perf_counter()
        report = await run_scheduled(application)
        figures["fanout_seconds"] = time.perf_counter() - started
        figures["cpu_seconds"] = time.process_time() - cpu
        figures["outcomes"] = dict(report.outcomes)
        gc.collect()
        figures["rss_after_mib"] = rss_mib()
        figures["peak_rss_mib"] = rss_mib("VmHWM")
    finally:
        await application.shutdown()
        assert application.post_shutdown is not None
        await application.post_shutdown(application)
    return figures


def main() -> None:
    """Parse the options, fan out, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--due-at", required=True, help="the due instant, ISO 8601 with offset")
    parser.add_argument("--users", type=int, default=100_000, help="an upper bound of due rows")
    parser.add_argument("--unpaced", action="store_true", help="lift every limit")
    args = parser.parse_args()
    due_at = datetime.fromisoformat(args.due_at)
    figures = asyncio.run(fan_out(due_at, args.users, unpaced=args.unpaced))
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
