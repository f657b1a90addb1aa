"""我的履职: a member reads this year's record scored under the committee's points rules, through
the terminal-chat harness; the rules file changes, the record follows."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App, build_app
from bot.catalogue import catalogue
from bot.errors import ConfigError
from bot.notices.draft import NoticeDraft
from bot.notices.rules import Answer, AttendanceMode, Audience, AudienceKind, MeetingKind
from bot.notices.service import create_notice, notice_rules, send_notice
from bot.reading.recurrence import Occurrence
from bot.settings import Settings
from storage.db import Database
from storage.notices import NoticesRepo
from storage.reading import ReadingRepo
from storage.record import RecordRepo
from storage.tables import Proposal, ProposalSigner, Report
from tests.flows.test_daily_jobs import _member_id
from tests.support.chat import Chat, FakeClock, add_member

ZONE = ZoneInfo("Asia/Shanghai")


async def a_meeting(
    app: App,
    clock: FakeClock,
    kind: MeetingKind,
    *,
    title: str,
    hours: float = 3,
    mode: AttendanceMode = AttendanceMode.REQUIRED,
) -> int:
    """A notice to 经济界 for a meeting eight days ahead (09:00 local), sent."""
    starts = clock.now + timedelta(days=8)
    draft = NoticeDraft(
        kind=kind,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        place="会议中心",
        mode=mode,
        reply_deadline=clock.now + timedelta(days=5),
        audience=Audience(AudienceKind.SECTORS, ("经济界",)),
    )
    nid = await create_notice(app.db.session, draft, rules=notice_rules(), created_by="cli:t")
    await send_notice(app.db.session, nid, zone=app.settings.zone)
    return nid


async def a_year_of_work(app: App, me: int, clock: FakeClock) -> None:
    """A plenary over three half-days attended, a standing meeting on approved leave, one
    missed; two proposals led and one co-signed; two reports (one adopted); a reading note
    and a reading check-in."""
    other = await add_member(app, name="李委员", phone="13900000003")
    # Thursday 09:00 to Friday 12:00 local: Thursday morning and afternoon, Friday morning.
    plenary = await a_meeting(app, clock, MeetingKind.PLENARY, title="全体会议", hours=27)
    on_leave = await a_meeting(app, clock, MeetingKind.STANDING, title="常委会（请假）")
    missed = await a_meeting(app, clock, MeetingKind.STANDING, title="常委会（缺席）")
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
            await repo.require(plenary), me, rules=notice_rules().check_in, now=clock.now
        )
        theirs = Proposal(
            year=2026, author_id=int(other.id or 0), status="registered", title="别人的提案"
        )
        theirs.registered_at = clock.now
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
                Proposal(year=2026, author_id=me, status="withdrawn", title="撤回"),
                theirs,
                Report(year=2026, author_id=me, status="adopted", title="丙", levels=["city"]),
                Report(year=2026, author_id=me, status="submitted", title="丁"),
            ]
        )
        await s.flush()
        s.add(ProposalSigner(proposal_id=theirs.id or 0, member_id=me, status="confirmed"))
        reading = ReadingRepo(s)
        group = await reading.create_group(name="周三读书会")
        assert group.id is not None
        await reading.join(group.id, me)
        await reading.add_note(group_id=group.id, member_id=me, text="读《乡土中国》有感")
        talk = await reading.add_session(group_id=group.id, title="月读会", starts_at=clock.now)
        occurrence = await reading.ensure_occurrence(
            talk.id or 0,
            Occurrence(key="20260310T0900", start=clock.now, end=clock.now + timedelta(hours=1)),
        )
        await reading.check_in(occurrence.id or 0, me, now=clock.now)
    clock.advance(days=2)  # every meeting is over


async def test_record_scores_the_year_under_the_rules(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    await member_chat.send("/record")
    first = member_chat.text
    assert "张委员 的履职档案（2026 年）" in first
    assert "积分规则：示例 · 区政协委员年度履职积分" in first
    assert "今年还没有计分的记录" in first
    assert "合计 0 分" in first and "等次：不称职" in first
    assert "出席全体会议（目前 0）" in first and "至少提交 1 件提案（目前 0）" in first

    me = await _member_id(app, member_chat)
    await a_year_of_work(app, me, clock)
    await member_chat.send("/履职")
    text = member_chat.text
    assert "· 出席全体会议：3 半天，15 分" in text
    assert "· 常委会议请假：1 次，0 分" in text
    assert "· 常委会议无故缺席：1 次，扣 5 分" in text
    # lead author and co-signer apart, in the items and in the summary
    assert "· 提交提案（第一提案人）：2 件，0 分" in text
    assert "· 提案立案（第一提案人）：1 件，15 分" in text
    assert "· 联名提案（联名提案人）：1 件，0 分" in text
    assert "· 提案立案（联名提案人）：1 件，3 分" in text
    assert "作为第一提案人：提交 2 件，立案 1 件" in text
    assert "作为联名提案人：联名 1 件，立案 1 件" in text
    assert "· 报送社情民意信息：2 篇，4 分" in text
    assert "· 社情民意信息获市政协采用：1 篇，5 分" in text
    assert "· 分享读书心得：1 篇，2 分" in text
    assert "· 读书活动打卡：1 次，1 分" in text
    # 15 − 5 + 15 + 3 + 4 + 5 + 2 + 1
    assert "合计 40 分（其中扣分 5 分）" in text and "等次：称职" in text
    assert "至少参加 3 次会议或活动（目前 0）" in text
    assert "出席全体会议（目前" not in text and "至少提交 1 件提案" not in text
    assert "今年还没有计分的记录" not in text

    async with app.db.session() as s:
        await RecordRepo(s).add_entry(
            member_id=me, year=2026, item="speech", note="大会发言：城市更新", entered_by="cli:t"
        )
    await member_chat.send("/record")
    assert "· 大会发言：1 次，5 分" in member_chat.text
    assert "合计 45 分" in member_chat.text


async def test_changing_the_rules_recomputes_from_the_same_facts(
    db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    rules = tmp_path / "points.toml"
    rules.write_text(
        'title = "本会办法"\n\n[items.proposal_lead_submitted]\nlabel = "提交提案"\n'
        'unit = "件"\npoints = 10\n\n[[grades]]\nname = "合格"\nmin = 10\n',
        encoding="utf-8",
    )
    settings = Settings(
        database_url=db.url,
        secret_key="test-signing-key",  # type: ignore[arg-type]
        points_file=rules,
    )
    app = await build_app(settings=settings, db=db, clock=clock, upgrade=False)
    member = await add_member(app, name="王委员", phone="13900000005")
    chat = await Chat.verified(app, member)
    async with app.db.session() as s:
        s.add(Proposal(year=2026, author_id=member.id or 0, status="submitted", title="甲"))

    await chat.send("/record")
    assert "积分规则：本会办法" in chat.text
    assert "· 提交提案：1 件，10 分" in chat.text and "等次：合格" in chat.text

    rules.write_text(rules.read_text(encoding="utf-8").replace("points = 10", "points = 4"))
    await chat.send("/record")
    assert "· 提交提案：1 件，4 分" in chat.text and "合计 4 分" in chat.text
    assert "等次" not in chat.text  # below every grade's minimum

    rules.write_text(rules.read_text(encoding="utf-8").replace("points = 4", 'points = "四"'))
    await chat.send("/record")
    assert chat.text == catalogue().s("record.rules_broken")
    with pytest.raises(ConfigError) as bad:
        await build_app(settings=settings, db=db, clock=clock, upgrade=False)
    assert str(bad.value) == (
        f"积分规则 {rules} 第 6 行 [items.proposal_lead_submitted] points：points 应为数字，现为 四"
    )


async def test_a_meeting_still_going_on_is_not_an_absence(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    me = await _member_id(app, member_chat)
    nid = await a_meeting(app, clock, MeetingKind.INSPECTION, title="视察", hours=4)
    async with app.db.session() as s:
        await NoticesRepo(s).answer(await NoticesRepo(s).require(nid), me, Answer.ATTEND)
    clock.advance(days=8, hours=1)
    await member_chat.send("/record")
    assert "活动无故缺席" not in member_chat.text
    clock.advance(hours=4)  # the check-in has closed
    await member_chat.send("/record")
    assert "· 活动无故缺席：1 次，扣 2 分" in member_chat.text


async def test_record_is_for_verified_members_only(app: App) -> None:
    stranger = Chat(app)
    await stranger.send("/record")
    assert "履职档案" not in stranger.text
    assert catalogue().s("record.menu") == "我的履职"


def test_year_is_the_committees_local_year() -> None:
    from bot.record.facts import year_bounds

    start, end = year_bounds(2026, ZONE)
    assert start == datetime(2025, 12, 31, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert end - start == timedelta(days=365)
