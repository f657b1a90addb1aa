"""Issue 11 from the command line (real processes, SQLite file): every secretariat action
is audited, the database can be backed up while in use, rulebook ingests are bounded and
show progress, and no secret reaches what the CLI prints."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.flows.test_cli import cli
from tests.flows.test_notices_cli import NOTICE


def _audit_actions(tmp_path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        rows = conn.execute("SELECT action, target, actor FROM audit_log ORDER BY id").fetchall()
    return [(str(a), str(t), str(who)) for a, t, who in rows]


def _ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.returncode == 0, result.stdout + result.stderr
    return str(result.stdout)


def test_every_secretariat_action_from_the_cli_is_audited(tmp_path: Path) -> None:
    cli(tmp_path, "chat", "--script", stdin="1\n")  # the demo roster
    notice = tmp_path / "notice.toml"
    notice.write_text(NOTICE, encoding="utf-8")
    _ok(cli(tmp_path, "notices", "send", str(notice), "--yes"))
    _ok(cli(tmp_path, "notices", "correct", "1", "--note", "改在四楼", "--place", "四楼会议室"))
    _ok(cli(tmp_path, "notices", "remind"))
    _ok(cli(tmp_path, "notices", "cancel", "1", "--reason", "议程调整"))
    rules = tmp_path / "会议制度.md"
    rules.write_text("# 会议制度\n\n第一条 委员应当按时参加会议。\n", encoding="utf-8")
    _ok(cli(tmp_path, "kb", "ingest", str(rules)))
    _ok(cli(tmp_path, "kb", "remove", "会议制度.md"))
    _ok(cli(tmp_path, "reading", "add-group", "读书一组"))
    _ok(
        cli(
            tmp_path, "reading", "add-plan", "读书一组", "论语",
            "--from", "2099-03-01", "--to", "2099-03-31",
        )
    )  # fmt: skip
    _ok(cli(tmp_path, "reading", "assign", "读书一组", "--sector", "经济界"))

    audited = _audit_actions(tmp_path)
    actions = [a for a, _t, _who in audited]
    for expected, target in [
        ("notice.create", "notice:1"),
        ("notice.correct", "notice:1"),
        ("notice.remind", ""),
        ("notice.cancel", "notice:1"),
        ("rulebook.ingest", "kb:会议制度.md"),
        ("rulebook.remove", "kb:会议制度.md"),
        ("rd.group_add", "reading:g1"),
        ("rd.plan_add", "reading:g1"),
        ("rd.assign", "reading:g1"),
    ]:
        assert (expected, target) in [(a, t) for a, t, _who in audited], (expected, actions)
    assert all(who.startswith("cli:") for a, _t, who in audited if a != "members.import")
    listed = cli(tmp_path, "audit", "--action", "rulebook.remove")
    assert "kb:会议制度.md" in listed.stdout


def test_kb_remove_of_a_file_not_loaded_fails_in_chinese(tmp_path: Path) -> None:
    result = cli(tmp_path, "kb", "remove", "没有这个文件.md")
    assert result.returncode == 1
    assert "知识库中没有这个文件：没有这个文件.md" in result.stderr
    assert ("rulebook.remove", "kb:没有这个文件.md") not in [
        (a, t) for a, t, _ in _audit_actions(tmp_path)
    ]


def test_kb_ingest_is_bounded_and_shows_progress(tmp_path: Path) -> None:
    folder = tmp_path / "规章"
    folder.mkdir()
    (folder / "a_提案办法.md").write_text(
        "# 提案工作办法\n\n第一条 提案应当一事一案。\n", encoding="utf-8"
    )
    big = folder / "b_汇编.txt"
    article = "第{n}条 委员应当认真履行职责，积极参加政协组织的各项活动，反映社情民意。\n\n"
    big.write_text("".join(article.format(n=n) for n in range(1, 15_000)), encoding="utf-8")
    (folder / "c_会议制度.md").write_text(
        "# 会议制度\n\n第一条 委员应当按时参加会议。\n", encoding="utf-8"
    )
    # A docx whose parts unzip far beyond the limit (a zip bomb) is refused before inflating.
    import zipfile

    with zipfile.ZipFile(folder / "d_炸弹.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))

    capped = cli(tmp_path, "kb", "ingest", str(folder), env={"COMMITTEE_BOT_KB_MAX_FILE_MB": "1"})
    assert capped.returncode == 1  # some files failed, the rest loaded
    assert "b_汇编.txt：文件超过 1 MB 的上限" in capped.stderr
    assert "COMMITTEE_BOT_KB_MAX_FILE_MB" in capped.stderr
    assert "d_炸弹.docx：解压后的内容超过 200 MB 的上限" in capped.stderr
    assert "a_提案办法.md：已新增" in capped.stdout and "c_会议制度.md：已新增" in capped.stdout
    assert "[1/4] 正在读取 a_提案办法.md" in capped.stderr

    loaded = cli(tmp_path, "kb", "ingest", str(big))  # the default limit takes it
    assert loaded.returncode == 0, loaded.stderr
    assert "[1/1] 正在读取 b_汇编.txt" in loaded.stderr
    assert "已切分索引" in loaded.stderr  # a progress line while the big file is indexed
    assert "b_汇编.txt：已新增" in loaded.stdout


def test_db_backup_while_another_connection_writes(tmp_path: Path) -> None:
    _ok(cli(tmp_path, "members", "add", "--name", "王建国", "--phone", "13800000001"))
    db = tmp_path / "bot.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE ledger (n INTEGER PRIMARY KEY, payload BLOB, total INTEGER)")
        conn.executemany(
            "INSERT INTO ledger VALUES (?, randomblob(4000), ?)",
            [(n, n * (n + 1) // 2) for n in range(1, 5001)],
        )
    stop = threading.Event()
    written = [5000]

    def writer() -> None:
        conn = sqlite3.connect(db, timeout=30)
        while not stop.is_set():
            n = written[0] + 1
            with conn:  # one row per transaction, each a consistent running total
                conn.execute(
                    "INSERT INTO ledger VALUES (?, randomblob(4000), ?)", (n, n * (n + 1) // 2)
                )
            written[0] = n
            time.sleep(0.001)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.2)
        result = cli(tmp_path, "db", "backup", "备份.db")
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr
    assert "完整性检查通过" in result.stdout
    copy = sqlite3.connect(tmp_path / "备份.db")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = copy.execute("SELECT n, total FROM ledger ORDER BY n").fetchall()
        names = [r[0] for r in copy.execute("SELECT name FROM member")]
    finally:
        copy.close()
    assert 5000 <= len(rows) <= written[0]
    assert [n for n, _ in rows] == list(range(1, len(rows) + 1))  # no gap: one committed state
    assert all(total == n * (n + 1) // 2 for n, total in rows)
    assert names == ["王建国"]

    again = cli(tmp_path, "db", "backup", "备份.db")
    assert again.returncode == 1 and "已存在" in again.stderr and "--force" in again.stderr
    forced = cli(tmp_path, "db", "backup", "备份.db", "--force")
    assert forced.returncode == 0, forced.stderr


def test_db_backup_on_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    env = {"COMMITTEE_BOT_DATABASE_URL": "postgresql://bot:pw-Secret-123@db.internal/committee"}
    result = cli(tmp_path, "db", "backup", "x.dump", env=env)
    assert result.returncode != 0
    assert "pg_dump -Fc --dbname='postgresql://bot@db.internal/committee' -f x.dump" in (
        result.stderr
    )
    assert "pg_restore" in result.stderr and "pw-Secret-123" not in result.stderr
    assert not (tmp_path / "x.dump").exists()


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
def test_cli_output_never_holds_the_token(tmp_path: Path, level: str) -> None:
    token = "123456789:" + "Q" * 35
    env = {
        "COMMITTEE_BOT_TELEGRAM_TOKEN": token,
        "COMMITTEE_BOT_TELEGRAM_API_URL": "http://127.0.0.1:9",  # nothing listens there
        "COMMITTEE_BOT_LOG_LEVEL": level,
        "COMMITTEE_BOT_WEBHOOK_SECRET": "hook-secret-4711",
    }
    result = cli(tmp_path, "run", env=env)
    assert result.returncode == 2
    shown = result.stdout + result.stderr
    assert "无法连接 Telegram 机器人接口" in shown
    assert token not in shown and "Q" * 35 not in shown and "hook-secret-4711" not in shown
    shown = cli(tmp_path, "config", "show", env=env).stdout
    assert token not in shown and "hook-secret-4711" not in shown
