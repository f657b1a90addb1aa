"""one account per member per platform

Before this, verifying from a new account left the old one bound (one member had eight).
Existing duplicates keep the newest verification of each member on each platform; the
unique index then holds the rule. Also: identity.last_seen_at, and an index on the
verification attempts' time for the code-guessing alarm.

Revision ID: 36385613aa8d
Revises: cfce7fd77f12
Create Date: 2026-12-02 00:37:08.659948
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.columns

revision = "36385613aa8d"
down_revision = "cfce7fd77f12"
branch_labels = None
depends_on = None

# Every account of a member on a platform that has a newer one (a later verification, or
# the same moment and a higher id). Plain SQL both SQLite and PostgreSQL run.
_OLDER_DUPLICATES = sa.text(
    "DELETE FROM identity WHERE id IN ("
    " SELECT older.id FROM identity AS older JOIN identity AS newer"
    " ON newer.member_id = older.member_id AND newer.platform = older.platform"
    " WHERE newer.verified_at > older.verified_at"
    " OR (newer.verified_at = older.verified_at AND newer.id > older.id))"
)


def upgrade() -> None:
    op.get_bind().execute(_OLDER_DUPLICATES)
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_seen_at", storage.columns.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("uq_identity_member_platform", ["member_id", "platform"], unique=True)

    with op.batch_alter_table("verify_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verify_attempt_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("verify_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verify_attempt_at"))

    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.drop_index("uq_identity_member_platform")
        batch_op.drop_column("last_seen_at")
