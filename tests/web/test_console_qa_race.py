"""Two clerks closing the same forwarded question at once (the web console's 问答 page): one
wins, the other is told it was already handled, and the outcome, the audit log and the
member's messages show one decision (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import col, select

from bot.app import App
from bot.errors import UserError
from bot.kb.questions import answer_question, dismiss_question
from bot.web.app import build_web
from storage.kb import KbRepository
from storage.tables import AuditEntry, KbQuestion, Member, OutboxMessage
from tests.support.chat import Chat
from tests.web.conftest import log_in


async def _forwarded(app: App, member: Member, question: str) -> int:
    async with app.db.session() as s:
        row = await KbRepository(s).forward(member_id=member.id or 0, question=question)
        return row.id or 0


async def _closing_actions(app: App) -> list[str]:
    async with app.db.session() as s:
        entries = await s.exec(
            select(AuditEntry).where(col(AuditEntry.action).in_(["ask.answer", "ask.dismiss"]))
        )
        return sorted(e.action for e in entries)


async def test_two_clerks_dismissing_at_once_one_succeeds_the_other_is_told(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,
) -> None:
    qid = await _forwarded(app, people["member"], "你好")
    async with TestClient(TestServer(build_web(app))) as other:
        other_csrf = await log_in(other, app, people["clerk2"])
        results = await asyncio.gather(
            client.post(f"/ask/questions/{qid}/dismiss", data={"_csrf": staff}),
            other.post(f"/ask/questions/{qid}/dismiss", data={"_csrf": other_csrf}),
        )
        statuses = sorted(r.status for r in results)
        texts = [await r.text() for r in results]
    assert statuses == [200, 400], texts
    assert any(f"问题 #{qid} 已经标记为无需答复了" in t for t in texts)
    assert await _closing_actions(app) == ["ask.dismiss"]


async def test_a_dismissal_racing_a_colleagues_answer_does_not_undo_it(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,
) -> None:
    await Chat.verified(app, people["member"])
    qid = await _forwarded(app, people["member"], "委员可以同时参加几个读书小组？")
    async with TestClient(TestServer(build_web(app))) as other:
        other_csrf = await log_in(other, app, people["clerk2"])
        results = await asyncio.gather(
            client.post(
                f"/ask/questions/{qid}/answer",
                data={"_csrf": staff, "answer": "不限，每个小组都可以参加。"},
            ),
            other.post(f"/ask/questions/{qid}/dismiss", data={"_csrf": other_csrf}),
        )
        statuses = sorted(r.status for r in results)
        texts = [await r.text() for r in results]
    assert statuses == [200, 400], texts
    async with app.db.session() as s:
        row = await s.get(KbQuestion, qid)
        sent = list(await s.exec(select(OutboxMessage).where(OutboxMessage.kind == "kb_question")))
    assert row is not None
    # Whichever came first stands; the member heard an answer exactly when it stands.
    if row.status == "answered":
        assert await _closing_actions(app) == ["ask.answer"] and len(sent) == 1
        assert any(f"问题 #{qid} 已经答复过了" in t for t in texts)
    else:
        assert row.status == "dismissed" and row.answer is None
        assert await _closing_actions(app) == ["ask.dismiss"] and sent == []
        assert any(f"问题 #{qid} 已经标记为无需答复了" in t for t in texts)


async def test_a_dismissal_while_a_colleagues_decision_is_in_flight_waits_and_is_refused(
    app: App, people: dict[str, Member]
) -> None:
    """The same race made certain: the first clerk's transaction is still open when the
    second clerk's dismissal arrives; it waits for the row, then sees the outcome."""
    await Chat.verified(app, people["member"])
    cat = app.services.catalogue

    async def dismiss_as_second_clerk(qid: int) -> str:
        try:
            async with app.db.session() as s:
                await dismiss_question(s, qid, clerk=people["clerk2"])
        except UserError as exc:
            return cat.s(exc.key, **exc.params)
        return "ok"

    for first in ("dismiss", "answer"):
        qid = await _forwarded(app, people["member"], f"问题（{first}）")
        async with app.db.session() as s:
            if first == "dismiss":
                await dismiss_question(s, qid, clerk=people["clerk"])
            else:
                await answer_question(s, qid, "不限。", clerk=people["clerk"], cat=cat)
            second = asyncio.create_task(dismiss_as_second_clerk(qid))
            await asyncio.sleep(0.3)  # the second request reaches the database meanwhile
        told = await second
        async with app.db.session() as s:
            row = await s.get(KbQuestion, qid)
        assert row is not None
        if first == "dismiss":
            assert told == f"问题 #{qid} 已经标记为无需答复了。"
            assert row.status == "dismissed"
        else:
            assert told == f"问题 #{qid} 已经答复过了。"
            assert row.status == "answered" and row.answer == "不限。"
    assert await _closing_actions(app) == ["ask.answer", "ask.dismiss"]
