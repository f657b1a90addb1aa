"""What every update does first, in one trip to the database: record its id (a redelivered
update is handled once) and find the account, its roster member and the member's active flow.

This runs for every update a member sends, so it is one call into SQLAlchemy with two
prepared statements; on PostgreSQL the account row stays locked until commit, so two
processes handed updates of the same member take turns with that member's flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, text
from sqlalchemy.orm import Session
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.columns import utcnow
from storage.tables import Conversation, Identity, Member, ProcessedUpdate

__all__ = ["Arrival", "arrive", "record_update"]

# Written out because the dialects' insert().on_conflict_do_nothing() is not cacheable: it
# was compiled anew each time, costing more than SQLite spends running it.
_RECORD_UPDATE = text(
    "INSERT INTO processed_update (platform, update_id, at)"
    " VALUES (:platform, :update_id, :at) ON CONFLICT DO NOTHING"
).bindparams(bindparam("at", type_=ProcessedUpdate.__table__.c.at.type))  # type: ignore[attr-defined]

_FIND = (
    select(Identity, Member, Conversation)
    .join(Member, col(Member.id) == col(Identity.member_id))
    .outerjoin(
        Conversation,
        and_(col(Conversation.member_id) == col(Member.id), col(Conversation.status) == "active"),
    )
    .where(col(Identity.platform) == bindparam("platform"))
    .where(col(Identity.user_id) == bindparam("user_id"))
    .with_for_update(of=Identity)  # type: ignore[arg-type]
)


@dataclass(frozen=True, slots=True)
class Arrival:
    first_time: bool
    identity: Identity | None = None
    member: Member | None = None
    conversation: Conversation | None = None


async def arrive(
    session: AsyncSession, *, platform: str, update_id: int | None, user_id: int
) -> Arrival:
    """Records ``update_id`` (None: nothing to record) and, the first time, finds the member."""

    def both(sync: Session) -> Arrival:
        if update_id is not None and not _record(sync, platform, update_id):
            return Arrival(first_time=False)
        row = sync.execute(_FIND, {"platform": platform, "user_id": user_id}).first()
        if row is None:
            return Arrival(first_time=True)
        return Arrival(True, identity=row[0], member=row[1], conversation=row[2])

    return await session.run_sync(both)


async def record_update(session: AsyncSession, *, platform: str, update_id: int) -> bool:
    """Records the id; False when it was recorded before."""
    return await session.run_sync(_record, platform, update_id)


def _record(sync: Session, platform: str, update_id: int) -> bool:
    params: dict[str, Any] = {"platform": platform, "update_id": update_id, "at": utcnow()}
    return bool(sync.connection().execute(_RECORD_UPDATE, params).rowcount)
