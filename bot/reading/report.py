"""Who checked in and who shared notes, per session date and per member, for one reading
group: one query shared by the chat report, the CLI (`reading report`) and the XLSX export.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from bot.catalogue import catalogue
from bot.reading.service import fmt_local
from storage.reading import ReadingRepo
from storage.tables import ReadingGroup, ReadingNote

__all__ = ["GroupReport", "MemberLine", "OccurrenceLine", "build_report", "report_xlsx"]


@dataclass(frozen=True, slots=True)
class OccurrenceLine:
    """One session date that something attached to (RSVP, check-in, cancellation)."""

    title: str
    starts_at: datetime
    cancelled: bool
    checkins: dict[int, datetime]
    rsvps: dict[int, str]
    notes: int


@dataclass(frozen=True, slots=True)
class MemberLine:
    member_id: int
    name: str
    current: bool  # still in the group
    attended: int
    notes: int


@dataclass(frozen=True, slots=True)
class GroupReport:
    group: ReadingGroup
    current_members: int
    occurrences: list[OccurrenceLine]
    members: list[MemberLine]
    notes: list[ReadingNote]
    names: dict[int, str]

    def name(self, member_id: int) -> str:
        return self.names.get(member_id, str(member_id))


async def build_report(repo: ReadingRepo, group: ReadingGroup) -> GroupReport:
    assert group.id is not None
    memberships = await repo.memberships(group.id, current_only=False)
    notes = await repo.notes(group_id=group.id)
    lines: list[OccurrenceLine] = []
    for row in await repo.sessions(group.id, include_cancelled=True):
        for occ in await repo.occurrences_of(row.id or 0):
            lines.append(
                OccurrenceLine(
                    title=row.title,
                    starts_at=occ.starts_at,
                    cancelled=occ.cancelled or row.cancelled_at is not None,
                    checkins=await repo.checkins(occ.id or 0),
                    rsvps=await repo.rsvps(occ.id or 0),
                    notes=sum(1 for n in notes if n.occurrence_id == occ.id),
                )
            )
    lines.sort(key=lambda line: line.starts_at)
    ids = {m.member_id for m in memberships} | {n.member_id for n in notes}
    for line in lines:
        ids |= set(line.checkins) | set(line.rsvps)
    names = await repo.member_names(ids)
    attended = Counter(m for line in lines for m in line.checkins)
    shared = Counter(n.member_id for n in notes)
    current = {m.member_id for m in memberships if m.left_at is None}
    members = sorted(
        (
            MemberLine(
                member_id=i,
                name=names.get(i, str(i)),
                current=i in current,
                attended=attended[i],
                notes=shared[i],
            )
            for i in ids
        ),
        key=lambda m: (not m.current, -m.attended, -m.notes, m.name),
    )
    return GroupReport(
        group=group,
        current_members=len(current),
        occurrences=lines,
        members=members,
        notes=notes,
        names=names,
    )


def report_xlsx(report: GroupReport, *, zone: ZoneInfo) -> bytes:
    """Three sheets: check-ins per session date, totals per member, the notes."""
    cat = catalogue()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = cat.s("reading.xlsx_sheet_sessions")
    sheet.append(
        [
            cat.s(f"reading.xlsx_col_{c}")
            for c in ("group", "session", "time", "member", "rsvp", "checkin")
        ]
    )
    for line in report.occurrences:
        when = fmt_local(line.starts_at, zone)
        for member_id in sorted(set(line.checkins) | set(line.rsvps)):
            at = line.checkins.get(member_id)
            answer = line.rsvps.get(member_id)
            sheet.append(
                [
                    _cell(report.group.name),
                    _cell(line.title),
                    when,
                    _cell(report.name(member_id)),
                    cat.s(f"reading.answer_{answer}") if answer else "",
                    fmt_local(at, zone) if at else "",
                ]
            )
    people = book.create_sheet(cat.s("reading.xlsx_sheet_members"))
    people.append(
        [cat.s(f"reading.xlsx_col_{c}") for c in ("member", "in_group", "attended", "notes")]
    )
    for m in report.members:
        people.append(
            [
                _cell(m.name),
                cat.s("reading.xlsx_yes" if m.current else "reading.xlsx_no"),
                m.attended,
                m.notes,
            ]
        )
    notes_sheet = book.create_sheet(cat.s("reading.xlsx_sheet_notes"))
    notes_sheet.append([cat.s(f"reading.xlsx_col_{c}") for c in ("member", "time", "note", "file")])
    for note in report.notes:
        notes_sheet.append(
            [
                _cell(report.name(note.member_id)),
                fmt_local(note.created_at, zone),
                _cell(note.text),
                _cell(note.document_name or ""),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: str) -> str:
    # A value starting with "=" must not become a formula in the clerk's spreadsheet.
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value
