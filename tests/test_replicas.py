"""Replicas that add up: two `outreach-coach run` processes on one PostgreSQL database, behind
one local address (SO_REUSEPORT), share the updates and the morning fan-out; each update is
handled once, each message sent once, and together they stay under one broadcast cap.

Also the shared cap's parts: the slots of a second in the store (SQLite and PostgreSQL), and
two limiters drawing on one store."""

from __future__ import annotations

import ast
import asyncio
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import tornado.httputil

from bench.processes import free_port
from bench.replicas import replica_environment, seed_due_users
from bot.coaching.domain import Tier
from bot.coaching.names import name_key
from bot.config import SettingsError, load_settings
from bot.delivery.ratelimit import (
    SLOT_USE_WINDOW,
    PacedRateLimiter,
    SharedBroadcastCap,
    answering_an_update,
)
from bot.local.emulator import BotApiEmulator
from bot.local.emulator.http import WaitingRequest
from storage import Store
from storage.replicas import LEASE
from storage.schedules import ScheduleMove
from storage.schema import broadcast_slots, interactions, processed_updates, sent_messages
from tests.harness import command_update
from tests.postgres import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[1]
SECRET = "replicas-secret"
CAP = 20  # BROADCAST_RATE for the run: low, so that the fan-out lasts a while and is shared
FAN_OUT_USERS = range(100_000, 100_400)
LOG_CHATS = range(200_000, 200_060)
LOGS_PER_CHAT = 3


