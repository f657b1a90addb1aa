"""催办 and 延期 in the console: from the queue's overdue filter and the proposal page, CSRF,
once a day, two clerks at once, bad dates; the same ``Office`` service as chat and CLI."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import App
from bot.web.app import build_web
from storage.proposals import Proposals
from storage.tables import AuditEntry, Member, SubmissionHistory
from tests.support.chat import FakeClock
from tests.web.conftest import log_in
from tests.web.support import office_of, submitted


async def _overdue(app: App, clock: FakeClock, author: Member) -> int:
    """Registered and assigned now (three months to answer), then 100 days pass."""
    pid = await submitted(app, author)
    async with app.db.session() as s:
        office = office_of(app, s)
        await office.register(pid)
        await office.assign(pid, lead_unit="市教育局")
    clock.advance(days=100)
    return pid


async def _history(app: App, pid: int, action: str) -> list[SubmissionHistory]:
    async with app.db.session() as s:
        stmt = select(SubmissionHistory).where(
            SubmissionHistory.subject_id == pid, SubmissionHistory.action == action
        )
        return list(await s.exec(stmt))


async def test_urge_from_the_overdue_filter_once_a_day_with_csrf(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    clock: FakeClock,
    people: dict[str, Member],
) -> None:
    pid = await _overdue(app, clock, people["member"])
    staff = await log_in(client, app, people["clerk"])  # after the clock moved: a fresh session
    html = await (await client.get("/proposals", params={"overdue": "1"})).text()
    assert f'action="/proposals/{pid}/urge"' in html and "催办 / 延期" in html
    r = await client.post(f"/proposals/{pid}/urge", data={"back": "overdue"})
    assert r.status == 403 and "页面已过期" in await r.text()
    assert await _history(app, pid, "urge") == []
    r = await client.post(
        f"/proposals/{pid}/urge",
        data={"_csrf": staff, "back": "overdue"},
        allow_redirects=False,
    )
    assert r.status == 303 and r.headers["Location"] == "/proposals?overdue=1&done=urge"
    page = await (await client.get(r.headers["Location"])).text()
    assert "已催办承办单位，提案人已收到通知" in page and "今日已催办" in page
    r = await client.post(f"/proposals/{pid}/urge", data={"_csrf": staff})
    text = await r.text()
    assert r.status == 400 and "已由秘书处小李催办过" in text
    assert len(await _history(app, pid, "urge")) == 1
    async with app.db.session() as s:
        audit = list(await s.exec(select(AuditEntry).where(AuditEntry.action == "proposal.urge")))
    assert [a.actor for a in audit] == ["秘书处小李"]


async def test_two_clerks_urging_at_once_make_one_urge(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    clock: FakeClock,
    people: dict[str, Member],
) -> None:
    pid = await _overdue(app, clock, people["member"])
    staff = await log_in(client, app, people["clerk"])  # after the clock moved: a fresh session
    async with TestClient(TestServer(build_web(app))) as other:
        other_csrf = await log_in(other, app, people["clerk2"])
        results = await asyncio.gather(
            client.post(f"/proposals/{pid}/urge", data={"_csrf": staff}, allow_redirects=False),
            other.post(f"/proposals/{pid}/urge", data={"_csrf": other_csrf}, allow_redirects=False),
        )
        texts = [await r.text() for r in results]
    assert sorted(r.status for r in results) == [303, 400]
    assert any("今天" in t and "催办过" in t for t in texts)
    assert len(await _history(app, pid, "urge")) == 1


async def test_extend_on_the_proposal_page_refuses_bad_dates_and_clears_the_overdue_flag(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    clock: FakeClock,
    people: dict[str, Member],
) -> None:
    pid = await _overdue(app, clock, people["member"])
    staff = await log_in(
        client, app, people["clerk"]
    )  # after the clock moved: a fresh session  # deadline 2026-06-02, now 06-10
    page = await (await client.get(f"/proposals/{pid}")).text()
    assert 'id="do-urge"' in page and 'id="do-extend"' in page and "超期" in page
    for form, message in (
        ({"to": "", "reason": "协调"}, "请填写新的办理期限"),
        ({"to": "2026-07-31", "reason": ""}, "请填写延期理由"),
        ({"to": "过几天", "reason": "协调"}, "没能读懂日期"),
        ({"to": "2026-06-01", "reason": "协调"}, "应晚于原期限（2026年6月2日）"),
        ({"to": "2026-06-05", "reason": "协调"}, "不能早于今天"),
    ):
        r = await client.post(f"/proposals/{pid}/extend", data={"_csrf": staff, **form})
        assert r.status == 400 and message in await r.text(), form
    assert await _history(app, pid, "extend") == []
    r = await client.post(
        f"/proposals/{pid}/extend",
        data={"_csrf": staff, "to": "2026-07-31", "reason": "涉及三个部门，需联合调研"},
    )
    page = await r.text()
    assert r.status == 200 and "办理期限已延长" in page and "2026-07-31" in page
    assert "涉及三个部门，需联合调研" in page  # the history shows the reason
    html = await (await client.get("/proposals", params={"overdue": "1"})).text()
    assert "没有符合条件的提案" in html
    async with app.db.session() as s:
        p = await Proposals(s).require(pid)
        audit = list(await s.exec(select(AuditEntry).where(AuditEntry.action == "proposal.extend")))
    assert p.status == "assigned" and [a.actor for a in audit] == ["秘书处小李"]
