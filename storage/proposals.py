"""Repositories for proposals (with co-signers and history) and public-opinion reports
(tables in ``storage/tables/proposals.py``; services in ``bot/proposals/``, handlers in
``handlers/proposals/``).

Rows map to the pure states of ``bot/proposals/proposal_lifecycle.py`` and
``report_lifecycle.py``; every transition goes through ``apply`` there and is recorded in
``submission_history`` in the same transaction, so status and history never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import UserError
from bot.proposals.config import Rules, format_number
from bot.proposals.config import rules as default_rules
from bot.proposals.proposal_checks import ProposalText, comparison_text
from bot.proposals.proposal_lifecycle import (
    Answer,
    AnswerCategory,
    Conversion,
    Event,
    HistoryEntry,
    Kind,
    Merge,
    ProposalState,
    Rating,
    Register,
    Status,
    Submit,
    apply,
)
from bot.proposals.report_lifecycle import (
    AdoptionLevel,
    ReportEvent,
    ReportState,
    ReportStatus,
    SubmitReport,
    apply_report,
)
from bot.proposals.similarity import SimilarityIndex
from storage.columns import utcnow
from storage.tables import Member, Proposal, ProposalSigner, Report, SubmissionHistory

Row = TypeVar("Row", Proposal, Report)

__all__ = [
    "DRAFT_PARTS",
    "REPORT_PARTS",
    "Proposals",
    "Reports",
    "SignerStatus",
    "person_details",
]

# What a member may change in a draft; everything else changes only through transitions.
DRAFT_PARTS = frozenset({"kind", "title", "field", "situation", "suggestions"})
REPORT_PARTS = frozenset(
    {
        "category",
        "title",
        "situation",
        "cause",
        "suggestions",
        "public",
        "private_reason",
        "urgency",
    }
)


class SignerStatus:
    INVITED = "invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    LAPSED = "lapsed"  # not answered when the initiator submitted


def person_details(member: Member) -> dict[str, str]:
    """What the proposal document shows about a proposer (from the roster)."""
    return {
        "name": member.name,
        "sector": member.sector,
        "unit": member.unit,
        "title": member.title,
        "phone": member.phone or "",
        "address": member.address,
    }


_ENUMS: dict[str, Any] = {
    "status": Status,
    "converted_to": Conversion,
    "answer_category": AnswerCategory,
    "rating": Rating,
}


def proposal_state(row: Proposal) -> ProposalState:
    values: dict[str, Any] = {}
    for f in fields(ProposalState):
        value = getattr(row, f.name)
        if f.name in _ENUMS and value is not None:
            value = _ENUMS[f.name](value)
        elif f.name == "co_units":
            value = tuple(value or ())
        values[f.name] = value
    return ProposalState(**values)


def _write_state(row: Proposal, state: ProposalState) -> None:
    for f in fields(ProposalState):
        value = getattr(state, f.name)
        if f.name == "co_units":
            value = list(value)
        elif hasattr(value, "value"):
            value = value.value
        setattr(row, f.name, value)


async def _record(
    session: AsyncSession, subject: str, subject_id: int, entry: HistoryEntry
) -> SubmissionHistory:
    row = SubmissionHistory(
        subject=subject,
        subject_id=subject_id,
        at=entry.at,
        action=entry.action,
        status_from=entry.status_from,
        status_to=entry.status_to,
        actor_member_id=entry.actor_id,
        note=entry.note,
        data=dict(entry.data),
    )
    session.add(row)
    return row


async def _history(session: AsyncSession, subject: str, subject_id: int) -> list[SubmissionHistory]:
    stmt = (
        select(SubmissionHistory)
        .where(SubmissionHistory.subject == subject, SubmissionHistory.subject_id == subject_id)
        .order_by(col(SubmissionHistory.at), col(SubmissionHistory.id))
    )
    return list(await session.exec(stmt))


def _edit_draft(row: Proposal | Report, parts: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(parts) - allowed)
    if unknown:
        raise ValueError(f"not a draft part: {unknown[0]}")
    for name, value in parts.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    row.updated_at = utcnow()


class _Documents(Generic[Row]):
    """What both repositories share: finding a document, the member's own draft, drafts
    listed newest first, and the history of transitions."""

    table: type[Row]
    subject: str  # "proposal" / "report": the history's subject and the catalogue namespace
    draft_parts: frozenset[str]  # what save_draft may change

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, document_id: int) -> Row | None:
        return await self.session.get(self.table, document_id)

    async def require(self, document_id: int) -> Row:
        row = await self.get(document_id)
        if row is None:
            raise UserError(f"{self.subject}s.not_found")
        return row

    async def own_draft(self, member_id: int, document_id: int) -> Row:
        """The member's own draft; a forged or stale id gets a refusal, never someone else's."""
        row = await self.require(document_id)
        if row.author_id != member_id:
            raise UserError(f"{self.subject}s.not_yours")
        if row.status != "draft":
            raise UserError(f"{self.subject}s.not_a_draft")
        return row

    async def drafts_of(self, member_id: int) -> list[Row]:
        t: Any = self.table
        stmt = (
            select(t)
            .where(t.author_id == member_id, t.status == "draft")
            .order_by(col(t.updated_at).desc(), col(t.id).desc())
        )
        return list(await self.session.exec(stmt))

    async def save_draft(self, row: Row, **parts: Any) -> Row:
        if row.status != "draft":
            raise UserError(f"{self.subject}s.not_a_draft")
        _edit_draft(row, self._draft_values(parts), self.draft_parts)
        self.session.add(row)
        await self.session.flush()
        return row

    def _draft_values(self, parts: dict[str, Any]) -> dict[str, Any]:
        """The parts as stored (a subclass normalises its own)."""
        return parts

    async def history(self, document_id: int) -> list[SubmissionHistory]:
        return await _history(self.session, self.subject, document_id)


class Proposals(_Documents[Proposal]):
    table = Proposal
    subject = "proposal"
    draft_parts = DRAFT_PARTS

    def __init__(self, session: AsyncSession, *, rules: Rules | None = None) -> None:
        super().__init__(session)
        self.rules = rules or default_rules()

    # drafts ----------------------------------------------------------------
    async def new_draft(
        self, author: Member, *, kind: Kind = Kind.INDIVIDUAL, at: datetime | None = None
    ) -> Proposal:
        assert author.id is not None
        at = at or utcnow()
        row = Proposal(
            year=at.year,
            author_id=author.id,
            kind=kind.value,
            proposer=person_details(author),
            created_at=at,
            updated_at=at,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    def _draft_values(self, parts: dict[str, Any]) -> dict[str, Any]:
        if "kind" in parts:
            parts["kind"] = Kind(parts["kind"]).value
        return parts

    async def refresh_proposer(self, row: Proposal, author: Member) -> None:
        """Roster details change; a draft shows the current ones until it is submitted."""
        if row.status == Status.DRAFT:
            row.proposer = person_details(author)
            self.session.add(row)

    async def delete_draft(self, member_id: int, proposal_id: int) -> None:
        row = await self.own_draft(member_id, proposal_id)
        await self.session.exec(
            delete(ProposalSigner).where(col(ProposalSigner.proposal_id) == row.id)
        )
        await self.session.delete(row)
        await self.session.flush()

    async def of_member(self, member_id: int) -> list[Proposal]:
        """Submitted proposals the member authored or co-signed, newest first."""
        signed = select(ProposalSigner.proposal_id).where(
            ProposalSigner.member_id == member_id,
            ProposalSigner.status == SignerStatus.CONFIRMED,
        )
        stmt = (
            select(Proposal)
            .where(
                Proposal.status != Status.DRAFT,
                or_(col(Proposal.author_id) == member_id, col(Proposal.id).in_(signed)),
            )
            .order_by(col(Proposal.submitted_at).desc(), col(Proposal.id).desc())
        )
        return list(await self.session.exec(stmt))

    # co-signers ------------------------------------------------------------
    async def signers(self, proposal_id: int) -> list[ProposalSigner]:
        stmt = (
            select(ProposalSigner)
            .where(ProposalSigner.proposal_id == proposal_id)
            .order_by(col(ProposalSigner.position), col(ProposalSigner.id))
        )
        return list(await self.session.exec(stmt))

    async def invite(
        self, row: Proposal, member: Member, *, at: datetime | None = None
    ) -> ProposalSigner:
        assert row.id is not None and member.id is not None
        if row.status != Status.DRAFT:
            raise UserError("proposals.not_a_draft")
        if member.id == row.author_id:
            raise UserError("proposals.signer_is_author")
        existing = await self.signers(row.id)
        if any(s.member_id == member.id for s in existing):
            raise UserError("proposals.signer_exists", name=member.name)
        signer = ProposalSigner(
            proposal_id=row.id,
            member_id=member.id,
            position=max((s.position for s in existing), default=0) + 1,
            details=person_details(member),
            invited_at=at or utcnow(),
        )
        if row.kind != Kind.JOINT:
            row.kind = Kind.JOINT.value
            self.session.add(row)
        self.session.add(signer)
        await self.session.flush()
        return signer

    async def remove_signer(self, row: Proposal, member_id: int) -> None:
        if row.status != Status.DRAFT:
            raise UserError("proposals.not_a_draft")
        await self.session.exec(
            delete(ProposalSigner).where(
                col(ProposalSigner.proposal_id) == row.id,
                col(ProposalSigner.member_id) == member_id,
            )
        )
        await self.session.flush()

    async def answer_invitation(
        self, proposal_id: int, member_id: int, *, accept: bool, at: datetime | None = None
    ) -> ProposalSigner:
        """The invited member confirms or declines; only while the draft is still a draft."""
        stmt = select(ProposalSigner).where(
            ProposalSigner.proposal_id == proposal_id, ProposalSigner.member_id == member_id
        )
        signer = (await self.session.exec(stmt)).first()
        if signer is None:
            raise UserError("proposals.invitation_missing")
        row = await self.require(proposal_id)
        if row.status != Status.DRAFT:
            raise UserError("proposals.invitation_closed")
        if signer.status != SignerStatus.INVITED:
            raise UserError("proposals.invitation_answered")
        signer.status = SignerStatus.CONFIRMED if accept else SignerStatus.DECLINED
        signer.answered_at = at or utcnow()
        self.session.add(signer)
        await self.session.flush()
        return signer

    async def reinvite(self, signer: ProposalSigner, *, at: datetime | None = None) -> None:
        """The initiator asks an invitee who declined once more (the draft is still open)."""
        signer.status = SignerStatus.INVITED
        signer.invited_at = at or utcnow()
        signer.answered_at = None
        self.session.add(signer)
        await self.session.flush()

    async def join(
        self, row: Proposal, member: Member, *, at: datetime | None = None
    ) -> ProposalSigner:
        """The member co-signs another member's joint draft on their own initiative (instead
        of submitting a duplicate): a confirmed signer, since they have read the full text."""
        if row.status != Status.DRAFT or row.kind != Kind.JOINT:
            raise UserError("proposals.join_closed", title=row.title)
        signer = await self.invite(row, member, at=at)
        signer.status = SignerStatus.CONFIRMED
        signer.answered_at = signer.invited_at
        self.session.add(signer)
        await self.session.flush()
        return signer

    async def reset_confirmations(self, row: Proposal) -> list[ProposalSigner]:
        """The text changed after co-signers confirmed: they must confirm the new text."""
        assert row.id is not None
        if row.status != Status.DRAFT:
            raise UserError("proposals.not_a_draft")
        reset = []
        for s in await self.signers(row.id):
            if s.status == SignerStatus.CONFIRMED:
                s.status = SignerStatus.INVITED
                s.answered_at = None
                self.session.add(s)
                reset.append(s)
        await self.session.flush()
        return reset

    async def open_joint_drafts(self, *, other_than: int) -> list[Proposal]:
        """Joint drafts of other members still collecting co-signers (a title written)."""
        stmt = (
            select(Proposal)
            .where(
                Proposal.status == Status.DRAFT,
                Proposal.kind == Kind.JOINT,
                Proposal.author_id != other_than,
                Proposal.title != "",
            )
            .order_by(col(Proposal.id))
        )
        return list(await self.session.exec(stmt))

    async def invitations_for(self, member_id: int) -> list[ProposalSigner]:
        stmt = (
            select(ProposalSigner)
            .join(Proposal, col(Proposal.id) == col(ProposalSigner.proposal_id))
            .where(
                ProposalSigner.member_id == member_id,
                ProposalSigner.status == SignerStatus.INVITED,
                Proposal.status == Status.DRAFT,
            )
            .order_by(col(ProposalSigner.invited_at))
        )
        return list(await self.session.exec(stmt))

    # lifecycle -------------------------------------------------------------
    state = staticmethod(proposal_state)

    async def transition(
        self,
        row: Proposal,
        event: Event,
        *,
        actor_id: int | None = None,
        at: datetime | None = None,
    ) -> HistoryEntry:
        """Apply ``event`` (refused when illegal), save the row and its history entry."""
        assert row.id is not None
        at = at or utcnow()
        new, entry = apply(proposal_state(row), event, at=at, actor_id=actor_id, rules=self.rules)
        _write_state(row, new)
        row.updated_at = at
        self.session.add(row)
        await _record(self.session, "proposal", row.id, entry)
        await self.session.flush()
        return entry

    async def submit(
        self, row: Proposal, *, blocking_findings: int = 0, at: datetime | None = None
    ) -> HistoryEntry:
        """Submit the draft: unanswered invitations lapse, the proposer details freeze."""
        assert row.id is not None
        at = at or utcnow()
        signers = await self.signers(row.id)
        confirmed = [s for s in signers if s.status == SignerStatus.CONFIRMED]
        entry = await self.transition(
            row,
            Submit(
                kind=Kind(row.kind),
                confirmed_cosigners=len(confirmed),
                blocking_findings=blocking_findings,
            ),
            actor_id=row.author_id,
            at=at,
        )
        for s in signers:
            if s.status == SignerStatus.INVITED:
                s.status = SignerStatus.LAPSED
                self.session.add(s)
        row.year = at.year
        self.session.add(row)
        await self.session.flush()
        return entry

    async def register(
        self, row: Proposal, *, actor_id: int | None = None, at: datetime | None = None
    ) -> HistoryEntry:
        """立案 with the next number of the proposal's year from the configured pattern."""
        assert row.id is not None
        for _ in range(5):  # two clerks registering at once: the unique (year, seq) decides
            seq = await self._next_seq(row.year)
            number = format_number(self.rules.proposal.number_pattern, year=row.year, seq=seq)
            try:
                async with self.session.begin_nested():
                    return await self.transition(
                        row, Register(number=number, seq=seq), actor_id=actor_id, at=at
                    )
            except IntegrityError:
                await self.session.refresh(row)
        raise RuntimeError("could not allocate a proposal number")  # pragma: no cover

    async def _next_seq(self, year: int) -> int:
        stmt = select(func.max(Proposal.seq)).where(Proposal.year == year)
        return int((await self.session.exec(stmt)).one() or 0) + 1

    async def merge(
        self,
        row: Proposal,
        into_id: int,
        *,
        actor_id: int | None = None,
        at: datetime | None = None,
    ) -> HistoryEntry:
        """并案 into a registered or assigned proposal; the proposer still gets its answer."""
        if into_id == row.id:
            raise UserError("proposals.merge_into_self")
        host = await self.require(into_id)
        if host.status not in (Status.REGISTERED, Status.ASSIGNED):
            raise UserError("proposals.merge_target_status")
        label = host.number or f"#{host.id}"
        return await self.transition(
            row, Merge(into=into_id, into_label=label), actor_id=actor_id, at=at
        )

    async def merged_into(self, host_id: int) -> list[Proposal]:
        stmt = select(Proposal).where(Proposal.merged_into == host_id).order_by(col(Proposal.id))
        return list(await self.session.exec(stmt))

    async def answer(
        self,
        row: Proposal,
        event: Answer,
        *,
        document: bytes | None = None,
        actor_id: int | None = None,
        at: datetime | None = None,
    ) -> list[Proposal]:
        """Record the answer; proposals merged into this one get it too. Returns all answered."""
        at = at or utcnow()
        await self.transition(row, event, actor_id=actor_id, at=at)
        row.answer_document = document
        answered = [row]
        assert row.id is not None
        for merged in await self.merged_into(row.id):
            if merged.status != Status.MERGED:
                continue
            await self.transition(merged, event, actor_id=actor_id, at=at)
            merged.answer_document = document
            merged.lead_unit, merged.co_units = row.lead_unit, list(row.co_units)
            answered.append(merged)
        for r in answered:
            self.session.add(r)
        await self.session.flush()
        return answered

    async def urges_since(
        self, proposal_ids: Sequence[int], since: datetime
    ) -> dict[int, SubmissionHistory]:
        """The latest 催办 of each proposal recorded at or after ``since`` (once a day)."""
        if not proposal_ids:
            return {}
        stmt = (
            select(SubmissionHistory)
            .where(
                SubmissionHistory.subject == "proposal",
                col(SubmissionHistory.subject_id).in_(list(proposal_ids)),
                SubmissionHistory.action == "urge",
                col(SubmissionHistory.at) >= since,
            )
            .order_by(col(SubmissionHistory.at), col(SubmissionHistory.id))
        )
        return {h.subject_id: h for h in await self.session.exec(stmt)}

    # secretariat views -----------------------------------------------------
    async def review_queue(self) -> list[Proposal]:
        stmt = (
            select(Proposal)
            .where(col(Proposal.status).in_([Status.SUBMITTED, Status.UNDER_REVIEW]))
            .order_by(col(Proposal.submitted_at), col(Proposal.id))
        )
        return list(await self.session.exec(stmt))

    async def overdue(self, now: datetime | None = None) -> list[Proposal]:
        stmt = (
            select(Proposal)
            .where(
                Proposal.status == Status.ASSIGNED, col(Proposal.deadline_at) < (now or utcnow())
            )
            .order_by(col(Proposal.deadline_at), col(Proposal.id))
        )
        return list(await self.session.exec(stmt))

    async def of_year(self, year: int) -> list[Proposal]:
        """Every submitted proposal of the year, registered ones by number first."""
        stmt = select(Proposal).where(Proposal.year == year, Proposal.status != Status.DRAFT)
        rows = list(await self.session.exec(stmt))
        rows.sort(key=lambda p: (p.seq is None, p.seq or 0, p.submitted_at or p.created_at, p.id))
        return rows

    async def signers_of(self, proposal_ids: Sequence[int]) -> dict[int, list[ProposalSigner]]:
        if not proposal_ids:
            return {}
        stmt = (
            select(ProposalSigner)
            .where(col(ProposalSigner.proposal_id).in_(list(proposal_ids)))
            .order_by(col(ProposalSigner.proposal_id), col(ProposalSigner.position))
        )
        out: dict[int, list[ProposalSigner]] = {}
        for s in await self.session.exec(stmt):
            out.setdefault(s.proposal_id, []).append(s)
        return out

    def _indexed(self) -> Any:
        return (
            Proposal.year >= self.rules.proposal.term_start_year,
            col(Proposal.status).not_in([Status.DRAFT, Status.WITHDRAWN]),
        )

    async def similarity_key(self) -> tuple[int, int]:
        """Identifies the set of proposals the index holds (their text never changes once
        submitted): one cheap aggregate instead of reading every proposal."""
        count, total = (await self.session.exec(self.similarity_key_statement())).one()
        return int(count or 0), int(total or 0)

    def similarity_key_statement(self) -> Any:
        return select(func.count(col(Proposal.id)), func.sum(col(Proposal.id))).where(
            *self._indexed()
        )

    def similarity_rows_statement(self) -> Any:
        """(id, title, situation, suggestions) of the proposals the index holds, for a
        rebuild that reads them off the event loop (``storage/snapshot.py``)."""
        return select(Proposal.id, Proposal.title, Proposal.situation, Proposal.suggestions).where(
            *self._indexed()
        )

    async def similarity_index(self) -> SimilarityIndex:
        """This term's submitted proposals (not drafts, not withdrawn), for the duplicate hint."""
        stmt = select(Proposal).where(*self._indexed())
        docs = []
        for p in await self.session.exec(stmt):
            assert p.id is not None
            text = ProposalText(title=p.title, situation=p.situation, suggestions=p.suggestions)
            docs.append((p.id, p.title, comparison_text(text)))
        return SimilarityIndex(docs)


