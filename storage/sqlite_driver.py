"""SQLAlchemy's aiosqlite dialect with one trip to the connection's thread per statement.

aiosqlite runs each SQLite connection in a thread of its own; every call on it is a trip
there and back (a queue, a wake-up, and the answer handed back to the event loop).
SQLAlchemy's adapter makes four for a query (open a cursor, execute, fetch the rows, close
the cursor), one more to roll back each connection handed back to the pool, even when no
transaction is open, and two to switch a connection to autocommit and back. Here a
statement is one trip that executes it, fetches its rows and closes its cursor; a commit or
rollback with no transaction open (a no-op in SQLite's Python driver) is skipped; and a new
isolation level is set in the thread together with the next statement. The SQL, the
transactions and the results are the same.

A small read (a SELECT with at most INLINE_PARAMETERS parameters: one chat's, not a batch's)
skips the trip and runs on the event loop's thread: about 30 µs against 106 here, most of a
trip being the wake-ups at either end. In WAL mode a read never waits for a writer, so it
cannot hold the loop up; writes, and reads over a batch of chats (which may take
milliseconds, and run in parallel in the connection's thread), still make the trip.

Registered as `sqlite+aiosqlite_onetrip`; `storage.database.async_url` uses it.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any, cast

from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util.concurrency import await_

DRIVER = "aiosqlite_onetrip"

INLINE_PARAMETERS = 16
"""The most parameters a SELECT may have to run on the event loop's thread."""

_Outcome = tuple[Any, int, int | None, list[Any] | None]
# No new isolation level to set with the next statement.
_UNCHANGED: Any = object()


def _run(
    connection: sqlite3.Connection, isolation: Any, operation: str, parameters: Any, many: bool
) -> _Outcome:
    """In the connection's thread: set the isolation level asked for since the last trip,
    then execute, fetch every row and close the cursor."""
    if isolation is not _UNCHANGED:
        connection.isolation_level = isolation
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, () if parameters is None else parameters)
        rows = cursor.fetchall() if cursor.description else None
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


def _small_read(operation: str, parameters: Any, many: bool) -> bool:
    """Whether a statement is a read small enough to run on the event loop's thread."""
    if many or operation.lstrip()[:6].upper() != "SELECT":
        return False
    return parameters is None or len(parameters) <= INLINE_PARAMETERS


def _set_isolation(connection: sqlite3.Connection, isolation: Any) -> None:
    connection.isolation_level = isolation


class _OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor that holds the outcome of its statement (no driver cursor stays open)."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_dbapi_connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = {}  # type: ignore[assignment]
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            return await_(self._execute_async(operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        try:
            return await_(self._executemany_async(operation, seq_of_parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        return await self._trip(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        return await self._trip(operation, seq_of_parameters, many=True)

    async def _trip(self, operation: Any, parameters: Any, *, many: bool) -> None:
        adapted = cast(_OneTripConnection, self._adapt_connection)
        connection = self._connection
        async with adapted._execute_mutex:
            isolation = adapted.take_isolation_level()
            if _small_read(operation, parameters, many):
                outcome = _run(connection._conn, isolation, operation, parameters, many)
            else:
                outcome = await connection._execute(
                    _run, connection._conn, isolation, operation, parameters, many
                )
        self._description, self._rowcount, self._lastrowid, rows = outcome
        self._rows = collections.deque(rows or ())


class _OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """Cursors of one trip; commit and rollback only when a transaction is open; a new
    isolation level (autocommit or not) is set in the thread with the next statement."""

    __slots__ = ("_isolation",)
    _cursor_cls = _OneTripCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._isolation: Any = _UNCHANGED

    @property
    def isolation_level(self) -> str | None:
        if self._isolation is not _UNCHANGED:
            return self._isolation  # type: ignore[no-any-return]
        return self._connection.isolation_level  # type: ignore[no-any-return]

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._isolation = value

    def cursor(self, server_side: bool = False) -> Any:
        if server_side and self._isolation is not _UNCHANGED:
            # A streaming cursor makes its own trips: set the new level before it starts.
            isolation = self.take_isolation_level()
            await_(self._connection._execute(_set_isolation, self._connection._conn, isolation))
        return super().cursor(server_side)

    def take_isolation_level(self) -> Any:
        """The isolation level to set with the next statement (or _UNCHANGED), now taken."""
        isolation, self._isolation = self._isolation, _UNCHANGED
        return isolation

    def _in_transaction(self) -> bool:
        # Read without a trip, as aiosqlite's own `in_transaction` does: the thread is idle
        # between this connection's calls, which run one at a time.
        driver = self._connection._connection
        return driver is not None and driver.in_transaction

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()


class _OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> _OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return _OneTripConnection(self, adapted._connection)


class OneTripSQLiteDialect(SQLiteDialect_aiosqlite):
    """The aiosqlite dialect, one trip to the connection's thread per statement."""

    driver = DRIVER
    supports_statement_cache = True

    def set_isolation_level(self, dbapi_connection: Any, level: Any) -> None:
        """As the pysqlite dialect does, without its `PRAGMA read_uncommitted = 0` when going
        back to SQLite's default (SERIALIZABLE): nothing here ever reads uncommitted data, so
        that pragma only cost a trip each time an autocommit connection went back to the pool.
        """
        if level == "SERIALIZABLE":
            dbapi_connection.isolation_level = ""
            return
        super().set_isolation_level(dbapi_connection, level)

    @classmethod
    def import_dbapi(cls) -> _OneTripDBAPI:
        return _OneTripDBAPI(__import__("aiosqlite"), __import__("sqlite3"))


registry.register(f"sqlite.{DRIVER}", __name__, "OneTripSQLiteDialect")
