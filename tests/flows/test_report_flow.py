"""社情民意 through the same entry point every channel uses: the guided report with edits,
a report kept from the public, checks, resuming from /myreports, forged ids, and the
secretariat's decision reaching the member."""

from __future__ import annotations

from sqlmodel import select

from bot.app import App, build_app
from bot.cli.proposals import proposals_section
from storage.roster import Roster
from storage.tables import Report
from tests.support.chat import Chat, add_member

SITUATION = (
    "城东片区三所小学放学时段校门口道路拥堵严重，接送车辆占用机动车道和人行道，"
    "每天下午四点至五点平均拥堵四十分钟，学生穿行车流存在安全隐患。"
)
CAUSE = "学校周边没有临时停车区域，交警和学校之间缺少错峰放学的协调机制。"
SUGGESTIONS = "1. 在学校周边200米内划定限时接送停车位。\n2. 由教育局统筹三所学校错峰十五分钟放学。"


async def draft_to_preview(chat: Chat, *, public: bool = True) -> None:
    await chat.send("/report")
    await chat.press("城市建设")
    await chat.send("城东小学放学时段校门口拥堵")
    await chat.send(SITUATION)
    await chat.send(CAUSE)
    await chat.send(SUGGESTIONS)
    if public:
        await chat.press("可以公开")
    else:
        await chat.press("不宜公开")
        await chat.send("涉及学校安全隐患的具体位置")
    await chat.press("紧急")


async def reports(app: App) -> list[Report]:
    async with app.db.session() as s:
        return list(await s.exec(select(Report).order_by(Report.id)))


async def subject(app: App, chat: Chat) -> str:
    """Whom the chat's buttons are signed for (to build a button the queue no longer shows)."""
    async with app.db.session() as s:
        identity = await Roster(s).identity("console", chat.user_id)
    assert identity is not None
    return f"m{identity.member_id}"


async def submitted(chat: Chat) -> None:
    await draft_to_preview(chat)
    await chat.press("报送")
    await chat.press("确认报送")


