"""The secretariat's reading commands: change a session, cancel one date of a series, export
the report (the chat flows test the same services on both databases). In-process through
click's runner, which goes through the same settings, migrations and error handling."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from dateutil.rrule import MONTHLY, TH, rrule
from openpyxl import load_workbook

from bot.catalogue import catalogue
from bot.cli import main_group
from bot.errors import UserError


class _Out:
    """What the terminal shows: a member-facing error as cli_main prints it, exit code 1."""

    def __init__(self, result: Result) -> None:
        self.returncode = result.exit_code
        self.stdout = result.stdout
        self.stderr = ""
        if isinstance(result.exception, UserError):
            self.stderr = catalogue().s(result.exception.key, **result.exception.params)
        elif result.exception is not None and not isinstance(result.exception, SystemExit):
            self.stderr = repr(result.exception)


def cli(*args: str) -> _Out:
    return _Out(CliRunner().invoke(main_group, list(args)))


def test_change_session_cancel_one_date_and_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMITTEE_BOT_DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "姓名,界别,专委会,职务/角色,手机号\n王建国,经济界,经济委员会,委员,13800000001\n",
        encoding="utf-8",
    )
    assert cli("members", "import", str(roster)).returncode == 0
    assert cli("reading", "add-group", "乡土中国读书群").returncode == 0
    assigned = cli("reading", "assign", "乡土中国读书群", "--committee", "经济委员会")
    assert "已加入 1 位委员" in assigned.stdout, assigned.stderr
    added = cli(
        "reading",
        "add-session",
        "乡土中国读书群",
        "月读会",
        "--when",
        "每月第二个星期四 19:30",
    )
    assert "已安排活动“月读会”（编号 1）" in added.stdout, added.stderr

    moved = cli("reading", "change-session", "1", "--place", "五楼报告厅")
    assert "已修改活动“月读会”" in moved.stdout and "提醒已重新安排" in moved.stdout, moved.stderr
    nothing = cli("reading", "change-session", "1")
    assert nothing.returncode == 1 and "--when" in nothing.stderr

    # a date the series really has (the second Thursday after today), then one it has not
    today = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    day = rrule(MONTHLY, byweekday=TH(2), dtstart=today + timedelta(days=1))[0].date()
    skipped = cli("reading", "cancel-session", "1", "--date", day.isoformat())
    assert f"{day.isoformat()} 19:30 这一次" in skipped.stdout, skipped.stderr
    again = cli("reading", "cancel-session", "1", "--date", day.isoformat())
    assert again.returncode == 1 and "已经取消过了" in again.stderr
    wrong = cli("reading", "cancel-session", "1", "--date", "2000-01-01")
    assert wrong.returncode == 1 and "没有安排" in wrong.stderr

    out = tmp_path / "报表.xlsx"
    report = cli("reading", "report", "乡土中国读书群", "--xlsx", str(out))
    assert "已导出" in report.stdout and "王建国\t打卡 0 次" in report.stdout, report.stderr
    sheets = load_workbook(out).sheetnames
    assert sheets == ["活动签到", "委员统计", "读书心得"]
