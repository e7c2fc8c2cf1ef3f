"""The processes of a benchmark: the Bot API server with its control endpoint, the bot under
test, and what the driver reads of them (CPU time and memory from /proc)."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
REPOSITORY = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class ApiServer:
    """A running `bench.botapi` process: where the bot talks to it and where the driver
    controls it."""

    process: subprocess.Popen[str]
    api_url: str
    control_url: str
    token: str

    def inject(self, messages: Sequence[tuple[int, str]]) -> list[int]:
        """Queue text messages for the bot, all at one instant; their update ids."""
        answer = self._call("inject", {"messages": [list(message) for message in messages]})
        return [int(update_id) for update_id in answer["update_ids"]]

    def cpu_seconds(self) -> float:
        """The server process's CPU time so far."""
        return cpu_seconds(self.process.pid)

    def status(self) -> dict[str, Any]:
        """The polls waiting and the calls made so far."""
        return self._call("status")

    def report(self, *, texts: bool = True) -> dict[str, Any]:
        """What the bot sent since the last reset (see `bench.botapi`)."""
        return self._call("report" if texts else "report?texts=0")

    def reset(self) -> None:
        """Forget the sends, injections and counts."""
        self._call("reset", {})

    def wait_for_poll(self, timeout: float = 60.0) -> None:
        """Wait until the bot is long-polling (it has started and handled nothing yet)."""
        deadline = time.monotonic() + timeout
        while self.status()["waiting_polls"] < 1:
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not start polling")
            time.sleep(0.05)

    def _call(self, action: str, body: object | None = None) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.control_url}/{action}", data=data)
        with urllib.request.urlopen(request, timeout=120) as answer:
            return dict(json.loads(answer.read()))


@contextlib.contextmanager
def api_server(kind: str = "sink", *, flood_control: bool = False) -> Iterator[ApiServer]:
    """Start `python -m bench.botapi` (the sink or the emulator) in its own process."""
    command = [sys.executable, "-m", "bench.botapi", "--server", kind]
    if flood_control:
        command.append("--flood-control")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPOSITORY)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"bench.botapi ({kind}) exited before it started")
        addresses = json.loads(line)
        yield ApiServer(process, addresses["api"], addresses["control"], addresses["token"])
    finally:
        stop(process)


@dataclass(frozen=True)
class BotProcess:
    """The bot under test, in its own process: what it uses of the machine."""

    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        """Its process id."""
        return self.process.pid

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the process so far (all its threads)."""
        return cpu_seconds(self.pid)

    def rss_mib(self) -> float:
        """Resident memory now, in MiB."""
        return _status_mib(self.pid, "VmRSS")

    def peak_rss_mib(self) -> float:
        """The highest resident memory so far, in MiB."""
        return _status_mib(self.pid, "VmHWM")

    def check_running(self) -> None:
        """Raise when the process has exited."""
        if self.process.poll() is not None:
            raise RuntimeError(f"the bot exited with status {self.process.returncode}")


@contextlib.contextmanager
def bot_process(
    command: Sequence[str], environ: Mapping[str, str], *, code: Path | None = None
) -> Iterator[BotProcess]:
    """Start the bot; with `code`, its `bot`, `handlers` and `storage` packages come from that
    checkout (PYTHONPATH), not from this one."""
    env = {**os.environ, **environ, "PTB_TIMEDELTA": "1"}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    process = subprocess.Popen(list(command), env=env, cwd=code or REPOSITORY)
    try:
        yield BotProcess(process)
    finally:
        stop(process)


def stop(process: subprocess.Popen[Any]) -> None:
    """SIGTERM, then SIGKILL after 10 s; close its pipes."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process `pid` so far (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _status_mib(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return 0.0


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


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return "/".join(f"{value:.2f}" for value in os.getloadavg())
