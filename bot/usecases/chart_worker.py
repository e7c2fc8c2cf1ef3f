"""Charts drawn in a worker process of their own.

Drawing a chart takes about 100 ms of CPU, nearly all of it under Python's interpreter lock:
in the bot's process it would hold up every other chat's answer for that long. In a worker
process it runs on another core while the bot answers. The worker is started with the first
chart (spawned, not forked: the bot's process has threads) and kept for the next ones;
charts wait their turn in it. If it dies, the chart is drawn again in a new one.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.messages.charts import WeekNumbers, progress_chart

logger = logging.getLogger(__name__)


class ChartWorker:
    """One worker process that draws progress charts, started when first needed."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    async def draw(self, weeks: Sequence[WeekNumbers], weekly_goal: int) -> bytes:
        """The progress chart of `weeks` as PNG bytes, drawn in the worker process."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), progress_chart, weeks, weekly_goal)
        except BrokenProcessPool:
            logger.warning("The chart worker stopped: starting a new one")
            self._pool = None
            return await loop.run_in_executor(self._executor(), progress_chart, weeks, weekly_goal)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool


CHART_WORKER = ChartWorker()
