"""Console downloads built off the event loop: each still opens, with the expected first rows,
and the workbook is built in a worker thread (the loop is shared with the bot)."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from openpyxl import load_workbook

from bot.app import App
from bot.notices.rules import Answer
from bot.web.pages import attendance, reading_groups
from storage.notices import NoticesRepo
from storage.tables import Member
from tests.web.test_console_reading import _both_checked_in_one_noted, _group, _session
from tests.web.test_console_sections import _notice_form, _sent


async def _workbook_built_off_the_loop(
    client: TestClient,  # type: ignore[type-arg]
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    builder: str,
    url: str,
) -> Any:
    """Downloads ``url``, checking that ``module.builder`` made the file in a worker thread
    (a large workbook must not stall the event loop), and opens it."""
    threads: list[threading.Thread] = []
    real: Callable[..., bytes] = getattr(module, builder)

    def build(*args: Any, **kwargs: Any) -> bytes:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, builder, build)
    got = await client.get(url)
    assert got.status == 200
    assert threads and threads[0] is not threading.current_thread()  # not on the loop
    return load_workbook(io.BytesIO(await got.read()))


def _rows(sheet: Any, count: int) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(max_row=count, values_only=True)]


async def test_the_attendance_workbook_opens_with_the_header_and_the_members_answer(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nid = await _sent(client, _notice_form(app, staff))
    async with app.db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        await repo.answer(notice, int(people["member"].id or 0), Answer.LEAVE, reason="出差在外")
    book = await _workbook_built_off_the_loop(
        client, monkeypatch, attendance, "to_xlsx", f"/notices/{nid}/attendance.xlsx"
    )
    sheet = book.active
    assert sheet is not None and sheet.title == "常委会第十次会议"
    header, first = _rows(sheet, 2)
    assert header == [
        "姓名",
        "界别",
        "专委会",
        "答复",
        "请假事由",
        "审批结果",
        "答复时间",
        "签到时间",
        "送达情况",
    ]
    assert first[:2] == ["王芳", "教育界"]
    assert first[3:6] == ["请假", "出差在外", "待审批"]


async def test_the_reading_group_workbook_opens_with_its_three_sheets_and_first_rows(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gid = await _group(client, staff)
    sid = await _session(client, staff, gid)
    await _both_checked_in_one_noted(app, people, gid, sid)
    book = await _workbook_built_off_the_loop(
        client, monkeypatch, reading_groups, "report_xlsx", f"/reading/groups/{gid}/report.xlsx"
    )
    assert book.sheetnames == ["活动签到", "委员统计", "读书心得"]
    header, first = _rows(book["活动签到"], 2)
    assert header == ["读书小组", "活动", "时间", "委员", "回复", "打卡时间"]
    assert first[:4] == ["经济读书会", "月度读书会", "2026-03-12 19:30", "王芳"]
    assert first[5]  # the check-in time
    header, first = _rows(book["委员统计"], 2)
    assert header == ["委员", "仍在群内", "打卡次数", "心得篇数"]
    assert first[0] == "李强" and first[2:] == [1, 1]  # a note puts 李强 first
    header, first = _rows(book["读书心得"], 2)
    assert header == ["委员", "时间", "心得", "文件"]
    assert first[0] == "李强" and first[2] == "费孝通笔下的差序格局，今天读来仍有启发。"
