"""A sent notice's corrections (time, place) and its cancellation, through the same
``correct_notice`` / ``cancel_notice`` as the chat: every recipient is told once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from bot.errors import UserError
from bot.notices.buttons import answer_buttons
from bot.notices.service import cancel_notice, correct_notice
from bot.web.render import app_of, clerk_of, see_other
from storage.audit import Audit
from storage.notices import NoticesRepo

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.post(r"/notices/{nid:\d+}/correct")
async def correct(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    nid = int(request.match_info["nid"])
    form = await request.post()
    note = str(form.get("note", "")).strip()[:1000]
    place = str(form.get("place", "")).strip()[:200]
    starts_text = str(form.get("starts_at", "")).strip()
    changes: dict[str, Any] = {}
    if place:
        changes["place"] = place
    if starts_text:
        try:
            starts = datetime.fromisoformat(starts_text).replace(tzinfo=app.settings.zone)
        except ValueError:
            raise UserError("web.notices.bad_time", field="starts_at") from None
        if starts <= app.services.clock():
            raise UserError("notices.start_in_past")
        changes["starts_at"] = starts
    if not changes or not note:
        raise UserError("web.notices.correction_empty")
    async with app.db.session() as s:
        notice = await NoticesRepo(s).require(nid)
        if "starts_at" in changes and changes["starts_at"] < notice.reply_deadline:
            changes["reply_deadline"] = changes["starts_at"]  # answers close when it starts
    added = await correct_notice(
        app.db.session,
        nid,
        note=note,
        zone=app.settings.zone,
        buttons=answer_buttons(app.services.signer, app.services.catalogue),
        **changes,
    )
    async with app.db.session() as s:
        await Audit(s).record(
            "notice.correct",
            actor=clerk_of(request).member,
            target=f"notice:{nid}",
            field=",".join(sorted(changes)),
            queued=added,
        )
    app.services.wake_delivery()
    return see_other(f"/notices/{nid}?done=correct")


@routes.post(r"/notices/{nid:\d+}/cancel")
async def cancel(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    nid = int(request.match_info["nid"])
    reason = str((await request.post()).get("reason", "")).strip()[:1000]
    if not reason:
        raise UserError("web.notices.reason_missing")
    added = await cancel_notice(app.db.session, nid, reason=reason, zone=app.settings.zone)
    async with app.db.session() as s:
        await Audit(s).record(
            "notice.cancel", actor=clerk_of(request).member, target=f"notice:{nid}", queued=added
        )
    app.services.wake_delivery()
    return see_other(f"/notices/{nid}?done=cancel")
