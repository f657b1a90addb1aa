"""Databases as the pre-release migration chain left them, and a comparable picture of a
schema (tables, columns, keys, indexes) as the database itself reports it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

CHAIN = Path(__file__).resolve().parent.parent / "fixtures" / "pre_release_migrations"


def pre_release_upgrade(connection: Connection, revision: str) -> None:
    """Run the frozen pre-release chain up to ``revision`` (or down, to "base")."""
    cfg = Config()
    cfg.set_main_option("script_location", str(CHAIN))
    cfg.attributes["connection"] = connection
    if revision == "base":
        command.downgrade(cfg, revision)
    else:
        command.upgrade(cfg, revision)


def schema_picture(connection: Connection) -> dict[str, Any]:
    """Everything about each table that a migration decides, in a comparable form."""
    inspector = inspect(connection)
    picture: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        picture[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in inspector.get_columns(table)
            ],
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    str(sorted((fk.get("options") or {}).items())),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
        }
    return picture
