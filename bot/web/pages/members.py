"""委员: the roster with search; importing a file with a preview of every change before it
is applied (the same ``import_roster`` as ``committee-bot members import``); invite codes;
bound accounts with unbind; retiring a member."""

from __future__ import annotations

import asyncio
import base64
import binascii
import tempfile
from pathlib import Path, PurePath

from aiohttp import web
from aiohttp.web_request import FileField
from sqlmodel import col, or_, select

from bot.errors import UserError
from bot.roster.changes import retire_member, unbind_accounts
from bot.roster.importer import MAX_FILE_BYTES, RosterSheet, import_roster, read_rows
from bot.web.render import app_of, clerk_of, render, see_other
from storage.audit import Audit
from storage.roster import Roster
from storage.tables import Member

__all__ = ["routes"]

routes = web.RouteTableDef()
ROSTER_TYPES = frozenset({".csv", ".xlsx", ".xlsm"})


@routes.get("/members")
async def roster(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    q = request.query.get("q", "").strip()[:64]
    retired = request.query.get("retired") == "1"
    async with app.db.session() as s:
        stmt = select(Member)
        if not retired:
            stmt = stmt.where(Member.status == "active")
        if q:
            like = f"%{q}%"
            stmt = stmt.where(
                or_(
                    col(Member.name).like(like),
                    col(Member.phone).like(like),
                    col(Member.sector).like(like),
                    col(Member.committee).like(like),
                )
            )
        rows = list(await s.exec(stmt.order_by(col(Member.sector), col(Member.name)).limit(500)))
        accounts = await Roster(s).identities_of([m.id for m in rows if m.id is not None])
    bound: dict[int, list[str]] = {}
    for identity in accounts:
        bound.setdefault(identity.member_id, []).append(identity.platform)
    return render(
        request, "member_list.html", {"rows": rows, "q": q, "retired": retired, "bound": bound}
    )


@routes.get("/members/names")
async def names(request: web.Request) -> web.StreamResponse:
    """Names matching what is typed (the notice composer's member picker)."""
    app = app_of(request)
    q = request.query.get("q", "").strip()[:32]
    if not q:
        return web.json_response([])
    async with app.db.session() as s:
        found = await Roster(s).search(q, limit=10)
    return web.json_response([{"name": m.name, "sector": m.sector} for m in found])


@routes.get(r"/members/{mid:\d+}")
async def member(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    async with app.db.session() as s:
        m = await _require(s, int(request.match_info["mid"]))
        accounts = await Roster(s).accounts(int(m.id or 0))
    invite = request.query.get("invite", "")
    return render(request, "member.html", {"m": m, "accounts": accounts, "invite": invite})


async def _require(session: object, member_id: int) -> Member:
    from sqlmodel.ext.asyncio.session import AsyncSession

    assert isinstance(session, AsyncSession)
    m = await Roster(session).get(member_id)
    if m is None:
        raise UserError("web.members.not_found")
    return m


@routes.post(r"/members/{mid:\d+}/invite")
async def invite(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    clerk = clerk_of(request)
    async with app.db.session() as s:
        m = await _require(s, int(request.match_info["mid"]))
        from datetime import timedelta

        code = await Roster(s).new_invite(
            m, ttl=timedelta(hours=app.settings.invite_ttl_hours), created_by=clerk.name
        )
        await Audit(s).record("members.invite", actor=clerk.member, target=m.name)
    return see_other(f"/members/{m.id}?invite={code.code}")


@routes.post(r"/members/{mid:\d+}/retire")
async def retire(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    clerk = clerk_of(request)
    async with app.db.session() as s:
        m = await _require(s, int(request.match_info["mid"]))
        if m.id == clerk.member.id:
            raise UserError("web.members.not_yourself")
        await retire_member(s, m, actor=clerk.member)
    return see_other(f"/members/{m.id}?done=retire")


@routes.post(r"/members/{mid:\d+}/unbind")
async def unbind(request: web.Request) -> web.StreamResponse:
    """Unbinds one platform's account; the account is told, as by ``members unbind``."""
    app = app_of(request)
    clerk = clerk_of(request)
    platform = str((await request.post()).get("platform", "")).strip().lower()[:16]
    async with app.db.session() as s:
        m = await _require(s, int(request.match_info["mid"]))
        await unbind_accounts(s, m, platform=platform or None, actor=clerk.member)
    app.services.wake_delivery()
    return see_other(f"/members/{m.id}?done=unbind")


# -- import: upload → preview (nothing written) → apply ---------------------------------


def _sheet(name: str, body: bytes) -> RosterSheet:
    """Parses the upload in a scratch file (the importer reads paths); worker thread."""
    suffix = PurePath(name).suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"roster{suffix}"
        path.write_bytes(body)
        return read_rows(path)


async def _uploaded(request: web.Request) -> tuple[str, bytes, bool]:
    form = await request.post()
    upload = form.get("file")
    allow_rename = form.get("allow_rename") == "1"
    if isinstance(upload, FileField) and upload.filename:
        name = PurePath(upload.filename).name[:200]
        body = upload.file.read(MAX_FILE_BYTES + 1)
    else:  # the preview's confirm form carries the file it showed
        name = str(form.get("name", ""))[:200]
        try:
            body = base64.b64decode(str(form.get("content", "")), validate=True)
        except (binascii.Error, ValueError):
            body = b""
    if not name or not body:
        raise UserError("web.members.file_missing")
    if PurePath(name).suffix.lower() not in ROSTER_TYPES:
        raise UserError("web.upload_wrong_type", name=name, types=" ".join(sorted(ROSTER_TYPES)))
    if len(body) > min(MAX_FILE_BYTES, app_of(request).settings.max_upload_bytes):
        limit = app_of(request).settings.max_upload_bytes // (1024 * 1024)
        raise UserError("web.upload_too_large", limit=f"{limit} MB")
    return name, body, allow_rename


@routes.get("/members/import")
async def import_form(request: web.Request) -> web.StreamResponse:
    return render(request, "members_import.html", {"report": None})


@routes.post("/members/import")
async def import_post(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    clerk = clerk_of(request)
    name, body, allow_rename = await _uploaded(request)
    apply = request.query.get("apply") == "1"
    sheet = await asyncio.to_thread(_sheet, name, body)
    async with app.db.session() as s:
        report = await import_roster(
            s, sheet, actor=clerk.name, allow_rename=allow_rename, dry_run=not apply
        )
        if not apply:
            await s.rollback()
    return render(
        request,
        "members_import.html",
        {
            "report": report,
            "name": name,
            "content": base64.b64encode(body).decode(),
            "allow_rename": allow_rename,
            "applied": apply,
        },
    )
