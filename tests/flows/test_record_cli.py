"""`committee-bot record` as the secretariat runs it: a member's year, an item the bot cannot
see (audited), the year's XLSX for the chair. In-process through click's runner (the same
settings, migrations and error handling), on a SQLite file and on a PostgreSQL database."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from bot.app import build_app
from bot.catalogue import catalogue
from bot.cli import main_group
from bot.errors import ConfigError, UserError
from bot.settings import Settings
from storage.tables import Proposal, ProposalSigner, Report
from tests.support.chat import add_member

PG_SERVER = os.environ.get(
    "COMMITTEE_BOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
).rsplit("/", 1)[0]


class _Out:
    """What the terminal shows: a member-facing or configuration error as ``main`` prints it."""

    def __init__(self, args: tuple[str, ...], url: str) -> None:
        result = CliRunner().invoke(main_group, list(args), env={"COMMITTEE_BOT_DATABASE_URL": url})
        self.returncode = result.exit_code
        self.stdout = result.stdout
        self.stderr = ""
        error = result.exception
        if isinstance(error, UserError):
            self.returncode = 1
            self.stderr = catalogue().s(error.key, **error.params)
        elif isinstance(error, ConfigError):
            self.returncode = 2
            self.stderr = str(error)
        elif error is not None and not isinstance(error, SystemExit):
            raise error


async def _pg_database(name: str, *, drop: bool) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_SERVER.replace("postgresql+asyncpg", "postgresql") + "/test")
    try:
        await conn.execute(f'{"DROP" if drop else "CREATE"} DATABASE "{name}"')
    finally:
        await conn.close()


@pytest.fixture
def url(db_kind: str, tmp_path: Path) -> Iterator[str]:
    """A database the CLI reaches through its URL alone: a SQLite file, or a fresh
    PostgreSQL database (the CLI cannot be handed a schema)."""
    if db_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
        return
    name = f"rec_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_database(name, drop=False))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        asyncio.run(_pg_database(name, drop=True))


async def _committee(url: str) -> None:
    """Migrated like the CLI would, plus the record's table (until its migration lands);
    two members, a clerk, a proposal led by one and co-signed by the other, a report."""
    settings = Settings(database_url=url)  # type: ignore[arg-type]
    app = await build_app(settings=settings, upgrade=True, serving=False)
    try:
        await app.db.create_all()
        wang = await add_member(app, name="王建国", phone="13800000001")
        li = await add_member(app, name="李秀梅", phone="13800000002", sector="教育界")
        await add_member(app, name="秘书处小李", phone="13800000099", roles="secretariat")
        async with app.db.session() as s:
            lead = Proposal(
                year=2026,
                author_id=wang.id or 0,
                status="registered",
                title="关于老旧小区加装电梯的提案",
                number="2026-001",
                seq=1,
                registered_at=datetime(2026, 2, 1, tzinfo=UTC),
            )
            s.add(lead)
            s.add(
                Report(
                    year=2026,
                    author_id=li.id or 0,
                    status="adopted",
                    title="丙",
                    levels=["province"],
                )
            )
            await s.flush()
            s.add(
                ProposalSigner(proposal_id=lead.id or 0, member_id=li.id or 0, status="confirmed")
            )
    finally:
        await app.db.dispose()


def test_show_add_and_export_from_the_terminal(url: str, tmp_path: Path) -> None:
    asyncio.run(_committee(url))

    def cli(*args: str) -> _Out:
        return _Out(args, url)

    wang = cli("record", "王建国", "--year", "2026")
    assert wang.returncode == 0, wang.stderr
    assert "王建国 的履职档案（2026 年）" in wang.stdout and "<b>" not in wang.stdout
    assert "· 提案立案（第一提案人）：1 件，15 分" in wang.stdout
    assert "作为第一提案人：提交 1 件，立案 1 件" in wang.stdout
    li = cli("record", "show", "李秀梅", "--year", "2026").stdout
    assert "作为联名提案人：联名 1 件，立案 1 件" in li
    assert "· 提案立案（联名提案人）：1 件，3 分" in li
    assert "· 社情民意信息获省政协采用：1 篇，10 分" in li
    assert "的履职档案（" in cli("record", "王建国").stdout  # this year by default

    added = cli("record", "add", "王建国", "大会发言", "--note", "城市更新", "--year", "2026")
    assert added.returncode == 0, added.stderr
    assert "已为 王建国 记入 2026 年「大会发言」1 次。现在合计 20 分。" in added.stdout
    trip = cli("record", "add", "王建国", "training_partial", "--count", "2", "--year", "2026")
    assert "「参加部分培训」2 次。现在合计 30 分。" in trip.stdout, trip.stderr
    fix = cli("record", "add", "王建国", "plenary_absent", "--count", "-1", "--year", "2026")
    assert "现在合计 30 分" in fix.stdout, fix.stderr  # a correction never scores below zero
    after = cli("record", "王建国", "--year", "2026").stdout
    assert "· 大会发言：1 次，5 分" in after and "合计 30 分" in after

    unknown = cli("record", "add", "王建国", "演讲比赛")
    assert unknown.returncode == 1 and "积分规则中没有项目「演讲比赛」" in unknown.stderr
    assert "speech（大会发言）" in unknown.stderr
    zero = cli("record", "add", "王建国", "speech", "--count", "0")
    assert zero.returncode == 1 and "数量应为非零整数" in zero.stderr
    nobody = cli("record", "赵无名", "--year", "2026")
    assert nobody.returncode == 1 and "名册中没有找到「赵无名」" in nobody.stderr

    log = cli("audit", "--action", "record" + ".add").stdout
    assert log.count("record.add") == 3 and "王建国" in log and "cli:" in log
    assert "item=speech" in log and "note=城市更新" in log

    out = tmp_path / "履职档案.xlsx"
    exported = cli("record", "export", "--year", "2026", "--out", str(out))
    assert "已导出 2026 年 2 位委员的履职档案" in exported.stdout, exported.stderr
    book = load_workbook(out)
    assert book.sheetnames[0] == "2026年汇总"
    assert {"大会发言", "提案立案（第一提案人）", "提案立案（联名提案人）"} <= set(book.sheetnames)
    summary = [list(row) for row in book["2026年汇总"].iter_rows(values_only=True)]
    header = summary[0]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in summary[1:]}
    assert set(rows) == {"王建国", "李秀梅"}  # the clerk is not assessed
    assert rows["王建国"]["合计"] == 30 and rows["王建国"]["大会发言（分）"] == 5
    assert rows["李秀梅"]["合计"] == 15 and rows["李秀梅"]["等次"] == "不称职"
    assert "出席全体会议" in rows["李秀梅"]["未达最低要求"]
    speeches = list(book["大会发言"].iter_rows(values_only=True))
    assert speeches[1][:4] == ("王建国", "经济界", "城市更新", 1) and speeches[1][5] == "秘书处录入"
    cosigned = list(book["提案立案（联名提案人）"].iter_rows(values_only=True))
    assert cosigned[1][:3] == ("李秀梅", "教育界", "2026-001 关于老旧小区加装电梯的提案")


def test_a_bad_points_file_stops_the_command_with_its_line(url: str, tmp_path: Path) -> None:
    asyncio.run(_committee(url))
    bad = tmp_path / "points.toml"
    bad.write_text(
        'title = "本会"\n\n[items.speach]\nlabel = "发言"\npoints = 5\n', encoding="utf-8"
    )
    result = CliRunner().invoke(
        main_group,
        ["record", "王建国"],
        env={"COMMITTEE_BOT_DATABASE_URL": url, "COMMITTEE_BOT_POINTS_FILE": str(bad)},
    )
    assert isinstance(result.exception, ConfigError)
    assert f"积分规则 {bad} 第 3 行 [items.speach]：机器人不统计项目 speach" in str(
        result.exception
    )


def test_record_help_names_its_forms() -> None:
    out = CliRunner().invoke(main_group, ["record", "--help"]).stdout
    assert "履职档案" in out
    for name in ("show", "export", "add"):
        assert f"  {name} " in out
