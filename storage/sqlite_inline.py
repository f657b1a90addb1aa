"""SQLite for the async engine, called inline on the event loop's thread.

aiosqlite runs every call in a helper thread: each statement costs four round trips
between threads (cursor, execute, fetch, close), and a bot update of six statements spent
more time handing work over than SQLite spent on it. In WAL mode with
``synchronous=NORMAL`` a statement on the bot's small tables takes microseconds and a
commit does not wait for the disk, so running them where they are awaited is cheaper than
any hand-over.

The one call that can block for long is waiting for another process's write lock (the
CLI importing a roster while the bot runs). That wait happens only at ``BEGIN IMMEDIATE``
(every transaction takes the lock first, see :meth:`SQLiteInlineDialect.do_begin`), so
:func:`begin_immediate` waits there by sleeping on the event loop between short tries
instead of inside SQLite.
"""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import time
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any, cast

from sqlalchemy import pool
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.util.concurrency import await_only, in_greenlet

__all__ = ["DRIVER", "InlineConnection", "InlineCursor", "SQLiteInlineDialect", "begin_immediate"]

DRIVER = "sqlite+committee"
# Each try may block the loop this long inside SQLite before we sleep on the loop instead.
BUSY_TRY_MS = 20
# How long a transaction waits for another process's write lock before it fails.
LOCK_WAIT_SECONDS = 30.0
_BACKOFF = (0.002, 0.005, 0.01, 0.02, 0.05)


async def _nothing() -> None:
    return None


def _report_async() -> None:
    """SQLAlchemy's AsyncConnection checks that a statement awaited something (a guard
    against sync drivers); awaiting a coroutine that finishes at once satisfies it without
    a trip through the event loop."""
    if in_greenlet():
        await_only(_nothing())


class InlineCursor:
    """A ``sqlite3`` cursor that reads its rows at once, as the aiosqlite adapter does, and
    has the ``_async_soft_close`` hook that SQLAlchemy's async results call."""

    __slots__ = ("_cursor", "_rows", "arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._cursor = connection.cursor()
        self._rows: deque[Any] = deque()
        self.arraysize = 1
        self.description: Any = None
        self.lastrowid: int | None = None
        self.rowcount = -1

    def execute(self, operation: str, parameters: Any = None) -> None:
        _report_async()
        cursor = self._cursor
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        self.description = cursor.description
        self.lastrowid, self.rowcount = cursor.lastrowid, cursor.rowcount
        self._rows = deque(cursor.fetchall()) if cursor.description else deque()

    def executemany(self, operation: str, seq_of_parameters: Sequence[Any]) -> None:
        _report_async()
        self._cursor.executemany(operation, seq_of_parameters)
        self.description = None
        self.lastrowid, self.rowcount = self._cursor.lastrowid, self._cursor.rowcount

    def setinputsizes(self, *sizes: Any) -> None:
        pass

    def close(self) -> None:
        self._rows.clear()
        self._cursor.close()

    async def _async_soft_close(self) -> None:
        return

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        size = self.arraysize if size is None else size
        return [self._rows.popleft() for _ in range(min(size, len(self._rows)))]

    def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows


class InlineConnection:
    """Wraps a ``sqlite3`` connection so cursors are :class:`InlineCursor`; everything
    else (isolation level, create_function, commit) is the connection's own."""

    __slots__ = ("_conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        object.__setattr__(self, "_conn", conn)

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._conn, name, value)


class SQLiteInlineDialect(SQLiteDialect_pysqlite):
    """The standard pysqlite dialect, declared async so ``create_async_engine`` takes it."""

    driver = "committee"
    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool
        return pool.StaticPool

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        # pysqlite's connect gives a sqlite3.Connection (typed as the DB-API protocol).
        return InlineConnection(cast(sqlite3.Connection, super().connect(*cargs, **cparams)))

    def get_driver_connection(self, connection: Any) -> Any:
        return connection._conn if isinstance(connection, InlineConnection) else connection

    def do_begin(self, dbapi_connection: Any) -> None:
        """Every transaction takes SQLite's one write lock when it begins.

        With the default deferred BEGIN, a transaction that reads and then writes fails at
        once with "database is locked" when another connection committed in between: its
        snapshot is stale, so SQLite does not wait (busy_timeout cannot help). Under
        concurrent updates that lost updates. BEGIN IMMEDIATE waits its turn instead (on the
        event loop, see begin_immediate); WAL still lets the reads of other processes (the
        CLI) run alongside. Done here rather than in a "begin" event: an engine with event
        listeners pays for dispatching them on every statement.
        """
        begin_immediate(dbapi_connection.driver_connection, timeout=LOCK_WAIT_SECONDS)


def begin_immediate(raw: sqlite3.Connection, *, timeout: float) -> None:
    """``BEGIN IMMEDIATE``, waiting up to ``timeout`` seconds for another process's lock
    without holding up the other tasks of this one."""
    # Straight to the driver: this runs before every transaction, and SQLAlchemy's
    # statement machinery cost several times what SQLite needs for it.
    deadline = time.monotonic() + timeout
    for attempt in itertools.count():
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            locked = "locked" in str(exc) or "busy" in str(exc)
            if not locked or time.monotonic() >= deadline:
                raise
        await_only(asyncio.sleep(_BACKOFF[min(attempt, len(_BACKOFF) - 1)]))
