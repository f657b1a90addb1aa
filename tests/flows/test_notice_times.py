"""A clerk types times in natural Chinese while composing a notice in chat; a range typed
as the start gives the end too. The clock starts on Monday 2 March 2026, 09:00 in Beijing."""

from __future__ import annotations

from sqlmodel import select

from bot.app import App
from storage.tables import Notice
from tests.support.chat import Chat, FakeClock


async def test_clerk_types_a_range_and_relative_days(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    await staff_chat.send("/notice")
    await staff_chat.press("其他活动")
    await staff_chat.send("提案办理协商座谈")
    await staff_chat.send("下周三上午九点到十二点")
    # the end came with the range: the next question is the place
    assert "请输入会议地点" in staff_chat.text
    await staff_chat.send("市政协会议中心")
    await staff_chat.press("跳过")
    await staff_chat.press("报名参加")
    await staff_chat.send("12月5日（周四）下午6点")  # 5 December 2026 is a Saturday
    assert "没有看懂这个时间" in staff_chat.text
    await staff_chat.send("下周一下午6点")
    await staff_chat.press("跳过")
    await staff_chat.press("全体委员")
    preview = staff_chat.text
    assert "请确认通知内容" in preview
    assert "2026年3月11日 09:00" in preview and "12:00" in preview
    await staff_chat.press("确认发送")
    async with app.db.session() as s:
        [notice] = list(await s.exec(select(Notice)))
    zone = app.settings.zone
    assert notice.starts_at.astimezone(zone).strftime("%m-%d %H:%M") == "03-11 09:00"
    assert notice.ends_at is not None
    assert notice.ends_at.astimezone(zone).strftime("%m-%d %H:%M") == "03-11 12:00"
    assert notice.reply_deadline.astimezone(zone).strftime("%m-%d %H:%M") == "03-09 18:00"
