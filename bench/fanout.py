"""Fan-out benchmark: many users due in the same minute, sent by the real tick in a process of
its own, against a Bot API server in another (issue 13, points 3, 4, 5 and 7).

0. **Correctness**: one tick for `--correctness` users against the spec-checking emulator
   (`bot/local/emulator`): every user exactly one message, no call against the spec.
1. **Cost by size**, for 10 (memory baseline), 1,000, 10,000 and 100,000 users, limits
   lifted: a fresh database is seeded (bulk inserts: onboarded users over eleven zones, each
   with a morning message due at 08:00 UTC on a Tuesday, three contacts, two logs and a
   follow-up due); `bench/fanout_worker.py` builds the application as production does and runs
   one tick against the minimal sink (`bench.sink`); the sink's log shows whether every user
   got exactly one message. Measured in the worker: the time of one query for every due row,
   the tick's wall and CPU time, RSS before and after. Beside each size, the echo baseline
   (`bench.echo broadcast`: bare PTB sends of a morning-sized text, 64 at a time, no database).
2. **Paced at the default cap**: 30 x `--paced-seconds` users, `BROADCAST_RATE` unset, against
   the sink with Telegram-like flood control: the rate reached, the most sends in any
   wall-clock second, in any chat, and the 429s; beside it PTB's own `AIORateLimiter` at 30 a
   second on the same load.
3. **Paid broadcasts**: `--paid-rate` x `--paid-seconds` users with `BROADCAST_RATE` at that
   rate and `PAID_BROADCAST=on`, the same checks.

`--code PATH` runs the worker with another checkout's bot (a before figure); the driver, the
sink and the echo bot are this checkout's. `--chart` writes the cost by size as a PNG.
Run `make bench`, or `python -m bench.fanout --help`; figures are in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.processes import REPOSITORY, ApiServer, api_server, describe_machine, load_average
from bench.seeding import UserGroup, postgres_database, seed, sqlite_folder

# A Tuesday (no default rest day) at 08:00 UTC: local 08:00 to 11:00 in every zone below.
DUE_AT = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
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
FIRST_CHAT = 10_000_000
ECHO_FIRST_CHAT = 900_000_000
FREE_RATE = 30
WORKER = Path(__file__).with_name("fanout_worker.py")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class FanoutOptions:
    """What to run: the sizes, the paced windows, the database, which checkout's bot."""

    sizes: tuple[int, ...] = (1_000, 10_000, 100_000)
    memory_baseline: int = 10
    correctness: int = 300
    paced_seconds: float = 60.0
    paid_rate: int = 300
    paid_seconds: float = 10.0
    echo_cap: int = 10_000
    database: str = "sqlite"
    postgres_url: str = POSTGRES_URL
    code: Path | None = None
    chart: Path | None = None
    json: Path | None = None
    before: Path | None = None


@dataclass
class Delivery:
    """Who got how many of the messages a run was to send."""

    once: int = 0
    missed: int = 0
    repeated: int = 0
    strangers: int = 0  # messages to chats that were not due

    @property
    def exact(self) -> bool:
        """Every user exactly one message, nobody else any."""
        return not (self.missed or self.repeated or self.strangers)


@dataclass
class SizeRow:
    """One size: the coach's tick and the echo baseline."""

    users: int
    seed_seconds: float
    coach: dict[str, Any]
    delivery: Delivery
    echo: dict[str, Any] | None = None
    echo_delivery: Delivery | None = None

    @property
    def sent(self) -> int:
        """Messages the tick sent."""
        return int(self.coach.get("outcomes", {}).get("sent", 0))

    @property
    def per_second(self) -> float:
        """The tick's messages a second."""
        seconds = float(self.coach.get("fanout_seconds", 0))
        return self.sent / seconds if seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        """The bot process's CPU time per message sent."""
        return 1000 * float(self.coach.get("cpu_seconds", 0)) / self.sent if self.sent else 0.0


