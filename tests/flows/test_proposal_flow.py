"""写提案 through the same entry point every channel uses: steps, edit from the preview,
checks, restart mid-draft, /drafts, joint proposals with a decline, forged buttons."""

from __future__ import annotations

import io

from docx import Document
from sqlmodel import select

from bot.app import App, build_app
from storage.roster import Roster
from storage.tables import Proposal
from tests.support.chat import Chat, add_member
from tests.support.proposal_texts import CHILDCARE_SITUATION, CHILDCARE_SUGGESTIONS


async def draft_to_preview(chat: Chat, *, kind: str = "个人提案") -> None:
    await chat.send("/proposal")
    await chat.press(kind)
    await chat.send("加快发展普惠托育服务")
    await chat.press("教育")
    await chat.send(CHILDCARE_SITUATION)
    await chat.send(CHILDCARE_SUGGESTIONS)


async def proposals(app: App) -> list[Proposal]:
    async with app.db.session() as s:
        return list(await s.exec(select(Proposal).order_by(Proposal.id)))


async def test_individual_proposal_from_first_step_to_submission(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await draft_to_preview(member_chat)
    assert "请核对提案" in member_chat.text
    assert "案由：关于加快发展普惠托育服务的提案" in member_chat.text
    assert "格式检查未发现问题" in member_chat.text
    await member_chat.press("提交")
    assert "确认提交《关于加快发展普惠托育服务的提案》" in member_chat.text
    await member_chat.press("确认提交")
    assert "已提交" in member_chat.text
    [row] = await proposals(app)
    assert row.status == "submitted" and row.field == "教育"
    assert any("新提案待审查" in t for t in await staff_chat.outbox_texts())
    await member_chat.press("下载 Word 文本")
    [reply] = member_chat.replies
    assert reply.document is not None and reply.document.file_name.endswith(".docx")
    doc = Document(io.BytesIO(reply.document.content))
    assert any("关于加快发展普惠托育服务的提案" in p.text for p in doc.paragraphs)
    await member_chat.send("/myproposals")
    assert "已提交" in member_chat.text


async def test_edit_from_the_preview_and_back(app: App, member_chat: Chat) -> None:
    await draft_to_preview(member_chat)
    await member_chat.press("改案由")
    assert "请输入案由" in member_chat.text
    await member_chat.send("关于增加普惠托育托位的建议")
    assert "案由：关于增加普惠托育托位的提案" in member_chat.text  # back at the preview
    await member_chat.press("上一步")
    assert "请输入案由" in member_chat.text
    [row] = await proposals(app)
    assert row.title == "关于增加普惠托育托位的提案" and row.status == "draft"


async def test_blocking_check_keeps_it_at_the_preview(app: App, member_chat: Chat) -> None:
    await draft_to_preview(member_chat)
    await member_chat.press("改具体建议")
    await member_chat.send("高度重视，加强领导。")
    assert "具体建议偏于原则" in member_chat.text
    await member_chat.press("改情况分析")
    await member_chat.send("我父亲的养老金问题已向法院提起诉讼。")
    assert "已进入诉讼、仲裁程序的事项" in member_chat.text
    assert "涉及提案者本人及亲属的个人事务" in member_chat.text


async def test_restart_mid_draft_and_resume_from_drafts(app: App, member_chat: Chat) -> None:
    await member_chat.send("/proposal")
    await member_chat.press("个人提案")
    await member_chat.send("加快发展普惠托育服务")
    restarted = await build_app(settings=app.settings, db=app.db, upgrade=False)
    member_chat.app = restarted
    await member_chat.press("教育")
    assert "情况分析" in member_chat.text
    await member_chat.send("/cancel")
    await member_chat.send("/drafts")
    assert "关于加快发展普惠托育服务的提案" in member_chat.text
    [row] = await proposals(app)
    await member_chat.press(f"继续 #{row.id}")
    assert "请写情况分析" in member_chat.text  # first missing part
    await member_chat.send(CHILDCARE_SITUATION)
    await member_chat.send(CHILDCARE_SUGGESTIONS)
    assert "请核对提案" in member_chat.text


async def test_someone_elses_draft_id_is_refused(app: App, member_chat: Chat) -> None:
    other = await add_member(app, name="李委员", phone="13900000002")
    other_chat = await Chat.verified(app, other)
    await draft_to_preview(other_chat)
    [row] = await proposals(app)
    # The member forges a resume/delete/show button for the other member's draft id.
    signer = app.services.signer
    async with app.db.session() as s:
        identity = await Roster(s).identity("console", member_chat.user_id)
    assert identity is not None
    for action in ("proposal.resume", "proposal.delete", "proposal.show", "proposal.docx"):
        await member_chat.press_payload(
            signer.sign(f"m{identity.member_id}", action, (row.id or 0,))
        )
        assert "这不是您的提案" in member_chat.text, action
    # and the other member's own button pressed by this member is forged
    await other_chat.send("/drafts")
    await member_chat.press_payload(other_chat.button(f"删除 #{row.id}").action or "")
    assert "这个按钮无效" in member_chat.text
    assert [r.status for r in await proposals(app)] == ["draft"]


async def test_joint_proposal_with_a_decline(app: App, member_chat: Chat) -> None:
    li = await add_member(app, name="李委员", phone="13900000002")
    wang = await add_member(app, name="王委员", phone="13900000003")
    li_chat, wang_chat = await Chat.verified(app, li), await Chat.verified(app, wang)
    await draft_to_preview(member_chat, kind="联名提案")
    assert "请发送要邀请联名的委员姓名" in member_chat.text
    await member_chat.send("李委员")
    assert "李委员：待确认" in member_chat.text
    await member_chat.send("王委员")
    await member_chat.press("跳过")
    assert "请核对提案" in member_chat.text
    await member_chat.press("提交")
    assert "至少需要一位附议委员确认" in member_chat.text
    [invite] = [r for r in await wang_chat.outbox_replies() if "联名邀请" in str(r.text)]
    assert "每个街道至少建成一所普惠性托育机构" in str(invite.text)  # the full text
    await wang_chat.press_payload(invite.buttons[0][1].action or "")
    assert "您已谢绝联名" in wang_chat.text
    [invite] = [r for r in await li_chat.outbox_replies() if "联名邀请" in str(r.text)]
    await li_chat.press_payload(invite.buttons[0][0].action or "")
    assert "您已同意联名" in li_chat.text
    notices = await member_chat.outbox_texts()
    assert any("王委员谢绝了" in t for t in notices) and any("李委员同意了" in t for t in notices)
    await member_chat.send("/proposal")
    await member_chat.press("继续填写")
    assert "李委员：已确认" in member_chat.text and "王委员：已谢绝" in member_chat.text
    await member_chat.press("提交")
    await member_chat.press("确认提交")
    assert "已提交" in member_chat.text
    await li_chat.send("/myproposals")
    assert "关于加快发展普惠托育服务的提案" in li_chat.text
    await wang_chat.send("/myproposals")
    assert "还没有提交过提案" in wang_chat.text


async def submitted(chat: Chat) -> None:
    await draft_to_preview(chat)
    await chat.press("提交")
    await chat.press("确认提交")


async def test_secretariat_registers_assigns_answers_and_the_member_rates(
    app: App, member_chat: Chat, staff_chat: Chat, clock
) -> None:
    await submitted(member_chat)
    await staff_chat.send("/review")
    assert "待审查提案" in staff_chat.text and "关于加快发展普惠托育服务的提案" in staff_chat.text
    [row] = await proposals(app)
    await staff_chat.press(f"审阅 #{row.id}")  # the text first, then the decision
    await staff_chat.press(f"立案 #{row.id}")
    assert "已立案：2026-001" in staff_chat.text
    assert any("已立案，编号 2026-001" in t for t in await member_chat.outbox_texts())
    await staff_chat.send("/review")
    await staff_chat.press("交办 2026-001")
    await staff_chat.send("市卫健委")
    await staff_chat.send("市财政局、市教育局")
    assert "已交办：2026-001 主办 市卫健委" in staff_chat.text
    clock.advance(days=100)
    await staff_chat.send("/overdue")
    assert "超期未答复提案（共 1 件）" in staff_chat.text
    await staff_chat.send("/review")
    await staff_chat.press("答复 2026-001")
    await staff_chat.press("B类")
    await staff_chat.send("已列入明年民生实事。")
    assert "已记录答复" in staff_chat.text
    [notice] = [r for r in await member_chat.outbox_replies() if "已答复" in str(r.text)]
    await member_chat.press_payload(notice.buttons[0][2].action or "")  # 不满意
    assert "如有具体意见" in member_chat.text
    await member_chat.send("补贴标准没有落实，希望明确时间表。")
    assert "退回承办单位重新办理" in member_chat.text
    [row] = await proposals(app)
    assert (row.status, row.round, row.rating) == ("assigned", 2, "dissatisfied")
    assert row.rating_comment == "补贴标准没有落实，希望明确时间表。"


async def test_secretariat_declines_with_a_ground_and_converts(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await submitted(member_chat)
    await staff_chat.send("/review")
    await staff_chat.press("审阅 #")
    await staff_chat.press("不予立案 #")
    await staff_chat.press("学术性探讨")
    await staff_chat.send("属学术讨论")
    await staff_chat.press("转为社情民意信息")
    assert "已不予立案" in staff_chat.text
    texts = await member_chat.outbox_texts()
    assert any("理由：学术性探讨" in t and "转为社情民意信息" in t for t in texts)


async def test_secretariat_actions_are_refused_to_members(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await submitted(member_chat)
    await member_chat.send("/review")
    assert "没有权限" in member_chat.text
    await member_chat.send("/overdue")
    assert "没有权限" in member_chat.text
    [row] = await proposals(app)
    async with app.db.session() as s:
        identity = await Roster(s).identity("console", member_chat.user_id)
    assert identity is not None
    for action in ("review.register", "review.decline", "review.assign", "review.answer"):
        payload = app.services.signer.sign(f"m{identity.member_id}", action, (row.id or 0,))
        await member_chat.press_payload(payload)
        assert "没有权限" in member_chat.text, action
    assert [r.status for r in await proposals(app)] == ["submitted"]
