"""A small roster and a database for the notices storage tests (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.notices.draft import NoticeDraft
from bot.notices.rules import AttendanceMode, Audience, MeetingKind
from storage.db import Database
from storage.notices import NoticesRepo
from storage.tables import Member

NOW = datetime(2025, 2, 20, 2, 0, tzinfo=UTC)
ROSTER = [
    # name, sector, committee, roles
    ("张伟", "经济界", "经济委员会", "member"),
    ("王芳", "经济界", "提案委员会", "member,standing"),
    ("李娜", "教育界", "提案委员会", "member"),
    ("刘洋", "教育界", "文史委员会", "standing"),
    ("陈静", "医药卫生界", "", "member"),
    ("陈静", "农业界", "", "member"),  # two members share a name
    ("赵敏", "", "", "secretariat"),  # staff, not a 委员
    ("孙强", "经济界", "经济委员会", "member"),  # retired below
]


async def seed(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    async with db.session() as s:
        for i, (name, sector, committee, roles) in enumerate(ROSTER):
            m = Member(name=name, sector=sector, committee=committee, roles=roles)
            if name == "孙强":
                m.status = "retired"
            s.add(m)
            await s.flush()
            ids[name if name not in ids else f"{name}{i}"] = int(m.id or 0)
    return ids


def draft(audience: Audience, mode: AttendanceMode = AttendanceMode.REQUIRED) -> NoticeDraft:
    return NoticeDraft(
        kind=MeetingKind.STANDING,
        title="常委会第十次会议",
        starts_at=NOW + timedelta(days=8),
        place="三楼会议室",
        mode=mode,
        reply_deadline=NOW + timedelta(days=5),
        audience=audience,
    )


async def sent_notice(
    db: Database, audience: Audience, *, mode: AttendanceMode = AttendanceMode.REQUIRED
) -> int:
    async with db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.create(
            draft(audience, mode), created_by="cli:test", check_in_code="4821"
        )
        members = await repo.resolve_audience(audience)
        assert await repo.add_recipients(int(notice.id or 0), members) == len(members)
        assert await repo.add_recipients(int(notice.id or 0), members) == 0  # resumable
        await repo.mark_sent(notice, at=NOW)
        return int(notice.id or 0)
