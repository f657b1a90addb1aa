"""Templates, the signed-in clerk of a request, and the Chinese error page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web

from bot.app import App
from bot.catalogue import Catalogue
from storage.tables import Member, WebSession

__all__ = [
    "APP",
    "NAV",
    "Clerk",
    "app_of",
    "clerk_of",
    "error_page",
    "render",
    "see_other",
    "templates",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
APP: web.AppKey[App] = web.AppKey("committee_app", App)
_ENV: web.AppKey[jinja2.Environment] = web.AppKey("jinja", jinja2.Environment)


@dataclass(frozen=True, slots=True)
class Clerk:
    member: Member
    session: WebSession

    @property
    def name(self) -> str:
        return self.member.name

    @property
    def csrf(self) -> str:
        return self.session.csrf_token


# The signed-in clerk of a request (set by bot.web.auth).
CLERK: web.RequestKey[Clerk] = web.RequestKey("clerk", Clerk)

# The navigation: (path, catalogue key of the visible label). The labels are the contract.
NAV = (
    ("/proposals", "web.nav.proposals"),
    ("/reports", "web.nav.reports"),
    ("/notices", "web.nav.notices"),
    ("/reading", "web.nav.reading"),
    ("/members", "web.nav.members"),
    ("/ask", "web.nav.ask"),
    ("/stats", "web.nav.stats"),
    ("/audit", "web.nav.audit"),
)


def templates(cat: Catalogue, zone: ZoneInfo) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def local(at: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return at.astimezone(zone).strftime(fmt) if at else "—"

    def t(key: str, **params: Any) -> str:
        return cat.s(key, **params)

    def has(key: str) -> bool:
        return key in cat

    env.globals.update(t=t, has=has, nav=NAV)
    env.filters["local"] = local
    return env


def install(application: web.Application, app: App) -> None:
    application[APP] = app
    application[_ENV] = templates(app.services.catalogue, app.settings.zone)


def app_of(request: web.Request) -> App:
    return request.app[APP]


def clerk_of(request: web.Request) -> Clerk:
    clerk = request.get(CLERK)
    assert isinstance(clerk, Clerk), "a console page behind the login"
    return clerk


def render(
    request: web.Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> web.Response:
    clerk = request.get(CLERK)
    html = (
        request.app[_ENV]
        .get_template(template)
        .render(
            {
                "me": clerk.member if isinstance(clerk, Clerk) else None,
                "csrf": clerk.csrf if isinstance(clerk, Clerk) else "",
                "path": request.path,
                "flash": request.query.get("done", ""),
                **(context or {}),
            }
        )
    )
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status)


def error_page(request: web.Request, message: str, *, status: int) -> web.Response:
    return render(request, "error.html", {"message": message}, status=status)


def see_other(location: str) -> web.Response:
    """303 to ``location``: after a form post the browser fetches the page with GET."""
    return web.Response(status=303, headers={"Location": location})