async def test_report_from_first_step_to_submission(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await draft_to_preview(member_chat)
    text = member_chat.text
    assert "请核对社情民意信息" in text and "类别：城市建设" in text
    assert "紧急程度：紧急" in text and "反映人：张委员" in text  # pre-filled from the roster
    assert "公开：可以公开" in text and "格式检查未发现问题" in text
    await member_chat.press("报送")
    await member_chat.press("确认报送")
    assert "已报送" in member_chat.text
    [row] = await reports(app)
    assert (row.status, row.category, row.urgency, row.public) == (
        "submitted",
        "城市建设",
        "urgent",
        True,
    )
    assert row.reporter["name"] == "张委员"
    assert any("新社情民意信息" in t and "【紧急】" in t for t in await staff_chat.outbox_texts())
    await member_chat.send("/myreports")
    assert "城东小学放学时段校门口拥堵" in member_chat.text and "已报送" in member_chat.text


async def test_not_public_needs_a_reason_even_when_changed_from_the_preview(
    app: App, member_chat: Chat
) -> None:
    await draft_to_preview(member_chat)
    await member_chat.press("改公开选项")
    await member_chat.press("不宜公开")
    assert "不宜公开的理由" in member_chat.text
    await member_chat.send("涉及未公开的调查数据")
    assert "不宜公开（理由：涉及未公开的调查数据）" in member_chat.text
    [row] = await reports(app)
    assert (row.public, row.private_reason) == (False, "涉及未公开的调查数据")


async def test_edit_and_checks_and_blocking_keeps_it_at_the_preview(
    app: App, member_chat: Chat
) -> None:
    await draft_to_preview(member_chat)
    await member_chat.press("改意见建议")
    await member_chat.send("高度重视，加强领导。")
    assert "意见建议偏于原则" in member_chat.text
    await member_chat.press("改原因分析")
    await member_chat.send("会议顺利召开，" + "情况说明。" * 400)
    assert "超过 1500 字" in member_chat.text and "日常工作动态" in member_chat.text
    await member_chat.press("改原因分析")
    await member_chat.send("太" * 3001)  # far beyond: refused, nothing lost
    assert "3001" in member_chat.text
    [row] = await reports(app)
    assert row.cause.startswith("会议顺利召开")


async def test_restart_mid_draft_and_resume_from_myreports(app: App, member_chat: Chat) -> None:
    await member_chat.send("/report")
    await member_chat.press("教育")
    await member_chat.send("课后服务收费标准不统一")
    restarted = await build_app(settings=app.settings, db=app.db, upgrade=False)
    member_chat.app = restarted
    await member_chat.send(SITUATION)
    assert "原因分析" in member_chat.text
    await member_chat.send("/cancel")
    await member_chat.send("/myreports")
    assert "课后服务收费标准不统一" in member_chat.text and "草稿" in member_chat.text
    [row] = await reports(app)
    await member_chat.press(f"继续 #{row.id}")
    assert "请写原因分析" in member_chat.text  # the first missing part
    await member_chat.send(CAUSE)
    await member_chat.send(SUGGESTIONS)
    await member_chat.press("可以公开")
    await member_chat.press("一般")
    assert "请核对社情民意信息" in member_chat.text
    await member_chat.send("/myreports")
    await member_chat.press(f"删除 #{row.id}")
    assert f"草稿 #{row.id} 已删除" in member_chat.text
    assert await reports(app) == []


async def test_someone_elses_report_id_is_refused(app: App, member_chat: Chat) -> None:
    other = await add_member(app, name="李委员", phone="13900000002")
    other_chat = await Chat.verified(app, other)
    await draft_to_preview(other_chat)
    [row] = await reports(app)
    me = await subject(app, member_chat)
    for action in ("report.resume", "report.delete"):
        await member_chat.press_payload(app.services.signer.sign(me, action, (row.id or 0,)))
        assert "这不是您报送的信息" in member_chat.text, action
    await member_chat.press_payload(app.services.signer.sign(me, "report.resume", ("x",)))
    assert "这个按钮无效" in member_chat.text
    assert [r.status for r in await reports(app)] == ["draft"]


async def test_secretariat_adopts_at_levels_and_the_member_is_told(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await submitted(member_chat)
    await member_chat.send("/reports")
    assert "没有权限" in member_chat.text
    await staff_chat.send("/reports")
    assert "待处理社情民意信息（共 1 篇）" in staff_chat.text and "【紧急】" in staff_chat.text
    [row] = await reports(app)
    await staff_chat.press(f"处理 #{row.id}")
    assert "学校周边没有临时停车区域" in staff_chat.text  # the whole report
    await staff_chat.press("市政协采用")
    await staff_chat.send("刊发于《社情民意》第12期")
    assert "已处理" in staff_chat.text and "市政协采用" in staff_chat.text
    await staff_chat.send("/reports")
    assert "没有待处理" in staff_chat.text
    # adopted again higher up (no longer in the queue: a button from the clerk's history)
    payload = app.services.signer.sign(await subject(app, staff_chat), "reports.decide", (row.id,))
    await staff_chat.press_payload(payload)
    await staff_chat.press("领导批示")
    await staff_chat.press("跳过")
    [row] = await reports(app)
    assert (row.status, row.levels) == ("adopted", ["city", "instruction"])
    notices = await member_chat.outbox_texts()
    assert any("市政协采用" in t for t in notices) and any("领导批示" in t for t in notices)
    await member_chat.send("/myreports")
    assert "已采用（市政协采用、领导批示）" in member_chat.text
    async with app.db.session() as s:
        lines = await proposals_section(s, row.year, app.settings.zone)
    assert "社情民意信息：报送 1 篇，采用 1 篇" in lines
    assert any("市政协采用 1" in line and "领导批示 1" in line for line in lines)


async def test_kept_then_not_adopted_and_refusals(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    await submitted(member_chat)
    [row] = await reports(app)
    await staff_chat.send("/reports")
    await staff_chat.press(f"处理 #{row.id}")
    await staff_chat.press("留存")
    await staff_chat.press("跳过")
    await staff_chat.send("/reports")
    assert "留存" in staff_chat.text  # kept reports stay in the queue
    await staff_chat.press(f"处理 #{row.id}")
    await staff_chat.press("不予采用")
    await staff_chat.send("已有部门答复")
    [row] = await reports(app)
    assert row.status == "not_adopted" and row.decision_note == "已有部门答复"
    assert any("未采用" in t for t in await member_chat.outbox_texts())
    payload = app.services.signer.sign(await subject(app, staff_chat), "reports.decide", (row.id,))
    await staff_chat.press_payload(payload)
    assert "不在待处理状态" in staff_chat.text
