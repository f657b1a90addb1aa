"""What members and clerks read, read the way they read it (rendered as the terminal shows
it): who a notice speaks to, dates for deadlines, no nested brackets, the clerk's review."""

from __future__ import annotations

import re

from bot.app import App
from tests.flows.test_proposal_flow import draft_to_preview, proposals
from tests.support.chat import Chat, add_member

NESTED = re.compile(r"（[^）]*（")  # a bracket opened inside another one
CLOCK = re.compile(r"\d{1,2}:\d{2}")


async def joint_proposal_in_review(app: App, member_chat: Chat) -> Chat:
    """张委员 submits a joint proposal that 王委员 co-signed; 王委员's chat is returned."""
    wang = await add_member(app, name="王委员", phone="13900000003")
    wang_chat = await Chat.verified(app, wang)
    await draft_to_preview(member_chat, kind="联名提案")
    await member_chat.send("王委员")
    await member_chat.press("跳过")
    [invite] = [r for r in await wang_chat.outbox_replies() if "联名邀请" in str(r.text)]
    await wang_chat.press_payload(invite.buttons[0][0].action or "")
    await member_chat.send("/proposal")
    await member_chat.press("继续填写")
    await member_chat.press("提交")
    await member_chat.press("确认提交")
    assert "已提交" in member_chat.text
    return wang_chat


async def test_the_clerk_reads_the_text_then_decides_and_each_member_is_addressed_rightly(
    app: App, member_chat: Chat, staff_chat: Chat, clock
) -> None:
    wang_chat = await joint_proposal_in_review(app, member_chat)
    [row] = await proposals(app)

    await staff_chat.send("/review")
    assert not any(label.startswith("立案") for label in staff_chat.labels)  # read first
    await staff_chat.press(f"审阅 #{row.id}")
    shown = staff_chat.text
    for part in ("案由：关于加快发展普惠托育服务的提案", "提案人：张委员", "联名委员：王委员"):
        assert part in shown
    assert "每个街道至少建成一所普惠性托育机构" in shown  # 具体建议
    assert "全市现有托育机构312家" in shown  # 情况分析
    await staff_chat.press(f"立案 #{row.id}")

    assert any(
        "您的提案《关于加快发展普惠托育服务的提案》已立案" in t
        for t in await member_chat.outbox_texts()
    )
    cosigner = [t for t in await wang_chat.outbox_texts() if "已立案" in t]
    assert cosigner and all(t.startswith("您联名的提案《") for t in cosigner)

    await staff_chat.send("/review")
    await staff_chat.press("交办 2026-001")
    await staff_chat.send("市卫健委")
    await staff_chat.press("跳过")
    assert "已交办：2026-001 主办 市卫健委，期限 2026年6月2日。" in staff_chat.text
    assigned = [t for t in await wang_chat.outbox_texts() if "已交办" in t]
    assert assigned and "办理期限：2026年6月2日" in assigned[0]
    assert not CLOCK.search(assigned[0])

    await staff_chat.send("/review")
    await staff_chat.press("答复 2026-001")
    await staff_chat.press("B类")
    await staff_chat.send("已列入明年民生实事。")
    assert "已记录答复：2026-001，已通知提案人和联名委员。" in staff_chat.text
    assert "件提案的提案人" not in staff_chat.text
    [notice] = [r for r in await member_chat.outbox_replies() if "已答复" in str(r.text)]
    text = str(notice.text)
    assert "答复类别：B类（正在解决或列入计划）" in text and not NESTED.search(text)
    assert "请对办理结果作出评价" in text
    [told] = [t for t in await wang_chat.outbox_texts() if "已答复" in t]
    assert told.startswith("您联名的提案 2026-001") and "请对办理结果作出评价" not in told

    # 不满意: the secretariat is told, and /review flags it with the member's words.
    await member_chat.press_payload(notice.buttons[0][2].action or "")
    await member_chat.send("补贴标准没有落实。")
    [alert] = [t for t in await staff_chat.outbox_texts() if "不满意" in t]
    assert "2026-001《关于加快发展普惠托育服务的提案》" in alert and "补贴标准没有落实。" in alert
    assert "提案人：张委员" in alert and "已退回 市卫健委 重新办理" in alert
    await staff_chat.send("/review")
    assert "⚠️ 提案人不满意（补贴标准没有落实。），正在重新办理" in staff_chat.text


async def test_overdue_list_shows_deadline_dates(
    app: App, member_chat: Chat, staff_chat: Chat, clock
) -> None:
    await draft_to_preview(member_chat)
    await member_chat.press("提交")
    await member_chat.press("确认提交")
    await staff_chat.send("/review")
    await staff_chat.press("审阅 #1")
    await staff_chat.press("立案 #1")
    await staff_chat.send("/review")
    await staff_chat.press("交办 2026-001")
    await staff_chat.send("市卫健委")
    await staff_chat.press("跳过")
    clock.advance(days=100)
    await staff_chat.send("/overdue")
    assert "期限：2026年6月2日" in staff_chat.text and not CLOCK.search(staff_chat.text)


