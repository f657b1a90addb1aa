"""书香政协 end to end: a member joins, answers, checks in and shares notes; reminders arrive
exactly once across restarts, late-but-before-start is sent marked, after-start dropped."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import col, select

from bot.app import App
from bot.reading.reminders import ReadingReminders
from bot.reading.service import cancel_session, compose_reminder
from bot.text import render
from storage.reading import ReadingRepo
from storage.tables import OutboxMessage
from tests.support.chat import Chat, FakeClock, add_member

# FakeClock starts Monday 2 March 2026, 09:00 Beijing. Thursday 12 March is the second
# Thursday: the session is 19:30 that day; reminders 11 March 20:00 and 12 March 18:30.
SESSION = datetime(2026, 3, 12, 11, 30, tzinfo=UTC)
EVENING_BEFORE = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)


async def _setup(
    app: App, member_ids: list[int], *, rule: str | None = "FREQ=MONTHLY;BYDAY=2TH"
) -> tuple[int, int]:
    async with app.db.session() as s:
        repo = ReadingRepo(s)
        g = await repo.create_group(name="乡土中国读书群", theme="乡村振兴")
        assert g.id is not None
        for m in member_ids:
            await repo.join(g.id, m, via="test", now=datetime(2026, 3, 1, tzinfo=UTC))
        await repo.add_plan_item(
            group_id=g.id, book="乡土中国", starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 30)
        )
        row = await repo.add_session(
            group_id=g.id, title="第一次读书会", starts_at=SESSION, rule=rule, place="三楼会议室"
        )
        assert row.id is not None
        return g.id, row.id


def _task(app: App) -> ReadingReminders:
    """A fresh task object, as after a restart: it knows nothing but the rows."""
    zone = app.settings.zone
    return ReadingReminders(
        db=app.db, zone=zone, compose=lambda info: compose_reminder(info, zone=zone)
    )


async def _reading_outbox(app: App) -> list[OutboxMessage]:
    async with app.db.session() as s:
        rows = await s.exec(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "reading")
            .order_by(col(OutboxMessage.id))
        )
        return list(rows)


def _text(row: OutboxMessage) -> str:
    from bot.types import Reply

    return render(Reply.from_json(row.payload).text, "plain")


async def _open_group(chat: Chat) -> None:
    await chat.send("/reading")
    await chat.press("乡土中国读书群")


async def test_member_joins_answers_gets_calendar_checks_in_and_shares_notes(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    await _setup(app, [])
    out = await member_chat.send("/reading")
    assert "还没有加入读书小组" in out[0]
    await member_chat.press("加入读书小组")
    assert "乡土中国读书群" in member_chat.text
    await member_chat.press("加入 乡土中国读书群")
    assert "已加入“乡土中国读书群”" in member_chat.text
    await member_chat.send("/reading")
    assert "正在读：《乡土中国》" in member_chat.text
    assert "下次活动：第一次读书会，2026-03-12 19:30" in member_chat.text
    await _open_group(member_chat)
    assert "三楼会议室" in member_chat.text
    await member_chat.press("第1场 加入日历")
    doc = member_chat.replies[0].document
    assert doc is not None and doc.file_name.endswith(".ics")
    assert b"DTSTART:20260312T113000Z" in doc.content
    await _open_group(member_chat)
    await member_chat.press("第1场 参加")
    assert "参加" in member_chat.text
    # check-in: the button only shows in the window; an early press (old button) is refused
    await _open_group(member_chat)
    assert not any("打卡" in label for label in member_chat.labels)
    clock.advance(days=10, hours=10, minutes=10)  # 12 March 19:10
    await _open_group(member_chat)
    checkin = member_chat.button("第1场 打卡").action or ""
    await member_chat.press_payload(checkin)
    assert "打卡成功" in member_chat.text
    await member_chat.press_payload(checkin)  # a double tap counts once
    assert "已经打过卡" in member_chat.text
    clock.advance(hours=5)  # window closed (ends two hours after the session)
    await member_chat.press_payload(checkin)
    assert "打卡已经结束" in member_chat.text
    # notes: a text, then a document of the wrong type, then a good one
    await _open_group(member_chat)
    await member_chat.press("分享读书心得")
    assert "读书心得" in member_chat.text
    await member_chat.send("<b>差序格局</b>很有启发")
    assert "谢谢分享" in member_chat.text
    await _open_group(member_chat)
    await member_chat.press("分享读书心得")
    await member_chat.upload("virus.exe", b"MZ")
    assert "无法接收" in member_chat.text
    await member_chat.upload("心得.docx", b"PK\x03\x04 docx")
    assert "谢谢分享" in member_chat.text
    await member_chat.send("/reading")
    await member_chat.press("我的读书记录")
    assert "参加活动（打卡）：1 次" in member_chat.text
    assert "分享心得：2 篇" in member_chat.text


async def test_forged_and_foreign_buttons_change_nothing(app: App, member_chat: Chat) -> None:
    other = await add_member(app, name="李委员", phone="13900000002")
    other_chat = await Chat.verified(app, other)
    await _setup(app, [])
    await member_chat.send("/reading")
    await member_chat.press("加入读书小组")
    payload = member_chat.button("加入 乡土中国读书群").action or ""
    await other_chat.press_payload(payload)  # someone else's button
    assert other_chat.text == str(app.services.catalogue.t("core.button_forged"))
    async with app.db.session() as s:
        assert await ReadingRepo(s).membership(1, other.id or 0) is None
    await member_chat.press_payload(payload.replace("rd.join|1", "rd.join|9"))
    async with app.db.session() as s:
        assert await ReadingRepo(s).groups_of(other.id or 0) == []


async def test_reminders_arrive_exactly_once_across_restarts(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _member_id(app, member_chat)
    await _setup(app, [member])
    await _task(app).start(clock.now)  # start-up pass plans from the rows
    clock.advance(days=9, hours=11)  # 11 March 20:00 Beijing
    for _ in range(3):  # three restarts at the same moment
        await _task(app).run(clock.now)
    rows = await _reading_outbox(app)
    assert len(rows) == 1
    assert "读书活动提醒" in _text(rows[0]) and "补发" not in _text(rows[0])
    clock.advance(hours=22, minutes=30)  # 12 March 18:30: one hour before
    await _task(app).start(clock.now)  # a restart re-plans: nothing is duplicated
    await _task(app).run(clock.now)
    await _task(app).run(clock.now)
    rows = await _reading_outbox(app)
    assert len(rows) == 2
    assert {r.dedupe_key for r in rows} == {
        f"reading:s1:20260312T1930:m{member}:1d@20:00:console",
        f"reading:s1:20260312T1930:m{member}:1h:console",
    }


async def _member_id(app: App, chat: Chat) -> int:
    from storage.roster import Roster

    async with app.db.session() as s:
        ident = await Roster(s).identity(chat.platform, chat.user_id)
        assert ident is not None
        return ident.member_id


async def test_late_but_before_start_is_sent_marked_and_after_start_dropped(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _member_id(app, member_chat)
    await _setup(app, [member])
    await _task(app).start(clock.now)
    # the bot is down from before 11 March 20:00 until 12 March 19:00 (before the start)
    clock.advance(days=10, hours=10)
    task = _task(app)
    await task.start(clock.now)
    await task.run(clock.now)
    rows = await _reading_outbox(app)
    assert len(rows) == 2 and all("补发" in _text(r) for r in rows)
    assert task.stats.late == 2
    # next month: down from before the reminders until after the session started
    clock.advance(days=28, hours=1)  # 9 April 20:00 — the session began at 19:30
    task = _task(app)
    await task.start(clock.now)
    await task.run(clock.now)
    assert len(await _reading_outbox(app)) == 2  # nothing new was sent
    async with app.db.session() as s:
        counts = await ReadingRepo(s).reminder_counts()
    assert counts.get("dropped", 0) == 2


async def test_quiet_hours_muted_and_leavers(app: App, member_chat: Chat, clock: FakeClock) -> None:
    member = await _member_id(app, member_chat)
    quiet = await add_member(app, name="静音委员", phone="13900000003")
    gone = await add_member(app, name="退出委员", phone="13900000004")
    for m in (quiet, gone):
        await Chat.verified(app, m)
    async with app.db.session() as s:
        repo = ReadingRepo(s)
        g = await repo.create_group(name="晨读群")
        for m in (member, quiet.id, gone.id):
            await repo.join(g.id or 0, m or 0, now=datetime(2026, 3, 1, tzinfo=UTC))
        await repo.set_muted(g.id or 0, quiet.id or 0, True)
        await repo.leave(g.id or 0, gone.id or 0)
        # 07:30 Beijing on Thursday 5 March: "one hour before" would be 06:30, moved to 07:00
        await repo.add_session(
            group_id=g.id or 0, title="晨读", starts_at=datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
        )
    await _task(app).start(clock.now)
    async with app.db.session() as s:
        rows = await ReadingRepo(s).reminders()
    assert {r.member_id for r in rows} == {member}
    assert sorted(r.fire_at for r in rows) == [
        datetime(2026, 3, 4, 12, 0, tzinfo=UTC),  # 4 March 20:00
        datetime(2026, 3, 4, 23, 0, tzinfo=UTC),  # 5 March 07:00, not 06:30
    ]


async def test_cancelling_a_session_tells_those_who_were_to_be_reminded(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _member_id(app, member_chat)
    _, session_id = await _setup(app, [member], rule=None)
    await _task(app).start(clock.now)
    async with app.db.session() as s:
        row = await ReadingRepo(s).reading_session(session_id)
        assert row is not None
        told = await cancel_session(s, row, now=clock.now, zone=app.settings.zone)
    assert told == 1
    assert any("已取消" in t for t in await member_chat.outbox_texts())
    clock.advance(days=9, hours=11)
    await _task(app).run(clock.now)
    texts = await member_chat.outbox_texts()
    assert not any("读书活动提醒" in t for t in texts)


async def test_a_cancelled_date_is_marked_without_buttons_and_old_buttons_change_nothing(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    from bot.reading.service import cancel_occurrence, upcoming

    member = await _member_id(app, member_chat)
    _, session_id = await _setup(app, [member])
    await _open_group(member_chat)
    old_yes = member_chat.button("第1场 参加").action or ""
    old_ics = member_chat.button("第1场 加入日历").action or ""
    async with app.db.session() as s:
        row = await ReadingRepo(s).reading_session(session_id)
        assert row is not None
        [(_, occ)] = upcoming([row], now=clock.now, limit=1)
        assert occ.start == SESSION
        await cancel_occurrence(s, row, occ, now=clock.now, zone=app.settings.zone)

    await member_chat.send("/reading")
    assert "下次活动：第一次读书会，2026-04-09 19:30" in member_chat.text
    await _open_group(member_chat)
    lines = member_chat.text.split("\n")
    at = next(i for i, line in enumerate(lines) if "2026-03-12 19:30" in line)
    assert "已取消" in lines[at + 2]  # under the cancelled date's time and place
    assert "2026-04-09 19:30" in member_chat.text
    assert not any(label.startswith("1 ") for label in member_chat.labels)  # no buttons
    assert "第2场 参加" in member_chat.labels

    for payload in (old_yes, old_ics):
        await member_chat.press_payload(payload)
        assert "已取消，无需答复" in member_chat.text and "2026-03-12 19:30" in member_chat.text
        assert member_chat.replies[0].document is None
    async with app.db.session() as s:
        stored = await ReadingRepo(s).occurrence(session_id, occ.key)
        assert stored is not None and await ReadingRepo(s).rsvps(stored.id or 0) == {}


async def test_old_buttons_of_a_cancelled_session_get_a_clear_answer(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    member = await _member_id(app, member_chat)
    _, session_id = await _setup(app, [member], rule=None)
    await _open_group(member_chat)
    assert "第1场 参加" not in member_chat.labels  # one session: its buttons need no number
    old_yes = member_chat.button("参加").action or ""
    async with app.db.session() as s:
        row = await ReadingRepo(s).reading_session(session_id)
        assert row is not None
        await cancel_session(s, row, now=clock.now, zone=app.settings.zone)
    await _open_group(member_chat)
    assert "第一次读书会" not in member_chat.text
    assert not any("参加" in label for label in member_chat.labels)
    await member_chat.press_payload(old_yes)
    assert "读书活动“第一次读书会”已取消，无需答复" in member_chat.text
    async with app.db.session() as s:
        key = old_yes.split("|")[1].split(",")[1]
        assert await ReadingRepo(s).occurrence(session_id, key) is None  # no RSVP stored
