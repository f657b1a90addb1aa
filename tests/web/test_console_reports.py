"""社情民意 at the desk: the queue with each report's text, its Word document, and a decision
(adopted at a level, with the member told), refused without the CSRF token."""

from __future__ import annotations

import io

from aiohttp.test_utils import TestClient
from docx import Document
from sqlmodel import select

from bot.app import App
from storage.tables import AuditEntry, Member, Report
from tests.support.chat import Chat
from tests.support.proposal_texts import GOOD_REPORT


async def a_report(app: App, author: Member) -> int:
    async with app.db.session() as s:
        row = Report(
            year=app.services.clock().astimezone(app.settings.zone).year,
            author_id=author.id or 0,
            status="submitted",
            category=GOOD_REPORT.category,
            title=GOOD_REPORT.title,
            situation=GOOD_REPORT.situation,
            cause=GOOD_REPORT.cause,
            suggestions=GOOD_REPORT.suggestions,
            reporter={"name": author.name, "sector": author.sector or ""},
            submitted_at=app.services.clock(),
        )
        s.add(row)
        await s.flush()
        assert row.id is not None
        return row.id


async def test_a_report_is_read_downloaded_and_adopted(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    people: dict[str, Member],
    staff: str,
) -> None:
    member_chat = await Chat.verified(app, people["member"])
    rid = await a_report(app, people["member"])
    page = await (await client.get("/reports")).text()
    assert GOOD_REPORT.title in page and f"/reports/{rid}/docx" in page
    reply = await client.get(f"/reports/{rid}/docx")
    assert reply.status == 200
    doc = Document(io.BytesIO(await reply.read()))
    assert any(GOOD_REPORT.title in p.text for p in doc.paragraphs)

    forged = await client.post(f"/reports/{rid}/decide", data={"decision": "city"})
    assert forged.status == 403
    async with app.db.session() as s:
        assert (await s.get(Report, rid)).status == "submitted"  # type: ignore[union-attr]

    done = await client.post(
        f"/reports/{rid}/decide",
        data={"_csrf": staff, "decision": "city", "note": "市委办公厅刊发"},
    )
    assert done.status == 200  # followed back to the queue
    async with app.db.session() as s:
        row = await s.get(Report, rid)
        assert row is not None and row.status == "adopted" and row.levels == ["city"]
        audit = (await s.exec(select(AuditEntry).where(AuditEntry.target == f"report:{rid}"))).all()
    assert [a.actor_member_id for a in audit] == [people["clerk"].id]
    [told] = await member_chat.outbox_texts()  # the member hears of the adoption
    assert GOOD_REPORT.title in told
