"""SQLite runs on the event loop's thread: waiting for another process's write lock must not
freeze the bot, and a transaction that gives up says why."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

import storage.sqlite_inline
from storage.arrivals import record_update
from storage.db import Database


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> Database:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await database.create_all()
    yield database  # type: ignore[misc]
    await database.dispose()


def _other_process_holding_the_lock(path: Path) -> sqlite3.Connection:
    """What `committee-bot members import` does while the bot runs: a long write."""
    cli = sqlite3.connect(path, isolation_level=None)
    cli.execute("BEGIN IMMEDIATE")
    cli.execute("INSERT INTO processed_update (platform, update_id, at) VALUES ('cli', 1, '')")
    return cli


async def test_waiting_for_another_process_keeps_the_bot_responsive(
    sqlite_db: Database, tmp_path: Path
) -> None:
    cli = _other_process_holding_the_lock(tmp_path / "bot.db")

    async def record() -> bool:
        async with sqlite_db.session() as session:
            return await record_update(session, platform="telegram", update_id=42)

    writer = asyncio.create_task(record())
    ticks = 0
    for _ in range(20):  # 0.4 s in which the loop must keep running other members' work
        await asyncio.sleep(0.02)
        ticks += 1
    assert not writer.done() and ticks == 20
    cli.execute("COMMIT")
    cli.close()
    assert await asyncio.wait_for(writer, 2) is True
    async with sqlite_db.session() as session:
        assert not await record_update(
            session, platform="telegram", update_id=42
        )  # stored exactly once
        assert not await record_update(
            session, platform="cli", update_id=1
        )  # and the other process's row


async def test_a_lock_held_too_long_fails_the_transaction_not_the_loop(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.sqlite_inline, "LOCK_WAIT_SECONDS", 0.2)
    cli = _other_process_holding_the_lock(tmp_path / "bot.db")
    try:
        with pytest.raises(OperationalError, match="locked"):
            async with sqlite_db.session() as session:
                await record_update(session, platform="telegram", update_id=7)
    finally:
        cli.execute("ROLLBACK")
        cli.close()
    async with sqlite_db.session() as session:  # the database is usable again at once
        assert await record_update(session, platform="telegram", update_id=7)
