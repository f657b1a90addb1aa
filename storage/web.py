"""Login links and sessions of the secretariat web console (``bot/web/``).

Tokens are random (``secrets.token_urlsafe``); the database keeps only their SHA-256, so a
leaked backup opens no session. A login link is spent by one conditional UPDATE, so two
browsers racing with the same link cannot both get in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import UserError
from storage.columns import utcnow
from storage.notices import AttendanceRow, NoticesRepo
from storage.tables import Member, NoticeRecipient, Proposal, WebLoginToken, WebSession

__all__ = [
    "LOGIN_LINK_TTL",
    "SESSION_TTL",
    "LoggedIn",
    "QueueFilter",
    "WebAuth",
    "attendance_rows",
    "lock_proposal",
    "proposal_queue",
    "proposal_sectors",
    "token_hash",
]

LOGIN_LINK_TTL = timedelta(minutes=15)
SESSION_TTL = timedelta(hours=8)  # one working day


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LoggedIn:
    session: WebSession
    member: Member


class WebAuth:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def new_login_token(
        self, member: Member, *, created_by: str, ttl: timedelta = LOGIN_LINK_TTL
    ) -> str:
        """A fresh one-time token for ``member``; only its hash is stored."""
        assert member.id is not None
        token = secrets.token_urlsafe(32)
        now = utcnow()
        self.session.add(
            WebLoginToken(
                token_hash=token_hash(token),
                member_id=member.id,
                created_by=created_by[:64],
                created_at=now,
                expires_at=now + ttl,
            )
        )
        await self.session.flush()
        return token

    async def redeem(self, token: str, *, now: datetime | None = None) -> Member:
        """Spends the link; refused (``web.link_*``) when unknown, used or expired."""
        now = now or utcnow()
        digest = token_hash(token)
        row = (
            await self.session.exec(select(WebLoginToken).where(WebLoginToken.token_hash == digest))
        ).first()
        if row is None:
            raise UserError("web.link_invalid")
        if row.used_at is not None:
            raise UserError("web.link_used")
        if row.expires_at <= now:
            raise UserError("web.link_expired")
        spent = await self.session.exec(
            update(WebLoginToken)
            .where(col(WebLoginToken.id) == row.id, col(WebLoginToken.used_at).is_(None))
            .values(used_at=now)
        )
        if spent.rowcount != 1:
            raise UserError("web.link_used")
        member = await self.session.get(Member, row.member_id)
        if member is None or member.status != "active":
            raise UserError("web.link_invalid")
        return member

    async def open_session(
        self, member: Member, *, ttl: timedelta = SESSION_TTL
    ) -> tuple[str, WebSession]:
        """A new browser session: (cookie value, row)."""
        assert member.id is not None
        token = secrets.token_urlsafe(32)
        now = utcnow()
        row = WebSession(
            token_hash=token_hash(token),
            member_id=member.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + ttl,
        )
        self.session.add(row)
        await self.session.flush()
        return token, row

    async def logged_in(self, token: str, *, now: datetime | None = None) -> LoggedIn | None:
        """The live session for a cookie value, with its member (None: log in again)."""
        now = now or utcnow()
        stmt = (
            select(WebSession, Member)
            .join(Member, col(Member.id) == col(WebSession.member_id))
            .where(WebSession.token_hash == token_hash(token))
        )
        found = (await self.session.exec(stmt)).first()
        if found is None:
            return None
        web_session, member = found
        if web_session.ended_at is not None or web_session.expires_at <= now:
            return None
        if member.status != "active":
            return None
        return LoggedIn(session=web_session, member=member)

    async def forget_expired(self, before: datetime) -> int:
        """Delete login links and sessions that expired (or ended) before ``before``;
        returns how many."""
        links = await self.session.exec(
            delete(WebLoginToken).where(col(WebLoginToken.expires_at) < before)
        )
        sessions = await self.session.exec(
            delete(WebSession).where(
                or_(col(WebSession.expires_at) < before, col(WebSession.ended_at) < before)
            )
        )
        return int(links.rowcount or 0) + int(sessions.rowcount or 0)

    async def end_session(self, token: str) -> None:
        await self.session.exec(
            update(WebSession)
            .where(col(WebSession.token_hash) == token_hash(token))
            .values(ended_at=utcnow())
        )


async def lock_proposal(session: AsyncSession, proposal_id: int) -> Proposal | None:
    """The proposal row, locked for this transaction and read afresh.

    Two clerks acting on one proposal at once then take turns: the second sees what the
    first did (and the lifecycle refuses a repeated step) instead of overwriting it.
    SQLite serialises every write transaction already; the lock matters on PostgreSQL."""
    stmt = (
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.exec(stmt)).first()


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """The proposal queue's filters; empty values filter nothing."""

    year: int | None = None
    status: str = ""
    sector: str = ""
    field: str = ""
    overdue: bool = False
    key: bool = False
    search: str = ""


