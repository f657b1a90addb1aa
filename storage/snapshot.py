"""Reading many rows without holding up the event loop, for rebuilding in-memory indexes.

SQLite statements normally run inline on the loop (``storage/sqlite_inline.py``): right for
an update's few rows, wrong for 100,000 passages (seconds of loop time, and the session
would hold this process's write turn all along). A SQLite file is therefore read in a
worker thread over a connection of its own, in one read transaction (WAL: a consistent
snapshot that blocks no writer), fetching a chunk at a time so the loop's thread gets the
interpreter between chunks. PostgreSQL rows arrive through the pool in one REPEATABLE READ
transaction, streamed a chunk per await.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import make_url

from storage.db import Database

__all__ = ["read_snapshot"]

CHUNK_ROWS = 2_000


async def read_snapshot(
    db: Database, statements: Sequence[Select[Any]], *, chunk: int = CHUNK_ROWS
) -> list[list[tuple[Any, ...]]]:
    """Each statement's rows as plain tuples, all read in one consistent snapshot."""
    path = _sqlite_file(db)
    if path is not None:
        dialect = db.engine.dialect
        sql = [
            str(s.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            for s in statements
        ]
        return await asyncio.to_thread(_read_sqlite, path, sql, chunk)
    out: list[list[tuple[Any, ...]]] = []
    async with db.engine.connect() as conn:
        if db.is_postgres:
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            for stmt in statements:
                rows: list[tuple[Any, ...]] = []
                result = await conn.stream(stmt)
                async for part in result.partitions(chunk):
                    rows.extend(tuple(r) for r in part)
                out.append(rows)
    return out


def _sqlite_file(db: Database) -> str | None:
    if not db.is_sqlite:
        return None
    path = make_url(db.url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return None  # another connection would not see the same database
    return path


def _read_sqlite(path: str, statements: Sequence[str], chunk: int) -> list[list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout=30000")  # this thread may wait; the loop does not
        conn.execute("BEGIN")  # deferred: a read snapshot, no write lock
        out = []
        for sql in statements:
            cursor = conn.execute(sql)
            rows: list[tuple[Any, ...]] = []
            while part := cursor.fetchmany(chunk):
                rows.extend(part)
            out.append(rows)
        conn.execute("COMMIT")
        return out
    finally:
        conn.close()
