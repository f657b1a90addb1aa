"""``committee-bot notices`` as the secretariat scripts it (real processes, SQLite file)."""

from __future__ import annotations

from pathlib import Path

from bot.notices.export import read_csv
from tests.flows.test_cli import cli

NOTICE = """
kind = "常委会议"
title = "常委会第十次会议"
start = "2099-03-10 09:00"
place = "三楼会议室"
mode = "必须参加"
deadline = "2099-03-07 18:00"
[audience]
all = true
"""


def test_send_from_file_list_export_and_stats(tmp_path: Path) -> None:
    cli(tmp_path, "chat", "--script", stdin="1\n")  # the demo roster
    bad = tmp_path / "bad.toml"
    bad.write_text('kind = "茶话会"\n', encoding="utf-8")
    refused = cli(tmp_path, "notices", "send", str(bad), "--yes")
    assert refused.returncode == 1
    assert "未发送" in refused.stderr and "会议类型“茶话会”无法识别" in refused.stderr
    assert "缺少必填项：title（标题）" in refused.stderr

    good = tmp_path / "notice.toml"
    good.write_text(NOTICE, encoding="utf-8")
    asked = cli(tmp_path, "notices", "send", str(good), stdin="n\n")
    assert "收件人：" in asked.stdout and "通知没有发送" in asked.stdout
    sent = cli(tmp_path, "notices", "send", str(good), "--yes")
    assert sent.returncode == 0, sent.stderr
    assert "通知 #1 已排入发送队列" in sent.stdout

    listed = cli(tmp_path, "notices", "list")
    assert "#1 【常委会议】常委会第十次会议" in listed.stdout
    assert cli(tmp_path, "notices", "list").stdout.count("#") == 1  # the refused file made nothing

    exported = cli(tmp_path, "notices", "attendance", "1", "--csv", "a.csv")
    assert exported.returncode == 0, exported.stderr
    table = read_csv((tmp_path / "a.csv").read_bytes())
    assert table[0][:4] == ["姓名", "界别", "专委会", "答复"]
    assert len(table) > 1 and all(row[3] == "未答复" for row in table[1:])
    assert "尚未在机器人上完成身份验证" in table[1][8]

    stats = cli(tmp_path, "stats", "--year", "2099")
    assert "2099 年会议：1 次" in stats.stdout