@dataclass
class PacedRun:
    """One paced run: the coach's tick, or the echo baseline, through flood control."""

    name: str
    rate: int
    paid: bool
    users: int
    seconds: float = 0.0  # first send to last send
    per_second: list[int] = field(default_factory=list)  # sends in each wall-clock second
    busiest_chat_second: int = 0
    refusals: int = 0
    paid_sends: int = 0
    delivery: Delivery = field(default_factory=Delivery)
    worker: dict[str, Any] = field(default_factory=dict)

    @property
    def sent(self) -> int:
        """Messages that arrived."""
        return sum(self.per_second)

    @property
    def rate_reached(self) -> float:
        """Sends a second over the whole seconds between the first and the last (the first
        and last seconds are partial)."""
        whole = self.per_second[1:-1]
        return sum(whole) / len(whole) if whole else 0.0

    @property
    def busiest_second(self) -> int:
        """The most sends in one wall-clock second."""
        return max(self.per_second, default=0)

    @property
    def held(self) -> bool:
        """At least 95% of the rate, never above it overall or 1 a second in a chat, no 429,
        every user once."""
        return (
            self.rate_reached >= 0.95 * self.rate
            and self.busiest_second <= self.rate
            and self.busiest_chat_second <= 1
            and self.refusals == 0
            and self.delivery.exact
        )


@dataclass
class FanoutFigures:
    """Everything the benchmark measured."""

    options: FanoutOptions
    machine: str = ""
    load_before: str = ""
    load_after: str = ""
    rows: list[SizeRow] = field(default_factory=list)
    paced: list[PacedRun] = field(default_factory=list)
    checked: Delivery | None = None  # the correctness run, against the emulator
    violations: list[str] = field(default_factory=list)

    @property
    def every_user_once(self) -> bool:
        """Whether every run of the coach sent each of its users exactly one message (and
        the emulator found nothing against the spec)."""
        checked = self.checked is None or (self.checked.exact and not self.violations)
        return (
            checked
            and all(row.delivery.exact for row in self.rows)
            and all(run.delivery.exact for run in self.paced if run.name == "coach")
        )


def run_fanout(options: FanoutOptions) -> FanoutFigures:
    """Every size, then the paced runs; the figures."""
    figures = FanoutFigures(options, describe_machine(), load_average())
    if options.correctness > 0:
        figures.checked, figures.violations = check_with_emulator(options, options.correctness)
    for users in (options.memory_baseline, *options.sizes):
        if users > 0:
            figures.rows.append(measure_size(options, users))
            _progress(format_row(figures.rows[-1]))
            save(figures)
    if options.paced_seconds > 0:
        users = round(FREE_RATE * options.paced_seconds)
        figures.paced += measure_paced(options, users, FREE_RATE, paid=False)
        save(figures)
    if options.paid_seconds > 0:
        users = round(options.paid_rate * options.paid_seconds)
        figures.paced += measure_paced(options, users, options.paid_rate, paid=True)
    figures.load_after = load_average()
    save(figures)
    return figures


def save(figures: FanoutFigures) -> None:
    """Write the figures so far to the `--json` file, if any (a long run keeps what it
    measured even when a later step fails)."""
    if figures.options.json is not None:
        figures.options.json.write_text(json.dumps(asdict(figures), default=str, indent=1))


def check_with_emulator(options: FanoutOptions, users: int) -> tuple[Delivery, list[str]]:
    """One tick for `users` due users against the spec-checking emulator: who got what, and
    every call that broke the Bot API spec."""
    with database(options) as database_url:
        asyncio.run(seed(database_url, UserGroup(FIRST_CHAT, users, DUE_AT, DUE_AT, ZONES)))
        with api_server("emulator") as server:
            _progress(f"correctness: {users:,} users against the emulator")
            run_worker(options, server, database_url, users, unpaced=True)
            report = server.report(texts=False)
    return delivered(report, range(FIRST_CHAT, FIRST_CHAT + users)), list(report["violations"])


