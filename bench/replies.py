"""Reply latency: many users each sending four updates at once, the coach beside a bare echo
bot on the same load (issue 13, point 2).

Each bot runs as `outreach-coach run` would (the coach: `python -m bot.cli run`; the echo bot:
`python -m bench.echo poll`) in its own process, long-polling a Bot API server in another
process (`bench.botapi`: the minimal sink for speed, or `--server emulator` to check every
call against the spec). The coach's SQLite database is seeded with onboarded users, each with
three contacts, two logs and a follow-up due.

A round: every user of the round (fresh users each round) sends `/today`, a plain sentence,
`/followups` and `/progress`, all injected into the server's `getUpdates` queue at one
instant. Both bots run side by side, each with its own server, and take turns: a round of
the coach, then the same round of the echo bot, so that both meet the same background load.
The time to the reply is from that instant to the first message the bot sent in answer to
that update, both read in the server's process. The coach's answers are matched to the
updates by chat, in order (a warm-up user shows how many messages each update gets and how
each begins); the echo bot's by their text. Also checked: each chat's answers came in the
order of its updates, and different chats were answered concurrently (every chat had its
first answer before any chat had its last).

A third bot, the same echo bot on the coach's Bot API transport (aiohttp instead of PTB's
default httpx), takes its turn too: beside it, what is left is the coach's own work and its
promise of order, without the transport's difference.

Run `python -m bench.replies` (50 users, 3 rounds) or see `--help`; `make bench` runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.processes import (
    ApiServer,
    BotProcess,
    api_server,
    bot_process,
    describe_machine,
    load_average,
)
from bench.seeding import UserGroup, seed, sqlite_folder

UPDATES = ("/today", "emailed Sarah about the PM role", "/followups", "/progress")
WARM_UP_CHAT = 20_000_000
FIRST_CHAT = 20_000_001
SIGNATURE_CHARACTERS = 12
ROUND_TIMEOUT = 120.0
QUIET_SECONDS = 0.5
"""How long no new message must arrive before a round counts as complete."""
WARM_UP_QUIET_SECONDS = 2.0
"""The same for one warm-up answer, whose length is not known yet (a chart may follow)."""
TARGET_RATIO = 1.5


@dataclass(frozen=True)
class ReplyOptions:
    """How many users, rounds, which server, and which checkout's coach."""

    users: int = 50
    rounds: int = 3
    server: str = "sink"
    code: Path | None = None  # another checkout's bot (for a before figure)
    echo: bool = True


@dataclass(frozen=True)
class Shape:
    """How the bot answers one update: how many messages, and how the first begins."""

    messages: int
    signature: tuple[str, str]


@dataclass
class BotFigures:
    """What one bot did under the load."""

    name: str
    first: list[float] = field(default_factory=list)  # seconds to each update's first answer
    last: list[float] = field(default_factory=list)  # seconds to each update's last message
    by_update: dict[str, list[float]] = field(default_factory=dict)
    by_round: list[list[float]] = field(default_factory=list)  # `first`, round by round
    cpu_seconds: float = 0.0
    server_cpu_seconds: float = 0.0  # the Bot API server's, for the record
    updates: int = 0
    rss_mib: float = 0.0
    peak_rss_mib: float = 0.0
    chats: int = 0
    chats_in_order: int = 0
    chats_behind: int = 0  # chats whose first answer came after another chat's last one
    problems: list[str] = field(default_factory=list)
    ordered: bool = True  # whether the bot promises each chat's answers in order

    @property
    def cpu_ms_per_update(self) -> float:
        """The bot process's CPU time per update handled."""
        return 1000 * self.cpu_seconds / self.updates if self.updates else 0.0

    @property
    def ok(self) -> bool:
        """Every update answered, each chat in order, nothing against the spec."""
        answered = len(self.first) == self.updates
        in_order = self.chats_in_order == self.chats or not self.ordered
        return answered and in_order and not self.problems


@dataclass
class ReplyFigures:
    """The coach and the echo bot on the same load."""

    options: ReplyOptions
    machine: str = ""
    load_before: str = ""
    load_after: str = ""
    coach: BotFigures = field(default_factory=lambda: BotFigures("coach"))
    echo: BotFigures | None = None
    echo_aiohttp: BotFigures | None = None  # the echo bot on the coach's transport

    def baselines(self) -> list[BotFigures]:
        """The echo bots that ran."""
        return [bot for bot in (self.echo, self.echo_aiohttp) if bot is not None]