def report_state(row: Report) -> ReportState:
    return ReportState(
        status=ReportStatus(row.status),
        submitted_at=row.submitted_at,
        levels=tuple(AdoptionLevel(v) for v in row.levels or ()),
        decided_at=row.decided_at,
        decision_note=row.decision_note,
    )


class Reports(_Documents[Report]):
    table = Report
    subject = "report"
    draft_parts = REPORT_PARTS

    async def new_draft(
        self, author: Member, *, at: datetime | None = None, source_proposal_id: int | None = None
    ) -> Report:
        assert author.id is not None
        at = at or utcnow()
        row = Report(
            year=at.year,
            author_id=author.id,
            reporter=person_details(author),
            source_proposal_id=source_proposal_id,
            created_at=at,
            updated_at=at,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def refresh_reporter(self, row: Report, author: Member) -> None:
        """The draft shows the roster's current details until it is submitted."""
        if row.status == ReportStatus.DRAFT:
            row.reporter = person_details(author)
            self.session.add(row)

    async def delete_draft(self, member_id: int, report_id: int) -> None:
        await self.session.delete(await self.own_draft(member_id, report_id))
        await self.session.flush()

    async def of_member(self, member_id: int) -> list[Report]:
        stmt = (
            select(Report)
            .where(Report.author_id == member_id, Report.status != ReportStatus.DRAFT)
            .order_by(col(Report.submitted_at).desc(), col(Report.id).desc())
        )
        return list(await self.session.exec(stmt))

    state = staticmethod(report_state)

    async def transition(
        self,
        row: Report,
        event: ReportEvent,
        *,
        actor_id: int | None = None,
        at: datetime | None = None,
    ) -> HistoryEntry:
        assert row.id is not None
        at = at or utcnow()
        new, entry = apply_report(report_state(row), event, at=at, actor_id=actor_id)
        row.status = new.status.value
        row.submitted_at = new.submitted_at
        row.levels = [level.value for level in new.levels]
        row.decided_at = new.decided_at
        row.decision_note = new.decision_note
        row.updated_at = at
        if isinstance(event, SubmitReport):
            row.year = at.year
        self.session.add(row)
        await _record(self.session, "report", row.id, entry)
        await self.session.flush()
        return entry

    async def submit(
        self, row: Report, *, blocking_findings: int = 0, at: datetime | None = None
    ) -> HistoryEntry:
        """Submit the member's draft (refused while something blocks it)."""
        return await self.transition(
            row, SubmitReport(blocking_findings=blocking_findings), actor_id=row.author_id, at=at
        )

    async def review_queue(self) -> list[Report]:
        stmt = (
            select(Report)
            .where(col(Report.status).in_([ReportStatus.SUBMITTED, ReportStatus.KEPT]))
            .order_by(col(Report.urgency).desc(), col(Report.submitted_at), col(Report.id))
        )
        return list(await self.session.exec(stmt))

    async def of_year(self, year: int) -> list[Report]:
        stmt = (
            select(Report)
            .where(Report.year == year, Report.status != ReportStatus.DRAFT)
            .order_by(col(Report.submitted_at), col(Report.id))
        )
        return list(await self.session.exec(stmt))
