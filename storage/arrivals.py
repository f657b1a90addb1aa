"""What every update does first, in one trip to the database: record its id (a redelivered
update is handled once) and find the account, its roster member and the member's active flow.

This runs for every update a member sends, so it is one call into SQLAlchemy with two
prepared Core statements, and the instances are built without the ORM (storage/detached.py):
they are detached, and a change to one is stored by adding it to the session. On PostgreSQL
the account row stays locked until commit, so two processes handed updates of the same
member take turns with that member's flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, select, text
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.columns import utcnow
from storage.detached import columns_of, detached
from storage.tables import Conversation, Identity, Member, ProcessedUpdate

__all__ = ["Arrival", "arrive", "record_update"]

# Written out because the dialects' insert().on_conflict_do_nothing() is not cacheable: it
# was compiled anew each time, costing more than SQLite spends running it.
_RECORD_UPDATE = text(
    "INSERT INTO processed_update (platform, update_id, at)"
    " VALUES (:platform, :update_id, :at) ON CONFLICT DO NOTHING"
).bindparams(bindparam("at", type_=ProcessedUpdate.__table__.c.at.type))  # type: ignore[attr-defined]

_IDENTITY, _MEMBER, _CONVERSATION = (columns_of(m) for m in (Identity, Member, Conversation))
_I = Identity.__table__  # type: ignore[attr-defined]
_M = Member.__table__  # type: ignore[attr-defined]
_C = Conversation.__table__  # type: ignore[attr-defined]
# Built from the tables, not the ORM's attributes: the SQL is the same, and the statement's
# cache key, hashed on every execution to find the compiled form, holds plain columns
# instead of annotated ones whose hashing runs in Python (half the lookup's cost).
_FIND = (
    select(*_IDENTITY, *_MEMBER, *_CONVERSATION)
    .select_from(
        _I.join(_M, _M.c.id == _I.c.member_id).outerjoin(
            _C, and_(_C.c.member_id == _M.c.id, _C.c.status == "active")
        )
    )
    .where(_I.c.platform == bindparam("platform"), _I.c.user_id == bindparam("user_id"))
    .with_for_update(of=_I)
)
_NAMES = tuple(tuple(c.key for c in cols) for cols in (_IDENTITY, _MEMBER, _CONVERSATION))
_ENDS = (len(_IDENTITY), len(_IDENTITY) + len(_MEMBER))
_CONVERSATION_ID = _ENDS[1] + _NAMES[2].index("id")  # None when the outer join found none


@dataclass(frozen=True, slots=True)
class Arrival:
    first_time: bool
    identity: Identity | None = None
    member: Member | None = None
    conversation: Conversation | None = None


async def arrive(
    session: AsyncSession, *, platform: str, update_id: int | None, user_id: str
) -> Arrival:
    """Records ``update_id`` (None: nothing to record) and, the first time, finds the member."""

    def both(sync: Session) -> Arrival:
        if update_id is not None and not _record(sync, platform, update_id):
            return Arrival(first_time=False)
        params = {"platform": platform, "user_id": user_id}
        row = sync.connection().execute(_FIND, params).first()
        if row is None:
            return Arrival(first_time=True)
        return _arrival(tuple(row))

    return await session.run_sync(both)


async def record_update(session: AsyncSession, *, platform: str, update_id: int) -> bool:
    """Records the id; False when it was recorded before."""
    return await session.run_sync(_record, platform, update_id)


def _arrival(row: tuple[Any, ...]) -> Arrival:
    (identity_names, member_names, conversation_names), (a, b) = _NAMES, _ENDS
    conversation = None
    if row[_CONVERSATION_ID] is not None:
        conversation = detached(Conversation, conversation_names, row[b:])
    return Arrival(
        True,
        identity=detached(Identity, identity_names, row[:a]),
        member=detached(Member, member_names, row[a:b]),
        conversation=conversation,
    )


def _record(sync: Session, platform: str, update_id: int) -> bool:
    params: dict[str, Any] = {"platform": platform, "update_id": update_id, "at": utcnow()}
    return bool(sync.connection().execute(_RECORD_UPDATE, params).rowcount)