def measure_size(options: FanoutOptions, users: int) -> SizeRow:
    """Seed `users` due users, run the tick with limits lifted, then the echo baseline."""
    with database(options) as database_url:
        _progress(f"{users:,} users: seeding")
        started = time.perf_counter()
        asyncio.run(seed(database_url, UserGroup(FIRST_CHAT, users, DUE_AT, DUE_AT, ZONES)))
        seed_seconds = time.perf_counter() - started
        with api_server("sink") as server:
            _progress(f"{users:,} users: one tick, limits lifted")
            coach = run_worker(options, server, database_url, users, unpaced=True)
            delivery = delivered(server.report(texts=False), range(FIRST_CHAT, FIRST_CHAT + users))
            row = SizeRow(users, seed_seconds, coach, delivery)
            if users != options.memory_baseline and options.echo_cap > 0:
                server.reset()
                chats = min(users, options.echo_cap)
                _progress(f"{users:,} users: echo baseline, {chats:,} bare sends")
                row.echo = run_echo(server, chats)
                row.echo_delivery = delivered(
                    server.report(texts=False), range(ECHO_FIRST_CHAT, ECHO_FIRST_CHAT + chats)
                )
    return row


def measure_paced(options: FanoutOptions, users: int, rate: int, *, paid: bool) -> list[PacedRun]:
    """The coach's tick at `rate` (paid broadcasts on when `paid`) through flood control, and
    (at the free rate) PTB's own limiter on the same load."""
    runs = []
    environ = {"BROADCAST_RATE": str(rate), "PAID_BROADCAST": "on" if paid else "off"}
    if not paid:
        environ = {}  # the defaults
    with database(options) as database_url:
        asyncio.run(seed(database_url, UserGroup(FIRST_CHAT, users, DUE_AT, DUE_AT, ZONES)))
        with api_server("sink", flood_control=True) as server:
            _progress(f"paced: {users:,} users at {rate}/s{' (paid)' if paid else ''}")
            worker = run_worker(options, server, database_url, users, environ=environ)
            run = paced_run("coach", rate, paid, server, range(FIRST_CHAT, FIRST_CHAT + users))
            run.worker = worker
            runs.append(run)
    if not paid:
        with api_server("sink", flood_control=True) as server:
            _progress(f"paced: echo baseline, {users:,} sends through PTB's AIORateLimiter")
            run_echo(server, users, rate=rate)
            chats = range(ECHO_FIRST_CHAT, ECHO_FIRST_CHAT + users)
            runs.append(paced_run("echo (AIORateLimiter)", rate, paid, server, chats))
    return runs


def paced_run(name: str, rate: int, paid: bool, server: ApiServer, chats: range) -> PacedRun:
    """Read a paced run from the server's log."""
    report = server.report(texts=False)
    run = PacedRun(name, rate, paid, len(chats), refusals=int(report["refusals"]))
    offset = float(report["wall_offset"])
    times = sorted(float(send[0]) for sends in report["sends"].values() for send in sends)
    run.paid_sends = sum(1 for sends in report["sends"].values() for send in sends if send[3])
    if times:
        run.seconds = times[-1] - times[0]
        seconds = Counter(int(at + offset) for at in times)
        first = min(seconds)
        run.per_second = [seconds.get(second, 0) for second in range(first, max(seconds) + 1)]
    run.busiest_chat_second = max(
        (
            count
            for sends in report["sends"].values()
            for count in Counter(int(float(send[0]) + offset) for send in sends).values()
        ),
        default=0,
    )
    run.delivery = delivered(report, chats)
    return run


