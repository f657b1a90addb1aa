"""Alembic, driven from code: ``committee-bot db upgrade`` and the start-up upgrade.

One baseline migration holds the first release's schema. Its revision id is the id the
pre-release chain ended at (``BASELINE`` below), so a database that chain brought to its
head is at the baseline, and alembic takes it on from there. A database one step short of
it (``BEFORE_ACCOUNT_RULE``: accounts not yet one per member per platform) gets that last
step here, dedupe included, and then the migrations after the baseline; a database further
back is refused with a message rather than half-migrated.

On SQLite the upgrade runs with foreign keys off (``Database.upgrade``): SQLite cannot
change a column's type, so a migration rebuilds the table, and dropping a table that
others refer to would otherwise fail.

Alembic is imported only when there is work: a database already at ``HEAD`` is recognised
by reading its version row, so a command line that opens the database starts quickly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.errors import ConfigError

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "BASELINE",
    "BEFORE_ACCOUNT_RULE",
    "HEAD",
    "SQUASHED",
    "alembic_config",
    "at_head",
    "current_revision",
    "upgrade_connection",
]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# The first release's schema (the squashed pre-release chain ends here).
BASELINE = "36385613aa8d"
# The newest revision in migrations/versions (a test checks it against alembic's own view).
HEAD = "9009006240ea"
# The pre-release revisions squashed into the baseline, oldest first.
SQUASHED = ("90ef1ff80631", "0825ad17f44f", "a989022bf90b", "f24618e6413a", "cfce7fd77f12")
BEFORE_ACCOUNT_RULE = "cfce7fd77f12"

# Every account of a member on a platform that has a newer one (a later verification, or
# the same moment and a higher id). Plain SQL both SQLite and PostgreSQL run.
_OLDER_DUPLICATES = text(
    "DELETE FROM identity WHERE id IN ("
    " SELECT older.id FROM identity AS older JOIN identity AS newer"
    " ON newer.member_id = older.member_id AND newer.platform = older.platform"
    " WHERE newer.verified_at > older.verified_at"
    " OR (newer.verified_at = older.verified_at AND newer.id > older.id))"
)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for an empty one."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def at_head(connection: Connection) -> bool:
    return current_revision(connection) == HEAD


def upgrade_connection(connection: Connection) -> None:
    revision = current_revision(connection)
    if revision == HEAD:
        return
    if revision == BEFORE_ACCOUNT_RULE:
        _one_account_per_member_per_platform(connection)  # now at the baseline
    elif revision in SQUASHED:
        raise ConfigError(
            f"the database is at revision {revision}, from before the first release; run"
            " `committee-bot db upgrade` with a checkout from before the migrations were"
            " squashed (commit 1f8ebb9) first"
        )
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


def _one_account_per_member_per_platform(connection: Connection) -> None:
    """The last pre-release step (to the baseline): verifying from a new account had left
    the old one bound (one member had eight). Duplicates keep the newest verification of each
    member on each platform; the unique index then holds the rule. Also
    identity.last_seen_at, and an index on the verification attempts' time."""
    import sqlalchemy as sa
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    import storage.columns

    op = Operations(MigrationContext.configure(connection))
    connection.execute(_OLDER_DUPLICATES)
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_seen_at", storage.columns.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("uq_identity_member_platform", ["member_id", "platform"], unique=True)
    with op.batch_alter_table("verify_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verify_attempt_at"), ["at"], unique=False)
    connection.execute(
        text("UPDATE alembic_version SET version_num = :baseline"), {"baseline": BASELINE}
    )
