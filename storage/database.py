"""Opening the database: the engine for a DATABASE_URL, SQLite pragmas, and migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def async_url(database_url: str) -> str:
    """Turn an operator's `sqlite:///` or `postgresql://` URL into the async driver's URL."""
    scheme, sep, rest = database_url.partition("://")
    if scheme == "sqlite":
        return f"sqlite+aiosqlite{sep}{rest}"
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+asyncpg{sep}{rest}"
    raise ValueError(f"unsupported database URL scheme: {scheme}")


def create_engine(database_url: str) -> AsyncEngine:
    """An async engine; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    `hide_parameters`: a database error's text (which reaches the logs) names the statement
    but never its values, which are users' names, notes and fears.
    """
    engine = create_async_engine(async_url(database_url), hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema up to the newest migration (safe to run at every start)."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade_to_head)


def _upgrade_to_head(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