def run_replies(options: ReplyOptions) -> ReplyFigures:
    """Seed, start the coach and the echo bot (each with its own server), then run the
    rounds alternately, coach then echo, so that both meet the same background load."""
    figures = ReplyFigures(options, describe_machine(), load_average())
    now = datetime.now(UTC)
    # The morning message is due tomorrow: no scheduled message interferes.
    tomorrow = (now + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    group = UserGroup(WARM_UP_CHAT, 1 + options.users * options.rounds, now, tomorrow, ("UTC",))
    with sqlite_folder() as folder, contextlib.ExitStack() as running:
        database_url = f"sqlite:///{folder}/replies.db"
        asyncio.run(seed(database_url, group))
        coach = running.enter_context(
            started_bot(
                figures.coach,
                [sys.executable, "-m", "bot.cli", "run"],
                {"DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"},
                options,
                _signature,
                code=options.code,
            )
        )
        bots = [coach]
        if options.echo:
            figures.echo = BotFigures("echo", ordered=False)
            figures.echo_aiohttp = BotFigures("echo on aiohttp", ordered=False)
            for echo, transport in ((figures.echo, "httpx"), (figures.echo_aiohttp, "aiohttp")):
                echo_command = [
                    sys.executable, "-m", "bench.echo", "poll", "--transport", transport
                ]  # fmt: skip
                bots.append(
                    running.enter_context(
                        started_bot(echo, echo_command, {}, options, _echo_signature)
                    )
                )
        for bot in bots:
            bot.warm_up()
        for round_index in range(options.rounds):
            _progress(f"round {round_index + 1} of {options.rounds}: {options.users} users")
            for bot in bots:
                bot.run_round(round_index)
        for bot in bots:
            bot.finish()
    figures.load_after = load_average()
    return figures


@dataclass
class BotUnderTest:
    """A bot process, its server, and what the warm-up showed of its answers."""

    figures: BotFigures
    server: ApiServer
    process: BotProcess
    options: ReplyOptions
    signature: Callable[[list[Any]], tuple[str, str]]
    shapes: list[Shape] = field(default_factory=list)
    cpu_start: float = 0.0
    server_cpu_start: float = 0.0

    def warm_up(self) -> None:
        """Learn the answers' shapes from the warm-up user, then start counting CPU."""
        self.server.wait_for_poll()
        self.shapes = [_warm_up(self.server, text, self.signature) for text in UPDATES]
        self.server.reset()
        self.cpu_start = self.process.cpu_seconds()
        self.server_cpu_start = self.server.cpu_seconds()

    def run_round(self, round_index: int) -> None:
        """Every user of the round sends the four updates at once; wait for every answer."""
        users = self.options.users
        first_chat = FIRST_CHAT + round_index * users
        chats = range(first_chat, first_chat + users)
        expected = users * sum(shape.messages for shape in self.shapes)
        self.server.inject([(chat, text) for chat in chats for text in UPDATES])
        if not _wait_for_sends(self.server, expected, self.process.check_running):
            self.figures.problems.append(f"round {round_index + 1}: not every update answered")
        report = self.server.report()
        self.server.reset()
        _read_round(self.figures, report, chats, self.shapes, self.signature)

    def finish(self) -> None:
        """Read the CPU used since the warm-up and the memory now."""
        self.figures.cpu_seconds = self.process.cpu_seconds() - self.cpu_start
        self.figures.server_cpu_seconds = self.server.cpu_seconds() - self.server_cpu_start
        self.figures.rss_mib = self.process.rss_mib()
        self.figures.peak_rss_mib = self.process.peak_rss_mib()


@contextlib.contextmanager
def started_bot(
    figures: BotFigures,
    command: Sequence[str],
    environ: dict[str, str],
    options: ReplyOptions,
    signature: Callable[[list[Any]], tuple[str, str]],
    *,
    code: Path | None = None,
) -> Iterator[BotUnderTest]:
    """Start a server and the bot polling it."""
    with api_server(options.server) as server:
        environ = {
            **environ,
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_BASE_URL": server.api_url,
        }
        with bot_process(command, environ, code=code) as process:
            yield BotUnderTest(figures, server, process, options, signature)


def _warm_up(
    server: ApiServer, text: str, signature: Callable[[list[Any]], tuple[str, str]]
) -> Shape:
    """Send one update from the warm-up user and see how the bot answers it."""
    server.inject([(WARM_UP_CHAT, text)])
    _wait_for_sends(server, 1, lambda: None, quiet=WARM_UP_QUIET_SECONDS)
    sends = server.report()["sends"].get(str(WARM_UP_CHAT), [])
    server.reset()
    if not sends:
        raise RuntimeError(f"the bot did not answer {text!r}")
    return Shape(len(sends), signature(sends[0]))


def _wait_for_sends(
    server: ApiServer, expected: int, check: Callable[[], None], *, quiet: float = QUIET_SECONDS
) -> bool:
    """Wait until `expected` sends arrived and then none for `quiet` seconds; False on
    timeout."""
    deadline = time.monotonic() + ROUND_TIMEOUT
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        calls = server.status()["calls"]
        count = sum(calls.get(method, 0) for method in ("sendMessage", "sendPhoto"))
        if count != seen:
            seen, quiet_since = count, time.monotonic()
        elif count >= expected and time.monotonic() - quiet_since >= quiet:
            return True
        check()
        time.sleep(0.05)
    return False


def _read_round(
    figures: BotFigures,
    report: dict[str, Any],
    chats: range,
    shapes: list[Shape],
    signature: Callable[[list[Any]], tuple[str, str]],
) -> None:
    """Match each chat's answers to its updates, in order, and note the times."""
    injected: dict[tuple[int, str], float] = {
        (int(chat), str(text)): float(at) for chat, at, text in report["injected"].values()
    }
    figures.problems += [f"spec: {violation}" for violation in report["violations"]]
    firsts, lasts = [], []
    figures.by_round.append([])
    for chat in chats:
        figures.chats += 1
        figures.updates += len(UPDATES)
        sends = report["sends"].get(str(chat), [])
        segments = _segments(sends, shapes, signature, ordered=figures.ordered)
        if segments is None:
            figures.problems.append(f"chat {chat}: {len(sends)} messages, not as expected")
            continue
        starts = [segment[0][0] for segment in segments]
        figures.chats_in_order += starts == sorted(starts)
        for text, segment in zip(UPDATES, segments, strict=True):
            sent_at = injected[(chat, text)]
            figures.first.append(segment[0][0] - sent_at)
            figures.by_round[-1].append(segment[0][0] - sent_at)
            figures.last.append(segment[-1][0] - sent_at)
            figures.by_update.setdefault(text, []).append(segment[0][0] - sent_at)
        firsts.append(min(starts))
        lasts.append(max(segment[-1][0] for segment in segments))
    if lasts:
        first_done = min(lasts)
        figures.chats_behind += sum(1 for at in firsts if at > first_done)


def _segments(
    sends: list[list[Any]],
    shapes: list[Shape],
    signature: Callable[[list[Any]], tuple[str, str]],
    *,
    ordered: bool,
) -> list[list[list[Any]]] | None:
    """Split one chat's messages into the answers to its updates: in order (`ordered`), or
    by signature, in any order. None when they do not match the shapes (a missing, extra or,
    when `ordered`, out-of-order answer)."""
    if len(sends) != sum(shape.messages for shape in shapes):
        return None
    if not ordered:
        by_signature = {signature(send): send for send in sends}
        found = [by_signature.get(shape.signature) for shape in shapes]
        return [[send] for send in found if send is not None] if all(found) else None
    segments, start = [], 0
    for shape in shapes:
        segment = sends[start : start + shape.messages]
        if signature(segment[0]) != shape.signature:
            return None
        segments.append(segment)
        start += shape.messages
    return segments


def _signature(send: list[Any]) -> tuple[str, str]:
    """The coach's answer: its method and how its text begins."""
    return str(send[1]), str(send[2])[:SIGNATURE_CHARACTERS]


def _echo_signature(send: list[Any]) -> tuple[str, str]:
    """The echo bot's answer is the update's own text."""
    return str(send[1]), str(send[2])


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def format_figures(figures: ReplyFigures) -> str:
    """The report the benchmark prints: each coach figure beside the echo bots'."""
    options, coach, echo = figures.options, figures.coach, figures.echo
    baselines = figures.baselines()
    code = f", coach from {options.code}" if options.code else ""
    header = f"{'figure':<44}{'coach':>10}"
    for name in ("echo", "echo/aiohttp")[: len(baselines)]:
        header += f"{name:>13}{'ratio':>8}"
    lines = [
        f"Replies: {options.users} users x {len(UPDATES)} updates at once "
        f"({', '.join(UPDATES)}), {options.rounds} rounds, {options.server}{code}",
        f"machine: {figures.machine}",
        f"load average (1/5/15 min) before -> after: {figures.load_before} -> {figures.load_after}",
        header,
    ]

    def row(label: str, value: Callable[[BotFigures], float], unit: str = "") -> None:
        mine = value(coach)
        line = f"{label:<44}{mine:>10.1f}"
        for baseline in baselines:
            theirs = value(baseline)
            ratio = f"{mine / theirs:.2f}x" if theirs else "n/a"
            line += f"{theirs:>13.1f}{ratio:>8}"
        lines.append(line + unit)

    row("time to the reply, median (ms)", lambda f: 1000 * statistics.median(f.first or [0]))
    row("time to the reply, p99 (ms)", lambda f: 1000 * percentile(f.first, 0.99))
    row("time to the answer's last message, p99 (ms)", lambda f: 1000 * percentile(f.last, 0.99))
    row("bot CPU per update (ms)", lambda f: f.cpu_ms_per_update)
    row(
        f"{options.server} CPU per update (ms)",
        lambda f: 1000 * f.server_cpu_seconds / f.updates if f.updates else 0.0,
    )
    row("bot RSS after the rounds (MiB)", lambda f: f.rss_mib)
    row("bot peak RSS (MiB)", lambda f: f.peak_rss_mib)
    for text, times in coach.by_update.items():
        lines.append(
            f"  coach, {text}: median {1000 * statistics.median(times):.0f} ms, "
            f"p99 {1000 * percentile(times, 0.99):.0f} ms"
        )
    for bot in (coach, *baselines):
        medians = [f"{1000 * statistics.median(times):.0f}" for times in bot.by_round if times]
        lines.append(f"  {bot.name}, median by round (ms): {' / '.join(medians)}")
    for bot in (coach, *baselines):
        line = (
            f"{bot.name}: {len(bot.first)} of {bot.updates} updates answered; "
            f"{bot.chats_in_order} of {bot.chats} chats answered in their order"
        )
        if bot.ordered:  # one message an update, answered at once, tells nothing here
            line += f"; {bot.chats_behind} chats had a first answer only after another's last"
        lines.append(line)
        lines += [f"  problem: {problem}" for problem in bot.problems[:10]]
    for baseline in baselines:
        if not (baseline.first and coach.first):
            continue
        median = statistics.median(coach.first) / statistics.median(baseline.first)
        p99 = percentile(coach.first, 0.99) / percentile(baseline.first, 0.99)
        met = median <= TARGET_RATIO and p99 <= TARGET_RATIO
        target = "target" if baseline is echo else "beside"
        lines.append(
            f"{target}: coach median and p99 at most {TARGET_RATIO}x the {baseline.name} bot's: "
            f"{'met' if met else 'NOT met'} ({median:.2f}x, {p99:.2f}x)"
        )
    ok = coach.ok and all(baseline.ok for baseline in baselines)
    lines.append(f"result: {'OK' if ok else 'FAILED'}")
    return "\n".join(lines)


def parse_options(argv: Sequence[str] | None = None) -> ReplyOptions:
    """Command-line options; the defaults are the full-size run."""
    defaults = ReplyOptions()
    parser = argparse.ArgumentParser(prog="python -m bench.replies", description=__doc__)
    parser.add_argument("--users", type=int, default=defaults.users)
    parser.add_argument("--rounds", type=int, default=defaults.rounds)
    parser.add_argument("--server", choices=("sink", "emulator"), default=defaults.server)
    parser.add_argument(
        "--code", type=Path, help="run the coach from this checkout (for a before figure)"
    )
    parser.add_argument("--no-echo", action="store_true", help="skip the echo bot")
    args = parser.parse_args(argv)
    if args.users < 1 or args.rounds < 1:
        parser.error("--users and --rounds must be at least 1")
    return ReplyOptions(args.users, args.rounds, args.server, args.code, not args.no_echo)


def main(argv: Sequence[str] | None = None) -> ReplyFigures:
    """Run the benchmark and print its figures; exit non-zero when an update went unanswered
    or a chat's answers came out of order."""
    figures = run_replies(parse_options(argv))
    print(format_figures(figures), flush=True)
    if not (figures.coach.ok and all(baseline.ok for baseline in figures.baselines())):
        raise SystemExit("FAILED: not every update was answered in order")
    return figures


def _progress(message: str) -> None:
    print(f"[replies] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
