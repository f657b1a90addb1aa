"""Co-sign invitations to members who have not verified yet: held and delivered when they
verify (on any platform), shown to the initiator as unreachable, resent or removed from the
draft's preview, and warned about before submitting."""

from __future__ import annotations

from sqlmodel import select

from bot.app import App
from bot.types import Reply
from storage.tables import ProposalSigner
from tests.flows.test_proposal_flow import draft_to_preview, proposals
from tests.support.chat import Chat, add_member

HELD = "王委员：待确认（尚未验证，暂时收不到邀请）"


async def signer_states(app: App) -> dict[int, str]:
    async with app.db.session() as s:
        return {r.member_id: r.status for r in await s.exec(select(ProposalSigner))}


async def invitations(chat: Chat) -> list[Reply]:
    return [r for r in await chat.outbox_replies() if r.buttons and "联名邀请" in str(r.text)]


async def test_an_invitation_to_an_unverified_member_is_held_until_they_verify(
    app: App, member_chat: Chat
) -> None:
    wang = await add_member(app, name="王委员", phone="13900000003")  # on the roster only
    await draft_to_preview(member_chat, kind="联名提案")
    await member_chat.send("王委员")
    assert HELD in member_chat.text  # said in the flow, when inviting
    assert "王委员尚未在本机器人完成身份验证，暂时收不到联名邀请。邀请已保留" in member_chat.text
    await member_chat.press("跳过")
    assert "请核对提案" in member_chat.text and HELD in member_chat.text  # and in the preview
    await member_chat.press("提交")
    assert "至少需要一位附议委员确认" in member_chat.text

    # Wang verifies on Telegram; the held invitation arrives there, with working buttons.
    wang_chat = Chat(app, platform="telegram")
    await wang_chat.share_contact(wang.phone or "")
    assert "验证成功" in wang_chat.text
    [invite] = await invitations(wang_chat)
    assert "每个街道至少建成一所普惠性托育机构" in str(invite.text)
    assert any(
        "王委员已完成身份验证" in t and "联名邀请已送达" in t
        for t in await member_chat.outbox_texts()
    )
    await wang_chat.press_payload(invite.buttons[0][0].action or "")
    assert "您已同意联名" in wang_chat.text

    # The joint proposal can now be submitted.
    await member_chat.send("/proposal")
    await member_chat.press("继续填写")
    assert "王委员：已确认" in member_chat.text
    await member_chat.press("提交")
    await member_chat.press("确认提交")
    assert "已提交" in member_chat.text
    [row] = await proposals(app)
    assert row.status == "submitted"

    # Verifying again elsewhere later delivers nothing more: the invitation is answered.
    console = Chat(app)
    await console.share_contact(wang.phone or "")
    assert await invitations(console) == []


async def test_the_initiator_resends_and_removes_invitations_from_the_preview(
    app: App, member_chat: Chat
) -> None:
    li = await add_member(app, name="李委员", phone="13900000002")
    wang = await add_member(app, name="王委员", phone="13900000003")
    await add_member(app, name="赵委员", phone="13900000004")  # never verifies
    li_chat, wang_chat = await Chat.verified(app, li), await Chat.verified(app, wang)
    await draft_to_preview(member_chat, kind="联名提案")
    for name in ("李委员", "王委员", "赵委员"):
        await member_chat.send(name)
    await member_chat.press("跳过")
    [first] = await invitations(wang_chat)
    await wang_chat.press_payload(first.buttons[0][1].action or "")  # declines

    await member_chat.press("管理联名邀请")
    assert "管理联名邀请" in member_chat.text and "赵委员：待确认（尚未验证" in member_chat.text
    stale_remove_li = member_chat.button("移除·李委员").action or ""
    await member_chat.press("重发邀请·李委员")
    assert "已重新向李委员发送联名邀请" in member_chat.text and "请核对提案" in member_chat.text
    assert len(await invitations(li_chat)) == 2

    await member_chat.press("管理联名邀请")
    await member_chat.press("重发邀请·王委员")  # declined: asked once more
    assert "已重新向王委员发送联名邀请" in member_chat.text
    assert "王委员：待确认" in member_chat.text
    await member_chat.press("管理联名邀请")
    await member_chat.press("重发邀请·赵委员")
    assert "赵委员尚未在本机器人完成身份验证，邀请仍然保留" in member_chat.text

    await member_chat.press("管理联名邀请")
    await member_chat.press("移除·王委员")
    assert "已将王委员移出联名名单" in member_chat.text
    assert "王委员：" not in member_chat.text.split("请核对提案")[-1]
    assert any("已将您移出" in t for t in await wang_chat.outbox_texts())
    latest = (await invitations(wang_chat))[-1]
    await wang_chat.press_payload(latest.buttons[0][0].action or "")
    assert "没有找到这份联名邀请" in wang_chat.text

    # A button of an earlier page changes nothing.
    await member_chat.press_payload(stale_remove_li)
    assert "这个按钮已过期" in member_chat.text
    states = await signer_states(app)
    assert wang.id not in states and states[li.id or 0] == "invited"


async def test_submitting_with_invitations_pending_says_they_will_lapse(
    app: App, member_chat: Chat
) -> None:
    li = await add_member(app, name="李委员", phone="13900000002")
    wang = await add_member(app, name="王委员", phone="13900000003")  # not verified
    li_chat = await Chat.verified(app, li)
    await draft_to_preview(member_chat, kind="联名提案")
    await member_chat.send("李委员")
    await member_chat.send("王委员")
    await member_chat.press("跳过")
    [invite] = await invitations(li_chat)
    await li_chat.press_payload(invite.buttons[0][0].action or "")

    await member_chat.send("/proposal")
    await member_chat.press("继续填写")
    await member_chat.press("提交")
    assert "还有 1 位委员尚未答复联名邀请：王委员（尚未验证）" in member_chat.text
    assert "这些邀请即失效" in member_chat.text and "返回修改" in member_chat.labels
    await member_chat.press("确认提交")
    assert "已提交" in member_chat.text
    assert (await signer_states(app))[wang.id or 0] == "lapsed"

    wang_chat = Chat(app)
    await wang_chat.share_contact(wang.phone or "")
    assert "验证成功" in wang_chat.text
    assert await invitations(wang_chat) == []  # the submitted proposal invites nobody now
