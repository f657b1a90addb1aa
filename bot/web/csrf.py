"""CSRF: every state-changing request carries the session's token (a hidden form field
``_csrf`` or the ``X-CSRF-Token`` header) and is refused without it."""

from __future__ import annotations

import hmac

from aiohttp import web

__all__ = ["FIELD", "HEADER", "SAFE_METHODS", "csrf_ok"]

FIELD = "_csrf"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def csrf_ok(request: web.Request, expected: str) -> bool:
    """True when the request is safe or carries ``expected``; reads the form (cached)."""
    if request.method in SAFE_METHODS:
        return True
    given = request.headers.get(HEADER, "")
    if not given and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        form = await request.post()
        value = form.get(FIELD, "")
        given = value if isinstance(value, str) else ""
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())
