"""PostgreSQL drops the bot's pooled connections (a server restart, a firewall's idle
timeout): the next update gets a working connection instead of an error."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import storage.db
from storage.arrivals import record_update
from storage.db import Database
from tests.conftest import PG_URL


async def _drop_connections_of(db: Database) -> None:
    async with db.session() as session:
        pid = (await session.exec(text("SELECT pg_backend_pid()"))).scalar_one()  # type: ignore[call-overload]
    admin = Database(PG_URL)
    try:
        async with admin.engine.begin() as conn:
            await conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
    finally:
        await admin.dispose()


async def test_a_connection_the_server_dropped_is_replaced_before_use(
    db: Database, db_kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db_kind != "postgres":
        pytest.skip("the PostgreSQL connection pool")
    await _drop_connections_of(db)
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE_SECONDS", 0.0)  # idle long enough
    async with db.session() as session:
        assert await record_update(session, platform="telegram", update_id=1)
    async with db.session() as session:
        assert not await record_update(session, platform="telegram", update_id=1)
