"""What every group of queries shares: the engine, and the queue of the tick's writes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


class Queries:
    """The base of each aggregate's queries; `Store` combines them over one engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # SQLite has one writer at a time. The scheduled tick's many concurrent sends would
        # otherwise wait for it in SQLite's busy handler, which sleeps and polls: under load a
        # write can starve past the busy timeout ("database is locked"). They queue here.
        self._tick_writes = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @asynccontextmanager
    async def _tick_write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction of scheduled coaching; on SQLite, one at a time per process."""
        if self._tick_writes is None:
            async with self._engine.begin() as conn:
                yield conn
            return
        async with self._tick_writes, self._engine.begin() as conn:
            yield conn

    def _insert_once(self, table: sa.Table) -> postgresql.Insert | sqlite.Insert:
        """An insert in this database's dialect, for `on_conflict_do_nothing`."""
        if self._engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)


async def insert_row(conn: AsyncConnection, table: sa.Table, **values: Any) -> sa.Row[Any]:
    """Insert one row and return it as stored (with its id and server defaults)."""
    result = await conn.execute(table.insert().values(**values).returning(*table.c))
    return result.one()
