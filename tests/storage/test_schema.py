"""The migrations build exactly the schema the models describe, on both databases; the
baseline builds what the pre-release chain built, and a database at its head keeps working."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

from storage.db import Database
from storage.migrate import BASELINE, HEAD, alembic_config, current_revision
from storage.roster import Roster
from storage.tables import Member
from tests.storage.pre_release import pre_release_upgrade, schema_picture


async def test_migrations_match_the_models(empty_db: Database) -> None:
    await empty_db.upgrade()
    await empty_db.upgrade()  # idempotent: a second start changes nothing

    def diff(conn):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        return compare_metadata(context, SQLModel.metadata)

    async with empty_db.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == [], "models changed without a migration: scripts/new_migration.py"


def test_head_is_the_newest_migration() -> None:
    # storage.migrate recognises a database at HEAD without importing alembic.
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_current_head() == HEAD, "set storage.migrate.HEAD to the new revision"


async def test_the_baseline_builds_what_the_pre_release_chain_built(empty_db: Database) -> None:
    async with empty_db.engine.begin() as conn:
        await conn.run_sync(pre_release_upgrade, BASELINE)
        chain = await conn.run_sync(schema_picture)
        assert ("uq_identity_member_platform", ("member_id", "platform"), True) in (
            chain["identity"]["indexes"]
        )
        await conn.run_sync(pre_release_upgrade, "base")
        await conn.execute(text("DROP TABLE alembic_version"))
    async with empty_db.engine.begin() as conn:
        await conn.run_sync(lambda c: command.upgrade(alembic_config(c), BASELINE))
    async with empty_db.engine.connect() as conn:
        assert await conn.run_sync(schema_picture) == chain


async def test_a_database_at_the_pre_release_head_keeps_working(empty_db: Database) -> None:
    async with empty_db.engine.begin() as conn:
        await conn.run_sync(pre_release_upgrade, BASELINE)
        await conn.execute(
            text(
                "INSERT INTO member (name, phone, sector, committee, title, roles, unit, address,"
                " status, is_demo, created_at, updated_at) VALUES ('甲', '13800000001', '', '',"
                " '', 'member', '', '', 'active', false, :at, :at)"
            ),
            {"at": _stored(empty_db, datetime(2026, 3, 1, tzinfo=UTC))},
        )
    await empty_db.upgrade()  # `db upgrade` and every start: the migrations since
    async with empty_db.engine.connect() as conn:
        assert await conn.run_sync(current_revision) == HEAD
    async with empty_db.session() as session:
        again = await Roster(session).by_phone("13800000001")
        assert again is not None and again.name == "甲"


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


def _stored(db: Database, when: datetime) -> datetime:
    """A time as plain SQL writes it: SQLite's column keeps no zone."""
    return when.replace(tzinfo=None) if db.is_sqlite else when
