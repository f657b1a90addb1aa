"""Repository for the roster: members, their platform identities, invites, attempts.

A member may be bound on several platforms (one account on each). Messages that are not
replies go to one of them, the address (``address_of``): the reachable account the member
used last, so a member who moved from Telegram to WeCom is reached where they now are.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.roster.invite_codes import INVITE_ALPHABET, new_code
from storage.columns import utcnow
from storage.tables import AppValue, Identity, Invite, Member, VerifyAttempt

__all__ = ["CODE_FAILURE", "INVITE_ALPHABET", "Roster", "address_of", "last_used"]

# VerifyAttempt.detail of a wrong invite code: what the guessing alarm counts over all accounts.
CODE_FAILURE = "code"
_BURST_KEY = "verify.code_burst_last"


class Roster:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # members ---------------------------------------------------------------
    async def get(self, member_id: int) -> Member | None:
        return await self.session.get(Member, member_id)

    async def count(self, *, active_only: bool = True) -> int:
        stmt = select(func.count()).select_from(Member)
        if active_only:
            stmt = stmt.where(Member.status == "active")
        return int((await self.session.exec(stmt)).one())

    async def by_phone(self, phone: str) -> Member | None:
        return (await self.session.exec(select(Member).where(Member.phone == phone))).first()

    async def by_name(self, name: str, *, active_only: bool = True) -> list[Member]:
        stmt = select(Member).where(Member.name == name)
        if active_only:
            stmt = stmt.where(Member.status == "active")
        return list(await self.session.exec(stmt.order_by(col(Member.id))))

    async def by_platform_account(self, platform: str, user_id: str) -> Member | None:
        """The member the roster gives this account (企业微信账号; case-insensitive, as
        WeCom userids are); None on a platform the roster has no column for."""
        if platform != "wecom":
            return None
        stmt = select(Member).where(func.lower(Member.wecom_userid) == user_id.lower())
        return (await self.session.exec(stmt)).first()

    async def search(self, fragment: str, *, limit: int = 10) -> list[Member]:
        stmt = (
            select(Member)
            .where(Member.status == "active", col(Member.name).contains(fragment))
            .order_by(col(Member.name))
            .limit(limit)
        )
        return list(await self.session.exec(stmt))

    async def list(
        self,
        *,
        include_retired: bool = False,
        sector: str | None = None,
        committee: str | None = None,
    ) -> list[Member]:
        stmt = select(Member)
        if not include_retired:
            stmt = stmt.where(Member.status == "active")
        if sector:
            stmt = stmt.where(Member.sector == sector)
        if committee:
            stmt = stmt.where(Member.committee == committee)
        return list(await self.session.exec(stmt.order_by(col(Member.id))))

    async def add(self, member: Member) -> Member:
        self.session.add(member)
        await self.session.flush()
        return member

    async def touch(self, member: Member) -> None:
        member.updated_at = utcnow()
        self.session.add(member)
        await self.session.flush()

    # identities -----------------------------------------------------------
    async def identity(self, platform: str, user_id: str) -> Identity | None:
        stmt = select(Identity).where(Identity.platform == platform, Identity.user_id == user_id)
        return (await self.session.exec(stmt)).first()

    async def identities_of(self, member_ids: Sequence[int]) -> builtins.list[Identity]:
        if not member_ids:
            return []
        stmt = select(Identity).where(col(Identity.member_id).in_(list(member_ids)))
        return list(await self.session.exec(stmt.order_by(col(Identity.id))))

    async def addresses(self, member_ids: Sequence[int]) -> dict[int, Identity]:
        """Each member's address (see ``address_of``); members without an account are left out."""
        by_member: dict[int, builtins.list[Identity]] = {}
        for identity in await self.identities_of(member_ids):
            by_member.setdefault(identity.member_id, []).append(identity)
        return {m: a for m, ids in by_member.items() if (a := address_of(ids)) is not None}

    async def accounts(
        self, member_id: int, *, platform: str | None = None
    ) -> builtins.list[Identity]:
        """The member's bound accounts, newest first."""
        stmt = select(Identity).where(Identity.member_id == member_id)
        if platform is not None:
            stmt = stmt.where(Identity.platform == platform)
        order = (col(Identity.verified_at).desc(), col(Identity.id).desc())
        return list(await self.session.exec(stmt.order_by(*order)))

    async def bind(
        self,
        member: Member,
        *,
        platform: str,
        user_id: str,
        chat_id: str,
        via: str,
        display_name: str = "",
    ) -> Identity:
        """Binds the account to ``member``; the member's other account on this platform is
        unbound (one active account per member per platform, a unique index holds it)."""
        assert member.id is not None
        for other in await self.accounts(member.id, platform=platform):
            if other.user_id != user_id:
                await self.session.delete(other)
        await self.session.flush()  # before the index sees this account arrive
        identity = await self.identity(platform, user_id)
        if identity is None:
            identity = Identity(
                member_id=member.id, platform=platform, user_id=user_id, chat_id=chat_id
            )
        identity.member_id = member.id
        identity.chat_id = chat_id
        identity.verified_via = via
        identity.verified_at = utcnow()
        identity.last_seen_at = identity.verified_at
        identity.display_name = display_name[:128]
        identity.unreachable_reason = None
        identity.unreachable_at = None
        self.session.add(identity)
        await self.session.flush()
        return identity

    async def unbind(
        self, member_id: int, *, platform: str | None = None
    ) -> builtins.list[Identity]:
        """Removes the member's accounts (on ``platform`` only, if given); returns them."""
        gone = await self.accounts(member_id, platform=platform)
        for identity in gone:
            await self.session.delete(identity)
        await self.session.flush()
        return gone

    async def mark_unreachable(self, platform: str, chat_id: str, reason: str) -> None:
        stmt = select(Identity).where(Identity.platform == platform, Identity.chat_id == chat_id)
        for identity in await self.session.exec(stmt):
            identity.unreachable_reason = reason[:128]
            identity.unreachable_at = utcnow()
            self.session.add(identity)
        await self.session.flush()

    # invites ---------------------------------------------------------------
    async def new_invite(self, member: Member, *, ttl: timedelta, created_by: str) -> Invite:
        assert member.id is not None
        code = new_code()
        invite = Invite(
            code=code, member_id=member.id, created_by=created_by, expires_at=utcnow() + ttl
        )
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def invite(self, code: str) -> Invite | None:
        return await self.session.get(Invite, code.strip().upper())

    # verification attempts -----------------------------------------------
    async def failed_attempts_since(self, platform: str, user_id: str, since: datetime) -> int:
        stmt = (
            select(func.count())
            .select_from(VerifyAttempt)
            .where(
                VerifyAttempt.platform == platform,
                VerifyAttempt.user_id == user_id,
                col(VerifyAttempt.at) >= since,
            )
        )
        return int((await self.session.exec(stmt)).one())

    async def last_failed_attempt(self, platform: str, user_id: str) -> datetime | None:
        stmt = select(func.max(VerifyAttempt.at)).where(
            VerifyAttempt.platform == platform, VerifyAttempt.user_id == user_id
        )
        value = (await self.session.exec(stmt)).one()
        return None if value is None else _utc(value)

    async def record_failed_attempt(self, platform: str, user_id: str, detail: str) -> None:
        self.session.add(VerifyAttempt(platform=platform, user_id=user_id, detail=detail[:64]))
        await self.session.flush()

    # guessing invite codes over all accounts ----------------------------------
    async def code_failures_since(self, since: datetime) -> builtins.list[tuple[datetime, str]]:
        """(when, account) of every wrong invite code since ``since``, oldest first."""
        stmt = (
            select(VerifyAttempt.at, VerifyAttempt.user_id)
            .where(VerifyAttempt.detail == CODE_FAILURE, col(VerifyAttempt.at) >= since)
            .order_by(col(VerifyAttempt.at))
        )
        return [(_utc(at), user_id) for at, user_id in await self.session.exec(stmt)]

    async def continue_code_burst(self, now: datetime, *, quiet: timedelta) -> bool:
        """Notes guessing activity at ``now``; True when it starts a new burst (none was
        seen within ``quiet`` before), which is when the secretariat is told. The row is
        locked until commit, so two processes agree on who reports."""
        row = await self.session.get(AppValue, _BURST_KEY, with_for_update=True)
        if row is None:
            try:
                async with self.session.begin_nested():
                    self.session.add(AppValue(key=_BURST_KEY, value=now.isoformat()))
            except IntegrityError:  # another process noted the same burst just now
                return False
            return True
        last = datetime.fromisoformat(row.value)
        row.value = max(last, now).isoformat()
        self.session.add(row)
        await self.session.flush()
        return now - last >= quiet


def last_used(identity: Identity) -> datetime:
    """When the member last wrote from this account (verifying counts as using it)."""
    return identity.last_seen_at or identity.verified_at


def address_of(identities: Iterable[Identity]) -> Identity | None:
    """Of one member's accounts, the one messages go to: the reachable one used last; when
    none is reachable, the one used last (its ``unreachable_reason`` says why)."""
    return max(
        identities,
        key=lambda i: (i.unreachable_at is None, last_used(i), i.id or 0),
        default=None,
    )


def _utc(value: datetime) -> datetime:
    # SQLite aggregates and bare column selects can lose the type's conversion
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
