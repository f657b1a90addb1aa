"""platform ids as text; a member's WeCom account from the roster

Account and chat ids become VARCHAR(64) (WeCom userids are names; Telegram's numbers keep
their decimal strings): identity.user_id/chat_id, invite.used_by_user_id,
verify_attempt.user_id, conversation.chat_id, outbox.chat_id, notice.status_chat_id.
Existing rows are converted in place (PostgreSQL: ``USING col::text``; SQLite: the batch
copy casts), keys and indexes stay as they were. member.wecom_userid (企业微信账号 on the
roster) is new, unique when given.

SQLite cannot change a column's type, so batch mode rebuilds those tables; notice is
referred to by notice_recipient, which is why ``Database.upgrade`` runs migrations with
SQLite's foreign keys off, and why they are checked here before the commit.

Revision ID: c900128295bd
Revises: 36385613aa8d
Create Date: 2026-12-02 03:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c900128295bd"
down_revision = "36385613aa8d"
branch_labels = None
depends_on = None

# (table, column, nullable) of every platform account or chat id.
PLATFORM_IDS = (
    ("identity", "user_id", False),
    ("identity", "chat_id", False),
    ("invite", "used_by_user_id", True),
    ("verify_attempt", "user_id", False),
    ("conversation", "chat_id", False),
    ("outbox", "chat_id", False),
    ("notice", "status_chat_id", True),
)


def _retype(to_text: bool) -> None:
    new, old = (sa.String(64), sa.BigInteger()) if to_text else (sa.BigInteger(), sa.String(64))
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in dict.fromkeys(t for t, _, _ in PLATFORM_IDS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for _, column, nullable in (p for p in PLATFORM_IDS if p[0] == table):
                using = f"{column}::text" if to_text else f"{column}::bigint"
                batch_op.alter_column(
                    column,
                    existing_type=old,
                    type_=new,
                    existing_nullable=nullable,
                    postgresql_using=using,  # ignored by SQLite, whose batch copy casts
                )
    if not postgres:
        broken = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the table rebuild: {broken[:5]}")


def upgrade() -> None:
    _retype(to_text=True)
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wecom_userid", sa.String(length=64), nullable=True))
        batch_op.create_index("uq_member_wecom_userid", ["wecom_userid"], unique=True)


def downgrade() -> None:
    # Only decimal ids fit the old columns: rows of WeCom accounts are removed first.
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index("uq_member_wecom_userid")
        batch_op.drop_column("wecom_userid")
    for table, column, nullable in PLATFORM_IDS:
        not_decimal = f"{column} !~ '^-?[0-9]+$'" if postgres else f"{column} GLOB '*[^0-9-]*'"
        if nullable:
            op.execute(f"UPDATE {table} SET {column} = NULL WHERE {not_decimal}")
        else:
            op.execute(f"DELETE FROM {table} WHERE {not_decimal}")
    _retype(to_text=False)
