"""The bot as a separate process for the crash test: polls the test's emulator and runs the
scheduled tick in a loop until it is killed. Usage: python -m tests.crash_worker URL TOKEN DB NOW
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime

from bot.application import build_application, polling, run_scheduled
from bot.clock import FrozenClock
from bot.config import Settings
from bot.delivery.ratelimit import PacedRateLimiter

TICK_PAUSE = 0.05


async def main(api_url: str, token: str, database_url: str, now: str) -> None:
    """Run until killed."""
    settings = Settings(token=token, api_base_url=api_url, database_url=database_url)
    application = build_application(
        settings,
        FrozenClock(datetime.fromisoformat(now)),
        tick_schedules=False,
        rate_limiter=PacedRateLimiter(overall_per_second=None, chat_per_second=None),
    )
    async with polling(application, poll_timeout=1):
        print("ready", flush=True)
        while True:
            await run_scheduled(application)
            await asyncio.sleep(TICK_PAUSE)


if __name__ == "__main__":
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    asyncio.run(main(*sys.argv[1:5]))
