"""Replicas benchmark: do two `outreach-coach run` processes send more per second than one?

Each run seeds a fresh PostgreSQL database with users whose morning message is due now, starts
one or two real `outreach-coach run` processes in webhook mode on one address (REUSE_PORT)
against the benchmarks' Bot API sink (`bench.botapi`, in its own process: it only answers,
so the bot side is what is measured), and waits until every user got a message. The cap is
set to its highest (BROADCAST_RATE=1000, the most Telegram allows with paid broadcasts), and
the replicas take their send slots from the database as in production: two replicas can reach
it, and then it is the cap that holds them.

It prints, for one and for two replicas: messages a second (first to last send), the bot
processes' CPU per message, how many each replica sent, and the ratio two/one; then checks
that every user got exactly one message. The load average is printed beside the figures.

    python -m bench.replicas [--users 20000] [--postgres postgresql://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import os
import re
import resource
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.processes import ApiServer, api_server, free_port
from bench.seeding import fresh_database
from bot.coaching.domain import PreferenceChanges
from bot.config import FREE_BROADCAST_RATE
from bot.usecases.schedules import sync_schedules
from storage import Store

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-replicas"
DEFAULT_POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@dataclass
class RunFigures:
    """What one run with `replicas` processes measured."""

    replicas: int
    users: int
    seconds: float  # first send to last
    cpu_ms_per_message: float
    sent_by_replica: list[int]
    once: int  # users who got exactly one message
    repeated: int  # users who got more than one

    @property
    def per_second(self) -> float:
        """Messages a second, first send to last."""
        return self.users / self.seconds if self.seconds > 0 else float("inf")


def zone_at_nine(now: datetime) -> str:
    """A fixed-offset zone whose local time is now between 09:00 and 10:00, so a morning
    message (08:00) is due and still worth sending."""
    offset = 9 - now.hour
    if offset < -12:
        offset += 24
    return f"Etc/GMT{-offset:+d}"  # Etc/GMT's sign is the other way round


async def seed_due_users(database_url: str, chats: range) -> None:
    """Onboarded users whose morning message is due now (real time)."""
    now = datetime.now(UTC)
    zone = zone_at_nine(now)
    planned_at = now - timedelta(hours=2)
    store = await Store.open(database_url)

    async def due_user(chat: int) -> None:
        await store.ensure_user(chat, planned_at)
        await store.update_preferences(
            chat, PreferenceChanges(timezone=zone, rest_days=(), stall_days=60)
        )
        user = await store.set_onboarding(chat, None, onboarded_at=planned_at)
        await sync_schedules(store, user, planned_at)

    pending = [due_user(chat) for chat in chats]
    for start in range(0, len(pending), 32):
        await asyncio.gather(*pending[start : start + 32])
    await store.close()


def replica_environment(
    api_url: str,
    token: str,
    database_url: str,
    port: int,
    secret: str,
    *,
    broadcast_rate: int,
    log_level: str = "INFO",
) -> dict[str, str]:
    """The environment of an `outreach-coach run` replica in webhook mode on 127.0.0.1:`port`,
    an address it shares with the others (REUSE_PORT); paid broadcasts on above the free cap
    (a local Bot API does not charge)."""
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": api_url,
        "DATABASE_URL": database_url,
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "WEBHOOK_SECRET": secret,
        "PORT": str(port),
        "LISTEN": "127.0.0.1",
        "REUSE_PORT": "on",
        "BROADCAST_RATE": str(broadcast_rate),
        "LOG_LEVEL": log_level,
        "PTB_TIMEDELTA": "1",
    }
    if broadcast_rate > FREE_BROADCAST_RATE:
        environment["PAID_BROADCAST"] = "on"
    return environment


async def _run(
    replicas: int, users: int, admin_url: str, sink: ApiServer, logs: Path
) -> RunFigures:
    async with fresh_database("postgresql", admin_url) as database_url:
        chats = range(1_000_000, 1_000_000 + users)
        await seed_due_users(database_url, chats)
        await asyncio.to_thread(sink.reset)
        port = free_port()
        env = replica_environment(
            sink.api_url, sink.token, database_url, port, SECRET, broadcast_rate=1000
        )
        cpu_before = _children_cpu()
        paths = [logs / f"run{replicas}-replica{number}.log" for number in range(replicas)]
        processes = []
        for path in paths:
            with path.open("wb") as log:
                processes.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        *("-m", "bot.cli", "run"),
                        cwd=ROOT,
                        env=env,
                        stdout=asyncio.subprocess.DEVNULL,
                        stderr=log,
                    )
                )
        try:
            await _wait_for_sends(sink, users, timeout=max(120.0, users / 5))
            await asyncio.sleep(1)  # a repeated message would arrive by now
            sends = await _sends(sink)
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                await asyncio.wait_for(process.wait(), 60)
        cpu = _children_cpu() - cpu_before
    per_chat = Counter(chat for _, chat in sends)
    times = sorted(at for at, _ in sends)
    return RunFigures(
        replicas=replicas,
        users=users,
        seconds=times[-1] - times[0] if times else 0.0,
        cpu_ms_per_message=1000 * cpu / max(1, len(sends)),
        sent_by_replica=[_sent_by_tick(path.read_text(errors="replace")) for path in paths],
        once=sum(1 for chat in chats if per_chat[chat] == 1),
        repeated=sum(1 for chat in chats if per_chat[chat] > 1),
    )


async def _sends(sink: ApiServer) -> list[tuple[float, int]]:
    """Every message the sink received since its reset: (when, chat)."""
    report = await asyncio.to_thread(sink.report, texts=False)
    return [(send[0], int(chat)) for chat, sends in report["sends"].items() for send in sends]


async def _wait_for_sends(sink: ApiServer, users: int, timeout: float) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while True:
        sent = len(await _sends(sink))
        if sent >= users:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {sent} of {users} messages within {timeout:.0f} s")
        await asyncio.sleep(0.5)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _sent_by_tick(log: str) -> int:
    reports = re.findall(r"Scheduled coaching: (\{.*?\})", log)
    return sum(int(ast.literal_eval(report).get("sent", 0)) for report in reports)


# -- the report --------------------------------------------------------------------------------


def _line(figures: RunFigures) -> str:
    return (
        f"{figures.replicas} replica{'s' if figures.replicas > 1 else ' '}: "
        f"{figures.users} sent in {figures.seconds:.1f} s = {figures.per_second:.0f} msgs/s, "
        f"{figures.cpu_ms_per_message:.1f} ms CPU per message (bot processes), "
        f"sent by each: {figures.sent_by_replica}; "
        f"{figures.once} of {figures.users} once, {figures.repeated} more than once"
    )


async def measure(users: int, admin_url: str) -> tuple[RunFigures, RunFigures]:
    """One replica, then two, against one sink process."""
    with (
        api_server("sink") as sink,
        tempfile.TemporaryDirectory(prefix="bench-replicas-") as folder,
    ):
        one = await _run(1, users, admin_url, sink, Path(folder))
        two = await _run(2, users, admin_url, sink, Path(folder))
    return one, two


def main(argv: list[str] | None = None) -> tuple[RunFigures, RunFigures]:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20_000, help="users due (default 20,000)")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="an admin database URL")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    one, two = asyncio.run(measure(args.users, args.postgres))
    load_after = os.getloadavg()
    print(f"Replicas: {args.users} users due, morning messages, limits lifted (cap 1000/s)")
    print("  " + _line(one))
    print("  " + _line(two))
    print(f"  ratio two/one: {two.per_second / one.per_second:.2f}")
    print(
        f"  load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"({os.cpu_count()} cores)"
    )
    return one, two


if __name__ == "__main__":
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    main()
