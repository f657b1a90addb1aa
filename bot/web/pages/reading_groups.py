"""读书: reading groups, their plans and sessions; a session's dates with who checked in
and the notes shared. Every change goes through ``bot.reading.admin`` (as ``committee-bot
reading``): reminders are re-planned and the members who were to be reminded are told."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField
from multidict import MultiDictProxy
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import UserError
from bot.reading import admin
from bot.reading.report import build_report, report_xlsx
from bot.reading.service import place_text, upcoming
from bot.web.pages.proposals import download
from bot.web.render import app_of, clerk_of, render, see_other
from storage.reading import ReadingRepo
from storage.tables import Member, ReadingGroup, ReadingNote

__all__ = ["routes"]

routes = web.RouteTableDef()
Form = MultiDictProxy[str | bytes | bytearray | FileField]


def _text(form: Form, name: str, limit: int) -> str:
    return str(form.get(name, "")).strip()[:limit]


def _day(form: Form, name: str) -> date:
    raw = _text(form, name, 10)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise UserError("web.reading.bad_date", value=raw or "—") from None


async def _group(s: AsyncSession, request: web.Request) -> ReadingGroup:
    gid = int(request.match_info["gid"])
    group = await ReadingRepo(s).group(gid)
    if group is None:
        raise UserError("reading.group_not_found", name=str(gid))
    return group


def _by(request: web.Request) -> dict[str, Any]:
    """When, in which zone and by whom: what every change in ``bot.reading.admin`` takes."""
    app = app_of(request)
    return {
        "now": app.services.clock(),
        "zone": app.settings.zone,
        "actor": clerk_of(request).member,
    }


async def _distinct(s: AsyncSession, column: Any) -> list[str]:
    """The 界别 or 专委会 of active members, to pick from."""
    stmt = select(column).where(Member.status == "active").distinct()
    return sorted(x for x in await s.exec(stmt) if x)


@routes.get("/reading")
async def groups(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    async with app.db.session() as s:
        repo = ReadingRepo(s)
        rows = [
            (g, len(await repo.memberships(g.id or 0)), len(await repo.sessions(g.id)))
            for g in await repo.groups()
        ]
    return render(request, "reading_page.html", {"rows": rows})


@routes.post("/reading/groups")
async def add_group(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    form = await request.post()
    async with app.db.session() as s:
        group = await admin.add_group(
            s,
            name=_text(form, "name", 100),
            theme=_text(form, "theme", 128),
            actor=clerk_of(request).member,
        )
    return see_other(f"/reading/groups/{group.id}?done=rd_group")


@routes.get(r"/reading/groups/{gid:\d+}")
async def group_page(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    now = app.services.clock()
    async with app.db.session() as s:
        repo = ReadingRepo(s)
        group = await _group(s, request)
        sessions = await repo.sessions(group.id, include_cancelled=True)
        live = [x for x in sessions if x.cancelled_at is None]
        skip = await repo.cancelled_keys([x.id for x in live if x.id is not None])
        members = await repo.memberships(group.id or 0)
        names = await repo.member_names(m.member_id for m in members)
        context = {
            "group": group,
            "plan": await repo.plan(group.id or 0),
            "sessions": sessions,
            "next": upcoming(live, now=now, limit=5, skip=skip),
            "members": sorted(names.values()),
            "places": {x.id: place_text(x) for x in sessions},
            "sectors": await _distinct(s, Member.sector),
            "committees": await _distinct(s, Member.committee),
            "added": request.query.get("added", "")[:6],
            "matched": request.query.get("matched", "")[:6],
        }
    return render(request, "reading_group.html", context)


@routes.post(r"/reading/groups/{gid:\d+}/assign")
async def assign(request: web.Request) -> web.StreamResponse:
    """Everyone of a 专委会 and/or 界别 joins (as ``reading assign``)."""
    app = app_of(request)
    form = await request.post()
    committee, sector = _text(form, "committee", 64), _text(form, "sector", 64)
    if not committee and not sector:
        raise UserError("web.reading.assign_missing")
    async with app.db.session() as s:
        group = await _group(s, request)
        added, matched = await admin.assign(
            s,
            group,
            committee=committee,
            sector=sector,
            **_by(request),
        )
    return see_other(f"/reading/groups/{group.id}?done=rd_assign&added={added}&matched={matched}")


@routes.post(r"/reading/groups/{gid:\d+}/plan")
async def add_plan(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    form = await request.post()
    async with app.db.session() as s:
        group = await _group(s, request)
        await admin.add_plan(
            s,
            group,
            book=_text(form, "book", 200),
            chapter=_text(form, "chapter", 128),
            author=_text(form, "author", 64),
            starts_on=_day(form, "starts_on"),
            ends_on=_day(form, "ends_on"),
            **_by(request),
        )
    return see_other(f"/reading/groups/{group.id}?done=rd_plan")


@routes.post(r"/reading/groups/{gid:\d+}/sessions")
async def add_session(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    form = await request.post()
    phrase = _text(form, "when", 128)
    if not phrase:
        raise UserError("web.reading.when_missing")
    try:
        duration = int(_text(form, "duration", 4) or "90")
    except ValueError:
        raise UserError("reading.duration_invalid") from None
    async with app.db.session() as s:
        group = await _group(s, request)
        row, _ = await admin.add_session(
            s,
            group,
            title=_text(form, "title", 200),
            phrase=phrase,
            duration=duration,
            place=_text(form, "place", 255),
            link=_text(form, "link", 500),
            agenda=_text(form, "agenda", 2000),
            **_by(request),
        )
    return see_other(f"/reading/sessions/{row.id}?done=rd_session")


@routes.get(r"/reading/sessions/{sid:\d+}")
async def session_page(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    now = app.services.clock()
    async with app.db.session() as s:
        repo = ReadingRepo(s)
        row = await repo.reading_session(int(request.match_info["sid"]))
        if row is None:
            raise UserError("reading.session_not_found")
        group = await repo.group(row.group_id)
        dates = []
        ids: set[int] = set()
        for occ in reversed(await repo.occurrences_of(row.id or 0)):
            checkins = await repo.checkins(occ.id or 0)
            notes = await repo.notes(occurrence_id=occ.id)
            rsvps = await repo.rsvps(occ.id or 0)
            ids |= set(checkins) | set(rsvps) | {n.member_id for n in notes}
            dates.append((occ, sorted(checkins.items(), key=lambda x: x[1]), notes, rsvps))
        skip = await repo.cancelled_keys([row.id or 0])
        coming = [] if row.cancelled_at else upcoming([row], now=now, limit=6, skip=skip)
        context = {
            "row": row,
            "group": group,
            "place": place_text(row),
            "dates": dates,
            "names": await repo.member_names(ids),
            "coming": [occ for _, occ in coming],
            "told": request.query.get("told", "")[:6],
        }
    return render(request, "reading_session.html", context)


@routes.post(r"/reading/sessions/{sid:\d+}/change")
async def change(request: web.Request) -> web.StreamResponse:
    """Only what differs from the session as shown is changed (and told to members)."""
    app = app_of(request)
    form = await request.post()
    async with app.db.session() as s:
        row = await admin.live_session(s, int(request.match_info["sid"]))
        place, link, agenda = (
            _text(form, "place", 255),
            _text(form, "link", 500),
            _text(form, "agenda", 2000),
        )
        phrase = _text(form, "when", 128)
        if not phrase and (place, link, agenda) == (row.place, row.online_link, row.agenda):
            raise UserError("web.reading.nothing_to_change")
        count = await admin.change(
            s,
            row,
            phrase=phrase or None,
            place=place if place != row.place else None,
            link=link if link != row.online_link else None,
            agenda=agenda if agenda != row.agenda else None,
            **_by(request),
        )
    app.services.wake_delivery()
    return see_other(f"/reading/sessions/{row.id}?done=rd_change&told={count}")


@routes.post(r"/reading/sessions/{sid:\d+}/cancel")
async def cancel(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    async with app.db.session() as s:
        row = await admin.live_session(s, int(request.match_info["sid"]))
        count = await admin.cancel_whole(
            s,
            row,
            **_by(request),
        )
    app.services.wake_delivery()
    return see_other(f"/reading/sessions/{row.id}?done=rd_cancel&told={count}")


@routes.post(r"/reading/sessions/{sid:\d+}/cancel-date")
async def cancel_date(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    form = await request.post()
    async with app.db.session() as s:
        row = await admin.live_session(s, int(request.match_info["sid"]))
        _, count = await admin.cancel_date(
            s,
            row,
            _day(form, "date"),
            **_by(request),
        )
    app.services.wake_delivery()
    return see_other(f"/reading/sessions/{row.id}?done=rd_cancel_date&told={count}")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@routes.get(r"/reading/groups/{gid:\d+}/report.xlsx")
async def report(request: web.Request) -> web.StreamResponse:
    """Check-ins per date, totals per member and the notes (as ``reading report --xlsx``)."""
    app = app_of(request)
    async with app.db.session() as s:
        group = await _group(s, request)
        found = await build_report(ReadingRepo(s), group)
    day = app.services.clock().astimezone(app.settings.zone).strftime("%Y%m%d")
    name = app.services.catalogue.s("reading.admin_xlsx_name", id=group.id, day=day)
    # Three sheets of openpyxl for a year of check-ins and notes: built off the loop the bot
    # shares. The report holds only rows already read (sessions do not expire them on
    # commit), so nothing in the thread touches the database.
    body = await asyncio.to_thread(report_xlsx, found, zone=app.settings.zone)
    return download(body, name, XLSX)


@routes.get(r"/reading/notes/{nid:\d+}/file")
async def note_file(request: web.Request) -> web.StreamResponse:
    """A note a member sent as a file (docx, pdf, txt)."""
    app = app_of(request)
    async with app.db.session() as s:
        note = await s.get(ReadingNote, int(request.match_info["nid"]))
    if note is None or note.document is None:
        raise UserError("web.reading.note_gone")
    kind = note.document_mime or "application/octet-stream"
    return download(note.document, note.document_name or f"note-{note.id}", kind)
