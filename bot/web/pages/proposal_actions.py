"""The clerk's decisions on one proposal: 立案, 不予立案, 并案, 交办, 重点提案, 答复, and on an
assigned one 催办 and 延期 (also from the queue's overdue filter).

Each goes through the same ``Office`` operation as ``/review`` and ``committee-bot
proposals`` (lifecycle rules, history, audit with the clerk's name, members notified). The
row is locked first, so two clerks acting at once take turns and the second is told the
step was already taken.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import PurePath
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField
from multidict import MultiDictProxy

from bot.errors import UserError
from bot.proposals.config import GROUNDS
from bot.proposals.excellence import mark_excellent
from bot.proposals.office import Office, deadline_day
from bot.proposals.proposal_lifecycle import AnswerCategory, Conversion
from bot.web.render import app_of, clerk_of, see_other
from storage.web import lock_proposal

__all__ = ["ANSWER_TYPES", "routes"]

routes = web.RouteTableDef()
# Answer documents a unit sends back: Word, PDF, scans.
ANSWER_TYPES = frozenset({".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png", ".ofd"})
_UNITS_SPLIT = re.compile(r"[、,，;；\n]+")

Work = Callable[[Office, int], Awaitable[object]]


async def _act(
    request: web.Request, work: Work, done: str, *, back: str = ""
) -> web.StreamResponse:
    app = app_of(request)
    pid = int(request.match_info["pid"])
    async with app.db.session() as s:
        if await lock_proposal(s, pid) is None:
            raise UserError("proposals.not_found")
        office = Office(
            session=s,
            catalogue=app.services.catalogue,
            signer=app.services.signer,
            zone=app.settings.zone,
            actor=clerk_of(request).member,
        )
        await work(office, pid)
    app.services.wake_delivery()
    if back == "overdue":  # pressed in the queue's overdue filter: back to that list
        return see_other(f"/proposals?overdue=1&done={done}")
    return see_other(f"/proposals/{pid}?done={done}")


def _text(form: MultiDictProxy[Any], name: str, *, limit: int = 2000) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


@routes.post(r"/proposals/{pid:\d+}/register")
async def register(request: web.Request) -> web.StreamResponse:
    return await _act(request, lambda o, pid: o.register(pid), "register")


@routes.post(r"/proposals/{pid:\d+}/decline")
async def decline(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    ground, note = _text(form, "ground"), _text(form, "note")
    convert = _text(form, "convert")
    if ground not in GROUNDS:
        raise UserError("web.proposals.ground_missing")
    conversion = Conversion(convert) if convert in {c.value for c in Conversion} else None
    return await _act(
        request,
        lambda o, pid: o.decline(pid, ground=ground, note=note, convert_to=conversion),
        "decline",
    )


@routes.post(r"/proposals/{pid:\d+}/merge")
async def merge(request: web.Request) -> web.StreamResponse:
    into = _text(await request.post(), "into", limit=32)
    if not into:
        raise UserError("web.proposals.merge_missing")
    return await _act(request, lambda o, pid: o.merge(pid, into), "merge")


@routes.post(r"/proposals/{pid:\d+}/assign")
async def assign(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    lead = _text(form, "lead", limit=128)
    co = [u.strip()[:128] for u in _UNITS_SPLIT.split(_text(form, "co")) if u.strip()]
    return await _act(request, lambda o, pid: o.assign(pid, lead_unit=lead, co_units=co), "assign")


@routes.post(r"/proposals/{pid:\d+}/key")
async def key(request: web.Request) -> web.StreamResponse:
    flag = _text(await request.post(), "flag") != "0"
    return await _act(request, lambda o, pid: o.mark_key(pid, flag=flag), "key")


@routes.post(r"/proposals/{pid:\d+}/excellent")
async def excellent(request: web.Request) -> web.StreamResponse:
    flag = _text(await request.post(), "flag") != "0"
    return await _act(request, lambda o, pid: mark_excellent(o, pid, flag=flag), "excellent")


@routes.post(r"/proposals/{pid:\d+}/urge")
async def urge(request: web.Request) -> web.StreamResponse:
    back = _text(await request.post(), "back", limit=16)
    return await _act(request, lambda o, pid: o.urge(pid), "urge", back=back)


@routes.post(r"/proposals/{pid:\d+}/extend")
async def extend(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    form = await request.post()
    to, reason = _text(form, "to", limit=40), _text(form, "reason", limit=500)
    if not to:
        raise UserError("web.proposals.extend_date_missing")
    if not reason:
        raise UserError("proposals.extend_reason_missing")
    day = deadline_day(to, zone=app.settings.zone, now=app.services.clock())
    return await _act(
        request,
        lambda o, pid: o.extend(pid, to=day, reason=reason),
        "extend",
        back=_text(form, "back", limit=16),
    )


@routes.post(r"/proposals/{pid:\d+}/answer")
async def answer(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    limit = app.settings.max_upload_bytes
    if request.content_length is not None and request.content_length > limit + 64 * 1024:
        raise UserError("web.upload_too_large", limit=f"{limit // (1024 * 1024)} MB")
    form = await request.post()
    category = _text(form, "category")
    if category not in {c.value for c in AnswerCategory}:
        raise UserError("web.proposals.category_missing")
    summary = _text(form, "summary", limit=4000)
    upload = form.get("document")
    name: str | None = None
    body: bytes | None = None
    if isinstance(upload, FileField) and upload.filename:
        name = PurePath(upload.filename).name[:200]
        if PurePath(name).suffix.lower() not in ANSWER_TYPES:
            raise UserError(
                "web.upload_wrong_type", name=name, types=" ".join(sorted(ANSWER_TYPES))
            )
        body = upload.file.read(limit + 1)
        if len(body) > limit:
            raise UserError("web.upload_too_large", limit=f"{limit // (1024 * 1024)} MB")
    return await _act(
        request,
        lambda o, pid: o.answer(
            pid,
            category=AnswerCategory(category),
            text=summary,
            document_name=name,
            document=body,
        ),
        "answer",
    )


@routes.get(r"/proposals/{pid:\d+}/answer-document")
async def answer_document(request: web.Request) -> web.StreamResponse:
    from bot.web.pages.proposals import download
    from storage.proposals import Proposals

    app = app_of(request)
    async with app.db.session() as s:
        p = await Proposals(s).require(int(request.match_info["pid"]))
    if p.answer_document is None or not p.answer_document_name:
        raise web.HTTPNotFound()
    return download(p.answer_document, p.answer_document_name, "application/octet-stream")
