"""社情民意: decisions and adoption levels through ``Office.decide_report`` (读书 and 问答
live in pages/reading.py and pages/qa.py)."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.errors import UserError
from bot.proposals.documents.report_docx import report_docx, report_file_name
from bot.proposals.office import Office
from bot.proposals.report_lifecycle import Adopt, AdoptionLevel, Keep, Reject, ReportEvent
from bot.web.pages.proposals import DOCX, download
from bot.web.render import app_of, clerk_of, render, see_other
from storage.proposals import Reports

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.get("/reports")
async def reports(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    async with app.db.session() as s:
        queue = await Reports(s).review_queue()
    return render(
        request, "report_queue.html", {"rows": queue, "levels": [lv.value for lv in AdoptionLevel]}
    )


@routes.post(r"/reports/{rid:\d+}/decide")
async def decide(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    form = await request.post()
    decision = str(form.get("decision", ""))
    note = str(form.get("note", "")).strip()[:1000]
    event: ReportEvent
    if decision in {lv.value for lv in AdoptionLevel}:
        event = Adopt(level=AdoptionLevel(decision), note=note)
    elif decision == "reject":
        event = Reject(note=note)
    elif decision == "keep":
        event = Keep(note=note)
    else:
        raise UserError("web.reports.decision_missing")
    async with app.db.session() as s:
        office = Office(
            session=s,
            catalogue=app.services.catalogue,
            signer=app.services.signer,
            zone=app.settings.zone,
            actor=clerk_of(request).member,
        )
        await office.decide_report(int(request.match_info["rid"]), event)
    app.services.wake_delivery()
    return see_other("/reports?done=report")


@routes.get(r"/reports/{rid:\d+}/docx")
async def docx(request: web.Request) -> web.StreamResponse:
    """The report in the usual 社情民意 layout, as the member downloads it from /myreports."""
    app = app_of(request)
    async with app.db.session() as s:
        row = await Reports(s).require(int(request.match_info["rid"]))
    body = await asyncio.to_thread(
        report_docx, row, committee=app.settings.committee_name, zone=app.settings.zone
    )
    return download(body, report_file_name(row), DOCX)
