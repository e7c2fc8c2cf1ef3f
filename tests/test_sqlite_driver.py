"""The SQLite driver: a small read runs on the event loop's thread, a write or a read over a
batch of chats in the connection's own thread, and a small read never waits for a writer."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from storage import Store
from storage.schema import users


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(f"sqlite:///{tmp_path}/driver.db")
    try:
        yield opened
    finally:
        await opened.close()


def threads_by_statement(store: Store) -> list[tuple[str, bool]]:
    """(the statement's first word, whether it ran on this thread), as the engine runs them."""
    seen: list[tuple[str, bool]] = []
    here = threading.get_ident()

    def trace(conn: Any, *_: Any) -> None:
        raw = conn.connection.driver_connection._conn  # the sqlite3 connection

        def traced(sql: str) -> None:
            seen.append((sql.split()[0].upper(), threading.get_ident() == here))

        raw.set_trace_callback(traced)

    event.listen(store.engine.sync_engine, "before_cursor_execute", trace)
    return seen


async def test_small_reads_stay_on_the_event_loops_thread_and_writes_leave_it(
    store: Store,
) -> None:
    await store.ensure_user(1, datetime.now(UTC))
    seen = threads_by_statement(store)
    async with store.engine.begin() as conn:
        await conn.execute(users.update().where(users.c.chat_id == 1).values(name="Ana"))
    async with store.engine.connect() as conn:
        await conn.execute(sa.select(users.c.name).where(users.c.chat_id == 1))
        many = list(range(100, 200))  # a batch of chats: more parameters than a reply's read
        await conn.execute(sa.select(users.c.name).where(users.c.chat_id.in_(many)))
    assert ("UPDATE", False) in seen
    assert ("SELECT", True) in seen
    assert seen[-1] == ("SELECT", False)


async def test_a_small_read_does_not_wait_for_a_writer(store: Store) -> None:
    await store.ensure_user(1, datetime.now(UTC))
    async with store.engine.begin() as conn:
        await conn.execute(users.update().where(users.c.chat_id == 1).values(name="Ana"))
    async with store.engine.connect() as writer:
        await writer.exec_driver_sql("BEGIN IMMEDIATE")
        await writer.execute(users.update().values(name="Ana Lopez"))
        started = time.monotonic()
        async with store.engine.connect() as reader:
            name = (await reader.execute(sa.select(users.c.name))).scalar_one()
        assert time.monotonic() - started < 1  # the busy timeout is 10 s
        assert name == "Ana"  # the last committed row; the writer's change is not visible
        await writer.rollback()
    await asyncio.sleep(0)
