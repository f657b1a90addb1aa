"""A notice's attendance: names by answer (参加 / 请假 with reasons / 不参加 / 未回复), leave
to approve or refuse, reminding those who have not answered, the 签到 code, XLSX export."""

from __future__ import annotations

import asyncio
from collections import Counter

from aiohttp import web

from bot.errors import UserError
from bot.notices.broadcast import BroadcastProgress, enqueue_wave
from bot.notices.buttons import answer_buttons
from bot.notices.export import to_xlsx
from bot.notices.messages import reminder_text
from bot.notices.rules import NoticeStatus, ReminderKind
from bot.notices.service import decide_leave_request
from bot.types import Reply
from bot.web.pages.proposals import download
from bot.web.render import app_of, clerk_of, render, see_other
from storage.audit import Audit
from storage.notices import NoticesRepo
from storage.web import attendance_rows

__all__ = ["routes"]

routes = web.RouteTableDef()
GROUPS = ("attend", "leave", "decline", "none")


@routes.get(r"/notices/{nid:\d+}")
async def attendance(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    nid = int(request.match_info["nid"])
    async with app.db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        rows = await attendance_rows(s, nid)
    # The page's count comes from the rows already read; the live poll refreshes it.
    delivery = Counter(row.delivery_state for row in rows)
    progress = BroadcastProgress(
        total=len(rows),
        sent=delivery.get("sent", 0),
        failed=delivery.get("unreachable", 0),
        pending=delivery.get("pending", 0),
    )
    groups: dict[str, list[object]] = {g: [] for g in GROUPS}
    for row in rows:
        groups[row.answer if row.answer in groups else "none"].append(row)
    return render(
        request,
        "attendance.html",
        {
            "n": notice,
            "groups": groups,
            "progress": progress,
            "live": NoticeStatus(notice.status).is_live,
        },
    )


@routes.post(r"/notices/{nid:\d+}/leave/{mid:\d+}")
async def decide_leave(request: web.Request) -> web.StreamResponse:
    """Approves or refuses a leave request; the member is told, as from the chat."""
    app = app_of(request)
    clerk = clerk_of(request)
    nid, mid = int(request.match_info["nid"]), int(request.match_info["mid"])
    form = await request.post()
    approve = form.get("decision") == "approve"
    async with app.db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        await decide_leave_request(
            s,
            notice,
            mid,
            approve=approve,
            clerk=clerk.member,
            catalogue=app.services.catalogue,
            at=app.services.clock(),
        )
    app.services.wake_delivery()
    return see_other(f"/notices/{nid}?done=leave")


@routes.post(r"/notices/{nid:\d+}/remind")
async def remind(request: web.Request) -> web.StreamResponse:
    """The unanswered reminder, now, to those who have not answered (with answer buttons)."""
    app = app_of(request)
    clerk = clerk_of(request)
    nid = int(request.match_info["nid"])
    async with app.db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        if not NoticeStatus(notice.status).is_live:
            raise UserError("web.notices.not_live")
        targets = await repo.unanswered_ids(nid)
    text = reminder_text(ReminderKind.UNANSWERED, notice, app.settings.zone)
    buttons = answer_buttons(app.services.signer, app.services.catalogue)
    stamp = f"{app.services.clock().timestamp():.0f}"
    added = await enqueue_wave(
        app.db.session,
        nid,
        wave=f"remind:web:{stamp}",
        member_ids=targets,
        make_reply=lambda member_id: Reply(text=text, buttons=buttons(notice, member_id)),
    )
    async with app.db.session() as s:
        await Audit(s).record(
            "notice.remind", actor=clerk.member, target=f"notice:{nid}", recipients=added
        )
    app.services.wake_delivery()
    return see_other(f"/notices/{nid}?done=remind")


@routes.get(r"/notices/{nid:\d+}/attendance.xlsx")
async def export(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    nid = int(request.match_info["nid"])
    async with app.db.session() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(nid)
        rows = await repo.export_rows(nid)
    # openpyxl takes a while for a large meeting: build the workbook off the loop the bot
    # shares, from rows already read (the session stays on the loop).
    body = await asyncio.to_thread(to_xlsx, rows, zone=app.settings.zone, title=notice.title)
    name = app.services.catalogue.s("web.notices.xlsx_name", id=nid)
    return download(body, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
