"""Notices in the database: audiences on a small roster, answers, attendance and exports.

Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.notices.export import read_csv, read_xlsx, to_csv, to_xlsx
from bot.notices.rules import (
    Answer,
    AttendanceMode,
    Audience,
    AudienceKind,
    CheckInRules,
    LeaveDecision,
)
from storage.db import Database
from storage.notices import NoticesRepo
from storage.reading import ReadingRepo
from storage.tables import Member
from tests.support.notice_fixtures import NOW, seed, sent_notice

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("audience", "names"),
    [
        (Audience(AudienceKind.ALL), ["张伟", "王芳", "李娜", "刘洋", "陈静", "陈静"]),
        (Audience(AudienceKind.STANDING), ["王芳", "刘洋"]),
        (Audience(AudienceKind.SECTORS, ("经济界",)), ["张伟", "王芳"]),
        (Audience(AudienceKind.SECTORS, ("经济界", "教育界")), ["张伟", "王芳", "李娜", "刘洋"]),
        (Audience(AudienceKind.COMMITTEES, ("提案委员会",)), ["王芳", "李娜"]),
        (Audience(AudienceKind.MEMBERS, ("李娜", "张伟", "李娜")), ["李娜", "张伟"]),
    ],
)
async def test_audience_resolution_on_a_small_roster(
    db: Database, audience: Audience, names: list[str]
) -> None:
    await seed(db)
    async with db.session() as s:
        ids = await NoticesRepo(s).resolve_audience(audience)
        got = [(await s.get(Member, i)).name for i in ids]  # type: ignore[union-attr]
    assert got == names  # retired members and secretariat staff are never included


async def test_audience_names_nobody_has_are_refused(db: Database) -> None:
    ids = await seed(db)
    async with db.session() as s:
        repo = NoticesRepo(s)
        with pytest.raises(UserError) as info:
            await repo.resolve_audience(Audience(AudienceKind.SECTORS, ("经济界", "体育界")))
        assert (info.value.key, info.value.params) == (
            "notices.audience_unknown_sector",
            {"values": "体育界"},
        )
        with pytest.raises(UserError, match="audience_unknown_member"):
            await repo.resolve_audience(Audience(AudienceKind.MEMBERS, ("张伟", "孙强")))
        with pytest.raises(UserError) as info:
            await repo.resolve_audience(Audience(AudienceKind.MEMBERS, ("陈静",)))
        assert info.value.key == "notices.audience_ambiguous_member"
        chen = ids["陈静"]
        assert await repo.resolve_audience(Audience(AudienceKind.MEMBERS, (f"#{chen}",))) == [chen]


async def test_reading_group_audience_is_the_groups_current_members(db: Database) -> None:
    ids = await seed(db)
    async with db.session() as s:
        reading = ReadingRepo(s)
        group = await reading.create_group(name="周三读书会")
        old = await reading.create_group(name="旧读书会")
        assert group.id is not None and old.id is not None
        for name in ("李娜", "孙强", "张伟", "王芳"):
            await reading.join(group.id, ids[name])
        await reading.leave(group.id, ids["张伟"])
        await reading.set_muted(group.id, ids["王芳"], True)  # muted reading, not meetings
        await reading.join(old.id, ids["李娜"])
        old.archived_at = NOW
        s.add(old)
    async with db.session() as s:
        repo = NoticesRepo(s)
        spec = Audience(AudienceKind.READING_GROUP, ("周三读书会",))
        # 孙强 is retired, 张伟 left the group
        assert await repo.resolve_audience(spec) == [ids["李娜"], ids["王芳"]]
        for name in ("无", "旧读书会"):
            with pytest.raises(UserError, match="audience_unknown_group"):
                await repo.resolve_audience(Audience(AudienceKind.READING_GROUP, (name,)))


async def test_answers_leave_and_attendance_counts(db: Database) -> None:
    ids = await seed(db)
    nid = await sent_notice(db, Audience(AudienceKind.SECTORS, ("经济界", "教育界")))
    async with db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        await repo.answer(notice, ids["张伟"], Answer.ATTEND, now=NOW)
        out = await repo.answer(notice, ids["王芳"], Answer.LEAVE, reason="出国访问", now=NOW)
        assert out.needs_approval
        await repo.answer(notice, ids["李娜"], Answer.LEAVE, reason="住院", now=NOW)
        with pytest.raises(UserError, match="leave_reason_required"):
            await repo.answer(notice, ids["刘洋"], Answer.LEAVE, reason=" ", now=NOW)
        with pytest.raises(UserError, match="decline_not_allowed"):
            await repo.answer(notice, ids["刘洋"], Answer.DECLINE, now=NOW)
        with pytest.raises(UserError, match="not_recipient"):
            await repo.answer(notice, ids["陈静"], Answer.ATTEND, now=NOW)
        assert [r.member_id for r in await repo.pending_leave(nid)] == [ids["王芳"], ids["李娜"]]
        assert await repo.decide_leave(notice, ids["王芳"], approve=True, by="秘书长") == (
            LeaveDecision.APPROVED
        )
        with pytest.raises(UserError, match="leave_not_pending"):
            await repo.decide_leave(notice, ids["王芳"], approve=False, by="秘书长")
    async with db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        late = notice.reply_deadline + timedelta(minutes=1)
        with pytest.raises(UserError, match="rsvp_closed"):
            await repo.answer(notice, ids["刘洋"], Answer.ATTEND, now=late)
        rules = CheckInRules()
        assert await repo.check_in(
            notice, ids["张伟"], rules=rules, code="4821", via="code", now=notice.starts_at
        )
        assert not await repo.check_in(notice, ids["张伟"], rules=rules, now=notice.starts_at)
        counts = await repo.counts(nid)
        assert counts.recipients == 4
        assert counts.answers["attend"] == 1 and counts.answers["checked_in"] == 1
        assert counts.answers["leave_approved"] == counts.answers["leave_pending"] == 1
        assert counts.answers["unanswered"] == 1
        assert await repo.unanswered_ids(nid) == [ids["刘洋"]]
        assert await repo.attending_ids(nid) == [ids["张伟"]]
        record = await repo.member_attendance(ids["刘洋"], now=notice.starts_at + timedelta(days=1))
        assert (record.meetings, record.absent) == (1, 1)
        record = await repo.member_attendance(ids["王芳"], now=notice.starts_at + timedelta(days=1))
        assert (record.leave_approved, record.absent) == (1, 0)
        stats = await repo.stats()
        assert stats["recipients"] == 4 and stats["answered"] == 3 and stats["notices_sent"] == 1


async def test_changing_an_answer_resets_an_old_decision(db: Database) -> None:
    ids = await seed(db)
    nid = await sent_notice(db, Audience(AudienceKind.STANDING))
    async with db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        await repo.answer(notice, ids["王芳"], Answer.LEAVE, reason="出差", now=NOW)
        await repo.decide_leave(notice, ids["王芳"], approve=False, by="秘书长")
        await repo.answer(notice, ids["王芳"], Answer.ATTEND, now=NOW)
        row = await repo.recipient(nid, ids["王芳"])
        assert row is not None
        assert (row.answer, row.leave_reason, row.leave_decision, row.leave_decided_by) == (
            "attend",
            None,
            None,
            None,
        )


async def test_cancelled_notice_takes_no_answers_and_leaves_the_member_list(db: Database) -> None:
    ids = await seed(db)
    nid = await sent_notice(db, Audience(AudienceKind.STANDING))
    async with db.session() as s:
        repo = NoticesRepo(s)
        assert [n.id for n, _ in await repo.upcoming_for_member(ids["刘洋"], now=NOW)] == [nid]
        notice = await repo.require(nid)
        await repo.cancel(notice, reason="改期")
        with pytest.raises(UserError, match="cancelled_already"):
            await repo.answer(notice, ids["刘洋"], Answer.ATTEND, now=NOW)
        assert await repo.upcoming_for_member(ids["刘洋"], now=NOW) == []


async def test_export_reads_back_with_member_text_kept_as_text(db: Database) -> None:
    ids = await seed(db)
    nid = await sent_notice(
        db, Audience(AudienceKind.SECTORS, ("经济界",)), mode=AttendanceMode.SIGNUP
    )
    async with db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        await repo.answer(
            notice, ids["张伟"], Answer.LEAVE, reason='=HYPERLINK("http://x","点我")', now=NOW
        )
        await repo.set_delivery(nid, ids["王芳"], state="unreachable", error="blocked")
        rows = await repo.export_rows(nid)
    header = [
        "姓名",
        "界别",
        "专委会",
        "答复",
        "请假事由",
        "审批结果",
        "答复时间",
        "签到时间",
        "送达情况",
    ]
    for table in (
        read_xlsx(to_xlsx(rows, zone=ZONE, title="常委会[10]")),
        read_csv(to_csv(rows, zone=ZONE)),
    ):
        assert table[0] == header
        by_name = {line[0]: line for line in table[1:]}
        zhang = by_name["张伟"]
        assert zhang[1:6] == ["经济界", "经济委员会", "请假", zhang[4], "已知悉"]
        assert zhang[4].lstrip("'") == '=HYPERLINK("http://x","点我")'
        assert zhang[6] == "2025-02-20 10:00"  # Shanghai time
        assert by_name["王芳"][3] == "未答复" and by_name["王芳"][8].startswith("无法送达")
