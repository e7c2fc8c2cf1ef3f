"""Fan-out benchmark: many users due in the same minute, sent through the real tick.

Seeds users and schedules with bulk inserts, then runs the production path (`build_application`
and `run_scheduled`: find, claim, compose, send) against the local Bot API emulator:

1. with the rate limit lifted: how long finding, claiming and sending everything takes, the
   CPU time per message and the peak RSS (bot and emulator share one process);
2. with the default limiter (30 a second): the rate achieved by a second group of users, just
   large enough to fill the window (30 x --rate-seconds), due two hours later. The run ends
   when they are all sent: nothing is cancelled half-way through a claim.

Every user has a few contacts, one outreach yesterday and a follow-up due, so the morning
message is composed from real rows (a due follow-up, a suggestion, buttons).

Run `make bench` (100,000 users, 60 s paced) or `python -m bench.fanout --help`; the figures
measured are in docs/BENCHMARKS.md. A small version runs in `make test`
(tests/test_bench_smoke.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import sqlalchemy as sa

from bot.application import CoachApplication, build_application, run_scheduled
from bot.clock import FrozenClock
from bot.coaching.domain import (
    DEFAULT_DAILY_QUOTA,
    DEFAULT_FOLLOW_UP_DAYS,
    DEFAULT_GOAL_COUNT,
    DEFAULT_REST_DAYS,
    DEFAULT_REVIEW_DAY,
    DEFAULT_REVIEW_TIME,
    DEFAULT_STALL_DAYS,
    DEFAULT_WEEKLY_CHATS,
    Channel,
    FollowUpStatus,
    Kind,
    Tier,
)
from bot.coaching.timing import MessageKind, next_weekly
from bot.config import Settings
from bot.delivery.ratelimit import PacedRateLimiter
from bot.local.emulator import ApiCall, BotApiEmulator
from storage import Store
from storage.schema import contacts, follow_ups, interactions, schedules, users

# A Tuesday (no default rest day) at 08:00 UTC; the paced group is due two hours later.
DUE_AT = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
PACED_DUE_AT = DUE_AT + timedelta(hours=2)
PACED_RATE = 30  # the default limiter's overall rate, a second
# Zones where 08:00 UTC in late November is a morning before local noon (catch-up limit).
ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Berlin",
    "Europe/Paris",
    "Africa/Lagos",
    "Europe/Athens",
    "Africa/Johannesburg",
    "Europe/Istanbul",
    "Africa/Nairobi",
    "Europe/Moscow",
)
PACED_ZONES = ("UTC", "Europe/London", "Europe/Lisbon", "Europe/Berlin", "Africa/Lagos")
FIRST_CHAT = 10_000_000
PACED_FIRST_CHAT = 500_000_000
SEND_ONLY_FIRST_CHAT = 900_000_000
SEED_CHUNK = 5_000
SEND_ONLY_CONCURRENCY = 64
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class FanoutOptions:
    """What to run: how many users, how long the paced window lasts, which database."""

    users: int = 100_000
    rate_seconds: float = 60.0
    database: str = "sqlite"
    postgres_url: str = POSTGRES_URL
    send_only: int = 2_000
    contacts: int = 3

    @property
    def paced_users(self) -> int:
        """Users in the paced group: enough to keep the limiter busy for the window."""
        return max(0, round(PACED_RATE * self.rate_seconds))


@dataclass
class FanoutFigures:
    """Everything the benchmark measured (seconds, MiB, counts)."""

    options: FanoutOptions
    machine: str = ""
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    seed_seconds: float = 0.0
    find_seconds: float = 0.0
    found: int = 0
    fanout_seconds: float = 0.0
    fanout_cpu_seconds: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)
    rss_start_mib: float = 0.0
    rss_end_mib: float = 0.0
    peak_rss_mib: float = 0.0
    users_once: int = 0
    users_missed: int = 0
    users_repeated: int = 0
    send_only_sent: int = 0
    send_only_seconds: float = 0.0
    send_only_cpu_seconds: float = 0.0
    send_only_rss_growth_mib: float = 0.0
    paced_seconds: float = 0.0
    paced_sent: int = 0
    paced_per_second: list[int] = field(default_factory=list)
    paced_once: int = 0
    paced_timed_out: bool = False

    @property
    def sent(self) -> int:
        """Messages the unpaced tick sent."""
        return self.outcomes.get("sent", 0)

    @property
    def messages_per_second(self) -> float:
        """Throughput of the unpaced tick."""
        return self.sent / self.fanout_seconds if self.fanout_seconds else 0.0

    @property
    def cpu_ms_per_message(self) -> float:
        """Process CPU (bot, database driver threads and emulator) per message sent."""
        return 1000 * self.fanout_cpu_seconds / self.sent if self.sent else 0.0

    @property
    def send_only_cpu_ms_per_message(self) -> float:
        """CPU per bare send_message (PTB, HTTP and emulator, no database)."""
        if not self.send_only_sent:
            return 0.0
        return 1000 * self.send_only_cpu_seconds / self.send_only_sent

    @property
    def paced_rate(self) -> float:
        """Messages a second over the whole paced window."""
        return self.paced_sent / self.paced_seconds if self.paced_seconds else 0.0

    @property
    def paced_steady_rate(self) -> float:
        """Messages a second after the first second (the limiter's initial burst)."""
        rest = self.paced_per_second[1:]
        return sum(rest) / len(rest) if rest else 0.0

    @property
    def every_user_once(self) -> bool:
        """Whether each user got exactly one message, in the unpaced and the paced run."""
        paced_ok = self.paced_once == self.options.paced_users and not self.paced_timed_out
        return self.users_once == self.options.users and paced_ok


async def run_fanout(options: FanoutOptions) -> FanoutFigures:
    """Seed, run the unpaced fan-out, then the paced window; return the figures."""
    figures = FanoutFigures(options, machine=describe_machine(), load_before=os.getloadavg())
    async with fresh_database(options) as database_url, BotApiEmulator() as emulator:
        if options.database == "postgresql":
            figures.machine += f", PostgreSQL {await postgres_version(database_url)}"
        _progress(f"seeding {options.users:,} + {options.paced_users:,} users")
        started = time.perf_counter()
        await seed(
            database_url,
            options.contacts,
            (FIRST_CHAT, options.users, DUE_AT, ZONES),
            (PACED_FIRST_CHAT, options.paced_users, PACED_DUE_AT, PACED_ZONES),
        )
        figures.seed_seconds = time.perf_counter() - started

        clock = FrozenClock(DUE_AT)
        settings = Settings(
            token=emulator.token, api_base_url=emulator.base_url, database_url=database_url
        )
        unpaced = PacedRateLimiter(overall_per_second=None, chat_per_second=None)
        async with started_application(settings, clock, unpaced) as application:
            await measure_fanout(application, emulator, figures)
            await measure_send_only(application, emulator, figures)
        if options.paced_users:
            clock.move_to(PACED_DUE_AT)
            async with started_application(settings, clock, PacedRateLimiter()) as application:
                await measure_paced(application, emulator, figures)
    figures.load_after = os.getloadavg()
    return figures


Group = tuple[int, int, datetime, Sequence[str]]  # first chat id, users, due at, zones


async def seed(database_url: str, contacts_per_user: int, *groups: Group) -> None:
    """Users who finished onboarding two days ago, each with a morning due at their group's
    instant and a weekly review planned for Sunday (not due), plus `contacts_per_user`
    contacts: the first reached yesterday, with a follow-up due this morning. Bulk inserts."""
    store = await Store.open(database_url)  # applies the migrations
    next_contact = itertools.count(1)
    try:
        for first_chat, count, due_at, zones in groups:
            for start in range(0, count, SEED_CHUNK):
                rows: dict[sa.Table, list[dict[str, Any]]] = {
                    table: [] for table in (users, schedules, contacts, interactions, follow_ups)
                }
                for index in range(start, min(start + SEED_CHUNK, count)):
                    zone = zones[index % len(zones)]
                    _seed_user(rows, first_chat + index, zone, due_at)
                    for number in range(contacts_per_user):
                        _seed_contact(rows, first_chat + index, next(next_contact), number, due_at)
                async with store.engine.begin() as conn:
                    for table, table_rows in rows.items():
                        if table_rows:
                            await conn.execute(table.insert(), table_rows)
    finally:
        await store.close()


def _seed_user(
    rows: dict[sa.Table, list[dict[str, Any]]], chat_id: int, zone: str, due_at: datetime
) -> None:
    morning = due_at.astimezone(ZoneInfo(zone)).time()
    if morning.hour >= 12:
        raise ValueError(f"{zone}: the morning at {due_at} is past local noon")
    created = due_at - timedelta(days=2)
    rows[users].append(
        {
            "chat_id": chat_id,
            "name": f"User {chat_id}",
            "timezone": zone,
            "goal_count": DEFAULT_GOAL_COUNT,
            "weekly_chats": DEFAULT_WEEKLY_CHATS,
            "daily_quota": DEFAULT_DAILY_QUOTA,
            "morning_time": morning.strftime("%H:%M"),
            "follow_up_days": ",".join(map(str, DEFAULT_FOLLOW_UP_DAYS)),
            "rest_days": ",".join(map(str, DEFAULT_REST_DAYS)),
            "onboarded_at": created,
            "created_at": created,
            "active": True,
            "review_day": DEFAULT_REVIEW_DAY,
            "review_time": DEFAULT_REVIEW_TIME.strftime("%H:%M"),
            "stall_days": DEFAULT_STALL_DAYS,
        }
    )
    review = next_weekly(DEFAULT_REVIEW_DAY, DEFAULT_REVIEW_TIME, zone, due_at)
    rows[schedules] += [
        {"chat_id": chat_id, "kind": MessageKind.MORNING.value, "next_at": due_at},
        {"chat_id": chat_id, "kind": MessageKind.WEEKLY_REVIEW.value, "next_at": review},
    ]


def _seed_contact(
    rows: dict[sa.Table, list[dict[str, Any]]],
    chat_id: int,
    contact_id: int,
    number: int,
    due_at: datetime,
) -> None:
    name = f"Contact {number + 1}"
    rows[contacts].append(
        {
            "id": contact_id,
            "chat_id": chat_id,
            "name": name,
            "name_key": name.lower(),
            "tier": Tier.WARM.value,
            "created_at": due_at - timedelta(days=2),
        }
    )
    if number == 0:
        yesterday = due_at - timedelta(days=1)
        rows[interactions].append(
            {
                "id": contact_id,
                "chat_id": chat_id,
                "contact_id": contact_id,
                "kind": Kind.OUTREACH.value,
                "channel": Channel.EMAIL.value,
                "at": yesterday,
            }
        )
        rows[follow_ups].append(
            {
                "id": contact_id,
                "chat_id": chat_id,
                "contact_id": contact_id,
                "due_at": due_at - timedelta(hours=1),
                "attempt": 1,
                "status": FollowUpStatus.OPEN.value,
            }
        )


async def measure_fanout(
    application: CoachApplication, emulator: BotApiEmulator, figures: FanoutFigures
) -> None:
    """Find every due row once, then run one unpaced tick and check who got what."""
    store = application.bot_data.store
    now = application.bot_data.clock.now()
    started = time.perf_counter()
    figures.found = len(await store.due_schedules(now, figures.options.users + 1))
    figures.find_seconds = time.perf_counter() - started

    _progress(f"fan-out of {figures.found:,} due messages, limits lifted")
    first_call = len(emulator.calls)
    figures.rss_start_mib = current_rss_mib()
    cpu, started = time.process_time(), time.perf_counter()
    report = await run_scheduled(application)
    figures.fanout_seconds = time.perf_counter() - started
    figures.fanout_cpu_seconds = time.process_time() - cpu
    figures.rss_end_mib = current_rss_mib()
    figures.peak_rss_mib = peak_rss_mib()
    figures.outcomes = dict(report.outcomes)

    received = sends_by_chat(emulator.calls, first_call)
    expected = range(FIRST_CHAT, FIRST_CHAT + figures.options.users)
    figures.users_once = sum(1 for chat in expected if received.get(chat) == 1)
    figures.users_missed = sum(1 for chat in expected if chat not in received)
    figures.users_repeated = sum(1 for chat in expected if received.get(chat, 0) > 1)


async def measure_send_only(
    application: CoachApplication, emulator: BotApiEmulator, figures: FanoutFigures
) -> None:
    """Bare sends of a real morning message: the share of PTB, HTTP and the emulator."""
    count = figures.options.send_only
    sample = emulator.messages(FIRST_CHAT)
    if count <= 0 or not sample:
        return
    text = sample[0].html
    semaphore = asyncio.Semaphore(SEND_ONLY_CONCURRENCY)

    async def send(chat_id: int) -> None:
        async with semaphore:
            await application.bot.send_message(chat_id, text, parse_mode="HTML")

    rss = current_rss_mib()
    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(send(SEND_ONLY_FIRST_CHAT + index) for index in range(count)))
    figures.send_only_seconds = time.perf_counter() - started
    figures.send_only_cpu_seconds = time.process_time() - cpu
    figures.send_only_rss_growth_mib = current_rss_mib() - rss
    figures.send_only_sent = count


