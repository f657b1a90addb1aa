"""A deployment-wide lock: only one process runs the scheduler (APScheduler 3 cannot share
a job store between processes, and two schedulers would race for the same reminders).

PostgreSQL: a session-level advisory lock held on a dedicated autocommit connection for as
long as the process holds it; the server frees it if the process dies, so a crash never
leaves the deployment without a scheduler after restart. SQLite: an exclusive ``flock`` on
a file beside the database (SQLite deployments are one host by nature).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database

__all__ = ["DeploymentLock", "lock_key", "serialize_writes"]


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` derived from a name."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def serialize_writes(session: AsyncSession, name: str) -> None:
    """Makes concurrent transactions that write ``name`` take turns until they commit.

    PostgreSQL: a transaction-level advisory lock, so two processes that both find a row
    missing do not both insert it (check again after this call). SQLite needs nothing:
    every write transaction already begins IMMEDIATE, which serialises writers.
    """
    if session.bind.dialect.name == "postgresql":
        await session.exec(  # type: ignore[call-overload]
            text("SELECT pg_advisory_xact_lock(:k)"), params={"k": lock_key(name)}
        )


class DeploymentLock:
    def __init__(self, db: Database, *, name: str = "committee-bot:scheduler") -> None:
        self.db = db
        self.name = name
        self._conn: AsyncConnection | None = None
        self._file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._file is not None

    async def acquire(self) -> bool:
        """True if this process now holds the lock (idempotent); False if another does."""
        if self.held:
            return True
        if self.db.is_postgres:
            conn = await self.db.engine.connect()
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            got = (
                await conn.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_key(self.name)}
                )
            ).scalar()
            if not got:
                await conn.close()
                return False
            self._conn = conn
            return True
        path = self._sqlite_lock_path()
        fh = path.open("ab")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        self._file = fh
        return True

    async def release(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.execute(
                    text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(self.name)}
                )
            finally:
                await self._conn.close()
                self._conn = None
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def _sqlite_lock_path(self) -> Path:
        target = self.db.url.split(":///", 1)[-1]
        if not target or target == ":memory:" or target.startswith("file:"):
            # in-memory databases live in one process: lock per process id
            return Path(os.environ.get("TMPDIR", "/tmp")) / f"committee-bot-{os.getpid()}.lock"
        return Path(target + ".scheduler.lock")
