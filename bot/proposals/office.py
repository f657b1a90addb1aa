"""The secretariat's operations on proposals and reports, shared by the chat and the CLI.

Each operation applies one lifecycle transition through the repository (refused when
illegal), writes the audit log, and queues a notification for everyone it concerns (the
first proposer and the confirmed co-signers) through the outbox, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.callbacks import Signer
from bot.catalogue import Catalogue
from bot.delivery_queue import enqueue_for_member
from bot.domain.chinese_times import parse_when
from bot.domain.roles import Role, parse_roles
from bot.errors import UserError
from bot.proposals.config import rules
from bot.proposals.documents import answer_letter
from bot.proposals.documents.docx import format_date
from bot.proposals.proposal_lifecycle import (
    Answer,
    AnswerCategory,
    Assign,
    Conversion,
    Decline,
    Extend,
    MarkKey,
    Rate,
    Rating,
    Urge,
)
from bot.proposals.report_lifecycle import Adopt, Keep, Reject, ReportEvent, SubmitReport
from bot.text import Text
from bot.types import Button, OutDocument, Reply
from storage.audit import Audit
from storage.columns import utcnow
from storage.proposals import Proposals, Reports, SignerStatus
from storage.roster import Roster
from storage.tables import Member, Proposal, Report
from storage.web import lock_proposal

if TYPE_CHECKING:
    from bot.context import Context

__all__ = ["Office", "day_start", "deadline_day", "overdue_digest_text", "proposal_label"]


def proposal_label(p: Proposal) -> str:
    """How a clerk refers to a proposal: its number once registered, else its id."""
    return p.number or f"#{p.id}"


def overdue_digest_text(
    rows: Sequence[Proposal],
    *,
    cat: Catalogue,
    zone: ZoneInfo,
    urged: Collection[int] = (),
) -> Text:
    """The overdue list (``/overdue`` and the secretariat's morning digest); the ids in
    ``urged`` were urged today."""
    if not rows:
        return cat.t("proposals.overdue_empty")
    lines = [
        cat.t(
            "proposals.overdue_line",
            label=proposal_label(p),
            title=p.title,
            lead_unit=p.lead_unit or "",
            deadline=format_date(p.deadline_at, zone),  # a deadline is a day
        )
        + (cat.t("proposals.overdue_urged") if p.id in urged else Text(()))
        for p in rows
    ]
    return cat.t("proposals.overdue_head", count=len(rows)) + Text.join("\n", lines)


def deadline_day(text: str, *, zone: ZoneInfo, now: datetime) -> date:
    """The day a clerk wrote for a new deadline (``2026-06-30``, ``6月30日``, ``下个月5号``)."""
    when = parse_when(text.strip()[:40], zone=zone, now=now)
    if when is None or when.end is not None:
        raise UserError("proposals.extend_date_unreadable", text=text.strip()[:40])
    return when.start.astimezone(zone).date()


def day_start(at: datetime, zone: ZoneInfo) -> datetime:
    """Midnight of ``at``'s day in the committee's zone: 催办 is once a (local) day."""
    return datetime.combine(at.astimezone(zone).date(), time(), tzinfo=zone)


@dataclass(slots=True)
class Office:
    session: AsyncSession
    catalogue: Catalogue
    signer: Signer
    zone: ZoneInfo
    actor: Member | None = None
    actor_label: str = ""

    @classmethod
    def of(cls, ctx: Context) -> Office:
        """The office acting for the member of this update (chat); the CLI builds its own."""
        return cls(
            session=ctx.session,
            catalogue=ctx.services.catalogue,
            signer=ctx.services.signer,
            zone=ctx.settings.zone,
            actor=ctx.member,
        )

    @property
    def proposals(self) -> Proposals:
        return Proposals(self.session)

    @property
    def reports(self) -> Reports:
        return Reports(self.session)

    @property
    def actor_id(self) -> int | None:
        return self.actor.id if self.actor else None

    # -- finding --------------------------------------------------------------------
    async def find(self, ref: str | int) -> Proposal:
        """By id (``12`` or ``#12``) or by number (``2025-001``)."""
        text = str(ref).strip().lstrip("#")
        if text.isdigit():
            return await self.proposals.require(int(text))
        row = (await self.session.exec(select(Proposal).where(Proposal.number == text))).first()
        if row is None:
            raise UserError("proposals.not_found")
        return row

    # -- notifications ----------------------------------------------------------------
    async def people_of(self, p: Proposal) -> list[int]:
        assert p.id is not None
        signers = await self.proposals.signers(p.id)
        return [p.author_id] + [s.member_id for s in signers if s.status == SignerStatus.CONFIRMED]

    async def tell(
        self,
        p: Proposal,
        event: str,
        *,
        buttons: bool = False,
        document: OutDocument | None = None,
        **params: str,
    ) -> None:
        status = self.catalogue.s(f"proposals.status.{p.status}")
        for member_id in await self.people_of(p):

            def build(rid: int, mid: int = member_id) -> Reply:
                # A co-signer is told about the proposal they co-signed, not "your proposal".
                whose = "whose_own" if mid == p.author_id else "whose_cosigned"
                text = self.catalogue.t(
                    f"proposals.notice.{event}",
                    title=p.title,
                    label=proposal_label(p),
                    status=status,
                    whose=self.catalogue.s(f"proposals.notice.{whose}"),
                    **params,
                )
                rows: tuple[tuple[Button, ...], ...] = ()
                if buttons and mid == p.author_id:
                    text = text + self.catalogue.t(f"proposals.notice.{event}_rate")
                    rows = (
                        tuple(
                            Button(
                                label=self.catalogue.t(f"proposals.rating.{r.value}"),
                                action=self.signer.sign(
                                    f"m{mid}", "proposal.rate", (p.id or 0, r.value)
                                ),
                            )
                            for r in Rating
                        ),
                    )
                return Reply(text=text, buttons=rows, document=document)

            await enqueue_for_member(
                self.session,
                member_id,
                build,
                dedupe_key=f"proposal:{p.id}:{event}:{p.updated_at.isoformat()}:{member_id}",
                kind="proposal",
                ref=f"proposal:{p.id}",
            )

    async def _audit(self, action: str, target: str, **detail: object) -> None:
        await Audit(self.session).record(
            action, actor=self.actor, actor_label=self.actor_label, target=target, **detail
        )

    # -- proposal operations ------------------------------------------------------------
    async def register(self, ref: str | int, *, at: datetime | None = None) -> Proposal:
        p = await self.find(ref)
        await self.proposals.register(p, actor_id=self.actor_id, at=at)
        await self._audit("proposal.register", f"proposal:{p.id}", number=p.number)
        await self.tell(p, "registered", number=p.number or "")
        return p

    async def decline(
        self,
        ref: str | int,
        *,
        ground: str,
        note: str = "",
        convert_to: Conversion | None = None,
        at: datetime | None = None,
    ) -> Proposal:
        p = await self.find(ref)
        await self.proposals.transition(
            p,
            Decline(ground=ground, note=note, convert_to=convert_to),
            actor_id=self.actor_id,
            at=at,
        )
        if convert_to == Conversion.REPORT:
            await self._convert_to_report(p)
        await self._audit("proposal.decline", f"proposal:{p.id}", ground=ground)
        conversion = (
            self.catalogue.s(f"proposals.conversion.{convert_to.value}") if convert_to else ""
        )
        await self.tell(
            p,
            "declined",
            ground=self.catalogue.s(f"proposals.ground.{ground}"),
            note=note or "—",
            conversion=conversion or "—",
        )
        return p

    async def _convert_to_report(self, p: Proposal) -> Report:
        """The text goes on as a public-opinion report, submitted in the proposer's name."""
        author = await self.session.get(Member, p.author_id)
        assert author is not None
        report = await self.reports.new_draft(author, source_proposal_id=p.id)
        await self.reports.save_draft(
            report,
            # A converted proposal has no category of its own: the configured catch-all
            # (listed last, 其他 by default) rather than a word the config may not have.
            category=rules().report.categories[-1],
            title=p.title,
            situation=p.situation,
            cause="",
            suggestions=p.suggestions,
        )
        report.reporter = dict(p.proposer)
        await self.reports.transition(report, SubmitReport(), actor_id=self.actor_id)
        return report

    async def merge(
        self, ref: str | int, into: str | int, *, at: datetime | None = None
    ) -> Proposal:
        p = await self.find(ref)
        host = await self.find(into)
        assert host.id is not None
        await self.proposals.merge(p, host.id, actor_id=self.actor_id, at=at)
        await self._audit("proposal.merge", f"proposal:{p.id}", into=host.id)
        await self.tell(p, "merged", into=proposal_label(host), into_title=host.title)
        return p

    async def assign(
        self,
        ref: str | int,
        *,
        lead_unit: str,
        co_units: Sequence[str] = (),
        deadline_at: datetime | None = None,
        at: datetime | None = None,
    ) -> Proposal:
        p = await self.find(ref)
        await self.proposals.transition(
            p,
            Assign(lead_unit=lead_unit, co_units=tuple(co_units), deadline_at=deadline_at),
            actor_id=self.actor_id,
            at=at,
        )
        await self._audit("proposal.assign", f"proposal:{p.id}", lead_unit=lead_unit)
        await self.tell(
            p,
            "assigned",
            lead_unit=p.lead_unit or "",
            co_units="、".join(p.co_units) or "—",
            deadline=self._date(p.deadline_at),
        )
        return p

    async def mark_key(self, ref: str | int, *, flag: bool = True) -> Proposal:
        p = await self.find(ref)
        await self.proposals.transition(p, MarkKey(flag=flag), actor_id=self.actor_id)
        await self._audit("proposal.key", f"proposal:{p.id}", flag=flag)
        if flag:
            await self.tell(p, "key")
        return p

    async def answer(
        self,
        ref: str | int,
        *,
        category: AnswerCategory,
        text: str = "",
        document_name: str | None = None,
        document: bytes | None = None,
        at: datetime | None = None,
    ) -> list[Proposal]:
        p = await self.find(ref)
        answered = await self.proposals.answer(
            p,
            Answer(category=category, text=text, document_name=document_name),
            document=document,
            actor_id=self.actor_id,
            at=at,
        )
        await self._audit("proposal.answer", f"proposal:{p.id}", category=category.value)
        # The answer letter travels with the notice, as the file itself.
        letter = answer_letter(document_name, document)
        for row in answered:
            await self.tell(
                row,
                "answered",
                buttons=True,
                document=letter,
                category=self.catalogue.s(f"proposals.answer_category.{category.value}"),
                answer=text or (self.catalogue.s("documents.answer.attached") if letter else ""),
            )
        return answered

    async def rate(
        self, p: Proposal, member_id: int, rating: Rating, comment: str = ""
    ) -> Proposal:
        if p.author_id != member_id:
            raise UserError("proposals.not_yours")
        await self.proposals.transition(p, Rate(rating=rating, comment=comment), actor_id=member_id)
        if rating == Rating.DISSATISFIED:
            await self._tell_secretariat_dissatisfied(p)
        return p

    async def _tell_secretariat_dissatisfied(self, p: Proposal) -> None:
        """不满意 sends the proposal back to the unit; the secretariat follows it up."""
        text = self.catalogue.t(
            "proposals.notice.dissatisfied_staff",
            label=proposal_label(p),
            title=p.title,
            name=p.proposer.get("name", ""),
            comment=p.rating_comment or "—",
            lead_unit=p.lead_unit or "",
            deadline=self._date(p.deadline_at),
        )
        for person in await Roster(self.session).list():
            if person.id is None or Role.SECRETARIAT not in parse_roles(person.roles):
                continue
            await enqueue_for_member(
                self.session,
                person.id,
                Reply(text=text),
                dedupe_key=f"proposal:{p.id}:dissatisfied:{p.round}:{person.id}",
                kind="proposal",
                ref=f"proposal:{p.id}",
            )

    async def urge(self, ref: str | int, *, at: datetime | None = None) -> Proposal:
        """催办: once a day per proposal; the history, the audit and the proposers record it.

        The row is locked first, so two clerks pressing at once take turns and the second
        finds the first one's urge instead of adding another."""
        at = at or utcnow()
        p = await self._locked(ref)
        assert p.id is not None
        earlier = (await self.proposals.urges_since([p.id], day_start(at, self.zone))).get(p.id)
        if earlier is not None:
            who = await self.session.get(Member, earlier.actor_member_id or 0)
            raise UserError(
                "proposals.urged_today",
                label=proposal_label(p),
                time=earlier.at.astimezone(self.zone).strftime("%H:%M"),
                name=who.name if who else self.catalogue.s("proposals.urged_by_cli"),
            )
        await self.proposals.transition(p, Urge(), actor_id=self.actor_id, at=at)
        await self._audit("proposal.urge", f"proposal:{p.id}", lead_unit=p.lead_unit or "")
        await self.tell(p, "urged", lead_unit=p.lead_unit or "", deadline=self._date(p.deadline_at))
        return p

    async def extend(
        self, ref: str | int, *, to: date, reason: str, at: datetime | None = None
    ) -> Proposal:
        """延期 to the end of day ``to`` (local), later than the present deadline, with a reason."""
        at = at or utcnow()
        p = await self._locked(ref)
        old = p.deadline_at
        self.check_extension(p, to, at=at)
        end_of_day = datetime.combine(to, time(23, 59, 59), tzinfo=self.zone).astimezone(UTC)
        reason = reason.strip()[:500]
        await self.proposals.transition(
            p, Extend(deadline_at=end_of_day, reason=reason), actor_id=self.actor_id, at=at
        )
        await self._audit(
            "proposal.extend",
            f"proposal:{p.id}",
            deadline_from=self._date(old),
            deadline_to=self._date(p.deadline_at),
            reason=reason,
        )
        await self.tell(
            p,
            "extended",
            old_deadline=self._date(old),
            deadline=self._date(p.deadline_at),
            reason=reason,
        )
        return p

    async def urged_today(self, ids: Sequence[int], *, at: datetime | None = None) -> set[int]:
        """Which of these proposals were already urged today (their buttons say so)."""
        since = day_start(at or utcnow(), self.zone)
        return set(await self.proposals.urges_since(ids, since))

    def check_extension(self, p: Proposal, to: date, *, at: datetime) -> None:
        """A new deadline must be a later day than the present one, and not before today."""
        if p.deadline_at is not None and to <= p.deadline_at.astimezone(self.zone).date():
            raise UserError("proposals.extend_not_later", deadline=self._date(p.deadline_at))
        if to < at.astimezone(self.zone).date():
            raise UserError("proposals.extend_past")

    async def _locked(self, ref: str | int) -> Proposal:
        p = await self.find(ref)
        assert p.id is not None
        locked = await lock_proposal(self.session, p.id)
        if locked is None:  # pragma: no cover - deleted between the two reads
            raise UserError("proposals.not_found")
        return locked

    # -- reports ----------------------------------------------------------------------
    async def decide_report(self, report_id: int, event: ReportEvent) -> Report:
        r = await self.reports.require(report_id)
        await self.reports.transition(r, event, actor_id=self.actor_id)
        await self._audit(f"report.{event.action}", f"report:{r.id}")
        if isinstance(event, Adopt):
            outcome = self.catalogue.s(f"reports.level.{event.level.value}")
        elif isinstance(event, Reject):
            outcome = self.catalogue.s("reports.status.not_adopted")
        else:
            assert isinstance(event, Keep)
            outcome = self.catalogue.s("reports.status.kept")
        await enqueue_for_member(
            self.session,
            r.author_id,
            Reply(text=self.catalogue.t("reports.notice", title=r.title, outcome=outcome)),
            dedupe_key=f"report:{r.id}:{event.action}:{r.updated_at.isoformat()}",
            kind="report",
            ref=f"report:{r.id}",
        )
        return r

    def _date(self, at: datetime | None) -> str:
        return format_date(at, self.zone)
