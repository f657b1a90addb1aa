"""Paperwork as a member and a clerk meet it in chat: the member's own 工作单位 and 通讯地址
in /me (audited; the phone stays with the secretariat), the answer letter arriving with
the 已答复 notice, and the 社情民意 report as a Word document for its author and the
secretariat."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from sqlmodel import col, select

from bot.app import App, build_app
from bot.proposals.proposal_lifecycle import AnswerCategory
from bot.settings import Settings
from storage.tables import AuditEntry, Member, OutboxMessage
from tests.flows.test_cli import cli
from tests.flows.test_proposal_flow import proposals
from tests.flows.test_proposal_flow import submitted as proposal_submitted
from tests.flows.test_report_flow import reports, subject
from tests.flows.test_report_flow import submitted as report_submitted
from tests.support.chat import Chat, add_member
from tests.web.support import office_of


async def member_named(app: App, name: str) -> Member:
    async with app.db.session() as s:
        row = (await s.exec(select(Member).where(Member.name == name))).one()
    return row


async def test_member_updates_unit_and_address_in_me(app: App, member_chat: Chat) -> None:
    await member_chat.send("/me")
    assert "工作单位：—" in member_chat.text and "通讯地址：—" in member_chat.text
    assert "手机：139****0001" in member_chat.text
    assert "修改工作单位" in member_chat.labels and "修改通讯地址" in member_chat.labels
    assert not any("手机" in label for label in member_chat.labels)  # only via the secretariat

    await member_chat.press("修改工作单位")
    assert "请输入您的工作单位及职务" in member_chat.text
    await member_chat.send("市第一中学  校长")
    assert "已更新工作单位：市第一中学 校长" in member_chat.text
    await member_chat.press("修改通讯地址")
    await member_chat.send("示例市中原区建设路1号")
    assert "已更新通讯地址" in member_chat.text

    row = await member_named(app, "张委员")
    assert (row.unit, row.address, row.phone) == (
        "市第一中学 校长",
        "示例市中原区建设路1号",
        "13900000001",
    )
    async with app.db.session() as s:
        audit = list(
            await s.exec(
                select(AuditEntry)
                .where(col(AuditEntry.action).startswith("member.profile"))
                .order_by(col(AuditEntry.id))
            )
        )
    assert [(a.action, a.actor, a.detail["after"]) for a in audit] == [
        ("member.profile_unit", "张委员", "市第一中学 校长"),
        ("member.profile_address", "张委员", "示例市中原区建设路1号"),
    ]
    await member_chat.send("/me")
    assert "工作单位：市第一中学 校长" in member_chat.text


async def test_unit_change_reaches_the_next_proposal_and_the_phone_cannot_be_edited(
    app: App, member_chat: Chat
) -> None:
    await member_chat.send("/me")
    await member_chat.press("修改工作单位")
    await member_chat.send("x" * 129)  # longer than the roster column
    assert "已更新" not in member_chat.text
    assert (await member_named(app, "张委员")).unit == ""
    await member_chat.send("市人民医院副院长")
    # a forged button asking to edit the phone is refused and changes nothing
    payload = app.services.signer.sign(await subject(app, member_chat), "profile.edit", ("phone",))
    await member_chat.press_payload(payload)
    assert "已更新" not in member_chat.text
    assert (await member_named(app, "张委员")).phone == "13900000001"

    await proposal_submitted(member_chat)
    await member_chat.press("下载 Word 文本")
    [reply] = member_chat.replies
    assert reply.document is not None
    doc = Document(io.BytesIO(reply.document.content))
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[1][3] == "市人民医院副院长"
    # the session line from the settings; by default its numbers are left to write in by hand
    assert [p.text for p in doc.paragraphs][1] == "第　　届委员会第　　次会议"


async def test_the_answer_letter_comes_with_the_answered_notice(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await proposal_submitted(member_chat)
    [row] = await proposals(app)
    letter = b"%PDF-1.4 answer letter"
    # The secretariat's chat, web console and CLI all record the answer through the Office.
    clerk = await member_named(app, "秘书处小李")
    async with app.db.session() as s:
        office = office_of(app, s, actor=clerk)
        await office.register(row.id or 0)
        await office.assign(row.id or 0, lead_unit="市卫健委")
        await office.answer(
            row.id or 0,
            category=AnswerCategory.A,
            document_name="关于托育服务提案的答复.pdf",
            document=letter,
        )

    async with app.db.session() as s:
        rows = list(
            await s.exec(
                select(OutboxMessage).where(
                    OutboxMessage.chat_id == member_chat.user_id,
                    col(OutboxMessage.document).is_not(None),
                )
            )
        )
    [notice] = rows
    assert notice.document == letter and notice.document_name == "关于托育服务提案的答复.pdf"
    text = str(notice.payload["text"])
    assert "已答复" in text and "答复函见附件" in text
    assert "关于托育服务提案的答复.pdf" not in text  # the file itself, not its name


async def test_report_docx_for_the_author_and_the_secretariat(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await report_submitted(member_chat)
    [row] = await reports(app)
    await member_chat.send("/myreports")
    await member_chat.press(f"#{row.id} 下载 Word")
    [reply] = member_chat.replies
    assert reply.document is not None and reply.document.file_name.endswith(".docx")
    text = [p.text for p in Document(io.BytesIO(reply.document.content)).paragraphs]
    assert "社情民意信息" in text and "标题：城东小学放学时段校门口拥堵" in text

    await staff_chat.send("/reports")
    await staff_chat.press(f"#{row.id} 下载 Word")
    [reply] = staff_chat.replies
    assert reply.document is not None and "城东小学" in reply.document.file_name

    other = await add_member(app, name="李委员", phone="13900000002")
    other_chat = await Chat.verified(app, other)
    payload = app.services.signer.sign(await subject(app, other_chat), "report.docx", (row.id,))
    await other_chat.press_payload(payload)
    assert other_chat.replies[0].document is None
    assert "不是您报送的信息" in other_chat.text


async def test_report_docx_from_the_terminal(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}")  # type: ignore[arg-type]
    app = await build_app(settings=settings, upgrade=True)
    try:
        member = await add_member(app, name="李秀梅", phone="13800000002")
        await report_submitted(await Chat.verified(app, member))
    finally:
        await app.db.dispose()
    out = tmp_path / "report.docx"
    done = cli(tmp_path, "reports", "docx", "1", "--out", str(out))
    assert done.returncode == 0 and "已导出" in done.stdout, done.stderr
    text = [p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert "社情民意信息" in text and "标题：城东小学放学时段校门口拥堵" in text
    missing = cli(tmp_path, "reports", "docx", "99")
    assert missing.returncode == 1 and "没有找到这篇社情民意信息" in missing.stderr
