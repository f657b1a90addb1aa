"""Upgrading a first-release database (integer Telegram ids) to text ids (c900128295bd):
every row is still there, its ids now the decimal strings, and the bot finds its members.

On SQLite the tables are rebuilt, notice among them, which notice_recipient refers to: its
rows must survive too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.migrate import BASELINE, HEAD, alembic_config, current_revision
from storage.roster import Roster

AT = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
TELEGRAM_USER = 5_000_000_001  # beyond 32 bits, as real Telegram ids are
GROUP_CHAT = -1_001_234_567_890

# (table, column) → the integer the first release stored there.
OLD_IDS = {
    ("identity", "user_id"): TELEGRAM_USER,
    ("identity", "chat_id"): TELEGRAM_USER,
    ("invite", "used_by_user_id"): TELEGRAM_USER,
    ("verify_attempt", "user_id"): 77,
    ("conversation", "chat_id"): TELEGRAM_USER,
    ("outbox", "chat_id"): GROUP_CHAT,
    ("notice", "status_chat_id"): GROUP_CHAT,
}

_ROWS = [
    "INSERT INTO member (id, name, phone, sector, committee, title, roles, unit, address,"
    " status, is_demo, created_at, updated_at) VALUES (1, '李秀梅', '13800000001', '', '', '',"
    " 'member,secretariat', '', '', 'active', false, :at, :at)",
    "INSERT INTO identity (member_id, platform, user_id, chat_id, display_name,"
    " verified_via, verified_at, last_seen_at) VALUES (1, 'telegram', :user, :user, '李',"
    " 'phone', :at, :at)",
    "INSERT INTO invite (code, member_id, created_by, created_at, expires_at, used_at,"
    " used_by_user_id) VALUES ('ABCD2345', 1, 'cli', :at, :at, :at, :user)",
    "INSERT INTO verify_attempt (platform, user_id, at, detail) VALUES ('telegram', 77, :at,"
    " 'code')",
    "INSERT INTO conversation (member_id, chat_id, flow, step, data, history, rev, status,"
    " created_at, updated_at) VALUES (1, :user, 'proposal', 'title', '{\"title\": \"草稿\"}',"
    " '[]', 3, 'active', :at, :at)",
    "INSERT INTO notice (id, kind, title, starts_at, place, agenda, mode, reply_deadline,"
    " audience, status, revision, correction_note, cancel_reason, created_by, created_at,"
    " status_platform, status_chat_id, status_message_id) VALUES (1, 'plenary', '全体会议',"
    " :at, '', '', 'rsvp', :at, '{}', 'sent', 0, '', '', 'cli', :at, 'telegram', :group, 42)",
    "INSERT INTO notice_recipient (notice_id, member_id, delivery_state) VALUES (1, 1, 'sent')",
    "INSERT INTO outbox (member_id, platform, chat_id, payload, kind, ref, state, attempts,"
    " next_attempt_at, created_at, dedupe_key) VALUES (1, 'telegram', :group, '{}', 'notice',"
    " 'notice:1', 'pending', 0, :at, :at, 'notice:1:member:1')",
]


async def _first_release_database(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda c: command.upgrade(alembic_config(c), BASELINE))
        params: dict[str, Any] = {
            "at": AT.replace(tzinfo=None) if db.is_sqlite else AT,
            "user": TELEGRAM_USER,
            "group": GROUP_CHAT,
        }
        for statement in _ROWS:
            await conn.execute(text(statement), params)


async def test_integer_ids_become_their_decimal_strings(empty_db: Database) -> None:
    await _first_release_database(empty_db)
    await empty_db.upgrade()
    async with empty_db.engine.connect() as conn:
        assert await conn.run_sync(current_revision) == HEAD
        for (table, column), old in OLD_IDS.items():
            values = (await conn.execute(text(f"SELECT {column} FROM {table}"))).scalars().all()
            assert values == [str(old)], (table, column)
            if empty_db.is_sqlite:  # stored as text, not a number under a new name
                kinds = await conn.execute(text(f"SELECT typeof({column}) FROM {table}"))
                assert kinds.scalars().all() == ["text"], (table, column)
        columns = await conn.run_sync(
            lambda c: {col["name"]: col for col in inspect(c).get_columns("identity")}
        )
        assert "VARCHAR(64)" in str(columns["user_id"]["type"]).upper()
        recipients = (await conn.execute(text("SELECT member_id FROM notice_recipient"))).all()
        assert [r[0] for r in recipients] == [1]
        draft = (await conn.execute(text("SELECT data FROM conversation"))).scalar_one()
        assert "草稿" in str(draft)
    async with empty_db.session() as session:
        identity = await Roster(session).identity("telegram", str(TELEGRAM_USER))
        assert identity is not None and identity.member_id == 1
        assert (
            await Roster(session).failed_attempts_since("telegram", "77", AT - timedelta(hours=1))
            == 1
        )


async def test_keys_still_hold_after_the_upgrade(empty_db: Database) -> None:
    await _first_release_database(empty_db)
    await empty_db.upgrade()
    same_account = (
        "INSERT INTO identity (member_id, platform, user_id, chat_id, display_name,"
        " verified_via, verified_at) VALUES (1, 'telegram', :user, :user, '', 'phone', :at)"
    )
    at = AT.replace(tzinfo=None) if empty_db.is_sqlite else AT
    with pytest.raises(IntegrityError):
        async with empty_db.engine.begin() as conn:
            await conn.execute(text(same_account), {"user": str(TELEGRAM_USER), "at": at})
    if empty_db.is_sqlite:  # the upgrade switched foreign keys off only while it ran
        with pytest.raises(IntegrityError):
            async with empty_db.engine.begin() as conn:
                await conn.execute(
                    text(
                        "INSERT INTO notice_recipient (notice_id, member_id, delivery_state)"
                        " VALUES (999, 1, 'sent')"
                    )
                )


async def test_a_wecom_account_fits(empty_db: Database) -> None:
    await _first_release_database(empty_db)
    await empty_db.upgrade()
    async with empty_db.session() as session:
        roster = Roster(session)
        member = await roster.get(1)
        assert member is not None
        member.wecom_userid = "ZhangSan01"
        userid = "z" * 64  # the longest a WeCom userid may be
        await roster.bind(member, platform="wecom", user_id=userid, chat_id=userid, via="roster")
    async with empty_db.session() as session:
        accounts = await Roster(session).accounts(1)
        assert sorted(a.platform for a in accounts) == ["telegram", "wecom"]
        assert (await Roster(session).identity("wecom", "z" * 64)) is not None
