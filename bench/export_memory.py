"""Export memory benchmark: /export of a large account takes no more memory than a small one.

Each size runs in its own process: an account with `--contacts` contacts and N logs is written
to a fresh SQLite file, then `/export`'s use case builds both files and they are read back in
64 KiB pieces, as the upload streams them. Printed: the Python heap's peak while exporting
(tracemalloc), the process's peak RSS above what it held before, and the files' sizes.

Run `python -m bench.export_memory` (figures in docs/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bot.usecases.data import export_data
from bot.usecases.replies import Document
from storage import Store
from storage.schema import contacts, interactions

CHAT = 1
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
SIZES = (1_000, 20_000, 100_000)


async def _fill(store: Store, contact_count: int, log_count: int) -> None:
    await store.ensure_user(CHAT, NOW)
    people = [
        {"chat_id": CHAT, "name": f"Person {n}", "name_key": f"person {n}", "tier": "first"}
        | {"note": f"Met at the meetup number {n}, works on payments", "created_at": NOW}
        for n in range(contact_count)
    ]
    async with store.engine.begin() as conn:
        await conn.execute(contacts.insert(), people)
        ids = [row.id for row in await conn.execute(sa.select(contacts.c.id))]
        for start in range(0, log_count, 5_000):
            batch = [
                {"chat_id": CHAT, "contact_id": ids[n % len(ids)], "kind": "outreach"}
                | {"channel": "email", "note": "asked about the team", "at": NOW - timedelta(n)}
                for n in range(start, min(log_count, start + 5_000))
            ]
            await conn.execute(interactions.insert(), batch)


def _rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def _measure(folder: Path, contact_count: int, log_count: int) -> dict[str, float]:
    store = await Store.open(f"sqlite:///{folder / 'export.db'}")
    try:
        await _fill(store, contact_count, log_count)
        before = _rss_kib()
        tracemalloc.start()
        response = await export_data(store, CHAT, NOW)
        sizes = []
        for step in response.steps:
            assert isinstance(step, Document)
            data = step.data
            size = 0
            if isinstance(data, bytes):
                size = len(data)
            else:
                while piece := data.read(65_536):
                    size += len(piece)
                data.close()
            sizes.append(size)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        await store.close()
    return {
        "logs": log_count,
        "heap_peak_mib": peak / 2**20,
        "rss_rise_mib": (_rss_kib() - before) / 1024,
        "json_mib": sizes[0] / 2**20,
        "zip_mib": sizes[1] / 2**20,
    }


def main() -> None:
    """Measure each size in a fresh process and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--logs", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        with tempfile.TemporaryDirectory() as folder:
            figures = asyncio.run(_measure(Path(folder), args.contacts, args.one))
        print(json.dumps(figures))
        return
    print(f"/export of an account with {args.contacts:,} contacts")
    print(f"{'logs':>8} {'heap peak':>10} {'RSS rise':>9} {'JSON':>8} {'zip':>8}")
    for logs in args.logs:
        command = [sys.executable, "-m", "bench.export_memory", "--one", str(logs)]
        command += ["--contacts", str(args.contacts)]
        result = subprocess.run(command, capture_output=True, text=True, check=True, env=os.environ)
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{logs:>8,} {figures['heap_peak_mib']:>8.1f}MB {figures['rss_rise_mib']:>7.1f}MB"
            f" {figures['json_mib']:>6.1f}MB {figures['zip_mib']:>6.1f}MB"
        )


if __name__ == "__main__":
    main()
