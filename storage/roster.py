"""Repository for the roster: members, their platform identities, invites, attempts."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.columns import utcnow
from storage.tables import Identity, Invite, Member, VerifyAttempt

__all__ = ["INVITE_ALPHABET", "Roster"]

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


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
    async def identity(self, platform: str, user_id: int) -> Identity | None:
        stmt = select(Identity).where(Identity.platform == platform, Identity.user_id == user_id)
        return (await self.session.exec(stmt)).first()

    async def identities_of(self, member_ids: Sequence[int]) -> list[Identity]:
        if not member_ids:
            return []
        stmt = select(Identity).where(col(Identity.member_id).in_(list(member_ids)))
        return list(await self.session.exec(stmt.order_by(col(Identity.id))))

    async def bind(
        self,
        member: Member,
        *,
        platform: str,
        user_id: int,
        chat_id: int,
        via: str,
        display_name: str = "",
    ) -> Identity:
        identity = await self.identity(platform, user_id)
        if identity is None:
            identity = Identity(platform=platform, user_id=user_id, chat_id=chat_id)
        assert member.id is not None
        identity.member_id = member.id
        identity.chat_id = chat_id
        identity.verified_via = via
        identity.verified_at = utcnow()
        identity.display_name = display_name[:128]
        identity.unreachable_reason = None
        identity.unreachable_at = None
        self.session.add(identity)
        await self.session.flush()
        return identity

    async def mark_unreachable(self, platform: str, chat_id: int, reason: str) -> None:
        stmt = select(Identity).where(Identity.platform == platform, Identity.chat_id == chat_id)
        for identity in await self.session.exec(stmt):
            identity.unreachable_reason = reason[:128]
            identity.unreachable_at = utcnow()
            self.session.add(identity)
        await self.session.flush()

    # invites ---------------------------------------------------------------
    async def new_invite(self, member: Member, *, ttl: timedelta, created_by: str) -> Invite:
        assert member.id is not None
        code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(8))
        invite = Invite(
            code=code, member_id=member.id, created_by=created_by, expires_at=utcnow() + ttl
        )
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def invite(self, code: str) -> Invite | None:
        return await self.session.get(Invite, code.strip().upper())

    # verification attempts -----------------------------------------------
    async def failed_attempts_since(self, platform: str, user_id: int, since: datetime) -> int:
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

    async def last_failed_attempt(self, platform: str, user_id: int) -> datetime | None:
        stmt = select(func.max(VerifyAttempt.at)).where(
            VerifyAttempt.platform == platform, VerifyAttempt.user_id == user_id
        )
        value = (await self.session.exec(stmt)).one()
        if value is not None and value.tzinfo is None:  # SQLite aggregates lose the type
            from datetime import UTC

            value = value.replace(tzinfo=UTC)
        return value

    async def record_failed_attempt(self, platform: str, user_id: int, detail: str) -> None:
        self.session.add(VerifyAttempt(platform=platform, user_id=user_id, detail=detail[:64]))
        await self.session.flush()
