"""Finding and claiming every due user, as the scheduled tick does it, without composing or sending.

Seeds users the way the fan-out benchmark does (`bench.seeding.seed`), then takes the due rows
batch after batch (`due_schedules`) and moves each batch's schedules on and claims its messages
in one transaction (`advance_and_claim_batch`), until nothing is due; and, for comparison, the
same with each batch's morning inputs read (`users_by_chat`, `morning_inputs`).

Run `python -m bench.find_and_claim --users 100000` (add `--database postgresql`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.fanout import DUE_AT, FIRST_CHAT, POSTGRES_URL, ZONES
from bench.seeding import UserGroup, fresh_database, seed
from bot.delivery.scheduler import BATCH_SIZE
from bot.usecases.morning import MORNING_CLAIM_KINDS
from storage import Store
from storage.store import MessageClaim, ScheduleMove


@dataclass(frozen=True)
class FindAndClaimFigures:
    """Seconds to find and claim every due user, with and without reading morning inputs."""

    users: int
    database: str
    claimed: int
    find_and_claim_seconds: float
    with_inputs_seconds: float
    find_and_claim_cpu_seconds: float
    with_inputs_cpu_seconds: float
    load: tuple[float, float, float]


async def find_and_claim(store: Store, *, read_inputs: bool) -> int:
    """Claim every morning due at DUE_AT, a batch at a time; how many were claimed."""
    claimed = 0
    while True:
        due = await store.due_schedules(DUE_AT, BATCH_SIZE)
        if read_inputs:
            users = await store.users_by_chat({item.chat_id for item in due})
            await store.morning_inputs(list(users.values()), MORNING_CLAIM_KINDS)
        batch: list[tuple[ScheduleMove, MessageClaim | None]] = [
            (
                ScheduleMove(item.chat_id, item.kind, item.next_at, DUE_AT.replace(year=2027)),
                MessageClaim(item.chat_id, item.kind, "2026-11-24"),
            )
            for item in due
        ]
        outcomes = await store.advance_and_claim_batch(batch, DUE_AT)
        claimed += outcomes.count("claimed")
        if len(due) < BATCH_SIZE:
            return claimed


async def run(users: int, database: str, postgres_url: str) -> FindAndClaimFigures:
    """Seed twice (a fresh database each), time both variants."""
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    claimed = 0
    for read_inputs in (False, True):
        async with fresh_database(database, postgres_url) as url:
            await seed(url, UserGroup(FIRST_CHAT, users, DUE_AT, DUE_AT, ZONES))
            store = await Store.open(url)
            try:
                started, cpu = time.perf_counter(), time.process_time()
                claimed = await find_and_claim(store, read_inputs=read_inputs)
                seconds.append(time.perf_counter() - started)
                cpu_seconds.append(time.process_time() - cpu)
            finally:
                await store.close()
    return FindAndClaimFigures(users, database, claimed, *seconds, *cpu_seconds, os.getloadavg())


def main(argv: Sequence[str] | None = None) -> FindAndClaimFigures:
    """Run and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.find_and_claim", description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args(argv)
    figures = asyncio.run(run(args.users, args.database, args.postgres_url))
    print(
        f"find and claim {figures.claimed:,} of {figures.users:,} due users ({figures.database}, "
        f"batches of {BATCH_SIZE:,}): {figures.find_and_claim_seconds:.2f} s "
        f"({figures.find_and_claim_cpu_seconds:.2f} s CPU); with each batch's morning inputs "
        f"read: {figures.with_inputs_seconds:.2f} s ({figures.with_inputs_cpu_seconds:.2f} s "
        "CPU); load average " + "/".join(f"{value:.1f}" for value in figures.load)
    )
    return figures


if __name__ == "__main__":
    main()