async def measure_paced(
    application: CoachApplication, emulator: BotApiEmulator, figures: FanoutFigures
) -> None:
    """Run the tick at the default limiter until the paced group is sent, counting sends
    each second."""
    options = figures.options
    _progress(f"paced run: {options.paced_users:,} due, default limiter")
    loop = asyncio.get_running_loop()
    first_call = len(emulator.calls)
    cumulative: list[int] = []
    started = loop.time()

    async def sample() -> None:
        while True:
            await asyncio.sleep(max(0.0, started + len(cumulative) + 1 - loop.time()))
            cumulative.append(count_sends(emulator.calls, first_call))

    sampler = asyncio.create_task(sample())
    try:
        # A safety net only: at 30 a second the group takes about `rate_seconds`.
        async with asyncio.timeout(3 * options.rate_seconds + 60):
            await run_scheduled(application)
    except TimeoutError:
        figures.paced_timed_out = True
    figures.paced_seconds = loop.time() - started
    sampler.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sampler
    received = sends_by_chat(emulator.calls, first_call)
    figures.paced_sent = sum(received.values())
    figures.paced_per_second = [
        after - before for before, after in zip([0, *cumulative], cumulative, strict=False)
    ]
    expected = range(PACED_FIRST_CHAT, PACED_FIRST_CHAT + options.paced_users)
    figures.paced_once = sum(1 for chat in expected if received.get(chat) == 1)


