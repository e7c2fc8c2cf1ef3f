"""Two replicas starting at once on an empty database both come up, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from storage import Store
from tests.postgres import fresh_postgres_database

ROUNDS = 3
# Each process opens the store (which migrates) at the same wall-clock moment.
REPLICA = """
import asyncio, sys, time
from storage import Store

async def main(url: str, start_at: float) -> None:
    await asyncio.sleep(max(0.0, start_at - time.time()))
    store = await Store.open(url)
    await store.close()

asyncio.run(main(sys.argv[1], float(sys.argv[2])))
"""


async def _start_two_replicas(database_url: str) -> list[tuple[int | None, str]]:
    start_at = time.time() + 2.0  # after both have imported the bot
    replicas = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            REPLICA,
            database_url,
            str(start_at),
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outcomes = []
    for replica in replicas:
        _, stderr = await asyncio.wait_for(replica.communicate(), 60)
        outcomes.append((replica.returncode, stderr.decode()[-1500:]))
    return outcomes


async def _schema_is_current(database_url: str) -> None:
    store = await Store.open(database_url)  # migrates nothing more when it is current
    try:
        async with store.engine.connect() as connection:
            versions = (await connection.execute(sa.text("SELECT * FROM alembic_version"))).all()
            tables = await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names())
    finally:
        await store.close()
    assert len(versions) == 1
    assert {"users", "contacts", "fears", "processed_updates"} <= set(tables)


async def test_two_replicas_start_together_on_a_new_sqlite_file(tmp_path: Path) -> None:
    for round_number in range(ROUNDS):
        url = f"sqlite:///{tmp_path / f'round{round_number}.db'}"
        for returncode, stderr in await _start_two_replicas(url):
            assert returncode == 0, stderr
        await _schema_is_current(url)


async def test_two_replicas_start_together_on_a_new_postgres_database() -> None:
    for _ in range(ROUNDS):
        async with fresh_postgres_database() as url:
            for returncode, stderr in await _start_two_replicas(url):
                assert returncode == 0, stderr
            await _schema_is_current(url)
