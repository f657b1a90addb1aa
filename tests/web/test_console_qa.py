"""问答 in the console: answering forwarded questions (the member hears through the outbox),
the rulebook's documents (upload → ingest, bad files refused, remove) and the gaps
(SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from aiohttp import FormData
from aiohttp.test_utils import TestClient
from sqlmodel import select

from bot.app import App
from storage.kb import KbRepository
from storage.tables import AuditEntry, KbDocument, KbQuestion, Member, OutboxMessage
from storage.tables.inbox import InboxMessage
from tests.support.chat import Chat

RULES = (
    "读书会工作规则\n\n"
    "第一条 读书会每月举行一次，地点在政协机关三楼会议室。\n\n"
    "第二条 委员因故不能参加读书会的，应当提前一天向联络员请假。\n"
).encode()


async def _forwarded(app: App, member: Member, question: str) -> int:
    async with app.db.session() as s:
        row = await KbRepository(s).forward(member_id=member.id or 0, question=question)
        return row.id or 0


async def _outbox(app: App, kind: str) -> list[OutboxMessage]:
    async with app.db.session() as s:
        return list(await s.exec(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def _upload(csrf: str, name: str, body: bytes) -> FormData:
    form = FormData()
    form.add_field("_csrf", csrf)
    form.add_field("file", body, filename=name)
    return form


async def test_a_forwarded_question_is_answered_once_and_the_member_is_told(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    people: dict[str, Member],
    staff: str,
) -> None:
    await Chat.verified(app, people["member"])
    qid = await _forwarded(app, people["member"], "委员可以同时参加几个读书小组？")
    page = await (await client.get("/ask")).text()
    assert "委员可以同时参加几个读书小组？" in page and "王芳" in page and "待答复" in page
    r = await client.post(f"/ask/questions/{qid}/answer", data={"_csrf": staff, "answer": " "})
    assert r.status == 400 and "答复不能为空" in await r.text()
    r = await client.post(
        f"/ask/questions/{qid}/answer",
        data={"_csrf": staff, "answer": "不限，每个小组都可以参加。"},
    )
    assert r.status == 200 and "答复已记录" in await r.text()
    [sent] = await _outbox(app, "kb_question")
    assert sent.member_id == people["member"].id
    assert "不限，每个小组都可以参加。" in json.dumps(sent.payload, ensure_ascii=False)
    # A colleague answering the same question a moment later is told; nothing is doubled.
    r = await client.post(
        f"/ask/questions/{qid}/answer", data={"_csrf": staff, "answer": "另一个答复"}
    )
    assert r.status == 400 and "已经答复过了" in await r.text()
    assert len(await _outbox(app, "kb_question")) == 1
    page = await (await client.get("/ask")).text()
    assert "目前没有待答复的委员提问" in page  # the queue is empty; the gap stays listed
    assert "不限，每个小组都可以参加。" in page and "已答复" in page
    async with app.db.session() as s:
        row = await s.get(KbQuestion, qid)
        entries = list(await s.exec(select(AuditEntry).where(AuditEntry.action == "ask.answer")))
    assert row is not None and row.answered_by == people["clerk"].id
    assert [e.actor for e in entries] == ["秘书处小李"]


async def test_dismissing_and_a_forged_request_change_nothing_they_should_not(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    people: dict[str, Member],
    staff: str,
) -> None:
    qid = await _forwarded(app, people["member"], "你好")
    r = await client.post(f"/ask/questions/{qid}/dismiss", data={"_csrf": "forged"})
    assert r.status == 403 and "操作未执行" in await r.text()
    async with app.db.session() as s:
        assert (await s.get(KbQuestion, qid)).status == "pending"  # type: ignore[union-attr]
    r = await client.post(f"/ask/questions/{qid}/dismiss", data={"_csrf": staff})
    assert "无需答复" in await r.text()
    async with app.db.session() as s:
        assert (await s.get(KbQuestion, qid)).status == "dismissed"  # type: ignore[union-attr]
    assert await _outbox(app, "kb_question") == []


async def test_an_uploaded_rulebook_is_ingested_answers_and_can_be_removed(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    staff: str,
) -> None:
    r = await client.post("/ask/documents", data=_upload(staff, "读书会规则.md", RULES))
    assert r.status == 200 and "规则文件已导入" in await r.text()
    page = await (await client.get("/ask")).text()
    assert "读书会规则.md" in page and "读书会工作规则" in page
    assert app.services.knowledge is not None
    answer = await app.services.knowledge.ask("读书会在哪里举行？")
    assert any(c.source == "读书会规则.md" for c in answer.citations)
    again = await client.post("/ask/documents", data=_upload(staff, "读书会规则.md", RULES))
    assert "完全相同" in await again.text()
    r = await client.post(
        "/ask/documents/remove", data={"_csrf": staff, "file_name": "读书会规则.md"}
    )
    assert "规则文件已删除" in await r.text()
    async with app.db.session() as s:
        assert (await KbRepository(s).document("读书会规则.md")) is None
        actions = [e.action for e in await s.exec(select(AuditEntry))]
    assert "rulebook.ingest" in actions and "rulebook.remove" in actions
    r = await client.post(
        "/ask/documents/remove", data={"_csrf": staff, "file_name": "读书会规则.md"}
    )
    assert r.status == 400 and "没有文件" in await r.text()


async def test_a_corrupt_wrong_type_or_oversized_file_is_refused_in_chinese(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    staff: str,
) -> None:
    r = await client.post("/ask/documents", data=_upload(staff, "规则.docx", b"PK\x03\x04garbage"))
    assert r.status == 400 and "已损坏" in await r.text()
    r = await client.post("/ask/documents", data=_upload(staff, "规则.exe", b"MZ"))
    assert r.status == 400 and "不支持文件" in await r.text()
    app.settings = app.settings.model_copy(update={"max_upload_bytes": 2048})
    r = await client.post("/ask/documents", data=_upload(staff, "大.txt", RULES * 40))
    assert r.status == 400 and "太大" in await r.text()
    async with app.db.session() as s:
        assert list(await s.exec(select(KbDocument))) == []


async def test_a_members_message_to_the_secretariat_is_answered_from_the_console(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    people: dict[str, Member],
    staff: str,
) -> None:
    await Chat.verified(app, people["member"])
    async with app.db.session() as s:
        message = InboxMessage(
            member_id=people["member"].id or 0, topic="technical", body="收不到会议通知怎么办？"
        )
        s.add(message)
        await s.flush()
        mid = message.id
    page = await (await client.get("/ask")).text()
    assert "收不到会议通知怎么办？" in page and "使用问题" in page
    answer = {"_csrf": staff, "answer": "请在聊天中发送 /start 重新绑定。"}
    r = await client.post(f"/ask/inbox/{mid}/answer", data=answer)
    assert "答复已记录" in await r.text()
    r = await client.post(f"/ask/inbox/{mid}/answer", data=answer)
    assert r.status == 400 and "已经答复过了" in await r.text()
    [sent] = await _outbox(app, "inbox")
    assert sent.member_id == people["member"].id and "重新绑定" in json.dumps(
        sent.payload, ensure_ascii=False
    )
    assert "目前没有待答复的委员留言" in await (await client.get("/ask")).text()