@contextlib.asynccontextmanager
async def started_application(
    settings: Settings, clock: FrozenClock, rate_limiter: PacedRateLimiter
) -> AsyncIterator[CoachApplication]:
    """The bot as production builds it, started without polling (only the tick is run)."""
    application = build_application(
        settings, clock, tick_schedules=False, rate_limiter=rate_limiter
    )
    await application.initialize()
    assert application.post_init is not None
    await application.post_init(application)
    # Whatever start-up work runs in the background finishes before any measurement.
    warm_up = getattr(application.bot_data, "warm_up", None)
    if warm_up is not None:
        await warm_up
    try:
        yield application
    finally:
        await application.shutdown()
        assert application.post_shutdown is not None
        await application.post_shutdown(application)


@contextlib.asynccontextmanager
async def fresh_database(options: FanoutOptions) -> AsyncIterator[str]:
    """A new SQLite file in a temporary directory, or a new PostgreSQL database dropped after."""
    if options.database == "sqlite":
        with tempfile.TemporaryDirectory(prefix="fanout-") as directory:
            yield f"sqlite:///{directory}/fanout.db"
        return
    admin = await asyncpg.connect(options.postgres_url, timeout=5)
    name = f"fanout_{uuid.uuid4().hex[:12]}"
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield options.postgres_url.rsplit("/", 1)[0] + "/" + name
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def postgres_version(database_url: str) -> str:
    """The server's version string, for the record."""
    store = await Store.open(database_url)
    try:
        async with store.engine.connect() as conn:
            return str((await conn.execute(sa.text("SHOW server_version"))).scalar_one())
    finally:
        await store.close()


