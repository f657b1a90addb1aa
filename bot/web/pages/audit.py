"""日志: the audit log with filters (action, who, what); every console action is in it."""

from __future__ import annotations

from aiohttp import web
from sqlmodel import col, select

from bot.web.render import app_of, render
from storage.tables import AuditEntry

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.get("/audit")
async def audit(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    q = request.query
    action, actor, target = (q.get(k, "").strip()[:64] for k in ("action", "actor", "target"))
    stmt = select(AuditEntry)
    if action:
        stmt = stmt.where(col(AuditEntry.action).startswith(action))
    if actor:
        stmt = stmt.where(col(AuditEntry.actor).contains(actor))
    if target:
        stmt = stmt.where(col(AuditEntry.target).contains(target))
    async with app.db.session() as s:
        rows = list(await s.exec(stmt.order_by(col(AuditEntry.id).desc()).limit(300)))
        actions = sorted(set(await s.exec(select(AuditEntry.action).distinct())))
    return render(
        request,
        "audit.html",
        {"rows": rows, "action": action, "actor": actor, "target": target, "actions": actions},
    )
