"""Import benchmark: LinkedIn's largest Connections.csv, read, planned and imported.

1. **Read**: a Connections.csv of `--people` rows (30,000 is LinkedIn's cap on connections;
   the Notes preamble, quoted commas, a hidden row in fifty) through `read_import_file`.
2. **Plan**: the most recent 3,000 (the per-file limit) sorted against `--contacts` contacts.
3. **End to end**: the real bot (`build_application`, SQLite in a temporary folder) against the
   local Bot API emulator: the file is sent (getFile, download, read, plan, hold), the summary
   shown, Import pressed. Meanwhile a ticker measures how late the event loop wakes it (reading
   and planning run in a worker thread), and a second chat asks for /help: how long it waited.

Run `python -m bench.imports` (figures in docs/BENCHMARKS.md); a small version runs in
`make test` (tests/test_bench_imports.py) and checks correctness only, never timings.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.application import build_application, polling
from bot.clock import FrozenClock
from bot.coaching.domain import Contact, Tier
from bot.coaching.imports.files import read_import_file
from bot.coaching.imports.people import MAX_IMPORT_PEOPLE
from bot.coaching.imports.plan import most_recent_first, plan_import
from bot.config import Settings
from bot.delivery.ratelimit import PacedRateLimiter
from bot.local.emulator import BotApiEmulator, track_updates
from storage import Store

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CHAT = 1
OTHER_CHAT = 2
TICK_SECONDS = 0.005
NOTES = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\n\n'
)


@dataclass(frozen=True)
class ImportOptions:
    """How large a file, and how many contacts the chat has already in the plan step."""

    people: int = 30_000
    contacts: int = 2_000


@dataclass
class ImportFigures:
    """What the benchmark measured (seconds, bytes, MiB, counts)."""

    options: ImportOptions
    file_bytes: int = 0
    read_seconds: float = 0.0
    people_read: int = 0
    plan_seconds: float = 0.0
    planned_new: int = 0
    summary_seconds: float = 0.0
    import_seconds: float = 0.0
    contacts_stored: int = 0
    loop_lag_max_ms: float = 0.0
    other_chat_wait_ms: float = 0.0
    peak_rss_mib: float = 0.0
    summary_text: str = ""
    result_text: str = ""
    lags: list[float] = field(default_factory=list)


def connections_csv(people: int) -> bytes:
    """A Connections.csv as LinkedIn writes it, with one hidden row in fifty."""
    lines = [NOTES + "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for index in range(people):
        if index % 50 == 49:
            lines.append(",,,,,,08 Feb 2026")
            continue
        day = date(2026, 2, 8) - timedelta(days=index % 4_000)
        lines.append(
            f"Person,Number {index:05d},https://www.linkedin.com/in/person-{index},,"
            f'"Company {index % 700}, Inc.",Senior Engineer,{day:%d %b %Y}'
        )
    return ("\n".join(lines) + "\n").encode()


def measure_read_and_plan(options: ImportOptions, data: bytes, figures: ImportFigures) -> None:
    """Steps 1 and 2, timed in this thread."""
    started = time.perf_counter()
    parsed = read_import_file(data)
    figures.read_seconds = time.perf_counter() - started
    figures.people_read = len(parsed.people)
    existing = [
        Contact(index, CHAT, f"Person Number {index:05d}", Tier.FIRST, None, None, None, NOW)
        for index in range(0, options.contacts * 2, 2)
    ]
    started = time.perf_counter()
    people, _ = most_recent_first(parsed.people, MAX_IMPORT_PEOPLE)
    plan = plan_import(people, existing, room=5_000 - len(existing))
    figures.plan_seconds = time.perf_counter() - started
    figures.planned_new = len(plan.new)


async def measure_end_to_end(data: bytes, figures: ImportFigures, folder: Path) -> None:
    """Step 3: send the file, see the summary, press Import, through the real bot."""
    async with BotApiEmulator() as emulator:
        settings = Settings(
            token=emulator.token,
            api_base_url=emulator.base_url,
            database_url=f"sqlite:///{folder / 'bench.db'}",
        )
        limiter = PacedRateLimiter(overall_per_second=None, chat_per_second=None)
        application = build_application(
            settings, FrozenClock(NOW), tick_schedules=False, rate_limiter=limiter
        )
        track_updates(application, emulator)
        async with polling(application, poll_timeout=5):
            ticker = asyncio.create_task(_tick(figures.lags))
            started = time.perf_counter()
            sent = emulator.send_document(CHAT, "Connections.csv", data, mime_type="text/csv")
            other_started = time.perf_counter()
            other = emulator.send_text(OTHER_CHAT, "/help")
            await emulator.wait_processed(other, timeout=120)
            figures.other_chat_wait_ms = (time.perf_counter() - other_started) * 1000
            await emulator.wait_processed(sent, timeout=120)
            figures.summary_seconds = time.perf_counter() - started
            figures.summary_text = emulator.last_message(CHAT).text
            started = time.perf_counter()
            pressed = emulator.press_button(CHAT, "✅ Import")
            await emulator.wait_processed(pressed, timeout=120)
            figures.import_seconds = time.perf_counter() - started
            figures.result_text = emulator.last_message(CHAT).text
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
            store: Store = application.bot_data.store
            figures.contacts_stored = len(await store.list_contacts(CHAT))
    figures.loop_lag_max_ms = max(figures.lags, default=0.0) * 1000


async def _tick(lags: list[float]) -> None:
    """Sleep a few milliseconds at a time and note how late each wake-up came."""
    loop = asyncio.get_running_loop()
    while True:
        before = loop.time()
        await asyncio.sleep(TICK_SECONDS)
        lags.append(max(0.0, loop.time() - before - TICK_SECONDS))


def format_figures(figures: ImportFigures) -> str:
    """The figures as the lines the benchmark prints."""
    options = figures.options
    return "\n".join(
        [
            f"Import: a Connections.csv of {options.people:,} rows "
            f"({figures.file_bytes / 1024 / 1024:.1f} MiB)",
            f"  read: {figures.people_read:,} people in {figures.read_seconds:.2f} s",
            f"  plan: the {MAX_IMPORT_PEOPLE:,} most recent against {options.contacts:,} "
            f"contacts in {figures.plan_seconds * 1000:.0f} ms ({figures.planned_new:,} new)",
            f"  end to end: summary after {figures.summary_seconds:.2f} s, "
            f"Import done after {figures.import_seconds:.2f} s, "
            f"{figures.contacts_stored:,} contacts stored",
            f"  event loop: woke at most {figures.loop_lag_max_ms:.0f} ms late; another chat's "
            f"/help answered after {figures.other_chat_wait_ms:.0f} ms",
            f"  peak RSS {figures.peak_rss_mib:.0f} MiB",
        ]
    )


def parse_options(argv: Sequence[str] | None) -> ImportOptions:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.add_argument("--people", type=int, default=ImportOptions.people)
    parser.add_argument("--contacts", type=int, default=ImportOptions.contacts)
    arguments = parser.parse_args(argv)
    return ImportOptions(people=arguments.people, contacts=arguments.contacts)


def main(argv: Sequence[str] | None = None) -> ImportFigures:
    """Run the benchmark and print its figures."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB's coming default (the int form warns)
    options = parse_options(argv)
    figures = ImportFigures(options)
    data = connections_csv(options.people)
    figures.file_bytes = len(data)
    measure_read_and_plan(options, data, figures)
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure_end_to_end(data, figures, Path(folder)))
    figures.peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(format_figures(figures), flush=True)
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
