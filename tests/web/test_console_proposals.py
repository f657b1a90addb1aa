"""提案 in the console: the queue, one proposal, each decision, bad uploads, two clerks at once."""

from __future__ import annotations

import asyncio

from aiohttp import FormData
from aiohttp.test_utils import TestClient
from sqlmodel import select

from bot.app import App
from storage.proposals import Proposals
from storage.tables import AuditEntry, Member, OutboxMessage, SubmissionHistory
from tests.web.conftest import log_in
from tests.web.support import submitted


async def _status(app: App, pid: int) -> str:
    async with app.db.session() as s:
        return (await Proposals(s).require(pid)).status


async def test_the_queue_filters_and_a_proposal_shows_its_whole_text(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    first = await submitted(app, people["member"])
    await submitted(app, people["other"], parking=True)
    html = await (await client.get("/proposals")).text()
    assert "关于加快发展普惠托育服务的提案" in html and "关于缓解老旧小区停车难问题的提案" in html
    html = await (await client.get("/proposals", params={"sector": "教育界"})).text()
    assert "托育" in html and "停车难" not in html
    html = await (await client.get("/proposals", params={"q": "停车"})).text()
    assert "停车难" in html and "托育服务的提案" not in html
    html = await (await client.get("/proposals", params={"status": "registered"})).text()
    assert "没有符合条件的提案" in html
    page = await (await client.get(f"/proposals/{first}")).text()
    assert "托育用房纳入新建住宅小区配套设施建设标准" in page  # the suggestions, in full
    assert "王芳" in page and "办理记录" in page and "相似提案" in page


async def test_register_assign_key_and_answer_with_a_document_notify_and_audit(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    pid = await submitted(app, people["member"])
    r = await client.post(f"/proposals/{pid}/register", data={"_csrf": staff})
    assert r.status == 200 and "已立案" in await r.text()
    r = await client.post(
        f"/proposals/{pid}/assign",
        data={"_csrf": staff, "lead": "市教育局", "co": "市财政局、市卫健委"},
    )
    page = await r.text()
    assert "市教育局" in page and "市财政局、市卫健委" in page
    await client.post(f"/proposals/{pid}/key", data={"_csrf": staff, "flag": "1"})
    form = FormData()
    form.add_field("_csrf", staff)
    form.add_field("category", "B")
    form.add_field("summary", "已列入明年计划")
    form.add_field("document", b"%PDF-1.4 answer", filename="答复函.pdf")
    r = await client.post(f"/proposals/{pid}/answer", data=form)
    assert r.status == 200 and "答复已记录" in await r.text()
    r = await client.post(f"/proposals/{pid}/excellent", data={"_csrf": staff, "flag": "1"})
    assert "优秀提案标记已更新" in await r.text() and "取消优秀提案" in await r.text()
    async with app.db.session() as s:
        p = await Proposals(s).require(pid)
        audit = list(await s.exec(select(AuditEntry).where(AuditEntry.target == f"proposal:{pid}")))
        outbox = list(
            await s.exec(select(OutboxMessage).where(OutboxMessage.ref == f"proposal:{pid}"))
        )
    assert p.status == "answered" and p.number and p.is_key and p.excellent
    assert p.co_units == ["市财政局", "市卫健委"] and p.answer_document == b"%PDF-1.4 answer"
    assert {e.action for e in audit} >= {
        "proposal.register",
        "proposal.assign",
        "proposal.answer",
        "proposal.excellent",
    }
    assert all(e.actor == "秘书处小李" for e in audit)
    assert outbox == [] or all(o.member_id == people["member"].id for o in outbox)
    doc = await client.get(f"/proposals/{pid}/answer-document")
    assert await doc.read() == b"%PDF-1.4 answer"
    docx = await client.get(f"/proposals/{pid}/docx")
    assert docx.status == 200 and (await docx.read())[:2] == b"PK"
    xlsx = await client.get("/proposals/export.xlsx", params={"year": str(p.year)})
    assert xlsx.status == 200 and (await xlsx.read())[:2] == b"PK"


async def test_decline_needs_a_ground_and_bad_uploads_change_nothing(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    pid = await submitted(app, people["member"])
    r = await client.post(f"/proposals/{pid}/decline", data={"_csrf": staff, "ground": ""})
    assert r.status == 400 and "请选择不予立案的理由" in await r.text()
    assert await _status(app, pid) == "submitted"
    await client.post(f"/proposals/{pid}/register", data={"_csrf": staff})
    await client.post(f"/proposals/{pid}/assign", data={"_csrf": staff, "lead": "市教育局"})
    form = FormData()
    form.add_field("_csrf", staff)
    form.add_field("category", "A")
    form.add_field("document", b"MZ\x90\x00", filename="答复.exe")
    r = await client.post(f"/proposals/{pid}/answer", data=form)
    assert r.status == 400 and "不支持文件" in await r.text()
    big = FormData()
    big.add_field("_csrf", staff)
    big.add_field("category", "A")
    big.add_field("document", b"x" * (app.settings.max_upload_bytes + 300_000), filename="a.pdf")
    r = await client.post(f"/proposals/{pid}/answer", data=big)
    assert r.status == 413 and "文件太大" in await r.text()
    assert await _status(app, pid) == "assigned"
    # a step the lifecycle does not allow: a Chinese refusal, nothing changed
    r = await client.post(f"/proposals/{pid}/register", data={"_csrf": staff})
    assert r.status == 400 and "不能执行" in await r.text()


async def test_two_clerks_registering_at_once_one_succeeds_the_other_is_told(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    from aiohttp.test_utils import TestServer

    from bot.web.app import build_web

    pid = await submitted(app, people["member"])
    async with TestClient(TestServer(build_web(app))) as other:
        other_csrf = await log_in(other, app, people["clerk2"])
        results = await asyncio.gather(
            client.post(f"/proposals/{pid}/register", data={"_csrf": staff}, allow_redirects=False),
            other.post(
                f"/proposals/{pid}/register", data={"_csrf": other_csrf}, allow_redirects=False
            ),
        )
        statuses = sorted(r.status for r in results)
        texts = [await r.text() for r in results]
    assert statuses == [303, 400]
    assert any("已立案" in t and "不能执行" in t for t in texts)
    async with app.db.session() as s:
        p = await Proposals(s).require(pid)
        history = list(
            await s.exec(
                select(SubmissionHistory).where(
                    SubmissionHistory.subject_id == pid, SubmissionHistory.action == "register"
                )
            )
        )
    assert p.seq == 1 and len(history) == 1
