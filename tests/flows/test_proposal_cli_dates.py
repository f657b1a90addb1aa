"""``committee-bot proposals assign`` and ``proposals overdue`` give deadlines as the
committee's calendar day (Asia/Shanghai), not the UTC date, which lags a day behind from
local midnight until 08:00."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Connection

from bot.app import build_app
from bot.settings import Settings
from storage.db import Database
from storage.migrate import alembic_config
from tests.support.chat import add_member
from tests.web.support import office_of, submitted

SUBMITTED = datetime(2026, 1, 5, 2, tzinfo=UTC)
# 20:00 UTC on 6 February is 04:00 on 7 February in Beijing: the clerk's deadline day is the 7th.
LATE_EVENING_UTC = datetime(2026, 2, 6, 20, tzinfo=UTC)
# Assigned at 01:30 on 6 March in Beijing (17:30 UTC on the 5th): three months on is 6 June.
ASSIGNED_AT = datetime(2026, 3, 5, 17, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    url: str
    overdue_ref: str  # assigned, its deadline long past
    registered_ref: str  # registered, waiting to be assigned


@pytest.fixture
def cli_db(tmp_path: Path) -> Iterator[Seeded]:
    """A SQLite file at the head revision with one overdue and one registered proposal."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    def stamp(connection: Connection) -> None:
        from alembic import command

        command.stamp(alembic_config(connection), "head")

    async def seed() -> tuple[str, str]:
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
        await database.create_all()
        async with database.engine.begin() as conn:
            await conn.run_sync(stamp)
        app = await build_app(
            settings=Settings(database_url=url),
            db=database,
            upgrade=False,
            serving=False,
        )
        try:
            author = await add_member(app, name="王芳", phone="13800000001")
            late = await submitted(app, author, at=SUBMITTED)
            waiting = await submitted(app, author, at=SUBMITTED)
            async with app.db.session() as s:
                office = office_of(app, s)
                await office.register(late, at=SUBMITTED)
                await office.assign(
                    late, lead_unit="市教育局", deadline_at=LATE_EVENING_UTC, at=SUBMITTED
                )
                await office.register(waiting, at=SUBMITTED)
            return f"#{late}", f"#{waiting}"
        finally:
            await app.db.dispose()

    overdue_ref, registered_ref = asyncio.run(seed())
    yield Seeded(url=url, overdue_ref=overdue_ref, registered_ref=registered_ref)


def _cli(url: str, *args: str) -> str:
    from bot.cli import main_group

    result = CliRunner().invoke(main_group, list(args), env={"COMMITTEE_BOT_DATABASE_URL": url})
    assert result.exit_code == 0, (result.stdout, result.exception)
    return result.stdout


def test_overdue_lists_the_deadline_as_the_committees_day(cli_db: Seeded) -> None:
    out = _cli(cli_db.url, "proposals", "overdue")
    assert "主办：市教育局 期限：2026年2月7日" in out, out
    assert "2026-02-06" not in out and "2月6日" not in out


def test_assign_reports_the_deadline_as_the_committees_day(
    cli_db: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.proposals.utcnow", lambda: ASSIGNED_AT)
    out = _cli(cli_db.url, "proposals", "assign", cli_db.registered_ref, "--lead", "市财政局")
    assert "主办 市财政局，期限 2026年6月6日。" in out, out
    assert "2026-06-05" not in out