# The queue reads these columns only: not the texts or an answer document.
_QUEUE_COLUMNS = (
    Proposal.id,
    Proposal.year,
    Proposal.number,
    Proposal.seq,
    Proposal.status,
    Proposal.title,
    Proposal.field,
    Proposal.proposer,
    Proposal.submitted_at,
    Proposal.deadline_at,
    Proposal.is_key,
    Proposal.rating,
    Proposal.lead_unit,
)


async def proposal_queue(
    session: AsyncSession, f: QueueFilter, *, now: datetime, limit: int = 200
) -> tuple[list[Any], int]:
    """(rows of ``_QUEUE_COLUMNS`` for one page, how many match in all), newest first."""
    conditions: list[Any] = [Proposal.status != "draft"]
    if f.year:
        conditions.append(Proposal.year == f.year)
    if f.status:
        conditions.append(Proposal.status == f.status)
    if f.field:
        conditions.append(Proposal.field == f.field)
    if f.key:
        conditions.append(col(Proposal.is_key).is_(True))
    if f.overdue:
        conditions += [Proposal.status == "assigned", col(Proposal.deadline_at) < now]
    if f.search:
        like = f"%{f.search.replace('%', '').replace('_', '')}%"
        conditions.append(col(Proposal.title).like(like) | col(Proposal.number).like(like))
    if f.sector:  # the proposer's 界别, from the JSON snapshot (json_extract / ->>)
        conditions.append(col(Proposal.proposer)["sector"].as_string() == f.sector)
    page: Any = select(*_QUEUE_COLUMNS)  # type: ignore[call-overload]
    page = page.where(*conditions).order_by(
        col(Proposal.submitted_at).desc(), col(Proposal.id).desc()
    )
    rows = list(await session.exec(page.limit(limit)))
    total = (await session.exec(select(func.count(col(Proposal.id))).where(*conditions))).one()
    return rows, int(total or 0)


async def proposal_sectors(session: AsyncSession) -> list[str]:
    """The 界别 of the roster, for the queue's filter."""
    stmt = select(Member.sector).where(Member.sector != "").distinct().order_by(Member.sector)
    return [s for s in await session.exec(stmt) if s]


async def attendance_rows(session: AsyncSession, notice_id: int) -> list[AttendanceRow]:
    """The attendance export's rows, read as columns (a page of 500 names stays fast);
    the delivery state as the outbox knows it, like ``NoticesRepo.export_rows``."""
    stmt: Any = select(  # type: ignore[call-overload, misc]
        NoticeRecipient.member_id,
        Member.name,
        Member.sector,
        Member.committee,
        NoticeRecipient.answer,
        NoticeRecipient.leave_reason,
        NoticeRecipient.leave_decision,
        NoticeRecipient.answered_at,
        NoticeRecipient.checked_in_at,
        NoticeRecipient.delivery_state,
        NoticeRecipient.delivery_error,
    )
    stmt = (
        stmt.join(Member, col(Member.id) == col(NoticeRecipient.member_id))
        .where(NoticeRecipient.notice_id == notice_id)
        .order_by(col(Member.sector), col(Member.name), col(Member.id))
    )
    outcomes = await NoticesRepo(session).delivery_outcomes(notice_id)
    out = []
    for r in await session.exec(stmt):
        state, error = outcomes.get(r.member_id, (r.delivery_state, r.delivery_error))
        out.append(
            AttendanceRow(
                member_id=r.member_id,
                name=r.name,
                sector=r.sector,
                committee=r.committee,
                answer=r.answer,
                leave_reason=r.leave_reason,
                leave_decision=r.leave_decision,
                answered_at=r.answered_at,
                checked_in_at=r.checked_in_at,
                delivery_state=state,
                delivery_error=error,
            )
        )
    return out