class TimedEmulator(BotApiEmulator):
    """The emulator, noting the wall-clock time each send reached it (when its request was
    read, before the checks against the spec), by chat."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[tuple[float, int]] = []

    async def _answer(
        self,
        http_request: tornado.httputil.HTTPServerRequest,
        token: str,
        method: str,
        request: WaitingRequest,
    ) -> tuple[int, dict[str, Any]]:
        arrived = time.time()
        status, body = await super()._answer(http_request, token, method, request)
        if status == 200 and method.lower() in ("sendmessage", "sendphoto"):
            self.arrivals.append((arrived, int(body["result"]["chat"]["id"])))
        return status, body


async def _prepare(database_url: str) -> None:
    """Users whose morning message is due now (as the replicas bench seeds them), and chats
    with contacts to log."""
    await seed_due_users(database_url, FAN_OUT_USERS)
    now = datetime.now(UTC)
    store = await Store.open(database_url)

    async def logging_chat(chat: int) -> None:
        await store.ensure_user(chat, now)
        for index in range(LOGS_PER_CHAT):
            name = f"C{index}"
            await store.add_contact(
                chat, name=name, name_key=name_key(name), tier=Tier.FIRST, note=None, now=now
            )

    chats = [logging_chat(chat) for chat in LOG_CHATS]
    for start in range(0, len(chats), 20):
        await asyncio.gather(*chats[start : start + 20])
    await store.close()


@contextmanager
def _replicas(
    count: int, emulator: BotApiEmulator, database_url: str, port: int, logs: Path
) -> Iterator[list[Path]]:
    """`count` processes of `outreach-coach run` in webhook mode on one address; yields their
    log files and stops them with SIGTERM at the end."""
    # At DEBUG the webhook names each update it receives.
    env = replica_environment(
        emulator.base_url,
        emulator.token,
        database_url,
        port,
        SECRET,
        broadcast_rate=CAP,
        log_level="DEBUG",
    )
    paths = [logs / f"replica-{number}.log" for number in range(count)]
    processes = []
    try:
        for path in paths:
            with path.open("wb") as log:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "bot.cli", "run"],
                        cwd=ROOT,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=log,
                    )
                )
        yield paths
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


async def _wait_for(condition: Any, what: str, timeout: float = 60.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


def _log_text(path: Path) -> str:
    return path.read_text(errors="replace")


async def _post_logs(url: str) -> list[dict[str, object]]:
    """Each chat logs LOGS_PER_CHAT outreaches at once; one in five updates comes twice (as
    Telegram redelivers), and each request opens its own connection, so either replica may
    get any of them."""
    updates = [
        command_update(
            1_000_000 + chat_index * LOGS_PER_CHAT + index,
            chat,
            f"/reach C{index} via email - note {chat} {index}",
        )
        for chat_index, chat in enumerate(LOG_CHATS)
        for index in range(LOGS_PER_CHAT)
    ]
    again = updates[::5]
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        semaphore = asyncio.Semaphore(8)

        async def post(update: dict[str, object]) -> None:
            async with semaphore:
                response = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
                )
                assert response.status_code == 200

        await asyncio.gather(*(post(update) for update in [*updates, *again]))
    return updates


def _sent_by_tick(log: str) -> int:
    reports = re.findall(r"Scheduled coaching: (\{.*?\})", log)
    return sum(int(ast.literal_eval(report).get("sent", 0)) for report in reports)


def _updates_received(log: str) -> set[int]:
    return {int(number) for number in re.findall(r"Webhook: update (\d+) received", log)}


async def test_two_replicas_share_updates_and_the_fan_out_under_one_cap(tmp_path: Path) -> None:
    async with fresh_postgres_database() as database_url:
        await _prepare(database_url)
        port = free_port()
        async with TimedEmulator() as emulator:
            with _replicas(2, emulator, database_url, port, tmp_path) as logs:
                await _wait_for(
                    lambda: all("Webhook listening on" in _log_text(log) for log in logs),
                    "both replicas to listen",
                )
                updates = await _post_logs(f"http://127.0.0.1:{port}/hook")
                await _wait_for(
                    lambda: (
                        all(emulator.messages(chat) for chat in FAN_OUT_USERS)
                        and all(len(emulator.messages(c)) >= LOGS_PER_CHAT for c in LOG_CHATS)
                    ),
                    "every morning message and every reply",
                    timeout=90,
                )
                await _wait_for(
                    lambda: all("Scheduled coaching:" in _log_text(log) for log in logs),
                    "both replicas to finish their tick",
                )
                await asyncio.sleep(1)  # anything sent twice would arrive by now
            texts = [_log_text(log) for log in logs]
            mornings = {chat: emulator.messages(chat) for chat in FAN_OUT_USERS}
            replies = {chat: emulator.messages(chat) for chat in LOG_CHATS}
            arrivals = list(emulator.arrivals)
            assert emulator.violations == []

        store = await Store.open(database_url)
        async with store.engine.connect() as conn:
            notes = (await conn.execute(sa.select(interactions.c.note))).scalars().all()
            handled = (await conn.execute(sa.select(processed_updates.c.update_id))).scalars()
            statuses = Counter(
                (await conn.execute(sa.select(sent_messages.c.status))).scalars().all()
            )
        await store.close()

    # Every morning message sent once, nothing lost.
    assert {chat: len(messages) for chat, messages in mornings.items() if len(messages) != 1} == {}
    assert all("Good morning" in messages[0].text for messages in mornings.values())
    assert statuses == {"sent": len(FAN_OUT_USERS)}
    # Every update handled once: one reply each, each outreach stored once.
    assert {chat: len(got) for chat, got in replies.items() if len(got) != LOGS_PER_CHAT} == {}
    expected_notes = [f"note {chat} {index}" for chat in LOG_CHATS for index in range(3)]
    assert sorted(notes) == sorted(expected_notes)
    assert set(handled) == {int(str(update["update_id"])) for update in updates}
    # Both replicas did part of the work: updates, and morning messages.
    received = [_updates_received(text) for text in texts]
    assert all(received), f"updates per replica: {[len(r) for r in received]}"
    sent = [_sent_by_tick(text) for text in texts]
    assert sum(sent) == len(FAN_OUT_USERS), f"sent per replica: {sent}"
    assert all(sent), f"sent per replica: {sent}"
    # Together they never went over the cap in any wall-clock second (replies not counted).
    per_second = Counter(int(at) for at, chat in arrivals if chat in FAN_OUT_USERS)
    assert max(per_second.values()) <= CAP, sorted(per_second.items())


# -- the parts -------------------------------------------------------------------------------


async def test_a_second_grants_at_most_the_cap_in_pieces(store: Store) -> None:
    second = 1_795_000_000
    assert [await store.take_broadcast_slots(second, 7, 20) for _ in range(4)] == [7, 7, 6, 0]
    assert await store.take_broadcast_slots(second + 1, 7, 20) == 7
    # A replica whose clock lags asks for a second another has left behind: nothing.
    assert await store.take_broadcast_slots(second, 1, 20) == 0
    # A minute later the same row counts afresh.
    assert await store.take_broadcast_slots(second + 60, 30, 20) == 20
    assert await store.take_broadcast_slots(second + 60, 1, 20) == 0


async def test_concurrent_requests_share_one_second_exactly() -> None:
    async with fresh_postgres_database() as url:
        stores = [await Store.open(url) for _ in range(2)]
        try:
            granted = await asyncio.gather(
                *(stores[n % 2].take_broadcast_slots(1_795_000_000, 3, 50) for n in range(40))
            )
        finally:
            for store in stores:
                await store.close()
    assert sum(granted) == 50
    assert sorted(set(granted)) == [0, 2, 3]


class SteppedClock:
    """A wall clock that stays where a test puts it."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_two_limiters_on_one_store_take_the_cap_of_a_second_together(
    tmp_path: Path,
) -> None:
    store = await Store.open(f"sqlite:///{tmp_path / 'slots.db'}")
    wall = SteppedClock(1_795_000_000.1)
    limiters = [SharedBroadcastCap(store, 10, wall_clock=wall) for _ in range(2)]
    try:
        sends = [asyncio.create_task(limiters[n % 2].acquire()) for n in range(15)]
        done, waiting = await asyncio.wait(sends, timeout=2)
        assert (len(done), len(waiting)) == (10, 5)
        wall.now += 1  # the next second: the rest go
        done, waiting = await asyncio.wait(waiting, timeout=3)
        assert (len(done), len(waiting)) == (5, 0)
        # Late in a second no slot is used: a send then could arrive in the next one.
        wall.now = 1_795_000_010 + SLOT_USE_WINDOW + 0.01
        late = asyncio.create_task(limiters[0].acquire())
        done, _ = await asyncio.wait([late], timeout=0.1)
        assert done == set()
        wall.now = 1_795_000_011.0
        await asyncio.wait_for(late, 3)
    finally:
        await store.close()


