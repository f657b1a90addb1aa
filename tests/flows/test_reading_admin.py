"""书香政协 managed from chat: the secretariat creates a group, its owner plans books and
sessions, moves or cancels them (members who were to be reminded are told once, reminders
re-planned once), assigns members in bulk, reads the check-in report and exports it; the
reminders themselves carry signed RSVP and check-in buttons."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from bot.app import App
from bot.reading.reminders import ReadingReminders
from bot.reading.service import compose_reminder
from bot.types import Reply
from storage.audit import Audit
from storage.reading import ReadingRepo
from storage.roster import Roster
from tests.support.chat import Chat, FakeClock, add_member

# FakeClock starts Monday 2 March 2026, 09:00 Beijing; the second Thursday is 12 March.
SESSION = datetime(2026, 3, 12, 11, 30, tzinfo=UTC)  # 19:30 Beijing


async def _id(app: App, chat: Chat) -> int:
    async with app.db.session() as s:
        ident = await Roster(s).identity(chat.platform, chat.user_id)
        assert ident is not None
        return ident.member_id


async def _group(
    app: App, *, owner: int | None, members: list[int], offsets: list[str] | None = None
) -> tuple[int, int]:
    """A group with a monthly session (second Thursday 19:30) and these members."""
    async with app.db.session() as s:
        repo = ReadingRepo(s)
        g = await repo.create_group(name="乡土中国读书群", owner_member_id=owner, offsets=offsets)
        assert g.id is not None
        for m in members:
            await repo.join(g.id, m, now=datetime(2026, 3, 1, tzinfo=UTC))
        row = await repo.add_session(
            group_id=g.id,
            title="月读会",
            starts_at=SESSION,
            rule="FREQ=MONTHLY;BYDAY=2TH",
            place="三楼会议室",
        )
        return g.id, row.id or 0


def _task(app: App) -> ReadingReminders:
    """The reminder task as the scheduler builds it (a fresh one is a restart)."""
    zone, signer = app.settings.zone, app.services.signer
    return ReadingReminders(
        db=app.db, zone=zone, compose=lambda info: compose_reminder(info, zone=zone, signer=signer)
    )


async def _planned(app: App) -> list[str]:
    async with app.db.session() as s:
        return sorted(r.key for r in await ReadingRepo(s).reminders(states=["planned"]))


async def _reminders_for(chat: Chat) -> list[Reply]:
    return [r for r in await chat.outbox_replies() if "读书活动提醒" in str(r.text)]


async def test_secretariat_creates_a_group_and_its_owner_plans_books_and_sessions(
    app: App, staff_chat: Chat, clock: FakeClock
) -> None:
    owner = await add_member(app, name="王建国", phone="13900000011")
    await add_member(app, name="王建华", phone="13900000012")
    liaison = await add_member(app, name="赵联络", phone="13900000013")
    owner_chat = await Chat.verified(app, owner)

    await staff_chat.send("/reading_admin")
    assert "还没有读书小组" in staff_chat.text
    await staff_chat.press("新建读书小组")
    await staff_chat.send("乡土中国读书群")
    await staff_chat.send("乡村振兴")
    await staff_chat.send("王建")  # two people match: both are listed, nothing is stored
    assert "王建国（经济界）" in staff_chat.text and "王建华" in staff_chat.text
    await staff_chat.send("王建国")
    await staff_chat.press("跳过")  # no lead reader yet
    await staff_chat.send("13900000013")  # the liaison by phone
    assert "群主：王建国" in staff_chat.text and "联络员：赵联络" in staff_chat.text
    await staff_chat.press("确认")
    assert "已创建读书小组“乡土中国读书群”" in staff_chat.text
    async with app.db.session() as s:
        repo = ReadingRepo(s)
        group = await repo.group_by_name("乡土中国读书群")
        assert group is not None and group.owner_member_id == owner.id
        assert group.liaison_member_id == liaison.id and group.lead_member_id is None
        assert {m.member_id for m in await repo.memberships(group.id or 0)} == {
            owner.id,
            liaison.id,
        }

    # the owner (a plain member) finds the management button in /reading
    await owner_chat.send("/reading")
    await owner_chat.press("管理读书小组")
    await owner_chat.press("管理 乡土中国读书群")
    await owner_chat.press("添加阅读计划")
    await owner_chat.send("《乡土中国》")
    await owner_chat.send("差序格局")
    await owner_chat.send("下个月")
    assert "没能看懂阅读时段" in owner_chat.text  # asked again, nothing lost
    await owner_chat.send("3月5日-3月31日")
    assert "已添加阅读计划：《乡土中国》差序格局，2026-03-05至2026-03-31" in owner_chat.text

    await owner_chat.press("返回")
    await owner_chat.press("安排活动")
    await owner_chat.send("月读会")
    await owner_chat.send("每月第几周 晚上")
    assert "没能看懂" in owner_chat.text or "请写明时间" in owner_chat.text
    await owner_chat.send("每月第二个星期四 19:30")
    await owner_chat.send("https://meeting.example/123")
    await owner_chat.press("跳过")
    assert "每月第二个星期四 19:30（首次 2026-03-12 19:30）" in owner_chat.text
    assert "https://meeting.example/123" in owner_chat.text
    await owner_chat.press("确认")
    assert "已安排活动“月读会”，首次：2026-03-12 19:30" in owner_chat.text
    async with app.db.session() as s:
        rows = await ReadingRepo(s).sessions()
        assert len(rows) == 1 and rows[0].rule == "FREQ=MONTHLY;BYDAY=2TH"
        assert rows[0].online_link == "https://meeting.example/123"
    # planned in the same transaction: the two members, two offsets, plus the plan nudge
    planned = await _planned(app)
    assert f"reading:s1:20260312T1930:m{owner.id}:1d@20:00" in planned
    assert f"reading:s1:20260312T1930:m{liaison.id}:1h" in planned
    assert f"reading:n1:m{owner.id}" in planned


async def test_only_the_secretariat_or_the_current_owner_manages_a_group(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _id(app, member_chat)
    other = await add_member(app, name="李委员", phone="13900000002")
    other_chat = await Chat.verified(app, other)
    await _group(app, owner=member, members=[member])

    await other_chat.send("/reading_admin")
    assert "不是任何读书小组的群主" in other_chat.text
    await member_chat.send("/reading_admin")
    assert "新建读书小组" not in member_chat.labels  # owners do not create groups
    await member_chat.press("管理 乡土中国读书群")
    await member_chat.press("活动管理")
    cancel_payload = member_chat.button("活动1：取消活动").action or ""
    await other_chat.press_payload(cancel_payload)  # someone else's button
    assert "无效" in other_chat.text or other_chat.text == str(
        app.services.catalogue.t("core.button_forged")
    )
    # the secretariat hands the group to someone else: the old owner's buttons stop working
    async with app.db.session() as s:
        repo = ReadingRepo(s)
        group = await repo.group(1)
        assert group is not None
        group.owner_member_id = other.id
        await repo.save(group)
    await member_chat.press_payload(cancel_payload)
    assert "只有秘书处或“乡土中国读书群”的群主" in member_chat.text
    await member_chat.send("/reading")
    assert "管理读书小组" not in member_chat.labels
    # and the secretariat may manage any group
    await staff_chat.send("/reading_admin")
    await staff_chat.press("管理 乡土中国读书群")
    assert "群主：李委员" in staff_chat.text
    async with app.db.session() as s:
        assert len(await ReadingRepo(s).sessions(1)) == 1  # nothing was cancelled


async def test_moving_a_session_tells_who_was_to_be_reminded_and_replans_once(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _id(app, member_chat)
    await _group(app, owner=None, members=[member])
    await _task(app).start(clock.now)
    before = await _planned(app)
    assert len(before) == 2

    # place only: one notice, reminders untouched
    await staff_chat.send("/reading_admin")
    await staff_chat.press("管理 乡土中国读书群")
    await staff_chat.press("活动管理")
    await staff_chat.press("活动1：改时间/地点")
    await staff_chat.press("跳过")
    await staff_chat.send("五楼报告厅")
    assert "时间：不变" in staff_chat.text
    await staff_chat.press("确认")
    assert "通知了 1 位委员" in staff_chat.text
    notices = [t for t in await member_chat.outbox_texts() if "读书活动变更" in t]
    assert len(notices) == 1 and "五楼报告厅" in notices[0] and "2026-03-12 19:30" in notices[0]
    assert await _planned(app) == before

    # the time: old reminders cancelled, new ones planned, one more notice
    await staff_chat.send("/reading_admin")
    await staff_chat.press("管理 乡土中国读书群")
    await staff_chat.press("活动管理")
    await staff_chat.press("活动1：改时间/地点")
    await staff_chat.send("每月第二个星期四 20:00")
    await staff_chat.press("跳过")
    await staff_chat.press("确认")
    notices = [t for t in await member_chat.outbox_texts() if "读书活动变更" in t]
    assert len(notices) == 2 and "2026-03-12 20:00" in notices[1]
    assert await _planned(app) == [
        f"reading:s1:20260312T2000:m{member}:1d@20:00",
        f"reading:s1:20260312T2000:m{member}:1h",
    ]

    # the evening before: exactly one reminder, for the new time and place, across restarts
    clock.advance(days=9, hours=11)
    for _ in range(3):
        task = _task(app)
        await task.start(clock.now)
        await task.run(clock.now)
    reminders = await _reminders_for(member_chat)
    assert len(reminders) == 1
    text = str(reminders[0].text)
    assert "2026-03-12 20:00" in text and "五楼报告厅" in text


async def test_cancelling_one_date_keeps_the_series(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _id(app, member_chat)
    await _group(app, owner=None, members=[member])
    await _task(app).start(clock.now)
    await staff_chat.send("/reading_admin")
    await staff_chat.press("管理 乡土中国读书群")
    await staff_chat.press("活动管理")
    await staff_chat.press("取消 03-12 这次")
    assert "其他日期照常" in staff_chat.text
    payload = staff_chat.button("确定取消这一次").action or ""
    await staff_chat.press_payload(payload)
    assert "通知了 1 位委员" in staff_chat.text
    await staff_chat.press_payload(payload)  # a second tap changes nothing
    assert "已经取消过了" in staff_chat.text
    cancelled = [t for t in await member_chat.outbox_texts() if "读书活动取消" in t]
    assert len(cancelled) == 1 and "2026-03-12 19:30" in cancelled[0]
    assert all("20260312" not in key for key in await _planned(app))
    # April's date is still there and still planned
    clock.advance(days=20)
    await _task(app).start(clock.now)
    assert f"reading:s1:20260409T1930:m{member}:1h" in await _planned(app)
    await member_chat.send("/reading")
    assert "下次活动：月读会，2026-04-09 19:30" in member_chat.text


async def test_reminder_buttons_rsvp_and_check_in_for_their_recipient_only(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _id(app, member_chat)
    other = await add_member(app, name="李委员", phone="13900000002")
    other_chat = await Chat.verified(app, other)
    await _group(app, owner=None, members=[member], offsets=["1d@20:00", "15m"])
    await _task(app).start(clock.now)
    clock.advance(days=9, hours=11)  # 11 March 20:00
    await _task(app).run(clock.now)
    (evening,) = await _reminders_for(member_chat)
    labels = [str(b.label) for row in evening.buttons for b in row]
    assert labels == ["参加", "请假"]  # the check-in window is not open the evening before
    yes = next(b.action for row in evening.buttons for b in row if str(b.label) == "参加")
    await other_chat.press_payload(yes or "")
    assert other_chat.text == str(app.services.catalogue.t("core.button_forged"))
    await member_chat.press_payload(yes or "")
    assert "已记录：月读会（2026-03-12 19:30）参加" in member_chat.text

    clock.advance(hours=23, minutes=15)  # 12 March 19:15: fifteen minutes before
    await _task(app).run(clock.now)
    soon = (await _reminders_for(member_chat))[-1]
    checkin = next(b.action for row in soon.buttons for b in row if str(b.label) == "打卡")
    await member_chat.press_payload(checkin or "")
    assert "打卡成功：月读会（2026-03-12 19:30）" in member_chat.text
    async with app.db.session() as s:
        record = await ReadingRepo(s).record(member)
    assert record.sessions_attended == 1


async def test_leave_from_a_reminder_stops_the_next_one(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _id(app, member_chat)
    await _group(app, owner=None, members=[member])
    await _task(app).start(clock.now)
    clock.advance(days=9, hours=11)
    await _task(app).run(clock.now)
    (evening,) = await _reminders_for(member_chat)
    leave = next(b.action for row in evening.buttons for b in row if str(b.label) == "请假")
    await member_chat.press_payload(leave or "")
    assert "请假" in member_chat.text
    clock.advance(hours=22, minutes=30)
    await _task(app).run(clock.now)
    assert len(await _reminders_for(member_chat)) == 1


async def test_bulk_assignment_by_committee(app: App, staff_chat: Chat, clock: FakeClock) -> None:
    for i, committee in enumerate(["农业和农村委员会"] * 3 + ["经济委员会"]):
        await add_member(app, name=f"委员{i}", phone=f"1390000010{i}", committee=committee)
    await _group(app, owner=None, members=[])
    await staff_chat.send("/reading_admin")
    await staff_chat.press("管理 乡土中国读书群")
    await staff_chat.press("批量加入委员")
    await staff_chat.press("专委会")
    await staff_chat.press("农业和农村委员会")
    assert "把“农业和农村委员会”的 3 位委员加入" in staff_chat.text
    await staff_chat.press("确认")
    assert "已加入 3 位委员（共匹配 3 位）" in staff_chat.text
    async with app.db.session() as s:
        assert len(await ReadingRepo(s).memberships(1)) == 3
    assert len(await _planned(app)) == 6  # planned in the same transaction


async def test_report_per_session_and_member_with_xlsx_export(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _id(app, member_chat)
    owner = await add_member(app, name="王建国", phone="13900000011")
    owner_chat = await Chat.verified(app, owner)
    await _group(app, owner=owner.id, members=[member, owner.id or 0])
    async with app.db.session() as s:
        repo = ReadingRepo(s)
        await repo.add_note(group_id=1, member_id=member, text="=HYPERLINK(1)")
    clock.advance(days=10, hours=10, minutes=10)  # 12 March 19:10, the window is open
    await member_chat.send("/reading")
    await member_chat.press("乡土中国读书群")
    await member_chat.press("第1场 打卡")

    await owner_chat.send("/reading_admin")
    await owner_chat.press("管理 乡土中国读书群")
    await owner_chat.press("签到与心得")
    text = owner_chat.text
    assert "2026-03-12 19:30 月读会：打卡 1/2，请假 0" in text
    assert "打卡：张委员" in text
    assert "张委员：打卡 1 次，心得 1 篇" in text and "王建国：打卡 0 次，心得 0 篇" in text
    await owner_chat.press("导出 XLSX")
    doc = owner_chat.replies[0].document
    assert doc is not None and doc.file_name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(doc.content))
    sessions, people, notes = (list(ws.iter_rows(values_only=True)) for ws in book.worksheets)
    assert sessions[1][1:4] == ("月读会", "2026-03-12 19:30", "张委员")
    assert ("张委员", "是", 1, 1) in people
    assert notes[1][2] == "'=HYPERLINK(1)"  # never a formula in the clerk's spreadsheet


async def test_plain_member_cannot_reach_admin_buttons_by_forging(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    await _group(app, owner=None, members=[])
    await member_chat.press_payload("rda.xlsx|1||AAAAAAAAAA")
    assert member_chat.text == str(app.services.catalogue.t("core.button_forged"))
    # a correctly signed button for a group they do not own is refused on arrival
    payload = app.services.signer.sign(f"m{await _id(app, member_chat)}", "rda.xlsx", (1,))
    await member_chat.press_payload(payload)
    assert "只有秘书处或" in member_chat.text and member_chat.replies[0].document is None


async def test_reading_admin_is_in_the_staff_menu_and_help_only(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    await staff_chat.send("/help")
    assert "/reading_admin — 读书小组管理" in staff_chat.text
    await staff_chat.send("/menu")
    await staff_chat.press("读书小组管理")
    assert "还没有读书小组" in staff_chat.text and "新建读书小组" in staff_chat.labels
    # a plain member (even a group owner) is not shown it; owners reach it from /reading
    member = await _id(app, member_chat)
    await _group(app, owner=member, members=[member])
    await member_chat.send("/help")
    assert "/reading_admin" not in member_chat.text
    await member_chat.send("/menu")
    assert "读书小组管理" not in member_chat.labels
    await member_chat.send("/reading_admin")  # still works for the owner
    assert "管理 乡土中国读书群" in member_chat.labels


async def test_the_session_list_leaves_out_a_cancelled_date(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _id(app, member_chat)
    await _group(app, owner=None, members=[member])
    await staff_chat.send("/reading_admin")
    await staff_chat.press("管理 乡土中国读书群")
    await staff_chat.press("活动管理")
    assert "2026-03-12 19:30、2026-04-09 19:30" in staff_chat.text
    await staff_chat.press("取消 03-12 这次")
    await staff_chat.press("确定取消这一次")
    await staff_chat.press("返回")
    await staff_chat.press("活动管理")
    assert "2026-03-12" not in staff_chat.text and "2026-04-09 19:30" in staff_chat.text
    assert not any("03-12" in label for label in staff_chat.labels)
    assert any("04-09" in label for label in staff_chat.labels)  # still offered


async def test_a_plan_item_added_in_chat_is_audited_like_the_cli(
    app: App, staff_chat: Chat, clock: FakeClock
) -> None:
    await _group(app, owner=None, members=[])
    await staff_chat.send("/reading_admin")
    await staff_chat.press("管理 乡土中国读书群")
    await staff_chat.press("添加阅读计划")
    await staff_chat.send("《乡土中国》")
    await staff_chat.send("差序格局")
    await staff_chat.send("3月5日-3月31日")
    assert "已添加阅读计划" in staff_chat.text
    async with app.db.session() as s:
        rows = await Audit(s).recent(action="rd.plan_add")
    assert len(rows) == 1
    entry = rows[0]
    assert entry.target == "reading:g1" and entry.actor_member_id is not None
    assert entry.detail == {"book": "乡土中国", "chapter": "差序格局"}