async def test_the_step_counter_keeps_its_total_through_a_follow_up_question(
    member_chat: Chat,
) -> None:
    from tests.flows.test_report_flow import CAUSE, SITUATION, SUGGESTIONS

    seen: list[tuple[int, int]] = []

    async def step(reply: list[str]) -> None:
        found = re.search(r"第 (\d+)/(\d+) 步", "\n".join(reply))
        assert found, reply
        seen.append((int(found[1]), int(found[2])))

    await step(await member_chat.send("/report"))
    await step(await member_chat.press("城市建设"))
    await step(await member_chat.send("城东小学放学时段校门口拥堵"))
    await step(await member_chat.send(SITUATION))
    await step(await member_chat.send(CAUSE))
    await step(await member_chat.send(SUGGESTIONS))
    await step(await member_chat.press("不宜公开"))  # the follow-up: why not public
    await step(await member_chat.send("涉及学校安全隐患的具体位置"))
    await step(await member_chat.press("紧急"))
    totals = {total for _, total in seen}
    assert len(totals) == 1, seen  # fixed from the first step
    numbers = [n for n, _ in seen]
    assert numbers == sorted(numbers) and numbers[-1] <= totals.pop(), seen


async def test_attendance_names_who_has_not_answered_reminds_them_and_shows_the_code(
    app: App, staff_chat: Chat, member_chat: Chat, clock
) -> None:
    from storage.notices import NoticesRepo
    from tests.flows.test_notices import a_notice, notice_in_chat, payload

    wang = await add_member(app, name="王委员", phone="13900000003")  # 经济界, silent
    wang_chat = await Chat.verified(app, wang)
    nid = await a_notice(app, clock)
    await member_chat.press_payload(payload(await notice_in_chat(member_chat), "参加"))
    async with app.db.session() as s:
        code = (await NoticesRepo(s).require(nid)).check_in_code
    assert code

    await staff_chat.send(f"/attendance {nid}")
    shown = staff_chat.text
    assert f"签到码：{code}（委员发送 /checkin {code} 签到）" in shown
    unanswered = re.search(r"未回复（(\d+) 人）：(.*)", shown)
    assert unanswered and "王委员" in unanswered[2] and "张委员" not in unanswered[2]
    before = len(await wang_chat.outbox_texts())
    await staff_chat.press("提醒未回复")
    assert f"已提醒 {unanswered[1]} 位未回复的委员" in staff_chat.text
    reminders = (await wang_chat.outbox_replies())[before:]
    assert [str(r.text) for r in reminders] == [
        str(r.text) for r in reminders if "您尚未答复会议通知“常委会第十次会议”" in str(r.text)
    ] and len(reminders) == 1
    assert reminders[0].buttons  # answerable from the reminder itself
    assert not any("尚未答复" in t for t in await member_chat.outbox_texts())


async def test_checkin_help_names_a_command_telegram_accepts(member_chat: Chat) -> None:
    await member_chat.send("/checkin")
    assert "/checkin" in member_chat.text and "/签到" not in member_chat.text


async def test_proposal_fields_include_science_and_technology(member_chat: Chat) -> None:
    await member_chat.send("/proposal")
    await member_chat.press("个人提案")
    await member_chat.send("加快科技成果转化")
    assert "科技" in member_chat.labels


async def test_reading_words_one_off_sessions_and_buttons_as_a_member_reads_them(
    app: App, staff_chat: Chat, member_chat: Chat, clock
) -> None:
    from tests.flows.test_reading_admin import _group, _id

    me = await _id(app, member_chat)
    await _group(app, owner=None, members=[me])  # a monthly 月读会

    await staff_chat.send("/reading_admin")
    await staff_chat.press("管理 乡土中国读书群")
    await staff_chat.press("安排活动")
    await staff_chat.send("专题导读")
    await staff_chat.send("2026年3月6日 19:30")  # once
    await staff_chat.press("跳过")
    await staff_chat.press("跳过")
    await staff_chat.press("确认")
    assert "已安排活动“专题导读”，时间：2026-03-06 19:30" in staff_chat.text
    assert "首次" not in staff_chat.text
    await staff_chat.press("返回")
    await staff_chat.press("活动管理")
    listing = staff_chat.text
    assert "专题导读\n   时间：2026-03-06 19:30" in listing and "重复：2026年3月6日" not in listing
    assert not any(re.match(r"\d+ ", label) for label in staff_chat.labels)

    await member_chat.send("/reading")
    await member_chat.press("乡土中国读书群")
    shown = member_chat.text + "\n".join(member_chat.labels)
    for word in ("读书群", "读书笔记"):
        assert word not in shown.replace("乡土中国读书群", "")  # the group's own name aside
    assert "第1场 参加" in member_chat.labels and "第2场 参加" in member_chat.labels
    assert not any(re.match(r"\d+ ", label) for label in member_chat.labels)  # "1 参加"
    assert "分享读书心得" in member_chat.labels
