"""Database connection: async engine and sessions over SQLite (WAL) or PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import registry
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

import storage.tables  # noqa: F401  (registers every table on the metadata)
from storage.sqlite_inline import BUSY_TRY_MS, DRIVER

registry.register(DRIVER.replace("+", "."), "storage.sqlite_inline", "SQLiteInlineDialect")

__all__ = ["Database"]


class Database:
    """Owns the engine. ``session()`` yields a session that commits on success."""

    def __init__(self, url: str, *, schema: str | None = None, echo: bool = False) -> None:
        self.url = url
        kwargs: dict[str, Any] = {"echo": echo}
        engine_url: Any = url
        if self.is_sqlite:
            _ensure_parent(url)
            # Whatever driver the URL names, SQLite runs inline (storage/sqlite_inline.py).
            engine_url = make_url(url).set(drivername=DRIVER)
            kwargs["connect_args"] = {"timeout": BUSY_TRY_MS / 1000, "check_same_thread": False}
        else:
            kwargs["pool_size"] = 10
            if schema:
                kwargs["connect_args"] = {"server_settings": {"search_path": schema}}
        self.engine: AsyncEngine = create_async_engine(engine_url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            event.listen(self.engine.sync_engine, "checkin", _note_idle_since)
            event.listen(self.engine.sync_engine, "checkout", _ping_if_idle)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        # SQLite has one write lock and every transaction takes it (the dialect's do_begin). A
        # transaction that awaits something mid-way keeps it; tasks of this process queue
        # here and get the turn the moment it ends, instead of retrying BEGIN IMMEDIATE with
        # back-off. Other processes (the CLI) still meet at SQLite's lock.
        self._write_turn = asyncio.Lock()
        self._has_turn: ContextVar[bool] = ContextVar(f"db-turn-{id(self)}", default=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgresql")

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        session = self._sessions()
        closed = False
        try:
            async with self._turn():
                try:
                    yield session
                    # Commit and close in one trip into SQLAlchemy's greenlet: every update
                    # ends here, and commit() then the session's own close cost a second
                    # trip and a task of its own.
                    await session.run_sync(_commit_and_close)
                    closed = True
                except BaseException:
                    await session.rollback()
                    raise
        finally:
            if not closed:  # shielded: a cancelled caller still returns the connection
                await asyncio.shield(session.close())

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        # A session opened inside another one (same task or a task it started) must not
        # wait for the turn its parent holds; it meets SQLite's lock as before.
        if not self.is_sqlite or self._has_turn.get():
            yield
            return
        async with self._write_turn:
            token = self._has_turn.set(True)
            try:
                yield
            finally:
                self._has_turn.reset(token)

    async def create_all(self) -> None:
        """Tests only: build the schema from the models (migrations are checked separately)."""
        async with self.engine.begin() as conn:
            await conn.run_sync(SQLModel.metadata.create_all)

    async def upgrade(self) -> None:
        """Run alembic migrations to head."""
        from storage.migrate import upgrade_connection

        if not self.is_sqlite:
            async with self.engine.begin() as conn:
                await conn.run_sync(upgrade_connection)
            return
        async with self.engine.connect() as conn:
            # A migration may rebuild a table others refer to (SQLite cannot change a
            # column's type). The switch works only outside a transaction, so it is made on
            # the driver before this one begins; the migration checks the keys itself.
            raw = (await conn.get_raw_connection()).driver_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                await conn.run_sync(upgrade_connection)
                await conn.commit()
            finally:
                await conn.rollback()
                raw.execute("PRAGMA foreign_keys=ON")

    async def dispose(self) -> None:
        await self.engine.dispose()


# A pooled PostgreSQL connection that sat idle this long is pinged before it is used, so a
# server restart or a connection dropped by a firewall is found then (and the pool connects
# anew) rather than in the middle of an update. One in steady use is not: pool_pre_ping
# pinged on every checkout, three round trips with asyncpg (BEGIN, ";", ROLLBACK) for each
# update.
PING_AFTER_IDLE_SECONDS = 10.0


def _note_idle_since(_dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dbapi_conn.ping()
    except Exception as exc:
        # The pool drops this connection and checks out (or opens) another.
        raise DisconnectionError(f"pooled connection is gone: {exc}") from exc


def _commit_and_close(session: Session) -> None:
    session.commit()
    session.close()


def _ensure_parent(url: str) -> None:
    path = url.split(":///", 1)[-1]
    if path and path != ":memory:" and not path.startswith("file:"):
        Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_conn.cursor()
    # WAL lets readers run while a writer commits; a short busy_timeout because the long
    # wait for another process happens on the event loop (begin_immediate).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TRY_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # The driver's own transaction handling is off; the dialect's do_begin starts each one.
    dbapi_conn.isolation_level = None
