"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from storage.db import Database
from storage.roster import Roster
from storage.tables import Member


async def test_migrations_match_the_models(empty_db: Database) -> None:
    await empty_db.upgrade()
    await empty_db.upgrade()  # idempotent: a second start changes nothing

    def diff(conn):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        return compare_metadata(context, SQLModel.metadata)

    async with empty_db.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == [], "models changed without a migration: scripts/new_migration.py"


async def test_times_come_back_aware_utc(db: Database) -> None:
    shanghai_morning = datetime.fromisoformat("2026-03-02T09:00:00+08:00")
    async with db.session() as session:
        member = await Roster(session).add(Member(name="甲", phone="13800000001"))
        member.retired_at = shanghai_morning
        session.add(member)
    async with db.session() as session:
        again = await Roster(session).get(member.id or 0)
        assert again is not None and again.retired_at is not None
        assert again.retired_at.tzinfo is not None
        assert again.retired_at == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


async def test_naive_times_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"):
        async with db.session() as session:
            member = await Roster(session).add(Member(name="乙", phone="13800000002"))
            member.retired_at = datetime(2026, 3, 2, 9, 0)
            session.add(member)
            await session.flush()
