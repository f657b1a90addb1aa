"""Write a new alembic migration by comparing the models with a database at head.

Usage: .venv/bin/python scripts/new_migration.py "what changed"
Then set ``HEAD`` in storage/migrate.py to the new revision (tests/storage/test_schema.py
checks it).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage.migrate import alembic_config


def main() -> None:
    message = sys.argv[1] if len(sys.argv) > 1 else "schema change"
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/m.db")
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
            script = command.revision(alembic_config(conn), message=message, autogenerate=True)
    if script is not None and not isinstance(script, list):
        # The start-up check reads the version row against it, without importing alembic.
        print(f"now set HEAD = {script.revision!r} in storage/migrate.py")


if __name__ == "__main__":
    main()