def test_the_settings_for_replicas() -> None:
    base = {"TELEGRAM_BOT_TOKEN": "123456:" + "a" * 35}
    assert (load_settings(base).reuse_port, load_settings(base).broadcast_rate) == (False, 30)
    chosen = load_settings({**base, "REUSE_PORT": "on", "BROADCAST_RATE": "20"})
    assert (chosen.reuse_port, chosen.broadcast_rate) == (True, 20)
    for wrong in ({"REUSE_PORT": "yes"}, {"BROADCAST_RATE": "0"}, {"BROADCAST_RATE": "fast"}):
        with pytest.raises(SettingsError, match=next(iter(wrong))):
            load_settings({**base, **wrong})


async def test_due_schedules_are_leased_to_one_replica_at_a_time(store: Store) -> None:
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    for chat in range(1, 11):
        await store.ensure_user(chat, now)
        await store.set_schedule(chat, "morning", now - timedelta(minutes=chat))
    first = await store.take_due_schedules(now, 4)
    # The longest overdue first, each for the occurrence it was due at.
    assert [item.chat_id for item in first] == [10, 9, 8, 7]
    assert [item.occurrence_at or item.next_at for item in first] == [
        now - timedelta(minutes=chat) for chat in (10, 9, 8, 7)
    ]
    if not store.shared_by_replicas:  # SQLite: one process, nothing to lease
        assert [item.chat_id for item in await store.take_due_schedules(now, 4)] == [10, 9, 8, 7]
        return
    # Another replica gets the others; the leased rows are due again only if the lease ends.
    second = await store.take_due_schedules(now, 10)
    assert [item.chat_id for item in second] == [6, 5, 4, 3, 2, 1]
    assert await store.take_due_schedules(now, 10) == []
    assert all(item.next_at == now + LEASE for item in first + second)
    # Moving a leased row on is a compare-and-set on its lease.
    item = first[0]
    move = ScheduleMove(item.chat_id, "morning", item.next_at, now + timedelta(1))
    assert await store.move_schedules([move]) == {(item.chat_id, "morning")}
    again = await store.take_due_schedules(now + LEASE, 10)
    assert sorted(item.chat_id for item in again) == list(range(1, 10))
    assert {item.occurrence_at for item in again} == {
        now - timedelta(minutes=chat) for chat in range(1, 10)
    }


async def test_concurrent_replicas_lease_disjoint_batches() -> None:
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    async with fresh_postgres_database() as url:
        stores = [await Store.open(url) for _ in range(2)]
        try:
            for chat in range(1, 201):
                await stores[0].ensure_user(chat, now)
                await stores[0].set_schedule(chat, "morning", now - timedelta(seconds=chat))
            batches = await asyncio.gather(
                *(stores[n % 2].take_due_schedules(now, 15) for n in range(20))
            )
        finally:
            for store in stores:
                await store.close()
    taken = [item.chat_id for batch in batches for item in batch]
    assert sorted(taken) == list(range(1, 201))


async def test_with_a_shared_cap_only_broadcasts_take_slots(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite:///{tmp_path / 'slots.db'}")
    limiter = PacedRateLimiter(overall_per_second=5, chat_per_second=None)
    limiter.share_cap(store)

    async def send() -> dict[str, Any]:
        return {"ok": True}

    async def through(chat: int) -> object:
        return await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": chat}, None)

    async def used() -> int:
        async with store.engine.connect() as conn:
            total = await conn.execute(sa.select(sa.func.sum(broadcast_slots.c.used)))
            return int(total.scalar() or 0)

    try:
        with answering_an_update():  # replies to a user's own updates
            await asyncio.gather(*(through(chat) for chat in range(20)))
        assert await used() == 0
        await through(1)  # a scheduled message: a slot (two if a second ended on the way)
        assert await used() >= 1
    finally:
        await store.close()
