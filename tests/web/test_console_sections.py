"""通知, 委员, 统计, 日志 and the operations endpoints in the console (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import contextlib
import re
from datetime import timedelta

from aiohttp import FormData
from aiohttp.test_utils import TestClient
from sqlmodel import select

from bot.app import App
from storage.notices import NoticesRepo
from storage.tables import AuditEntry, Member, Notice, OutboxMessage
from tests.web.support import submitted


def _local(app: App, days: float) -> str:
    at = app.services.clock() + timedelta(days=days)
    return at.astimezone(app.settings.zone).strftime("%Y-%m-%dT%H:%M")


def _notice_form(app: App, csrf: str, **extra: str) -> dict[str, str]:
    return {
        "_csrf": csrf,
        "kind": "standing",
        "title": "常委会第十次会议",
        "starts_at": _local(app, 2),
        "place": "三楼会议室",
        "mode": "required",
        "reply_deadline": _local(app, 1),
        "audience": "sectors",
        "sectors": "教育界",
        **extra,
    }


async def _sent(client: TestClient, form: dict[str, str]) -> int:  # type: ignore[type-arg]
    """Sends the notice composed in ``form``; its id, from where the console goes next."""
    r = await client.post("/notices/send", data=form, allow_redirects=False)
    assert r.status == 303
    return int(r.headers["Location"].split("/")[2].split("?")[0])


async def test_compose_preview_send_and_attendance_with_names(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    compose = await (await client.get("/notices/new")).text()
    assert "教育界" in compose and "经济界" in compose  # the audience picker lists 界别
    r = await client.post("/notices/preview", data=_notice_form(app, staff))
    page = await r.text()
    assert "将发送给 1 位委员" in page
    assert "应提前" in page  # a standing-committee meeting two days ahead: too short notice
    assert await _count(app, Notice) == 0  # a preview writes nothing
    nid = await _sent(client, _notice_form(app, staff))
    async with app.db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        assert await repo.recipient_ids(nid) == [people["member"].id]
        from bot.notices.rules import Answer

        await repo.answer(notice, int(people["member"].id or 0), Answer.LEAVE, reason="出差在外")
    page = await (await client.get(f"/notices/{nid}")).text()
    assert notice.check_in_code and notice.check_in_code in page
    assert "王芳" in page and "出差在外" in page and "待审批" in page
    r = await client.post(
        f"/notices/{nid}/leave/{people['member'].id}", data={"_csrf": staff, "decision": "approve"}
    )
    assert "已批准" in await r.text()
    progress = await (await client.get(f"/notices/{nid}/progress")).json()
    assert progress["total"] == 1
    xlsx = await client.get(f"/notices/{nid}/attendance.xlsx")
    assert (await xlsx.read())[:2] == b"PK"
    async with app.db.session() as s:
        actions = {e.action: e.actor for e in await s.exec(select(AuditEntry))}
    assert actions["notice.create"] == "秘书处小李" and "notice.leave_approved" in actions


async def test_remind_those_who_have_not_answered(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    from storage.roster import Roster

    async with app.db.session() as s:
        for i, who in enumerate(("member", "other")):
            await Roster(s).bind(
                people[who],
                platform="telegram",
                user_id=str(5001 + i),
                chat_id=str(5001 + i),
                via="phone",
            )
    form = _notice_form(app, staff, audience="all")
    form.pop("sectors")
    nid = await _sent(client, form)
    async with app.db.session() as s:
        notice = await NoticesRepo(s).require(nid)
        from bot.notices.rules import Answer

        await NoticesRepo(s).answer(notice, int(people["member"].id or 0), Answer.ATTEND)
    before = await _count(app, OutboxMessage)
    r = await client.post(f"/notices/{nid}/remind", data={"_csrf": staff})
    assert "已向未答复的委员发送提醒" in await r.text()
    async with app.db.session() as s:
        reminders = list(
            await s.exec(select(OutboxMessage).where(OutboxMessage.id > before))  # type: ignore[operator]
        )
    # only 李强 is bound and has not answered (王芳 answered; the clerks have no account)
    assert [o.member_id for o in reminders] == [people["other"].id]


async def test_a_bad_notice_is_shown_again_with_the_problem(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    form = _notice_form(app, staff, reply_deadline=_local(app, 3))  # after the start
    r = await client.post("/notices/preview", data=form)
    assert r.status == 400 and "常委会第十次会议" in await r.text()
    r = await client.post("/notices/send", data=form)
    assert r.status == 400
    assert await _count(app, Notice) == 0


async def test_roster_import_previews_every_change_before_it_is_applied(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    csv = (
        "姓名,界别,专委会,职务/角色,手机号\n"
        "王芳,教育界,提案委员会,委员,13800000001\n"  # committee changes
        "新委员,农业界,,委员,13800000077\n"  # new
        "坏行,农业界,,委员,12345\n"  # refused: phone
    ).encode()
    form = FormData()
    form.add_field("_csrf", staff)
    form.add_field("file", csv, filename="名册.csv")
    r = await client.post("/members/import", data=form)
    page = await r.text()
    assert "尚未写入" in page and "新委员" in page and "提案委员会" in page and "拒绝" in page
    assert "新委员" not in await (await client.get("/members")).text()
    content = re.search(r'name="content" value="([^"]+)"', page)
    assert content and base64.b64decode(content.group(1)) == csv
    r = await client.post(
        "/members/import?apply=1",
        data={"_csrf": staff, "name": "名册.csv", "content": content.group(1)},
    )
    assert "已导入" in await r.text()
    assert "新委员" in await (await client.get("/members", params={"q": "新委员"})).text()
    wrong = FormData()
    wrong.add_field("_csrf", staff)
    wrong.add_field("file", b"\x89PNG", filename="名册.png")
    r = await client.post("/members/import", data=wrong)
    assert r.status == 400 and "不支持文件" in await r.text()


async def test_invite_retire_and_unbind_from_a_members_page(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    mid = people["other"].id
    r = await client.post(f"/members/{mid}/invite", data={"_csrf": staff})
    assert "邀请码：" in await r.text()
    r = await client.post(f"/members/{mid}/retire", data={"_csrf": staff})
    assert "已退出" in await r.text()
    r = await client.post(f"/members/{people['clerk'].id}/retire", data={"_csrf": staff})
    assert r.status == 400
    async with app.db.session() as s:
        targets = [e.target for e in await s.exec(select(AuditEntry)) if e.actor == "秘书处小李"]
    assert targets.count("李强") == 2


async def test_stats_draw_charts_and_download(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    pid = await submitted(app, people["member"])
    await client.post(f"/proposals/{pid}/register", data={"_csrf": staff})
    year = app.services.clock().astimezone(app.settings.zone).year
    page = await (await client.get("/stats", params={"year": str(year)})).text()
    assert "<svg" in page and "立案提案按类别" in page and "教育界" in page
    csv = await (await client.get("/stats.csv", params={"year": str(year)})).read()
    assert "办复率".encode() in csv
    xlsx = await (await client.get("/stats.xlsx", params={"year": str(year)})).read()
    assert xlsx[:2] == b"PK"
    audit = await (await client.get("/audit", params={"actor": "小李"})).text()
    assert "proposal.register" in audit


async def test_healthz_needs_no_login_and_metrics_only_for_allowed_addresses(
    client: TestClient,
    app: App,  # type: ignore[type-arg]
) -> None:
    r = await client.get("/healthz")
    body = await r.json()
    assert r.status == 200 and body["database"] == "ok" and "outbox_backlog" in body
    app.services.extras["health"] = {"scheduler": lambda: False}
    r = await client.get("/healthz")
    assert r.status == 503 and (await r.json())["scheduler"] == "down"
    r = await client.get("/metrics")
    assert r.status == 200 and "committee_bot_outbox_backlog" in await r.text()
    app.settings = app.settings.model_copy(update={"metrics_allow": "10.0.0.0/8"})
    r = await client.get("/metrics")
    text = await r.text()
    assert r.status == 403 and "committee_bot_outbox" not in text and "不允许" in text


async def _count(app: App, table: type) -> int:
    async with app.db.session() as s:
        return len(list(await s.exec(select(table))))


async def test_the_member_picker_finds_names_and_a_notice_goes_to_the_members_named(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    found = await (await client.get("/members/names", params={"q": "芳"})).json()
    assert found == [{"name": "王芳", "sector": "教育界"}]
    form = _notice_form(app, staff, audience="members", members="王芳、李强")
    form.pop("sectors")
    page = await (await client.post("/notices/preview", data=form)).text()
    assert "将发送给 2 位委员" in page


async def test_beside_a_running_bot_the_console_reports_its_channels_and_scheduler(
    app: App,
) -> None:
    import asyncio
    import socket

    import aiohttp

    from bot.web.app import serve_beside

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    up = {"channels": True}
    task = serve_beside(
        app,
        f"127.0.0.1:{port}",
        checks={"channels": lambda: up["channels"], "scheduler": lambda: True},
    )
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    r = await http.get(f"http://127.0.0.1:{port}/healthz")
                    break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.05)
            assert r.status == 200 and (await r.json())["channels"] == "ok"
            up["channels"] = False
            r = await http.get(f"http://127.0.0.1:{port}/healthz")
            assert r.status == 503 and (await r.json())["channels"] == "down"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_a_sent_notice_is_corrected_then_cancelled(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    nid = await _sent(client, _notice_form(app, staff))
    r = await client.post(f"/notices/{nid}/correct", data={"_csrf": staff, "place": ""})
    assert r.status == 400 and "请填写要更正的时间或地点" in await r.text()
    r = await client.post(
        f"/notices/{nid}/correct", data={"_csrf": staff, "place": "五楼报告厅", "note": "换了会场"}
    )
    assert "更正已发出" in await r.text() and "五楼报告厅" in await r.text()
    r = await client.post(f"/notices/{nid}/cancel", data={"_csrf": staff, "reason": "议程调整"})
    assert "会议已取消" in await r.text()
    async with app.db.session() as s:
        notice = await NoticesRepo(s).require(nid)
        actions = [e.action for e in await s.exec(select(AuditEntry))]
    assert notice.status == "cancelled" and notice.place == "五楼报告厅"
    assert "notice.correct" in actions and "notice.cancel" in actions
    r = await client.post(f"/notices/{nid}/remind", data={"_csrf": staff})
    assert r.status == 400


def test_bad_console_settings_fail_at_start() -> None:
    import pytest

    from bot.errors import ConfigError
    from bot.settings import load_settings

    with pytest.raises(ConfigError, match="METRICS_ALLOW"):
        load_settings(metrics_allow="127.0.0.1,intranet")
    with pytest.raises(ConfigError, match="WEB_LISTEN"):
        load_settings(web_listen="8080")
    assert load_settings(web_listen="[::1]:8080", metrics_allow="10.0.0.0/8").web_listen
