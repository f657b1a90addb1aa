"""我的履职: a member sees this year's meetings, proposals, reports and reading activity."""

from __future__ import annotations

from bot.app import App
from bot.catalogue import catalogue
from bot.notices.rules import Answer
from bot.notices.service import notice_rules
from storage.notices import NoticesRepo
from storage.reading import ReadingRepo
from storage.tables import Proposal, Report
from tests.flows.test_daily_jobs import _member_id
from tests.flows.test_notices import a_notice
from tests.support.chat import Chat, FakeClock, add_member


async def test_record_counts_this_years_work(app: App, member_chat: Chat, clock: FakeClock) -> None:
    await member_chat.send("/record")
    assert "张委员 的履职档案（2026 年）" in member_chat.text
    assert "今年还没有记录" in member_chat.text

    me = await _member_id(app, member_chat)
    other = await add_member(app, name="李委员", phone="13900000003")
    attended, on_leave, missed = [await a_notice(app, clock) for _ in range(3)]
    async with app.db.session() as s:
        repo = NoticesRepo(s)
        leave = await repo.require(on_leave)
        await repo.answer(leave, me, Answer.LEAVE, reason="出差", now=clock.now)
        await repo.decide_leave(leave, me, approve=True, by="秘书处")
        await repo.answer(await repo.require(missed), me, Answer.ATTEND, now=clock.now)
    clock.advance(days=8)  # the meetings start now
    async with app.db.session() as s:
        repo = NoticesRepo(s)
        await repo.check_in(
            await repo.require(attended), me, rules=notice_rules().check_in, now=clock.now
        )
        s.add_all(
            [
                Proposal(year=2026, author_id=me, status="submitted", title="甲"),
                Proposal(
                    year=2026,
                    author_id=me,
                    status="registered",
                    title="乙",
                    registered_at=clock.now,
                ),
                Proposal(year=2025, author_id=me, status="registered", title="去年"),
                Proposal(year=2026, author_id=me, status="draft", title="草稿"),
                Proposal(year=2026, author_id=int(other.id or 0), status="submitted", title="别人"),
                Report(year=2026, author_id=me, status="adopted", title="丙"),
                Report(year=2026, author_id=me, status="submitted", title="丁"),
            ]
        )
        reading = ReadingRepo(s)
        group = await reading.create_group(name="周三读书会")
        assert group.id is not None
        await reading.join(group.id, me)
        await reading.add_note(group_id=group.id, member_id=me, text="读《乡土中国》有感")
    clock.advance(hours=3)

    await member_chat.send("/履职")
    text = member_chat.text
    assert "已举行 3 次：出席 1，请假 1，缺席 1" in text
    assert "提交 2 件，立案 1 件" in text
    assert "报送 2 篇，采用 1 篇" in text
    assert "分享读书笔记 1 篇" in text and "所在小组：周三读书会" in text
    assert "今年还没有记录" not in text


async def test_record_is_for_verified_members_only(app: App) -> None:
    stranger = Chat(app)
    await stranger.send("/record")
    assert "履职档案" not in stranger.text
    assert catalogue().s("record.menu") == "我的履职"
