"""Upgrading a database where members had several accounts on one platform (before one
account per member per platform was enforced): the newest verification stays.

Such a database is at cfce7fd77f12, the revision before the rule in the pre-release chain
(squashed into the baseline since); storage.migrate brings it to the baseline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from bot.errors import ConfigError
from storage.db import Database
from storage.migrate import BEFORE_ACCOUNT_RULE, HEAD, current_revision
from storage.roster import Roster
from storage.tables import Member
from tests.storage.pre_release import pre_release_upgrade

BEFORE = BEFORE_ACCOUNT_RULE  # the revision before the rule


def _at(hour: int) -> datetime:
    return datetime(2026, 3, 1, hour, 0, tzinfo=UTC)


async def test_duplicates_keep_the_newest_account(empty_db: Database) -> None:
    async with empty_db.engine.begin() as conn:
        await conn.run_sync(pre_release_upgrade, BEFORE)
        for member_id, phone in ((1, "13800000001"), (2, "13800000002")):
            await conn.execute(
                text(
                    "INSERT INTO member (id, name, phone, sector, committee, title, roles, unit,"
                    " address, status, is_demo, created_at, updated_at) VALUES (:id, :name,"
                    " :phone, '', '', '', 'member', '', '', 'active', false, :at, :at)"
                ),
                {"id": member_id, "name": f"委员{member_id}", "phone": phone, "at": _at(0)},
            )
        accounts = [  # (id, member, platform, user, verified at hour)
            (1, 1, "telegram", 101, 3),
            (2, 1, "telegram", 102, 9),  # the newest telegram account of member 1
            (3, 1, "telegram", 103, 5),
            (4, 1, "console", 104, 1),  # another platform: kept
            (5, 2, "telegram", 201, 7),  # same moment: the higher id wins
            (6, 2, "telegram", 202, 7),
        ]
        for ident, member_id, platform, user_id, hour in accounts:
            await conn.execute(
                text(
                    "INSERT INTO identity (id, member_id, platform, user_id, chat_id,"
                    " display_name, verified_via, verified_at) VALUES (:id, :member, :platform,"
                    " :user, :user, '', 'phone', :at)"
                ),
                {
                    "id": ident,
                    "member": member_id,
                    "platform": platform,
                    "user": user_id,
                    "at": _at(hour).replace(tzinfo=None) if empty_db.is_sqlite else _at(hour),
                },
            )
    await empty_db.upgrade()
    async with empty_db.engine.connect() as conn:
        left = (await conn.execute(text("SELECT user_id FROM identity ORDER BY user_id"))).all()
    assert [row[0] for row in left] == ["102", "104", "202"]  # and text since (c900128295bd)
    async with empty_db.engine.connect() as conn:
        assert await conn.run_sync(current_revision) == HEAD
        changes = await conn.run_sync(
            lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": False}), SQLModel.metadata
            )
        )
    assert changes == []  # exactly the baseline's schema
    # and the rule now holds in the database itself
    with pytest.raises(IntegrityError):
        async with empty_db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO identity (member_id, platform, user_id, chat_id, display_name,"
                    " verified_via, verified_at) VALUES (1, 'telegram', '999', '999', '', 'phone',"
                    " :at)"
                ),
                {"at": _at(10).replace(tzinfo=None) if empty_db.is_sqlite else _at(10)},
            )


async def test_an_older_pre_release_database_is_refused(empty_db: Database) -> None:
    async with empty_db.engine.begin() as conn:
        await conn.run_sync(pre_release_upgrade, "f24618e6413a")
    with pytest.raises(ConfigError, match="f24618e6413a, from before the first release"):
        await empty_db.upgrade()
    async with empty_db.engine.connect() as conn:
        assert await conn.run_sync(current_revision) == "f24618e6413a"  # left as it was


async def test_binding_replaces_the_account_on_the_same_platform(db: Database) -> None:
    async with db.session() as session:
        roster = Roster(session)
        member = await roster.add(Member(name="甲", phone="13800000001"))
        await roster.bind(member, platform="telegram", user_id="1", chat_id="1", via="phone")
        await roster.bind(member, platform="console", user_id="2", chat_id="2", via="phone")
        await roster.bind(member, platform="telegram", user_id="3", chat_id="3", via="invite")
    async with db.session() as session:
        accounts = await Roster(session).accounts(member.id or 0)
        assert sorted((a.platform, a.user_id) for a in accounts) == [
            ("console", "2"),
            ("telegram", "3"),
        ]
        gone = await Roster(session).unbind(member.id or 0, platform="telegram")
        assert [a.user_id for a in gone] == ["3"]
    async with db.session() as session:
        assert [a.user_id for a in await Roster(session).accounts(member.id or 0)] == ["2"]
