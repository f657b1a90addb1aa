"""优秀提案: a mark the secretariat gives a registered proposal (usually once it has been
handled, when the year's proposals are appraised) or takes back. Like 重点提案 it is a flag,
not a state. Each change is audited, goes into the proposal's history, and (when given) is
told to the first proposer and the confirmed co-signers. The duty record counts it for both
(``bot/record/facts.py``), so nobody has to enter it by hand.
"""

from __future__ import annotations

from datetime import datetime

from bot.errors import UserError
from bot.proposals.office import Office, proposal_label
from bot.proposals.proposal_lifecycle import Status
from storage.audit import Audit
from storage.columns import utcnow
from storage.tables import Proposal, SubmissionHistory

__all__ = ["EXCELLENT_STATUSES", "can_be_excellent", "mark_excellent"]

# Registered and still alive: merged ones are judged through the proposal they joined.
EXCELLENT_STATUSES = frozenset({Status.REGISTERED, Status.ASSIGNED, Status.ANSWERED, Status.RATED})


def can_be_excellent(p: Proposal) -> bool:
    return bool(p.number) and p.status in EXCELLENT_STATUSES


async def mark_excellent(
    office: Office, ref: str | int, *, flag: bool = True, at: datetime | None = None
) -> Proposal:
    """Mark (``flag``) or unmark the proposal ``ref`` (id or number) as 优秀提案."""
    p = await office.find(ref)
    assert p.id is not None
    params = {"label": proposal_label(p), "title": p.title}
    if not can_be_excellent(p):
        status = office.catalogue.s(f"proposals.status.{p.status}")
        raise UserError("proposal_roles.excellent_status", status=status, **params)
    if p.excellent == flag:
        raise UserError(
            "proposal_roles.already_excellent" if flag else "proposal_roles.not_excellent",
            **params,
        )
    at = at or utcnow()
    p.excellent = flag
    p.updated_at = at
    office.session.add(p)
    office.session.add(
        SubmissionHistory(
            subject="proposal",
            subject_id=p.id,
            at=at,
            action="excellent" if flag else "excellent_undo",
            status_from=p.status,
            status_to=p.status,
            actor_member_id=office.actor_id,
            data={"flag": flag},
        )
    )
    await Audit(office.session).record(
        "proposal.excellent",
        actor=office.actor,
        actor_label=office.actor_label,
        target=f"proposal:{p.id}",
        flag=flag,
    )
    if flag:
        await office.tell(p, "excellent")
    await office.session.flush()
    return p
