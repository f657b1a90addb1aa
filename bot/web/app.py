"""The console's aiohttp application: middlewares, routes, static files, and serving it.

``build_web(app)`` is the whole console over an ``App`` (the same one the chat and the
CLI use); ``serve_web`` runs it until cancelled, alone (``committee-bot web``) or beside
the bot (``committee-bot run`` with COMMITTEE_BOT_WEB_LISTEN).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from bot.app import App
from bot.web import auth, files, ops
from bot.web.pages import (
    attendance,
    audit,
    members,
    notice_changes,
    notices,
    proposal_actions,
    proposals,
    qa,
    reading_groups,
    sections,
    stats,
)
from bot.web.render import error_page, install

__all__ = ["build_web", "parse_listen", "serve_beside", "serve_web"]

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


@web.middleware
async def errors_middleware(request: web.Request, handler: auth.Handler) -> web.StreamResponse:
    """Every refusal is a Chinese page (never aiohttp's English one or a traceback)."""
    from bot.web.render import app_of

    cat = app_of(request).services.catalogue
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        limit = app_of(request).settings.max_upload_bytes // (1024 * 1024)
        return error_page(request, cat.s("web.upload_too_large", limit=f"{limit} MB"), status=413)
    except web.HTTPNotFound:
        return error_page(request, cat.s("web.not_found"), status=404)
    except web.HTTPMethodNotAllowed:
        return error_page(request, cat.s("web.not_found"), status=405)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("console page failed: %s %s", request.method, request.path)
        return error_page(request, cat.s("web.internal_error"), status=500)


@web.middleware
async def headers_middleware(request: web.Request, handler: auth.Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
    )
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def build_web(app: App) -> web.Application:
    # Uploads (answer documents, rosters) up to the configured size, plus the form around it.
    application = web.Application(
        middlewares=[headers_middleware, errors_middleware, auth.auth_middleware],
        client_max_size=app.settings.max_upload_bytes + 256 * 1024,
    )
    install(application, app)
    ops.install(app)  # reply latency of the updates this process handles, for /metrics
    pages = (
        proposals,
        proposal_actions,
        notices,
        attendance,
        notice_changes,
        members,
        stats,
        audit,
        sections,
        qa,
        reading_groups,
    )
    for module in (auth, ops, files, *pages):
        application.router.add_routes(module.routes)
    application.router.add_static("/static/", STATIC)
    return application


def parse_listen(listen: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:8080`` for IPv6)."""
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit():
        from bot.errors import ConfigError

        raise ConfigError(f"expected host:port, got {listen!r}")
    return host.strip("[]") or "0.0.0.0", int(port)


async def serve_web(app: App, listen: str, *, started: asyncio.Event | None = None) -> None:
    """Serves the console until cancelled."""
    host, port = parse_listen(listen)
    runner = web.AppRunner(build_web(app), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        log.info("web console on http://%s:%s", host, port)
        if started is not None:
            started.set()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def serve_beside(
    app: App, listen: str, *, checks: dict[str, Callable[[], bool]]
) -> asyncio.Task[None]:
    """The console as a task of a running bot (``committee-bot run`` with
    COMMITTEE_BOT_WEB_LISTEN); ``checks`` (channels, scheduler) feed ``/healthz``."""
    app.services.extras[ops.HEALTH] = checks
    return asyncio.create_task(serve_web(app, listen), name="web console")
