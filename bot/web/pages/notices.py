"""通知: the list, the composer (audience picker, preview with the recipient count and the
notice-period warning) and sending, through the same services as ``/notice`` and
``committee-bot notices send``."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from aiohttp.web_request import FileField
from multidict import MultiDictProxy
from sqlmodel import select

from bot.errors import UserError
from bot.notices.broadcast import broadcast_progress
from bot.notices.buttons import answer_buttons
from bot.notices.draft import NoticeDraft, draft_problems
from bot.notices.rules import AttendanceMode, Audience, AudienceKind, MeetingKind
from bot.notices.service import create_notice, notice_rules, preview, send_notice
from bot.web.render import app_of, clerk_of, render, see_other
from storage.audit import Audit
from storage.notices import NoticesRepo
from storage.tables import Member, ReadingGroup

__all__ = ["routes"]

routes = web.RouteTableDef()
Form = MultiDictProxy[str | bytes | bytearray | FileField]
FIELDS = ("kind", "title", "starts_at", "ends_at", "place", "mode", "reply_deadline", "agenda")


def _get(form: Form, name: str, limit: int = 4000) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def _when(text: str, request: web.Request, field: str) -> datetime | None:
    """An ``<input type=datetime-local>`` value (2025-03-01T09:00) in the committee's zone."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=app_of(request).settings.zone)
    except ValueError:
        raise UserError("web.notices.bad_time", field=field) from None


def _audience(form: Form) -> Audience:
    kind_text = _get(form, "audience")
    if kind_text not in {k.value for k in AudienceKind}:
        raise UserError("web.notices.audience_missing")
    kind = AudienceKind(kind_text)
    if kind in (AudienceKind.ALL, AudienceKind.STANDING):
        return Audience(kind)
    field = {
        AudienceKind.SECTORS: "sectors",
        AudienceKind.COMMITTEES: "committees",
        AudienceKind.READING_GROUP: "reading_group",
        AudienceKind.MEMBERS: "members",
    }[kind]
    values = [v for v in form.getall(field, []) if isinstance(v, str)]
    if kind == AudienceKind.MEMBERS:  # typed names, separated like in chat
        return Audience.parse_list(kind, " ".join(values))
    return Audience(kind, tuple(values))


def _draft(request: web.Request, form: Form) -> NoticeDraft:
    app = app_of(request)
    kind, mode = _get(form, "kind"), _get(form, "mode")
    if kind not in {k.value for k in MeetingKind} or mode not in {m.value for m in AttendanceMode}:
        raise UserError("web.notices.kind_missing")
    starts = _when(_get(form, "starts_at"), request, "starts_at")
    deadline = _when(_get(form, "reply_deadline"), request, "reply_deadline")
    if starts is None or deadline is None:
        raise UserError("web.notices.time_missing")
    draft = NoticeDraft(
        kind=MeetingKind(kind),
        title=_get(form, "title", 200),
        starts_at=starts,
        ends_at=_when(_get(form, "ends_at"), request, "ends_at"),
        place=_get(form, "place", 400),
        mode=AttendanceMode(mode),
        reply_deadline=deadline,
        audience=_audience(form),
        agenda=_get(form, "agenda", 8000),
    )
    problems = draft_problems(draft, now=app.services.clock())
    if problems:
        cat = app.services.catalogue
        raise UserError(
            "web.notices.problems", problems="；".join(cat.s(k, **p) for k, p in problems)
        )
    return draft


async def _choices(request: web.Request) -> dict[str, object]:
    app = app_of(request)
    async with app.db.session() as s:
        active = Member.status == "active"
        sectors = [x for x in await s.exec(select(Member.sector).where(active).distinct()) if x]
        committees = [
            x for x in await s.exec(select(Member.committee).where(active).distinct()) if x
        ]
        groups = list(await s.exec(select(ReadingGroup.name)))
    return {
        "kinds": [k.value for k in MeetingKind],
        "modes": [m.value for m in AttendanceMode],
        "audiences": [a.value for a in AudienceKind],
        "sectors": sorted(sectors),
        "committees": sorted(committees),
        "groups": sorted(groups),
    }


@routes.get("/notices")
async def notices(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    async with app.db.session() as s:
        repo = NoticesRepo(s)
        rows = [(n, await repo.counts(int(n.id or 0))) for n in await repo.list(limit=100)]
    return render(request, "notice_list.html", {"rows": rows})


@routes.get("/notices/new")
async def compose(request: web.Request) -> web.StreamResponse:
    return render(request, "notice_new.html", {**await _choices(request), "form": {}})


@routes.post("/notices/preview")
async def preview_page(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    form = await request.post()
    try:
        draft = _draft(request, form)
    except UserError as exc:
        error = app.services.catalogue.s(exc.key, **exc.params)
        context = {**await _choices(request), "form": form, "error": error}
        return render(request, "notice_new.html", context, status=400)
    shown = await preview(
        app.db.session,
        draft,
        rules=notice_rules(),
        zone=app.settings.zone,
        now=app.services.clock(),
    )
    return render(
        request,
        "notice_preview.html",
        {
            "form": form,
            "fields": FIELDS,
            "text": str(shown.text),
            "recipients": shown.recipients,
            "warning": shown.warning.params() if shown.warning else None,
            "audience_values": [
                (name, v)
                for name in ("sectors", "committees", "reading_group", "members")
                for v in form.getall(name, [])
                if isinstance(v, str)
            ],
        },
    )


@routes.post("/notices/send")
async def send(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    clerk = clerk_of(request)
    draft = _draft(request, await request.post())
    nid = await create_notice(
        app.db.session,
        draft,
        rules=notice_rules(),
        created_by=clerk.name,
        created_by_member_id=clerk.member.id,
    )
    buttons = answer_buttons(app.services.signer, app.services.catalogue)
    added = await send_notice(app.db.session, nid, zone=app.settings.zone, buttons=buttons)
    async with app.db.session() as s:
        await Audit(s).record(
            "notice.create", actor=clerk.member, target=f"notice:{nid}", recipients=added
        )
    app.services.wake_delivery()
    return see_other(f"/notices/{nid}?done=sent")


@routes.get(r"/notices/{nid:\d+}/progress")
async def progress(request: web.Request) -> web.StreamResponse:
    """The live count the attendance page polls (JSON; the page also shows it without JS)."""
    app = app_of(request)
    nid = int(request.match_info["nid"])
    p = await broadcast_progress(app.db.session, nid)
    return web.json_response(
        {"total": p.total, "sent": p.sent, "failed": p.failed, "pending": p.pending}
    )