def run_worker(
    options: FanoutOptions,
    server: ApiServer,
    database_url: str,
    users: int,
    *,
    unpaced: bool = False,
    environ: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run `fanout_worker.py` (this checkout's, with `--code`'s bot) and read its figures."""
    code = options.code or REPOSITORY
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "PTB_TIMEDELTA": "1",
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.api_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        **(environ or {}),
    }
    command = [sys.executable, "-P", str(WORKER), "--due-at", DUE_AT.isoformat()]
    command += ["--users", str(users)] + (["--unpaced"] if unpaced else [])
    done = subprocess.run(command, env=env, cwd=code, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the fan-out worker failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run_echo(server: ApiServer, chats: int, *, rate: int | None = None) -> dict[str, Any]:
    """Bare PTB sends to `chats` chats (`bench.echo broadcast`), optionally through PTB's own
    rate limiter; its figures."""
    env = {
        **os.environ,
        "PTB_TIMEDELTA": "1",
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.api_url,
    }
    command = [sys.executable, "-m", "bench.echo", "broadcast"]
    command += ["--first-chat", str(ECHO_FIRST_CHAT), "--chats", str(chats)]
    command += ["--rate", str(rate)] if rate else []
    done = subprocess.run(
        command, env=env, cwd=REPOSITORY, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"the echo broadcast failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def delivered(report: dict[str, Any], chats: range) -> Delivery:
    """Count who got how many messages."""
    counts = {int(chat): len(sends) for chat, sends in report["sends"].items()}
    delivery = Delivery()
    for chat in chats:
        count = counts.pop(chat, 0)
        delivery.once += count == 1
        delivery.missed += count == 0
        delivery.repeated += count > 1
    delivery.strangers = sum(counts.values())
    return delivery


@contextlib.contextmanager
def database(options: FanoutOptions) -> Iterator[str]:
    """A fresh SQLite file in a temporary folder, or a new PostgreSQL database."""
    if options.database == "postgresql":
        with postgres_database(options.postgres_url) as url:
            yield url
        return
    with sqlite_folder() as folder:
        yield f"sqlite:///{folder}/fanout.db"


def format_figures(figures: FanoutFigures) -> str:
    """The report the benchmark prints."""
    options = figures.options
    code = f"; the bot from {options.code}" if options.code else ""
    lines = [
        f"Fan-out: users due at {DUE_AT:%Y-%m-%d %H:%M} UTC over {len(ZONES)} zones, "
        f"{options.database}{code}",
        f"machine: {figures.machine}",
        f"load average (1/5/15 min) before -> after: {figures.load_before} -> {figures.load_after}",
        *_checked_lines(figures),
        "",
        "One tick, limits lifted; the bot and the sink in separate processes; echo = bare PTB "
        f"sends, no database (at most {options.echo_cap:,}):",
        f"{'users':>8} {'find s':>7} {'tick s':>7} {'msg/s':>7} {'echo':>7} {'ratio':>6} "
        f"{'CPU ms/msg':>10} {'echo':>6} {'ratio':>6} {'RSS MiB before':>14} {'after':>6} "
        f"{'echo':>5} {'ratio':>6}  each once",
    ]
    lines += [format_row(row) for row in figures.rows]
    lines += _memory_lines(figures)
    for run in figures.paced:
        lines += _paced_lines(run)
    lines.append(f"result: {'OK' if figures.every_user_once else 'FAILED'}")
    return "\n".join(lines)


def format_row(row: SizeRow) -> str:
    """One size's line of the report."""
    coach, echo = row.coach, row.echo
    echo_rate = echo_cpu = echo_rss = 0.0
    if echo:
        echo_rate = echo["sent"] / echo["send_seconds"] if echo["send_seconds"] else 0.0
        echo_cpu = 1000 * echo["cpu_seconds"] / echo["sent"] if echo["sent"] else 0.0
        echo_rss = echo["rss_after_mib"]
    return (
        f"{row.users:>8,} {coach['find_seconds']:>7.2f} {coach['fanout_seconds']:>7.1f} "
        f"{row.per_second:>7.0f} {_value(echo_rate, '.0f', 7)} "
        f"{_ratio(row.per_second, echo_rate)} {row.cpu_ms:>10.2f} "
        f"{_value(echo_cpu, '.2f', 6)} {_ratio(row.cpu_ms, echo_cpu)} "
        f"{coach['rss_before_mib']:>14.0f} {coach['rss_after_mib']:>6.0f} "
        f"{_value(echo_rss, '.0f', 5)} {_ratio(coach['rss_after_mib'], echo_rss)}  "
        f"{_delivery(row.delivery, row.users)}"
    )


def _checked_lines(figures: FanoutFigures) -> list[str]:
    if figures.checked is None:
        return []
    violations = "; ".join(figures.violations[:3]) or "none"
    return [
        f"correctness, against the spec-checking emulator: "
        f"{_delivery(figures.checked, figures.options.correctness)}; spec violations: "
        f"{violations}"
    ]


def _memory_lines(figures: FanoutFigures) -> list[str]:
    rows = {row.users: row for row in figures.rows}
    small, large = rows.get(figures.options.memory_baseline), rows.get(max(rows, default=0))
    if small is None or large is None or small is large:
        return []
    return [
        f"RSS with {large.users:,} users / with {small.users:,} (target at most 1.1): "
        f"before the fan-out {large.coach['rss_before_mib']:.0f} / "
        f"{small.coach['rss_before_mib']:.0f} MiB = "
        f"{large.coach['rss_before_mib'] / small.coach['rss_before_mib']:.2f}, after it "
        f"{large.coach['rss_after_mib']:.0f} / {small.coach['rss_after_mib']:.0f} MiB = "
        f"{large.coach['rss_after_mib'] / small.coach['rss_after_mib']:.2f}, peak "
        f"{large.coach['peak_rss_mib']:.0f} / {small.coach['peak_rss_mib']:.0f} MiB"
    ]


def _paced_lines(run: PacedRun) -> list[str]:
    whole = run.per_second[1:-1]
    spread = f"{min(whole)}-{max(whole)}" if whole else "n/a"
    paid = f", paid broadcasts ({run.paid_sends:,} sends marked paid)" if run.paid else ""
    cpu = ""
    if run.worker.get("cpu_seconds") and run.sent:
        cpu = f"; bot CPU {1000 * run.worker['cpu_seconds'] / run.sent:.2f} ms a message"
    return [
        f"paced, {run.name}, cap {run.rate}/s{paid}: {run.sent:,} sent in {run.seconds:.1f} s; "
        f"{run.rate_reached:.1f}/s over whole seconds ({100 * run.rate_reached / run.rate:.0f}% "
        f"of the cap), {spread} in any one of them, at most {run.busiest_second} in a "
        f"wall-clock second, at most {run.busiest_chat_second} in one chat; "
        f"{run.refusals} 429s{cpu}",
        f"  each user once: {_delivery(run.delivery, run.users)}; held (>= 95%, never above, "
        f"no 429): {'yes' if run.held else 'NO'}",
    ]


def _value(value: float, spec: str, width: int) -> str:
    return f"{value:>{width}{spec}}" if value else f"{'-':>{width}}"


def _ratio(mine: float, theirs: float) -> str:
    return f"{mine / theirs:>5.2f}x" if theirs else f"{'-':>6}"


def _delivery(delivery: Delivery, users: int) -> str:
    text = f"{delivery.once:,} of {users:,}"
    if not delivery.exact:
        text += (
            f" ({delivery.missed:,} missed, {delivery.repeated:,} more than once, "
            f"{delivery.strangers:,} to others)"
        )
    return text


def write_chart(figures: FanoutFigures, path: Path, before: Path | None = None) -> None:
    """The cost by size as a PNG: find time, CPU per message and RSS against users, for the
    coach, the echo baseline and (from `before`, a `--json` file of an earlier run) the coach
    before."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    baseline = figures.options.memory_baseline
    runs = {"coach": [asdict(row) for row in figures.rows if row.users != baseline]}
    if before is not None:
        earlier = json.loads(before.read_text())["rows"]
        runs["coach before"] = [row for row in earlier if row["users"] != baseline]
    figure, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    for axis, (title, read, with_echo) in zip(axes, _CHART_PANELS, strict=True):
        for label, rows in runs.items():
            style = "--" if "before" in label else "-"
            axis.plot(
                [r["users"] for r in rows],
                [read(r["coach"]) for r in rows],
                style,
                marker="o",
                label=label,
            )
        echo = [r for r in runs["coach"] if r["echo"] and with_echo]
        axis.plot(
            [r["users"] for r in echo],
            [read(r["echo"]) for r in echo],
            ":",
            marker="s",
            label="bare PTB (echo)",
        )
        axis.set_xscale("log")
        axis.set_xlabel("users due at once")
        axis.set_title(title, fontsize=10)
        axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    figure.suptitle(
        f"Fan-out cost by size, one tick with limits lifted ({datetime.now(UTC):%Y-%m-%d}, "
        f"load {figures.load_before})",
        fontsize=10,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _find_seconds(figures: dict[str, Any]) -> float:
    return float(figures.get("find_seconds", 0.0))


def _cpu_ms_per_message(figures: dict[str, Any]) -> float:
    sent = figures["sent"] if "sent" in figures else figures.get("outcomes", {}).get("sent", 0)
    return 1000 * float(figures["cpu_seconds"]) / sent if sent else 0.0


def _rss_after(figures: dict[str, Any]) -> float:
    return float(figures["rss_after_mib"])


_CHART_PANELS = (
    ("finding every due user (s)", _find_seconds, False),
    ("CPU per message (ms)", _cpu_ms_per_message, True),
    ("RSS after the tick (MiB)", _rss_after, True),
)


def parse_options(argv: Sequence[str] | None = None) -> FanoutOptions:
    """Command-line options; the defaults are the full-size run."""
    defaults = FanoutOptions()
    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__)
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in defaults.sizes),
        help="users due at once, comma-separated",
    )
    parser.add_argument("--memory-baseline", type=int, default=defaults.memory_baseline)
    parser.add_argument(
        "--correctness",
        type=int,
        default=defaults.correctness,
        help="users of the correctness run against the spec-checking emulator (0 skips it)",
    )
    parser.add_argument("--paced-seconds", type=float, default=defaults.paced_seconds)
    parser.add_argument("--paid-rate", type=int, default=defaults.paid_rate)
    parser.add_argument("--paid-seconds", type=float, default=defaults.paid_seconds)
    parser.add_argument("--echo-cap", type=int, default=defaults.echo_cap)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url", default=defaults.postgres_url)
    parser.add_argument("--code", type=Path, help="run the bot from this checkout")
    parser.add_argument("--chart", type=Path, help="write the cost by size here (PNG)")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument(
        "--before", type=Path, help="a --json file of an earlier run, drawn on the chart"
    )
    args = parser.parse_args(argv)
    try:
        sizes = tuple(int(size) for size in args.sizes.split(",") if size.strip())
    except ValueError:
        parser.error("--sizes must be numbers separated by commas")
    if any(size < 1 for size in sizes) or min(args.paced_seconds, args.paid_seconds) < 0:
        parser.error("sizes must be at least 1; the seconds cannot be negative")
    return FanoutOptions(
        sizes=sizes,
        memory_baseline=args.memory_baseline,
        correctness=args.correctness,
        paced_seconds=args.paced_seconds,
        paid_rate=args.paid_rate,
        paid_seconds=args.paid_seconds,
        echo_cap=args.echo_cap,
        database=args.database,
        postgres_url=args.postgres_url,
        code=args.code,
        chart=args.chart,
        json=args.json,
        before=args.before,
    )


def main(argv: Sequence[str] | None = None) -> FanoutFigures:
    """Run the benchmark, print its figures; exit non-zero when a user missed or got two."""
    options = parse_options(argv)
    figures = run_fanout(options)
    print(format_figures(figures), flush=True)
    if options.chart is not None:
        write_chart(figures, options.chart, options.before)
    if not figures.every_user_once:
        raise SystemExit("FAILED: not every user got exactly one message")
    return figures


def _progress(message: str) -> None:
    print(f"[fanout] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