def sends_by_chat(calls: Sequence[ApiCall], first: int) -> Counter[int]:
    """Successful sendMessage calls per chat, from call index `first` on."""
    return Counter(
        int(calls[index].params["chat_id"])
        for index in range(first, len(calls))
        if calls[index].method == "sendMessage" and calls[index].status == 200
    )


def count_sends(calls: Sequence[ApiCall], first: int) -> int:
    """Successful sendMessage calls from call index `first` on."""
    return sum(
        1
        for index in range(first, len(calls))
        if calls[index].method == "sendMessage" and calls[index].status == 200
    )


def current_rss_mib() -> float:
    """Resident memory now (Linux /proc), in MiB; 0 where unavailable."""
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib() -> float:
    """The process's peak resident memory so far, in MiB (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def describe_machine() -> str:
    """CPU model, CPUs, memory, OS, Python and SQLite versions."""
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    return (
        f"{model}, {os.cpu_count()} CPUs{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def format_figures(figures: FanoutFigures) -> str:
    """The report the benchmark prints."""
    options = figures.options
    load = " -> ".join(
        "/".join(f"{value:.1f}" for value in loads)
        for loads in (figures.load_before, figures.load_after)
    )
    lines = [
        f"Fan-out: {options.users:,} users due at {DUE_AT:%Y-%m-%d %H:%M} UTC, "
        f"{options.contacts} contacts each, {options.database}",
        f"machine: {figures.machine}",
        f"load average (1/5/15 min) before -> after: {load}",
        f"seed (bulk inserts, both groups): {figures.seed_seconds:.1f} s",
        f"find: one query for every due row: {figures.found:,} rows in "
        f"{figures.find_seconds:.2f} s",
        f"fan-out, limits lifted (find + claim + compose + send): {figures.sent:,} sent in "
        f"{figures.fanout_seconds:.1f} s = {figures.messages_per_second:,.0f} messages/s",
        f"  outcomes: {figures.outcomes}",
        f"  CPU: {figures.fanout_cpu_seconds:.1f} s = {figures.cpu_ms_per_message:.2f} ms per "
        "message (bot, database driver and emulator in one process)",
        f"  RSS: {figures.rss_start_mib:.0f} MiB before, {figures.rss_end_mib:.0f} MiB after, "
        f"peak {figures.peak_rss_mib:.0f} MiB (includes the emulator, which keeps every "
        "message and call in memory)",
        f"  each user got exactly one message: {figures.users_once:,} of {options.users:,} "
        f"({figures.users_missed:,} missed, {figures.users_repeated:,} more than once)",
    ]
    if figures.send_only_sent:
        lines.append(
            f"send only (PTB + HTTP + emulator, no database): {figures.send_only_sent:,} sends "
            f"in {figures.send_only_seconds:.1f} s, {figures.send_only_cpu_ms_per_message:.2f} "
            f"ms CPU and {1024 * figures.send_only_rss_growth_mib / figures.send_only_sent:.1f} "
            "KiB more RSS per message"
        )
    if options.paced_users:
        rest = figures.paced_per_second[1:]
        spread = f"{min(rest)}-{max(rest)}" if rest else "n/a"
        first = figures.paced_per_second[0] if figures.paced_per_second else 0
        timed_out = " (TIMED OUT)" if figures.paced_timed_out else ""
        lines += [
            f"paced at the default limiter ({PACED_RATE}/s): {figures.paced_sent:,} sent in "
            f"{figures.paced_seconds:.1f} s = {figures.paced_rate:.1f} messages/s{timed_out}",
            f"  first second {first} (the limiter's burst), then "
            f"{figures.paced_steady_rate:.1f}/s on average over whole seconds, {spread} in any "
            "one of them",
            f"  each paced user got exactly one message: {figures.paced_once:,} of "
            f"{options.paced_users:,}",
        ]
    lines.append(f"result: {'OK' if figures.every_user_once else 'FAILED'}")
    return "\n".join(lines)


def parse_options(argv: Sequence[str] | None = None) -> FanoutOptions:
    """Command-line options; the defaults are the full-size run."""
    defaults = FanoutOptions()
    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__)
    parser.add_argument("--users", type=int, default=defaults.users, help="users due at once")
    parser.add_argument(
        "--rate-seconds",
        type=float,
        default=defaults.rate_seconds,
        help=f"the paced run's length: {PACED_RATE} x this many users are due (0 skips it)",
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=defaults.postgres_url,
        help="an admin URL; a fresh database is created next to it and dropped afterwards",
    )
    parser.add_argument(
        "--send-only",
        type=int,
        default=defaults.send_only,
        help="bare sends measured for comparison (0 skips them)",
    )
    parser.add_argument(
        "--contacts", type=int, default=defaults.contacts, help="contacts of each user"
    )
    args = parser.parse_args(argv)
    if args.users < 1 or args.rate_seconds < 0 or args.send_only < 0 or args.contacts < 0:
        parser.error("--users must be at least 1; the other counts cannot be negative")
    return FanoutOptions(
        users=args.users,
        rate_seconds=args.rate_seconds,
        database=args.database,
        postgres_url=args.postgres_url,
        send_only=args.send_only,
        contacts=args.contacts,
    )


def main(argv: Sequence[str] | None = None) -> FanoutFigures:
    """Run the benchmark, print its figures; exit non-zero when a user missed or got two."""
    # PTB's coming default for time periods: the int form warns (PTB reads it at each call).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    options = parse_options(argv)
    figures = asyncio.run(run_fanout(options))
    print(format_figures(figures), flush=True)
    if not figures.every_user_once:
        raise SystemExit("FAILED: not every user got exactly one message")
    return figures


def _progress(message: str) -> None:
    print(f"[fanout] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    main()
