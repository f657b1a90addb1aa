"""`members import` as the secretariat runs it, with the rows that went wrong before, and
`members accounts` / `members unbind` (real processes on a SQLite file)."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import time
import zipfile
from pathlib import Path

from click.testing import CliRunner

from bot.catalogue import catalogue
from bot.errors import UserError
from tests.flows.test_cli import cli as cli_process


def cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``committee-bot ARGS`` in this process (a fresh process costs seconds on a busy
    machine); errors become stderr and the exit status as ``cli_main`` makes them. The
    terminal conversation (``chat``) runs as a real process."""
    if args[0] == "chat":
        return cli_process(tmp_path, *args, stdin=stdin)
    from bot.cli import main_group

    env = {k: v for k, v in os.environ.items() if k.startswith("COMMITTEE_BOT_")}
    env["COMMITTEE_BOT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'bot.db'}"
    result = CliRunner().invoke(main_group, list(args), input=stdin, env=env)
    stderr, code = result.stderr, result.exit_code
    if isinstance(result.exception, UserError):
        stderr += catalogue().s(result.exception.key, **result.exception.params) + "\n"
        code = 1
    elif result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(list(args), code, result.stdout, stderr)


HEADER = "姓名,界别,专委会,职务/角色,手机号\n"


def roster(tmp_path: Path, name: str, body: str, header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_matching_by_phone_never_renames_silently(tmp_path: Path) -> None:
    first = roster(
        tmp_path,
        "名册.csv",
        "王建国,经济界,经济委员会,常委,13800000001\n李秀梅,教育界,教科卫体委员会,委员,13800000002\n",
    )
    assert cli(tmp_path, "members", "import", str(first)).returncode == 0
    second = roster(
        tmp_path,
        "新名册.csv",
        "王建国,经济界,农业和农村委员会,委员,13800000001\n测试·重复,文化界,文化委员会,委员,13800000002\n",
    )
    preview = cli(tmp_path, "members", "import", str(second), "--dry-run")
    assert preview.returncode == 0, preview.stderr
    out = preview.stdout
    assert "试运行，未写入任何更改：将新增 0 人，更新 1 人，未变 0 人，拒绝 1 行" in out
    assert "第 2 行：更新 王建国（13800000001）" in out
    assert "专委会：经济委员会 → 农业和农村委员会" in out and "职务/角色：常委 → 委员" in out
    assert "第 3 行：手机号 13800000002 在名册中属于「李秀梅」，本行姓名为「测试·重复」" in out
    assert "--allow-rename" in out
    listing = cli(tmp_path, "members", "list").stdout
    assert (
        "经济委员会" in listing and "农业和农村委员会" not in listing
    )  # the dry run wrote nothing

    done = cli(tmp_path, "members", "import", str(second))
    assert "导入完成：新增 0 人，更新 1 人，未变 0 人，拒绝 1 行" in done.stdout
    listing = cli(tmp_path, "members", "list").stdout
    assert "李秀梅\t教育界\t教科卫体委员会" in listing and "测试·重复" not in listing
    assert "农业和农村委员会" in listing

    renamed = cli(tmp_path, "members", "import", str(second), "--allow-rename")
    assert "更新 1 人" in renamed.stdout
    assert "姓名：李秀梅 → 测试·重复；界别：教育界 → 文化界" in renamed.stdout
    assert "测试·重复\t文化界" in cli(tmp_path, "members", "list").stdout


def test_a_missing_column_leaves_that_field_alone(tmp_path: Path) -> None:
    full = roster(tmp_path, "a.csv", "王建国,经济界,经济委员会,常委,13800000001\n")
    cli(tmp_path, "members", "import", str(full))
    slim = roster(tmp_path, "b.csv", "王建国,13800000001,1\n", header="姓名,手机号,序号\n")
    result = cli(tmp_path, "members", "import", str(slim))
    assert "未变 1 人" in result.stdout
    assert "未识别的列已忽略：序号" in result.stdout
    assert "王建国\t经济界\t经济委员会\t委员、常委" in cli(tmp_path, "members", "list").stdout


def test_wrong_headers_are_one_header_problem(tmp_path: Path) -> None:
    rows = "".join(f"委员{n},经济界,经济委员会,委员,138000000{n:02d}\n" for n in range(10, 30))
    for header in ["Name,Sector,Committee,Role,Phone\n", "姓明,界别,专委会,职务/角色,手机号\n"]:
        path = roster(tmp_path, "名册.csv", rows, header=header)
        result = cli(tmp_path, "members", "import", str(path))
        assert result.returncode == 1
        said = result.stdout + result.stderr
        assert said.count("表头不符") == 1 and "缺少「姓名" in said
        assert "姓名、界别、专委会、职务/角色、手机号" in said  # the headers it should have
        assert "缺少姓名" not in said and "第 2 行" not in said
    assert "共 0 人" in cli(tmp_path, "members", "list").stdout


def test_names_are_stored_as_they_are_seen(tmp_path: Path) -> None:
    path = roster(
        tmp_path,
        "名册.csv",
        "\u202e梅秀李\u200b,教育\u200d界,教科卫体委员会,委员,138\u200b0000\u20000002\n",
    )
    result = cli(tmp_path, "members", "import", str(path))
    assert "新增 1 人" in result.stdout, result.stdout + result.stderr
    listing = cli(tmp_path, "members", "list").stdout
    assert "梅秀李\t教育界\t" in listing
    assert not any(ch in listing for ch in "\u202e\u200b\u200d\u2000")
    again = cli(tmp_path, "members", "import", str(path))
    assert "未变 1 人" in again.stdout


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A workbook whose first sheet is ``sheet_xml`` (the rest as openpyxl writes it)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "手机号"])
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            dst.writestr(item.filename, data, compresslevel=9)
    return out.getvalue()


