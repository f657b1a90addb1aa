"""读书 in the console: groups, plans, recurring sessions changed and cancelled (members who
were to be reminded are told), and each date's check-ins and notes (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import date

from aiohttp.test_utils import TestClient
from sqlmodel import select

from bot.app import App
from bot.reading.service import occurrences_on
from storage.reading import ReadingRepo
from storage.tables import AuditEntry, Member, OutboxMessage, ReadingGroup, ReadingSession
from tests.support.chat import Chat

SECOND_THURSDAY = date(2026, 3, 12)  # the clock starts on Monday 2026-03-02


async def _group(client: TestClient, csrf: str, name: str = "经济读书会") -> int:  # type: ignore[type-arg]
    r = await client.post(
        "/reading/groups", data={"_csrf": csrf, "name": name, "theme": "新质生产力"}
    )
    assert r.status == 200, await r.text()
    return int(str(r.url).split("/reading/groups/")[1].split("?")[0])


async def _session(client: TestClient, csrf: str, gid: int) -> int:  # type: ignore[type-arg]
    r = await client.post(
        f"/reading/groups/{gid}/sessions",
        data={
            "_csrf": csrf,
            "title": "月度读书会",
            "when": "每月第二个星期四 19:30",
            "duration": "90",
            "place": "三楼会议室",
        },
    )
    assert r.status == 200 and "读书活动已安排" in await r.text()
    return int(str(r.url).split("/reading/sessions/")[1].split("?")[0])


async def _both_checked_in_one_noted(
    app: App, people: dict[str, Member], gid: int, sid: int
) -> int:
    """王芳 and 李强 join the group and check in on the session's second Thursday; 李强 leaves
    a note. Returns the stored occurrence's id."""
    async with app.db.session() as s:
        repo = ReadingRepo(s)
        row = await repo.reading_session(sid)
        assert row is not None
        [occ] = occurrences_on(row, SECOND_THURSDAY, zone=app.settings.zone)
        stored = await repo.ensure_occurrence(sid, occ)
        for who in ("member", "other"):
            await repo.join(gid, people[who].id or 0, via="test")
            await repo.check_in(stored.id or 0, people[who].id or 0)
        await repo.add_note(
            group_id=gid,
            member_id=people["other"].id or 0,
            text="费孝通笔下的差序格局，今天读来仍有启发。",
            occurrence_id=stored.id,
        )
        assert stored.id is not None
        return stored.id


async def _told(app: App) -> list[OutboxMessage]:
    async with app.db.session() as s:
        return list(await s.exec(select(OutboxMessage).where(OutboxMessage.kind == "reading")))


async def test_a_group_gets_a_plan_and_a_recurring_session(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    staff: str,
) -> None:
    gid = await _group(client, staff)
    r = await client.post("/reading/groups", data={"_csrf": staff, "name": "经济读书会"})
    assert r.status == 400 and "已有名为“经济读书会”的读书小组" in await r.text()
    plan = {"_csrf": staff, "book": "《乡土中国》", "starts_on": "2026-03-01"}
    r = await client.post(f"/reading/groups/{gid}/plan", data={**plan, "ends_on": "三月底"})
    assert r.status == 400 and "日期格式不对" in await r.text()
    r = await client.post(f"/reading/groups/{gid}/plan", data={**plan, "ends_on": "2026-03-31"})
    page = await r.text()
    assert "已添加到阅读计划" in page and "《乡土中国》" in page and "2026-03-31" in page
    r = await client.post(
        f"/reading/groups/{gid}/sessions",
        data={"_csrf": staff, "title": "补读", "when": "2026年3月1日 19:30"},
    )
    assert r.status == 400 and "已经过去了" in await r.text()
    sid = await _session(client, staff, gid)
    page = await (await client.get(f"/reading/sessions/{sid}")).text()
    assert "每月第二个星期四 19:30" in page
    assert "2026-03-12 19:30" in page and "2026-04-09 19:30" in page  # the coming dates
    listing = await (await client.get("/reading")).text()
    assert "经济读书会" in listing and "新质生产力" in listing
    async with app.db.session() as s:
        by = {e.action: e.actor for e in await s.exec(select(AuditEntry))}
    assert by["rd.group_add"] == by["rd.plan_add"] == by["rd.session_add"] == "秘书处小李"


