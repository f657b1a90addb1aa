"""A consistent copy of the SQLite database while the bot keeps writing to it.

Copying the file (and its -wal) while another process writes can catch a half-written
page or a WAL the copy does not match; SQLite's online backup API copies the pages of one
committed state. It runs in a single step: one read transaction, which in WAL mode blocks
no writer (done in several steps, a write by the bot between steps would restart the
copy, and a busy bot could keep restarting it forever). The copy is written beside the
target and renamed into place once its integrity check passes: a failed or interrupted
backup never leaves a half file under the target's name, nor replaces a good one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

__all__ = ["BackupError", "backup_sqlite", "sqlite_path"]


class BackupError(Exception):
    """The copy failed its integrity check (``reason`` holds SQLite's answer)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sqlite_path(database_url: str) -> Path | None:
    """The database file of a SQLite URL; None for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    return Path(url.database)


def backup_sqlite(source: Path, target: Path) -> int:
    """Copies ``source`` to ``target`` (replacing it); returns the copy's size in bytes."""
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(source, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # all pages in one step (see above)
                # The copy stands alone: one file, no -wal beside it.
                dst.execute("PRAGMA journal_mode=DELETE")
                answer = dst.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dst.close()
        finally:
            src.close()
        if answer != "ok":
            raise BackupError(str(answer))
        os.replace(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return target.stat().st_size
