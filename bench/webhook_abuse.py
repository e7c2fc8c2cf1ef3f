"""Peak memory of the bot in webhook mode while large requests without the secret arrive.

Starts `outreach-coach run` (as `python -m bot.cli run`) in webhook mode as a child process,
against the local Bot API emulator, on 127.0.0.1. Sends `--requests` concurrent POSTs of
`--megabytes` MB each without the secret header, then one real update with the secret, and
prints the bot process's resident memory before, its peak (VmHWM) after, what each abusive
request got back, and whether the real update was answered.

    python -m bench.webhook_abuse                      # this checkout
    python -m bench.webhook_abuse --source ../old      # another checkout's code, same test
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.processes import free_port
from bot.local.emulator import BotApiEmulator

CHAT = 5150
SECRET = "bench-secret_0123456789"
CHUNK = b"x" * (1024 * 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--requests", type=int, default=4)
    parser.add_argument("--megabytes", type=int, default=90)
    args = parser.parse_args()
    asyncio.run(run(args.source.resolve(), args.requests, args.megabytes))


async def run(source: Path, requests: int, megabytes: int) -> None:
    """Start the bot, send the abusive requests and a real one, print the figures."""
    async with BotApiEmulator() as emulator:
        port = free_port()
        with tempfile.TemporaryDirectory() as folder:
            bot = _start_bot(source, emulator, port, Path(folder))
            try:
                await _wait_until_listening(port, bot)
                await asyncio.sleep(1.0)  # let start-up allocations settle
                before = _memory_kib(bot.pid, "VmRSS")
                started = time.monotonic()
                outcomes = await asyncio.gather(
                    *(_abusive_post(port, megabytes) for _ in range(requests))
                )
                seconds = time.monotonic() - started
                peak = _memory_kib(bot.pid, "VmHWM")
                answered = await _real_update_is_answered(emulator, port)
            finally:
                bot.send_signal(signal.SIGTERM)
                try:
                    bot.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    bot.kill()
    print(f"source: {source}")
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{requests} concurrent POSTs of {megabytes} MB without the secret, in {seconds:.1f} s")
    for number, outcome in enumerate(outcomes, 1):
        print(f"  request {number}: {outcome}")
    print(f"bot RSS before: {before / 1024:.0f} MiB")
    print(f"bot peak RSS after: {peak / 1024:.0f} MiB (rise {(peak - before) / 1024:.0f} MiB)")
    print(f"a real update with the secret afterwards: {'answered' if answered else 'NOT answered'}")


def _start_bot(
    source: Path, emulator: BotApiEmulator, port: int, folder: Path
) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(source),
        "PYTHONDONTWRITEBYTECODE": "1",
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "WEBHOOK_URL": "https://coach.example/hook",
        "WEBHOOK_SECRET": SECRET,
        "PORT": str(port),
        "LISTEN": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=folder, env=environment)


async def _wait_until_listening(port: int, bot: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if bot.poll() is not None:
            raise RuntimeError(f"the bot exited with {bot.returncode} before listening")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise RuntimeError("the bot did not listen within 30 s")


async def _abusive_post(port: int, megabytes: int) -> str:
    """POST `megabytes` MB of junk without the secret; return the status line or the error."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {megabytes * len(CHUNK)}\r\n\r\n"
    )
    sent = 0
    try:
        writer.write(head.encode())
        for _ in range(megabytes):
            writer.write(CHUNK)
            await writer.drain()
            sent += 1
        status = (await asyncio.wait_for(reader.readline(), 60)).decode().strip()
        outcome = f"{status or 'connection closed'} after sending all {sent} MB"
    except (ConnectionError, TimeoutError) as error:
        outcome = f"cut off after {sent} of {megabytes} MB ({type(error).__name__})"
        with contextlib.suppress(ConnectionError, TimeoutError):
            status = (await asyncio.wait_for(reader.readline(), 5)).decode().strip()
            outcome += f", answered {status!r}" if status else ""
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    return outcome


async def _real_update_is_answered(emulator: BotApiEmulator, port: int) -> bool:
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": CHAT, "type": "private", "first_name": "Ana"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Ana"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://127.0.0.1:{port}/hook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
    if response.status_code != 200:
        return False
    for _ in range(100):
        if emulator.messages(CHAT):
            return True
        await asyncio.sleep(0.1)
    return False


def _memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


if __name__ == "__main__":
    main()
