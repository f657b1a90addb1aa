"""The secretariat's proposal work from the terminal (real processes, SQLite file)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from tests.flows.test_cli import cli


def test_draft_in_chat_then_register_assign_answer_export_and_stats(tmp_path: Path) -> None:
    cli(tmp_path, "chat", "--script", stdin="1\n")  # demo roster
    script = "\n".join(
        [
            "/proposal",
            "1",  # 个人提案
            "加快发展普惠托育服务",
            "3",  # 教育
            "近年来托育需求持续增长，全市每千人口托位数1.4个，低于4.5个的目标。" * 5,
            "1. 每个街道至少建成一所普惠性托育机构。\n2. 市财政按每个托位每年2000元给予补贴。",
            "1",  # 提交
            "1",  # 确认提交
            "",
        ]
    )
    drafted = cli(tmp_path, "chat", "--script", "--as", "示例·李秀梅", stdin=script)
    assert "已提交" in drafted.stdout, drafted.stdout + drafted.stderr
    assert "已立案" in cli(tmp_path, "proposals", "register", "#1").stdout
    assigned = cli(tmp_path, "proposals", "assign", "#1", "--lead", "市教育局", "--co", "市财政局")
    assert "已交办" in assigned.stdout, assigned.stderr
    answer = tmp_path / "答复函.pdf"
    answer.write_bytes(b"%PDF-1.4 answer")
    answered = cli(tmp_path, "proposals", "answer", "#1", "--category", "B", "--file", str(answer))
    assert "已记录答复" in answered.stdout, answered.stderr
    refused = cli(tmp_path, "proposals", "register", "#1")
    assert refused.returncode == 1 and "不能执行“立案”" in refused.stderr
    listing = cli(tmp_path, "proposals", "list")
    assert "已答复" in listing.stdout and "示例·李秀梅" in listing.stdout
    out = tmp_path / "提案.xlsx"
    year = listing.stdout.split("-", 1)[0].strip()
    exported = cli(tmp_path, "proposals", "export", "--year", year, "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    ws = load_workbook(io.BytesIO(out.read_bytes())).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    got = dict(zip(rows[0], rows[1], strict=True))
    assert got["主办单位"] == "市教育局" and got["答复类别"] == "B"
    figures = cli(tmp_path, "stats", "--year", year)
    assert "立案：1 件" in figures.stdout and "办复率 100.0%" in figures.stdout
