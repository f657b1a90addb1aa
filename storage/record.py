"""Repository for the duty record (履职档案): the secretariat's manual entries, and the rows
of one year that the record counts (meetings, proposals, reports, reading), for one member
or for everyone at once (the year's export reads each table once, not once per member).

The rows are plain values; ``bot.record.facts`` turns them into counts and
``bot.record.scoring`` into points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.columns import utcnow
from storage.tables import (
    DutyEntry,
    Notice,
    NoticeRecipient,
    Proposal,
    ProposalSigner,
    ReadingCheckin,
    ReadingGroup,
    ReadingNote,
    ReadingOccurrence,
    ReadingSession,
    Report,
)

__all__ = [
    "MeetingRow",
    "ProposalRow",
    "ReadingRow",
    "RecordRepo",
    "ReportRow",
]

# Proposals that never reached the secretariat, or were taken back, count for nobody.
_NOT_COUNTED = ("draft", "withdrawn")
_LIVE_NOTICE = ("sent", "corrected")
_CONFIRMED = "confirmed"  # storage.proposals.SignerStatus.CONFIRMED


@dataclass(frozen=True, slots=True)
class MeetingRow:
    member_id: int
    notice_id: int
    kind: str
    title: str
    mode: str
    starts_at: datetime
    ends_at: datetime | None
    answer: str | None
    leave_decision: str | None
    checked_in_at: datetime | None


@dataclass(frozen=True, slots=True)
class ProposalRow:
    member_id: int
    lead: bool  # 第一提案人 (else a confirmed co-signer)
    proposal_id: int
    number: str | None
    title: str
    status: str
    registered: bool
    is_key: bool
    merged: bool
    excellent: bool = False  # 优秀提案, set by the secretariat


@dataclass(frozen=True, slots=True)
class ReportRow:
    member_id: int
    report_id: int
    title: str
    status: str
    levels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReadingRow:
    member_id: int
    kind: str  # checkin or note
    at: datetime
    label: str  # the session's title, or the group's name for a note


class RecordRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- manual entries --------------------------------------------------------------------
    async def add_entry(
        self,
        *,
        member_id: int,
        year: int,
        item: str,
        count: int = 1,
        note: str = "",
        entered_by: str = "",
        at: datetime | None = None,
    ) -> DutyEntry:
        row = DutyEntry(
            member_id=member_id,
            year=year,
            item=item,
            count=count,
            note=note,
            entered_by=entered_by[:64],
            entered_at=at or utcnow(),
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def entries(self, year: int, member_id: int | None = None) -> list[DutyEntry]:
        stmt = select(DutyEntry).where(DutyEntry.year == year)
        if member_id is not None:
            stmt = stmt.where(DutyEntry.member_id == member_id)
        return list(await self.session.exec(stmt.order_by(col(DutyEntry.id))))

    # -- what the bot saw ------------------------------------------------------------------
    async def meetings(
        self, *, start: datetime, end: datetime, member_id: int | None = None
    ) -> list[MeetingRow]:
        """Every live notice starting in [start, end) and each recipient's answer."""
        stmt = (
            select(*_MEETING_COLUMNS)
            .join(Notice, col(Notice.id) == col(NoticeRecipient.notice_id))
            .where(
                col(Notice.status).in_(_LIVE_NOTICE),
                col(Notice.starts_at) >= start,
                col(Notice.starts_at) < end,
            )
            .order_by(col(Notice.starts_at), col(Notice.id))
        )
        if member_id is not None:
            stmt = stmt.where(NoticeRecipient.member_id == member_id)
        return [MeetingRow(*row) for row in await self.session.exec(stmt)]

    async def proposals(self, year: int, member_id: int | None = None) -> list[ProposalRow]:
        """The year's proposals, once for the first proposer and once per confirmed co-signer."""
        counted = (Proposal.year == year, col(Proposal.status).not_in(_NOT_COUNTED))
        led = select(*((Proposal.author_id, *_PROPOSAL_COLUMNS))).where(*counted)
        signed = (
            select(*((ProposalSigner.member_id, *_PROPOSAL_COLUMNS)))
            .join(Proposal, col(Proposal.id) == col(ProposalSigner.proposal_id))
            .where(*counted, ProposalSigner.status == _CONFIRMED)
        )
        if member_id is not None:
            led = led.where(Proposal.author_id == member_id)
            signed = signed.where(ProposalSigner.member_id == member_id)
        rows = [_proposal_row(row, lead=True) for row in await self.session.exec(led)]
        rows += [_proposal_row(row, lead=False) for row in await self.session.exec(signed)]
        rows.sort(key=lambda r: (r.member_id, not r.lead, r.proposal_id))
        return rows

    async def reports(self, year: int, member_id: int | None = None) -> list[ReportRow]:
        stmt = select(*_REPORT_COLUMNS)
        stmt = stmt.where(Report.year == year, Report.status != "draft")
        if member_id is not None:
            stmt = stmt.where(Report.author_id == member_id)
        return [
            ReportRow(member_id=m, report_id=i or 0, title=t, status=s, levels=tuple(lv or ()))
            for m, i, t, s, lv in await self.session.exec(stmt.order_by(col(Report.id)))
        ]

    async def reading(
        self, *, start: datetime, end: datetime, member_id: int | None = None
    ) -> list[ReadingRow]:
        """打卡 and reading notes made in [start, end)."""
        checkins = (
            select(ReadingCheckin.member_id, ReadingCheckin.at, ReadingSession.title)
            .join(ReadingOccurrence, col(ReadingOccurrence.id) == col(ReadingCheckin.occurrence_id))
            .join(ReadingSession, col(ReadingSession.id) == col(ReadingOccurrence.session_id))
            .where(col(ReadingCheckin.at) >= start, col(ReadingCheckin.at) < end)
        )
        notes = (
            select(ReadingNote.member_id, ReadingNote.created_at, ReadingGroup.name)
            .join(ReadingGroup, col(ReadingGroup.id) == col(ReadingNote.group_id))
            .where(col(ReadingNote.created_at) >= start, col(ReadingNote.created_at) < end)
        )
        if member_id is not None:
            checkins = checkins.where(ReadingCheckin.member_id == member_id)
            notes = notes.where(ReadingNote.member_id == member_id)
        rows = [ReadingRow(m, "checkin", at, t) for m, at, t in await self.session.exec(checkins)]
        rows += [ReadingRow(m, "note", at, g) for m, at, g in await self.session.exec(notes)]
        rows.sort(key=lambda r: (r.member_id, r.at))
        return rows


