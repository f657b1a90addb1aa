"""Proposal leftovers through the chat harness: co-signing a similar proposal instead of
duplicating it, co-signers asked again after an edit, the answer as an uploaded file, and the
similarity index built once per process."""

from __future__ import annotations

from sqlmodel import select

from bot.app import App
from bot.types import InDocument
from handlers.proposals.findings import similarity_cache
from storage.tables import ProposalSigner
from tests.flows.test_proposal_flow import draft_to_preview, proposals, submitted
from tests.flows.test_report_flow import subject
from tests.support.chat import Chat, add_member


async def signers(app: App) -> list[ProposalSigner]:
    async with app.db.session() as s:
        return list(await s.exec(select(ProposalSigner).order_by(ProposalSigner.id)))


async def joint_draft_at_preview(chat: Chat) -> None:
    await draft_to_preview(chat, kind="联名提案")
    await chat.press("跳过")  # nobody invited yet
    assert "请核对提案" in chat.text


async def test_a_similar_open_joint_draft_is_joined_instead_of_duplicated(
    app: App, member_chat: Chat
) -> None:
    li = await add_member(app, name="李委员", phone="13900000002")
    li_chat = await Chat.verified(app, li)
    await joint_draft_at_preview(li_chat)
    [host] = await proposals(app)
    await draft_to_preview(member_chat)
    assert "李委员正在征集联名的提案与您的相近" in member_chat.text
    await member_chat.press(f"联名 #{host.id}")
    assert (
        "加入联名" in member_chat.text and "每个街道至少建成一所普惠性托育机构" in member_chat.text
    )
    await member_chat.press("确认加入联名")
    assert "您已加入联名《关于加快发展普惠托育服务的提案》" in member_chat.text
    assert any("申请加入联名" in t for t in await li_chat.outbox_texts())
    [signer] = await signers(app)
    assert (signer.proposal_id, signer.status) == (host.id, "confirmed")
    # the host can now submit with a confirmed co-signer; the joiner sees it as theirs
    await li_chat.press("提交")
    await li_chat.press("确认提交")
    assert "已提交" in li_chat.text
    await member_chat.send("/myproposals")
    assert "关于加快发展普惠托育服务的提案" in member_chat.text


async def test_a_similar_submitted_proposal_cannot_be_joined_and_is_explained(
    app: App, member_chat: Chat
) -> None:
    li = await add_member(app, name="李委员", phone="13900000002")
    li_chat = await Chat.verified(app, li)
    await submitted(li_chat)
    [host, *_] = await proposals(app)
    cache = similarity_cache(app.services)
    await cache.settled()  # the submission's rebuild runs off the loop
    builds = cache.builds
    await draft_to_preview(member_chat)
    assert "本届已有相似提案" in member_chat.text
    await member_chat.press("改类别")
    await member_chat.press("教育")
    assert cache.builds == builds  # previews reuse the index built at the submission
    await member_chat.press(f"联名 #{host.id}")
    assert "目前状态为“已提交”，已不能联名" in member_chat.text
    assert await signers(app) == []
    rows = await proposals(app)
    assert [r.status for r in rows] == ["submitted", "draft"]


async def test_editing_after_confirmation_asks_cosigners_again(app: App, member_chat: Chat) -> None:
    li = await add_member(app, name="李委员", phone="13900000002")
    li_chat = await Chat.verified(app, li)
    await draft_to_preview(member_chat, kind="联名提案")
    await member_chat.send("李委员")
    await member_chat.press("跳过")
    [invite] = [r for r in await li_chat.outbox_replies() if "联名邀请" in str(r.text)]
    await li_chat.press_payload(invite.buttons[0][0].action or "")
    assert [s.status for s in await signers(app)] == ["confirmed"]
    await member_chat.send("/proposal")
    await member_chat.press("继续填写")
    await member_chat.press("改具体建议")
    await member_chat.send(
        "1. 每个街道建成一所普惠性托育机构。\n2. 市财政按每个托位每年3000元补贴。"
    )
    assert "已请 1 位已确认的联名委员重新确认" in member_chat.text
    assert [s.status for s in await signers(app)] == ["invited"]
    await member_chat.press("提交")
    assert "至少需要一位附议委员确认" in member_chat.text
    again = [r for r in await li_chat.outbox_replies() if "请重新确认" in str(r.text)]
    assert len(again) == 1 and "每个托位每年3000元" in str(again[0].text)
    await li_chat.press_payload(again[0].buttons[0][0].action or "")
    assert "您已同意联名" in li_chat.text
    await member_chat.press("提交")
    await member_chat.press("确认提交")
    assert "已提交" in member_chat.text
    assert [s.status for s in await signers(app)] == ["confirmed"]


async def test_the_answer_is_an_uploaded_file_the_member_can_download(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await submitted(member_chat)
    await staff_chat.send("/review")
    await staff_chat.press("审阅 #1")
    await staff_chat.press("立案 #1")
    await staff_chat.send("/review")
    await staff_chat.press("交办 2026-001")
    await staff_chat.send("市卫健委")
    await staff_chat.press("跳过")
    await staff_chat.send("/review")
    await staff_chat.press("答复 2026-001")
    await staff_chat.press("A类")
    assert "上传答复文件" in staff_chat.text
    await staff_chat.incoming(
        staff_chat._base(kind="document", document=InDocument("大.pdf", None, size=80 << 20))
    )
    assert "文件太大或未能接收" in staff_chat.text  # and the step is still waiting for it
    letter = b"%PDF-1.4 answer letter"
    await staff_chat.upload("答复函.pdf", letter)
    assert "已记录答复" in staff_chat.text
    [row] = await proposals(app)
    assert (row.status, row.answer_document_name, row.answer_document) == (
        "answered",
        "答复函.pdf",
        letter,
    )
    # The letter itself reaches the member, attached to the 已答复 notice.
    [notice] = [r for r in await member_chat.outbox_replies() if r.document is not None]
    assert notice.document is not None and notice.document.content == letter
    assert "已答复" in str(notice.text)
    await member_chat.send("/myproposals")
    await member_chat.press("查看 2026-001")
    await member_chat.press("下载答复文件")
    [reply] = member_chat.replies
    assert reply.document is not None and reply.document.content == letter


async def test_rating_is_refused_to_others_and_when_not_answered(
    app: App, member_chat: Chat
) -> None:
    await submitted(member_chat)
    [row] = await proposals(app)
    other = await add_member(app, name="李委员", phone="13900000002")
    other_chat = await Chat.verified(app, other)
    mine = app.services.signer.sign
    await other_chat.press_payload(
        mine(await subject(app, other_chat), "proposal.rate", (row.id or 0, "satisfied"))
    )
    assert "这不是您的提案" in other_chat.text
    await member_chat.press_payload(
        mine(await subject(app, member_chat), "proposal.rate", (row.id or 0, "satisfied"))
    )
    assert "目前不在待评价状态" in member_chat.text