def test_a_spreadsheet_that_expands_to_gigabytes_is_refused_quickly(tmp_path: Path) -> None:
    padding = b" " * (100 * 1024 * 1024)  # 100 MB of XML whitespace: ~100 KB zipped
    bomb = tmp_path / "名册.xlsx"
    bomb.write_bytes(
        _xlsx_with_sheet(b'<?xml version="1.0"?><worksheet>' + padding + b"</worksheet>")
    )
    assert bomb.stat().st_size < 2 * 1024 * 1024
    started = time.monotonic()
    result = cli(tmp_path, "members", "import", str(bomb))
    assert time.monotonic() - started < 15  # the whole process, start-up included
    assert result.returncode == 1
    assert "名册.xlsx 解压后超过" in result.stderr


def test_a_spreadsheet_that_lies_about_its_sizes_is_refused(tmp_path: Path) -> None:
    """Declared sizes say a few KB; the data inflates to 80 MB. Reading stops at what was
    declared, so it is refused as damaged, not read to the end."""
    data = bytearray(
        _xlsx_with_sheet(
            b'<?xml version="1.0"?><worksheet>' + b" " * (80 * 1024 * 1024) + b"</worksheet>"
        )
    )
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 24] == b"xl/worksheets/sheet1.xml":
                data[at + offset : at + offset + 4] = struct.pack("<I", 4096)
            start = at + 4
    bomb = tmp_path / "名册.xlsx"
    bomb.write_bytes(bytes(data))
    result = cli(tmp_path, "members", "import", str(bomb))
    assert result.returncode == 1
    assert "无法读取文件 名册.xlsx" in result.stderr


def test_oversized_and_corrupt_files_get_a_clear_message(tmp_path: Path) -> None:
    big = tmp_path / "名册.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        line = "王建国,经济界,经济委员会,委员,13800000001\n" * 1000
        while fh.tell() < 21 * 1024 * 1024:
            fh.write(line)
    result = cli(tmp_path, "members", "import", str(big))
    assert result.returncode == 1 and "名册.csv 太大" in result.stderr
    not_a_sheet = tmp_path / "other.xlsx"
    with zipfile.ZipFile(not_a_sheet, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    result = cli(tmp_path, "members", "import", str(not_a_sheet))
    assert result.returncode == 1 and "无法读取文件 other.xlsx" in result.stderr
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01\x02\xff" * 100)
    result = cli(tmp_path, "members", "import", str(binary))
    assert result.returncode == 1 and "无法读取文件 binary.csv" in result.stderr


def test_accounts_are_listed_and_unbound(tmp_path: Path) -> None:
    cli(tmp_path, "members", "add", "--name", "王建国", "--phone", "13800000001")
    none = cli(tmp_path, "members", "accounts", "王建国")
    assert "王建国 没有绑定任何账号" in none.stdout, none.stdout + none.stderr
    verified = cli(tmp_path, "chat", "--script", stdin="/phone 13800000001\n")
    assert "验证成功" in verified.stdout
    listing = cli(tmp_path, "members", "accounts", "13800000001")
    assert "王建国 绑定的账号（1 个）" in listing.stdout
    assert "console" in listing.stdout and "分享手机号" in listing.stdout
    assert "最近使用 20" in listing.stdout
    none_there = cli(tmp_path, "members", "unbind", "王建国", "--platform", "telegram")
    assert "王建国 没有可解除的账号（平台 telegram）" in none_there.stdout
    unbound = cli(tmp_path, "members", "unbind", "王建国")
    assert unbound.returncode == 0 and "已解除 王建国 的账号绑定：console" in unbound.stdout
    after = cli(tmp_path, "chat", "--script", stdin="/me\n")
    assert "请先验证身份" in after.stdout and "王建国" not in after.stdout
    assert "members.unbind" in cli(tmp_path, "audit").stdout


def test_a_duplicate_name_is_never_picked_silently(tmp_path: Path) -> None:
    cli(tmp_path, "members", "add", "--name", "王建国", "--phone", "13800000001")
    cli(tmp_path, "members", "add", "--name", "王建国", "--phone", "13800000002")
    for command in ("accounts", "unbind"):
        result = cli(tmp_path, "members", command, "王建国")
        assert result.returncode == 1 and "名册中有多位「王建国」" in result.stderr
    assert "没有绑定任何账号" in cli(tmp_path, "members", "accounts", "13800000002").stdout
