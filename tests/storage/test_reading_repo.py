"""Reading groups in a real database (SQLite and PostgreSQL): memberships, planning rows,
exactly-once finishing, the reading record."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.reading.planner import replan_all, replan_group
from bot.reading.reminder_plan import ReminderState
from storage.db import Database
from storage.reading import ReadingRepo
from storage.tables import Member

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 local


async def _members(db: Database, n: int) -> list[int]:
    async with db.session() as s:
        rows = [Member(name=f"委员{i}", phone=f"1380000{i:04d}") for i in range(n)]
        s.add_all(rows)
        await s.flush()
        return [m.id for m in rows if m.id is not None]


async def _group_with_session(db: Database, member_ids: list[int]) -> tuple[int, int]:
    async with db.session() as s:
        repo = ReadingRepo(s)
        g = await repo.create_group(name="乡土中国读书群", theme="乡村振兴", created_by="test")
        assert g.id is not None
        await repo.join_many(g.id, member_ids, via="bulk:test", now=NOW - timedelta(days=1))
        session = await repo.add_session(
            group_id=g.id,
            title="第一次读书会",
            starts_at=datetime(2025, 3, 13, 19, 30, tzinfo=SH),
            rule="FREQ=MONTHLY;BYDAY=2TH",
        )
        assert session.id is not None
        return g.id, session.id


async def test_groups_names_are_unique_and_membership_survives_leaving(db: Database) -> None:
    (a, b) = await _members(db, 2)
    async with db.session() as s:
        repo = ReadingRepo(s)
        g = await repo.create_group(name=" 读书群 ")
        assert g.id is not None and g.name == "读书群"
        with pytest.raises(UserError) as err:
            await repo.create_group(name="读书群")
        assert err.value.key == "reading.group_exists"
        assert await repo.join(g.id, a) is True
        assert await repo.join(g.id, a) is False
        assert await repo.join_many(g.id, [a, b, b], via="bulk") == 1
        assert await repo.leave(g.id, a) is True
        assert await repo.leave(g.id, a) is False
        assert [m.member_id for m in await repo.memberships(g.id)] == [b]
        assert await repo.set_muted(g.id, a, True) is False  # not a member any more
        assert await repo.join(g.id, a) is True  # rejoining reuses the row
        assert [grp.name for grp, _ in await repo.groups_of(a)] == ["读书群"]


async def test_planning_writes_rows_once_and_cancels_for_leavers(db: Database) -> None:
    ids = await _members(db, 3)
    group_id, _ = await _group_with_session(db, ids)
    async with db.session() as s:
        first = await replan_group(ReadingRepo(s), group_id, now=NOW, zone=SH)
    # 35-day horizon from 1 March: only 13 March (10 April comes in a later pass)
    assert first.added == 3 * 2
    async with db.session() as s:
        again = await replan_group(ReadingRepo(s), group_id, now=NOW, zone=SH)
    assert (again.added, again.revived, again.cancelled) == (0, 0, [])
    async with db.session() as s:
        repo = ReadingRepo(s)
        await repo.leave(group_id, ids[0], now=NOW)
        await repo.set_muted(group_id, ids[1], True)
        result = await replan_group(repo, group_id, now=NOW, zone=SH)
    assert sorted({r.member_id for r in result.cancelled}) == sorted(ids[:2])
    assert len(result.cancelled) == 4
    async with db.session() as s:
        repo = ReadingRepo(s)
        await repo.set_muted(group_id, ids[1], False)
        back = await replan_group(repo, group_id, now=NOW, zone=SH)
        assert back.revived == 2
        assert (await repo.reminder_counts(group_id)) == {"planned": 4, "cancelled": 2}


async def test_cancelling_a_session_returns_who_was_to_be_reminded(db: Database) -> None:
    ids = await _members(db, 2)
    group_id, session_id = await _group_with_session(db, ids)
    async with db.session() as s:
        await replan_all(ReadingRepo(s), now=NOW, zone=SH)
    async with db.session() as s:
        repo = ReadingRepo(s)
        row = await repo.reading_session(session_id)
        assert row is not None
        row.cancelled_at = NOW
        await repo.touch_session(row, now=NOW)
        result = await replan_group(repo, group_id, now=NOW, zone=SH)
    assert {r.member_id for r in result.cancelled} == set(ids)
    assert {r.session_id for r in result.cancelled} == {session_id}


async def test_one_cancelled_date_of_a_series_gets_no_reminders(db: Database) -> None:
    ids = await _members(db, 1)
    group_id, session_id = await _group_with_session(db, ids)
    async with db.session() as s:
        repo = ReadingRepo(s)
        await replan_group(repo, group_id, now=NOW, zone=SH)
        from bot.reading.recurrence import occurrences
        from storage.reading import schedule_of

        row = await repo.reading_session(session_id)
        assert row is not None
        first = occurrences(schedule_of(row), since=NOW, until=NOW + timedelta(days=20))[0]
        occ = await repo.ensure_occurrence(session_id, first)
        occ.cancelled = True
        await repo.save(occ)
        result = await replan_group(repo, group_id, now=NOW, zone=SH)
    assert {r.occurrence_key for r in result.cancelled} == {"20250313T1930"}


async def test_a_due_reminder_is_finished_exactly_once(db: Database) -> None:
    ids = await _members(db, 1)
    group_id, _ = await _group_with_session(db, ids)
    async with db.session() as s:
        await replan_group(ReadingRepo(s), group_id, now=NOW, zone=SH)
    fire = datetime(2025, 3, 12, 20, 0, tzinfo=SH)
    async with db.session() as s1, db.session() as s2:
        due1 = await ReadingRepo(s1).due_reminders(now=fire)
        assert [r.offset for r in due1] == ["1d@20:00"]
        won = await ReadingRepo(s1).finish_reminders(
            [due1[0].id], state=ReminderState.SENT, now=fire
        )
        await s1.commit()
        due2 = await ReadingRepo(s2).due_reminders(now=fire + timedelta(seconds=1))
        assert due2 == []
        # a stale copy of the same row (another pass that loaded it before) loses
        lost = await ReadingRepo(s2).finish_reminders(
            [due1[0].id], state=ReminderState.SENT, now=fire
        )
    assert (won, lost) == (1, 0)
    async with db.session() as s:
        assert await ReadingRepo(s).next_fire_at() == datetime(2025, 3, 13, 10, 30, tzinfo=UTC)


async def test_reading_record_counts_check_ins_notes_and_finished_books(db: Database) -> None:
    (a,) = await _members(db, 1)
    group_id, session_id = await _group_with_session(db, [a])
    async with db.session() as s:
        repo = ReadingRepo(s)
        from bot.reading.recurrence import Occurrence

        start = datetime(2025, 3, 13, 11, 30, tzinfo=UTC)
        occ = await repo.ensure_occurrence(
            session_id, Occurrence(key="20250313T1930", start=start, end=start + timedelta(hours=2))
        )
        assert occ.id is not None
        assert await repo.check_in(occ.id, a) is True
        assert await repo.check_in(occ.id, a) is False  # double tap counts once
        await repo.add_note(group_id=group_id, member_id=a, text="很有收获", occurrence_id=occ.id)
        await repo.add_note(
            group_id=group_id, member_id=a, document_name="心得.docx", document=b"PK\x03\x04"
        )
        with pytest.raises(UserError):
            await repo.add_note(group_id=group_id, member_id=a, text="   ")
        with pytest.raises(UserError):
            await repo.add_note(group_id=group_id, member_id=a, text="字" * 8001)
        item = await repo.add_plan_item(
            group_id=group_id,
            book="《乡土中国》",
            starts_on=date(2025, 3, 1),
            ends_on=date(2025, 4, 30),
        )
        assert item.book == "乡土中国" and item.id is not None
        with pytest.raises(UserError):
            await repo.add_plan_item(
                group_id=group_id, book="x", starts_on=date(2025, 3, 2), ends_on=date(2025, 3, 1)
            )
        assert await repo.mark_finished(item.id, a) is True
        assert await repo.mark_finished(item.id, a) is False
        record = await repo.record(a)
    assert record.sessions_attended == 1
    assert record.notes_shared == 2
    assert record.books_finished == ["乡土中国"]
    assert record.groups == ["乡土中国读书群"]


async def test_a_plan_period_nudges_each_member_once(db: Database) -> None:
    ids = await _members(db, 2)
    async with db.session() as s:
        repo = ReadingRepo(s)
        g = await repo.create_group(name="读书群")
        assert g.id is not None
        await repo.join_many(g.id, ids, via="bulk", now=NOW - timedelta(days=1))
        item = await repo.add_plan_item(
            group_id=g.id, book="乡土中国", starts_on=date(2025, 3, 10), ends_on=date(2025, 3, 31)
        )
        await replan_group(repo, g.id, now=NOW, zone=SH)
        rows = await repo.reminders()
        assert {(r.kind, r.plan_item_id) for r in rows} == {("nudge", item.id)}
        assert {r.fire_at for r in rows} == {datetime(2025, 3, 10, 1, 0, tzinfo=UTC)}
        await repo.remove_plan_item(item)
        assert await repo.plan(g.id) == []
        assert await repo.reminder_counts(g.id) == {"cancelled": 2}
