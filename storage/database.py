"""Opening the database: the engine for a DATABASE_URL, SQLite pragmas, and migrations."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from storage.schema import processed_updates, users
from storage.sqlite_driver import DRIVER as SQLITE_DRIVER

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_MIGRATION_ATTEMPTS = 5
SQLITE_CACHE_KIB = 1024
"""Each pooled connection's page cache (SQLite's default is 2,000 KiB). The file's pages stay
in the kernel's cache as well, so a small cache costs a read call, not a disk read; the pool's
connections each keep one, and a larger cache only raised the memory a long-running bot keeps
after a large fan-out (docs/BENCHMARKS.md)."""
# The advisory lock replicas take turns on while migrating PostgreSQL (any fixed number).
MIGRATION_LOCK_KEY = 0x6F75_7472_6561_6368  # "outreach"


def async_url(database_url: str) -> str:
    """Turn an operator's `sqlite:///` or `postgresql://` URL into the async driver's URL."""
    scheme, sep, rest = database_url.partition("://")
    if scheme == "sqlite":
        return f"sqlite+{SQLITE_DRIVER}{sep}{rest}"
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+asyncpg{sep}{rest}"
    raise ValueError(f"unsupported database URL scheme: {scheme}")


def create_engine(database_url: str) -> AsyncEngine:
    """An async engine; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    `hide_parameters`: a database error's text (which reaches the logs) names the statement
    but never its values, which are users' names, notes and fears.
    """
    url = async_url(database_url)
    engine = create_async_engine(url, hide_parameters=True, connect_args=_connect_args(url))
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
    return engine


def _connect_args(async_url_or_driver: str) -> dict[str, Any]:
    # SQLite: small reads run on the event loop's thread, the rest in the connection's own
    # (storage/sqlite_driver.py), so a connection serves both threads.
    return {"check_same_thread": False} if async_url_or_driver.startswith("sqlite") else {}


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # The busy timeout first: switching a new file to WAL waits for another process's lock.
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten, not left readable in free pages (/delete means gone).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema up to the newest migration (safe to run at every start, and from
    several processes at once).

    The whole upgrade is one transaction taken under a lock, so a second process waits for
    the first and then finds the schema current, and a failed migration leaves nothing half
    done: on PostgreSQL an advisory lock held until the transaction ends; on SQLite the
    transaction begins with BEGIN IMMEDIATE, which takes the database's write lock (Python's
    sqlite3 would otherwise run DDL outside any transaction).
    """
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
            await connection.run_sync(_upgrade_to_head)
        return
    if engine.url.database in (None, "", ":memory:"):
        # A private in-memory database: no other process can see it.
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_to_head)
        return
    migrating = create_async_engine(
        engine.url,
        poolclass=NullPool,
        hide_parameters=True,
        connect_args=_connect_args(engine.url.drivername),
    )
    event.listen(migrating.sync_engine, "connect", _sqlite_for_migrations)
    event.listen(migrating.sync_engine, "begin", _begin_immediate)
    try:
        for attempt in range(1, SQLITE_MIGRATION_ATTEMPTS + 1):
            try:
                async with migrating.begin() as connection:
                    await connection.run_sync(_upgrade_to_head)
                return
            except OperationalError as error:
                # Turning a new file to WAL while another process does the same can be
                # refused at once, without the busy timeout; the transaction rolled back,
                # so trying again is safe.
                if "database is locked" not in str(error) or attempt == SQLITE_MIGRATION_ATTEMPTS:
                    raise
                await asyncio.sleep(0.2 * attempt)
    finally:
        await migrating.dispose()


def _sqlite_for_migrations(dbapi_connection: Any, record: Any) -> None:
    _configure_sqlite_connection(dbapi_connection, record)
    # Leave transactions to us (the "begin" listener), DDL included.
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _upgrade_to_head(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


@dataclass(frozen=True)
class ChatsHeld:
    """Whose data a database holds, as far as one chat needs to know."""

    others: bool  # rows of any chat other than the one asked about
    last_update_id: int  # the highest update id recorded as handled (0 for none)


async def chats_held(database_url: str, chat_ids: Collection[int]) -> ChatsHeld:
    """Read, without migrating or changing anything, whether the database holds chats other
    than `chat_ids`, and the last update id it handled (for the terminal chat's checks)."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(sa.inspect(sync).get_table_names()))
            others, last_update_id = False, 0
            for table in (users, processed_updates):
                if table.name not in tables:
                    continue
                other = sa.select(table.c.chat_id).where(table.c.chat_id.notin_(chat_ids)).limit(1)
                others = others or (await connection.execute(other)).first() is not None
            if processed_updates.name in tables:
                newest = sa.select(sa.func.max(processed_updates.c.update_id))
                last_update_id = (await connection.execute(newest)).scalar() or 0
    finally:
        await engine.dispose()
    return ChatsHeld(others=others, last_update_id=last_update_id)
