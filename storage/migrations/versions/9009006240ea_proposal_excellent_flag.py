"""proposal excellent flag

优秀提案 is a property of a proposal the secretariat sets (the duty record counts it for the
lead author and each co-signer); existing proposals are not excellent.

Revision ID: 9009006240ea
Revises: 16649109a808
Create Date: 2026-12-02 04:52:42.797574
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "9009006240ea"
down_revision = "16649109a808"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("excellent", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_column("excellent")