# Columns, not rows, are read (a whole committee's year is tens of thousands of answers);
# typed loosely, as sqlmodel's select is typed for at most four columns.
_MEETING_COLUMNS: tuple[Any, ...] = (  # in MeetingRow's order
    NoticeRecipient.member_id,
    Notice.id,
    Notice.kind,
    Notice.title,
    Notice.mode,
    Notice.starts_at,
    Notice.ends_at,
    NoticeRecipient.answer,
    NoticeRecipient.leave_decision,
    NoticeRecipient.checked_in_at,
)
_REPORT_COLUMNS: tuple[Any, ...] = (
    Report.author_id,
    Report.id,
    Report.title,
    Report.status,
    Report.levels,
)
# What the record needs of a proposal, after the member id (author or co-signer).
_PROPOSAL_COLUMNS: tuple[Any, ...] = (
    Proposal.id,
    Proposal.number,
    Proposal.title,
    Proposal.status,
    Proposal.registered_at,
    Proposal.is_key,
    Proposal.merged_into,
    Proposal.excellent,
)


def _proposal_row(row: Any, *, lead: bool) -> ProposalRow:
    member_id, pid, number, title, status, registered_at, is_key, merged_into, excellent = row
    return ProposalRow(
        member_id=member_id,
        lead=lead,
        proposal_id=pid or 0,
        number=number,
        title=title,
        status=status,
        registered=registered_at is not None,
        is_key=bool(is_key),
        merged=merged_into is not None or status == "merged",
        excellent=bool(excellent),
    )
