"""Signing in with a one-time link, the session cookie, and the gate in front of every page.

No passwords: a secretariat member gets a link (``committee-bot web login-link`` or ``/web``
in chat), valid 15 minutes and spent on first use. Opening it shows a page whose form (sent
by a line of JavaScript, or by a click) spends it, so a chat app fetching the link for a
preview does not use it up. The cookie is HttpOnly and SameSite=Lax and lasts a working day.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.domain.roles import SECRETARIAT, parse_roles
from bot.errors import UserError
from bot.web.csrf import csrf_ok
from bot.web.render import CLERK, Clerk, app_of, error_page, render, see_other
from storage.audit import Audit
from storage.web import SESSION_TTL, WebAuth

__all__ = ["COOKIE", "auth_middleware", "is_staff", "login_url", "routes"]

log = logging.getLogger(__name__)
COOKIE = "cb_session"
# Paths served without a session (everything else redirects to the login page).
PUBLIC = ("/login", "/static/", "/healthz", "/metrics", "/favicon.ico", "/files/")

routes = web.RouteTableDef()
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_staff(roles: str) -> bool:
    return bool(parse_roles(roles) & SECRETARIAT)


def login_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/login/{token}"


def _public(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in PUBLIC) or (
        path.startswith("/login/")
    )


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    app = app_of(request)
    cat = app.services.catalogue
    token = request.cookies.get(COOKIE, "")
    found = None
    if token and not request.path.startswith(("/static/", "/healthz", "/metrics")):
        async with app.db.session() as s:
            found = await WebAuth(s).logged_in(token, now=app.services.clock())
    if found is not None:
        request[CLERK] = Clerk(member=found.member, session=found.session)
    if _public(request.path):
        return await handler(request)
    if found is None:
        raise web.HTTPSeeOther("/login")
    # Roles are read from the roster on every request: a clerk whose role was taken away
    # loses the console at once, whatever the cookie says.
    if not is_staff(found.member.roles):
        return error_page(request, cat.s("web.forbidden"), status=403)
    if not await csrf_ok(request, found.session.csrf_token):
        return error_page(request, cat.s("web.csrf_refused"), status=403)
    try:
        return await handler(request)
    except UserError as exc:
        return error_page(request, cat.s(exc.key, **exc.params), status=400)


@routes.get("/login")
async def login_page(request: web.Request) -> web.StreamResponse:
    if request.get(CLERK) is not None:
        raise web.HTTPSeeOther("/proposals")
    return render(request, "login.html")


@routes.get("/login/{token}")
async def login_link(request: web.Request) -> web.StreamResponse:
    """Shows the sign-in form; nothing is spent until it is posted."""
    return render(request, "login_link.html", {"token": request.match_info["token"]})


@routes.post("/login")
async def login_post(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    form = await request.post()
    token = str(form.get("token", ""))
    try:
        async with app.db.session() as s:
            auth = WebAuth(s)
            member = await auth.redeem(token, now=app.services.clock())
            if not is_staff(member.roles):
                raise UserError("web.not_staff", who=member.name)
            cookie, _row = await auth.open_session(member)
            await Audit(s).record("web.login", actor=member, target=f"member:{member.id}")
    except UserError as exc:
        cat = app.services.catalogue
        return error_page(request, cat.s(exc.key, **exc.params), status=400)
    response = see_other("/proposals")
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=(app.settings.public_url or "").startswith("https://"),
        path="/",
    )
    return response


@routes.post("/logout")
async def logout(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    token = request.cookies.get(COOKIE, "")
    clerk = request.get(CLERK)
    async with app.db.session() as s:
        await WebAuth(s).end_session(token)
        if isinstance(clerk, Clerk):
            await Audit(s).record("web.logout", actor=clerk.member)
    response = see_other("/login")
    response.del_cookie(COOKIE, path="/")
    return response
