"""The conversation engine through a real flow (留言秘书处): steps, back, cancel and resume,
idle return, restart, forged and stale buttons, oversized input, markup in member text."""

from __future__ import annotations

from sqlmodel import select

from bot.app import App, build_app
from bot.text import render
from storage.tables import Conversation, InboxMessage
from tests.support.chat import Chat, FakeClock


async def _draft(app: App, member_chat: Chat) -> Conversation:
    async with app.db.session() as session:
        rows = (await session.exec(select(Conversation))).all()
    assert len(rows) == 1
    return rows[0]


async def test_whole_flow_reaches_the_secretariat(member_chat: Chat, staff_chat: Chat) -> None:
    await member_chat.send("/contact")
    assert "第 1/3 步" in member_chat.text
    await member_chat.press("履职咨询")
    assert "已选择「履职咨询」" in member_chat.texts[0]  # the pressed message is edited
    assert member_chat.replies[0].edit
    await member_chat.send("请问双月协商座谈会的议题怎么报送？")
    assert "请确认留言" in member_chat.text and "双月协商座谈会" in member_chat.text
    await member_chat.press("发送")
    assert "留言已送达秘书处" in member_chat.text
    staff_messages = await staff_chat.outbox_texts()
    assert any("双月协商座谈会" in t and "张委员" in t for t in staff_messages)


async def test_back_returns_to_the_previous_step(member_chat: Chat) -> None:
    await member_chat.send("/contact")
    await member_chat.press("其他")
    await member_chat.send("第一稿")
    await member_chat.press("上一步")
    assert "请写下您要告诉秘书处的内容" in member_chat.text
    await member_chat.send("第二稿")
    assert "内容：第二稿" in member_chat.text


async def test_cancel_keeps_the_draft_and_resume_continues(app: App, member_chat: Chat) -> None:
    await member_chat.send("/contact")
    await member_chat.press("使用问题")
    await member_chat.send("/cancel")
    assert "草稿已保留" in member_chat.text
    await member_chat.send("随便说一句")  # no active flow now: not taken as the message body
    assert "没有找到" in member_chat.text  # but as a question for the rulebook (handlers/ask)
    await member_chat.send("/contact")
    assert "您有一份未完成的「留言秘书处」" in member_chat.text
    await member_chat.press("继续填写")
    assert "请写下您要告诉秘书处的内容" in member_chat.text
    await member_chat.send("手机上按钮点不动")
    assert "类别：使用问题" in member_chat.text


async def test_discard_forgets_the_draft(app: App, member_chat: Chat) -> None:
    await member_chat.send("/contact")
    await member_chat.press("其他")
    await member_chat.send("/cancel")
    await member_chat.send("/contact")
    await member_chat.press("放弃草稿")
    assert "已放弃" in member_chat.text
    await member_chat.send("/contact")
    assert "第 1/3 步" in member_chat.text


async def test_idle_flow_asks_to_resume_and_keeps_what_was_typed(
    member_chat: Chat, clock: FakeClock
) -> None:
    await member_chat.send("/contact")
    await member_chat.press("其他")
    clock.advance(hours=5)
    await member_chat.send("隔了很久才写的内容")
    assert "有一段时间没有操作了" in member_chat.text
    await member_chat.press("继续填写")
    assert "内容：隔了很久才写的内容" in member_chat.text


async def test_new_process_continues_a_half_finished_flow(app: App, member_chat: Chat) -> None:
    await member_chat.send("/contact")
    await member_chat.press("履职咨询")
    # A fresh app on the same database, as after a restart or on a second server.
    restarted = await build_app(settings=app.settings, db=app.db, upgrade=False)
    member_chat.app = restarted
    await member_chat.send("重启之后继续写")
    assert "内容：重启之后继续写" in member_chat.text
    await member_chat.press("发送")
    assert "留言已送达" in member_chat.text


async def test_stale_button_changes_nothing(app: App, member_chat: Chat) -> None:
    await member_chat.send("/contact")
    old_topic_buttons = list(member_chat.buttons)
    await member_chat.press("其他")
    await member_chat.send("正文")
    before = await _draft(app, member_chat)
    stale = next(b for b in old_topic_buttons if "履职咨询" in render(b.label, "plain"))
    await member_chat.press_payload(stale.action or "")
    assert "按钮已过期" in member_chat.text
    after = await _draft(app, member_chat)
    assert after.data == before.data and after.step == before.step and after.rev == before.rev


async def test_forged_and_foreign_buttons_change_nothing(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await member_chat.send("/contact")
    payload = member_chat.button("履职咨询").action or ""
    # Someone else presses a button that was made for this member.
    await staff_chat.press_payload(payload)
    assert "这个按钮无效" in staff_chat.text
    # Hand-edited payloads: another choice index, garbage, oversized.
    name, _args, rev, sig = payload.split("|")
    for forged in [f"{name}|inbox,topic,2|{rev}|{sig}", "flow.pick|x", "A" * 300, ""]:
        await member_chat.press_payload(forged)
        assert "这个按钮无效" in member_chat.text
    conversation = await _draft(app, member_chat)
    assert conversation.step == "topic" and conversation.data == {}


async def test_oversized_text_is_refused_and_the_draft_kept(app: App, member_chat: Chat) -> None:
    await member_chat.send("/contact")
    await member_chat.press("其他")
    await member_chat.send("太" * 1001)
    assert "内容太长：1001 字，本项上限 1000 字" in member_chat.text
    await member_chat.send("短一点")
    assert "内容：短一点" in member_chat.text


async def test_markup_typed_by_a_member_is_shown_not_interpreted(
    member_chat: Chat, staff_chat: Chat
) -> None:
    await member_chat.send("/contact")
    await member_chat.press("其他")
    await member_chat.send("<b>加粗</b> & <a href='x'>链接</a>")
    await member_chat.press("发送")
    [notice] = [r for r in await staff_chat.outbox_replies() if "新留言" in render(r.text, "plain")]
    html = render(notice.text, "html")
    assert "&lt;b&gt;加粗&lt;/b&gt; &amp; &lt;a href='x'&gt;链接&lt;/a&gt;" in html
    assert html.startswith("<b>新留言")  # the catalogue's own markup survives


async def test_secretariat_answer_reaches_the_member(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await member_chat.send("/contact")
    await member_chat.press("履职咨询")
    await member_chat.send("读书活动怎么报名？")
    await member_chat.press("发送")
    [notice] = [r for r in await staff_chat.outbox_replies() if "新留言" in render(r.text, "plain")]
    answer_button = notice.buttons[0][0]
    # A member cannot use the clerk's button, even if it reached them.
    await member_chat.press_payload(answer_button.action or "")
    assert "这个按钮无效" in member_chat.text
    await staff_chat.press_payload(answer_button.action or "")
    assert "请输入给委员的答复" in staff_chat.text
    await staff_chat.send("在 /reading 里选择读书群加入即可。")
    assert "答复已发给委员" in staff_chat.text
    texts = await member_chat.outbox_texts()
    assert any("秘书处答复了您的留言" in t and "读书群" in t for t in texts)
    async with app.db.session() as session:
        message = (await session.exec(select(InboxMessage))).one()
    assert message.answered_at is not None
    await staff_chat.press_payload(answer_button.action or "")
    assert "已经答复过了" in staff_chat.text
