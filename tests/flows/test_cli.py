"""The command line as the IT person and the secretariat use it (SQLite file, real processes)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest


def cli(tmp_path: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COMMITTEE_BOT_")} | {
        "COMMITTEE_BOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"
    }
    environment |= env or {}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
    )


def test_newcomer_loads_the_demo_and_is_verified_in_one_step(tmp_path: Path) -> None:
    result = cli(tmp_path, "chat", "--script", stdin="1\n1\n/me\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "示例委员会" in out and "验证成功，欢迎您，示例·王建国" in out
    assert "界别：经济界" in out


def test_a_second_process_continues_a_half_finished_flow(tmp_path: Path) -> None:
    cli(tmp_path, "chat", "--script", stdin="1\n")  # load the demo roster
    first = cli(tmp_path, "chat", "--script", "--as", "示例·李秀梅", stdin="/contact\n1\n")
    assert "请写下您要告诉秘书处的内容" in first.stdout, first.stdout + first.stderr
    second = cli(tmp_path, "chat", "--script", "--as", "13800000002", stdin="进程重启后继续\n")
    assert "内容：进程重启后继续" in second.stdout, second.stdout + second.stderr


def test_roster_import_reports_bad_rows_and_is_idempotent(tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "姓名,界别,专委会,职务/角色,手机号\n"
        "王建国,经济界,经济委员会,常委,13800000001\n"
        ",教育界,教科卫体委员会,委员,13800000002\n"
        "李秀梅,教育界,教科卫体委员会,委员,1380000\n"
        "张志强,医药卫生界,教科卫体委员会,委员,138-0000-0001\n"
        "刘晓燕,文化艺术界,文化文史和学习委员会,组长,13800000004\n"
        "陈伟,农业界,农业和农村委员会,委员,13800000005\n",
        encoding="utf-8",
    )
    first = cli(tmp_path, "members", "import", str(roster))
    assert first.returncode == 0, first.stderr
    assert "新增 2 人" in first.stdout and "拒绝 4 行" in first.stdout
    assert "第 3 行：缺少姓名" in first.stdout
    assert "第 4 行：手机号无效（1380000）" in first.stdout
    assert "第 5 行：手机号与第 2 行重复" in first.stdout
    assert "第 6 行：无法识别的职务/角色（组长）" in first.stdout
    again = cli(tmp_path, "members", "import", str(roster))
    assert "新增 0 人，更新 0 人，未变 2 人" in again.stdout
    listing = cli(tmp_path, "members", "list")
    assert "王建国" in listing.stdout and "委员、常委" in listing.stdout
    assert "共 2 人" in listing.stdout


def test_corrupt_roster_file_gets_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "名册.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    result = cli(tmp_path, "members", "import", str(bad))
    assert result.returncode == 1
    assert "无法读取文件 名册.xlsx" in result.stderr


def test_xlsx_roster_with_chinese_headers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "界别", "专委会", "职务/角色", "手机号"])
    sheet.append(["王建国", "经济界", "经济委员会", "委员", 13800000001])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    result = cli(tmp_path, "members", "import", str(path))
    assert "新增 1 人" in result.stdout, result.stdout + result.stderr


def test_invite_role_and_retire_from_the_cli(tmp_path: Path) -> None:
    cli(tmp_path, "members", "add", "--name", "王建国", "--phone", "13800000001")
    invite = cli(tmp_path, "members", "invite", "王建国", "--bot-username", "zzzx_bot")
    code = re.search(r"邀请码：([A-Z0-9]{8})", invite.stdout)
    assert code, invite.stdout + invite.stderr
    assert f"https://t.me/zzzx_bot?start={code.group(1)}" in invite.stdout
    stranger = cli(tmp_path, "chat", "--script", stdin=f"{code.group(1)}\n/me\n")
    assert "验证成功，欢迎您，王建国" in stranger.stdout
    role = cli(tmp_path, "members", "set-role", "王建国", "常委、秘书处")
    assert "委员、常委、秘书处" in role.stdout
    cli(tmp_path, "members", "retire", "13800000001")
    after = cli(tmp_path, "chat", "--script", stdin="/me\n")
    assert "已不在当前名册中" in after.stdout
    log = cli(tmp_path, "audit").stdout
    for action in ["members.add", "members.invite", "members.set_role", "members.retire"]:
        assert action in log
    assert "cli:" in log


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"COMMITTEE_BOT_TIMEZONE": "Mars/Base"}, "COMMITTEE_BOT_TIMEZONE"),
        ({"COMMITTEE_BOT_TELEGRAM_TOKEN": "abc"}, "COMMITTEE_BOT_TELEGRAM_TOKEN"),
    ],
)
def test_bad_configuration_fails_at_start_with_one_line(
    tmp_path: Path, env: dict[str, str], fragment: str
) -> None:
    result = cli(tmp_path, "run", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and lines[0].startswith("配置错误")


def test_config_show_masks_secrets(tmp_path: Path) -> None:
    token = "123456789:" + "Z" * 35
    result = cli(tmp_path, "config", "show", env={"COMMITTEE_BOT_TELEGRAM_TOKEN": token})
    assert "timezone = Asia/Shanghai" in result.stdout
    assert token not in result.stdout and "telegram_token = 1234…" in result.stdout


def test_run_without_token_talks_in_the_terminal(tmp_path: Path) -> None:
    result = cli(tmp_path, "run", stdin="2\n")
    assert "是否载入一个示例委员会" in result.stdout
    assert "members import" in result.stdout


def test_stats_counts_the_roster(tmp_path: Path) -> None:
    cli(tmp_path, "members", "add", "--name", "王建国", "--phone", "13800000001")
    result = cli(tmp_path, "stats", "--year", "2026")
    assert "2026 年度统计" in result.stdout and "在册 1 人" in result.stdout, result.stderr


def test_unreachable_bot_api_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    env = {
        "COMMITTEE_BOT_TELEGRAM_TOKEN": "123456789:" + "A" * 35,
        "COMMITTEE_BOT_TELEGRAM_API_URL": "http://127.0.0.1:9",  # nothing listens there
    }
    result = cli(tmp_path, "run", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "无法连接 Telegram 机器人接口" in lines[0]


def test_terminal_share_contact_button_asks_for_the_phone(tmp_path: Path) -> None:
    cli(tmp_path, "members", "add", "--name", "王建国", "--phone", "13800000001")
    result = cli(tmp_path, "chat", "--script", stdin="1\n138 0000 0001\n/me\n")
    assert "请输入手机号：" in result.stdout
    assert "验证成功，欢迎您，王建国" in result.stdout and "138****0001" in result.stdout


def test_terminal_phone_directive_shares_a_contact(tmp_path: Path) -> None:
    cli(tmp_path, "members", "add", "--name", "王建国", "--phone", "13800000001")
    result = cli(tmp_path, "chat", "--script", stdin="/phone 13800000001\n/contact\n")
    assert "验证成功，欢迎您，王建国" in result.stdout
    assert "请选择留言类别" in result.stdout  # /contact stays the 留言秘书处 command


def test_a_file_that_is_no_database_is_one_clear_line_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("这不是数据库", encoding="utf-8")
    url = {"COMMITTEE_BOT_DATABASE_URL": f"sqlite:///{tmp_path / 'notes.db'}"}
    result = cli(tmp_path, "ask", "请假找谁批", "--json", env=url)
    assert result.returncode == 1 and result.stdout == ""
    assert "无法使用数据库" in result.stderr and "Traceback" not in result.stderr


def test_ask_keeps_its_json_valid_when_a_question_is_not_utf8(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-k", "1"],
        input="请假找谁批\n".encode("gbk") + "请假由谁批准\n".encode(),
        capture_output=True,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith("COMMITTEE_BOT_")}
        | {"COMMITTEE_BOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"},
        timeout=60,
    )
    lines = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [line["question"] for line in lines][1] == "请假由谁批准"
    assert "\ufffd" in lines[0]["question"] and len(lines) == 2


def test_ask_with_an_empty_question_answers_one_line_saying_how_to_ask(tmp_path: Path) -> None:
    result = cli(tmp_path, "ask", "", "--json", stdin="请假找谁批\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0, result.stderr
    assert len(lines) == 1 and lines[0]["question"] == "" and lines[0]["found"] is False
    assert "请直接输入您的问题" in lines[0]["answer"] and lines[0]["citations"] == []