async def test_changing_and_cancelling_a_session_tells_the_members_once_each(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    people: dict[str, Member],
    staff: str,
) -> None:
    await Chat.verified(app, people["member"])
    gid = await _group(client, staff)
    r = await client.post(f"/reading/groups/{gid}/assign", data={"_csrf": staff})
    assert r.status == 400 and "请选择专委会或界别" in await r.text()
    r = await client.post(
        f"/reading/groups/{gid}/assign", data={"_csrf": staff, "sector": "教育界"}
    )
    page = await r.text()
    assert "已加入 1 位委员（共匹配 1 位）" in page and "王芳" in page  # 教育界: 王芳 alone
    sid = await _session(client, staff, gid)
    form = {"_csrf": staff, "when": "", "place": "三楼会议室", "link": "", "agenda": ""}
    r = await client.post(f"/reading/sessions/{sid}/change", data=form)
    assert r.status == 400 and "没有要修改的内容" in await r.text()
    r = await client.post(f"/reading/sessions/{sid}/change", data={**form, "place": "图书馆"})
    assert "已通知 1 位委员" in await r.text()
    [moved] = await _told(app)
    assert moved.member_id == people["member"].id and "图书馆" in str(moved.payload)
    day = {"_csrf": staff, "date": SECOND_THURSDAY.isoformat()}
    r = await client.post(f"/reading/sessions/{sid}/cancel-date", data=day)
    assert "这一次活动已取消" in await r.text()
    r = await client.post(f"/reading/sessions/{sid}/cancel-date", data=day)
    assert r.status == 400 and "已经取消过了" in await r.text()
    r = await client.post(
        f"/reading/sessions/{sid}/cancel-date", data={**day, "date": "2026-03-13"}
    )
    assert r.status == 400 and "没有安排" in await r.text()
    assert len(await _told(app)) == 2
    r = await client.post(f"/reading/sessions/{sid}/cancel", data={"_csrf": staff})
    page = await r.text()
    assert "活动已取消" in page and "保存修改并通知委员" not in page  # no editing afterwards
    told = re.search(r"已通知 (\d+) 位委员", page)
    assert told is not None  # those reminded of a coming date, as the page says
    assert len(await _told(app)) == 2 + int(told.group(1))
    r = await client.post(f"/reading/sessions/{sid}/cancel", data={"_csrf": staff})
    assert r.status == 400 and "可能已被取消" in await r.text()
    assert len(await _told(app)) == 2 + int(told.group(1))


async def test_a_session_page_shows_each_dates_check_ins_and_notes(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    people: dict[str, Member],
    staff: str,
) -> None:
    gid = await _group(client, staff)
    sid = await _session(client, staff, gid)
    stored_id = await _both_checked_in_one_noted(app, people, gid, sid)
    async with app.db.session() as s:
        sent = await ReadingRepo(s).add_note(
            group_id=gid,
            member_id=people["member"].id or 0,
            occurrence_id=stored_id,
            document_name="心得.txt",
            document_mime="text/plain",
            document="读《乡土中国》有感".encode(),
        )
    page = await (await client.get(f"/reading/sessions/{sid}")).text()
    assert "2026-03-12 19:30" in page and "打卡 2 人" in page
    assert "王芳" in page and "李强" in page
    assert "读书心得 2 篇" in page and "差序格局" in page
    r = await client.get(f"/reading/notes/{sent.id}/file")
    assert await r.read() == "读《乡土中国》有感".encode()
    assert "attachment" in r.headers["Content-Disposition"]
    xlsx = await client.get(f"/reading/groups/{gid}/report.xlsx")
    assert xlsx.status == 200 and (await xlsx.read())[:2] == b"PK"


async def test_without_the_csrf_token_nothing_is_created_or_cancelled(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    staff: str,
) -> None:
    r = await client.post("/reading/groups", data={"name": "伪造的小组"})
    assert r.status == 403 and "操作未执行" in await r.text()
    gid = await _group(client, staff)
    sid = await _session(client, staff, gid)
    r = await client.post(f"/reading/sessions/{sid}/cancel", data={"_csrf": "forged"})
    assert r.status == 403
    async with app.db.session() as s:
        names = [g.name for g in await s.exec(select(ReadingGroup))]
        row = await s.get(ReadingSession, sid)
    assert names == ["经济读书会"] and row is not None and row.cancelled_at is None
