"""Append-only audit log of secretariat actions and security events."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import AuditEntry, Member

__all__ = ["Audit"]


class Audit:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        action: str,
        *,
        actor: Member | None = None,
        actor_label: str = "",
        target: str = "",
        **detail: Any,
    ) -> None:
        self.session.add(
            AuditEntry(
                actor_member_id=actor.id if actor else None,
                actor=(actor.name if actor else actor_label)[:64],
                action=action,
                target=target[:128],
                detail={
                    k: v if isinstance(v, int | float | bool) else str(v) for k, v in detail.items()
                },
            )
        )
        await self.session.flush()

    async def recent(self, *, limit: int = 50, action: str | None = None) -> list[AuditEntry]:
        stmt = select(AuditEntry)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        return list(await self.session.exec(stmt.order_by(col(AuditEntry.id).desc()).limit(limit)))
