"""Files by signed download link: ``GET /files/{token}``, no login, the token is the authority.

A platform that cannot send a file (WeCom's AI bot without the committee's WeCom
application) gives the member a link instead. :class:`FileLinks` stores the document's bytes
in an outbox row (``kind="file_link"``, already ``sent``, so no worker ever claims it) and
signs ``row id + expiry`` with the key that signs button payloads (:class:`~bot.callbacks.
Signer`). The link is ``{COMMITTEE_BOT_PUBLIC_URL}/files/{id}-{expires}-{signature}``; it
is served by the web console (``committee-bot web``, or ``run`` with
``COMMITTEE_BOT_WEB_LISTEN``), which reads the row from the same database.

A forged or mangled token gets a Chinese page with 403, an expired one (or one whose row is
gone) 410; nothing in a token is trusted before its signature matches. A row whose link
expired more than a day ago is deleted by the scheduler's daily ``prune_file_links`` task
(bot/daily_jobs.py :class:`~bot.daily_jobs.FileLinkPruning`).
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import quote

from aiohttp import web

from bot.callbacks import Signer
from bot.errors import PayloadError
from bot.types import OutDocument
from storage.columns import utcnow
from storage.db import Database
from storage.outbox import FILE_LINK, FILE_LINK_TTL
from storage.tables import OutboxMessage

from .render import app_of, error_page

__all__ = ["LINK_TTL", "FileLinks", "link_token", "routes"]

log = logging.getLogger(__name__)
LINK_TTL = FILE_LINK_TTL
KIND = FILE_LINK
_SUBJECT = "file-link"  # binds the signature to this use: a button payload is no token
_NAME = "file"

routes = web.RouteTableDef()


def link_token(signer: Signer, row_id: int, expires: int) -> str:
    """``{row id}-{expiry, epoch seconds}-{signature}``: URL-safe, no padding."""
    payload = signer.sign(_SUBJECT, _NAME, (row_id, expires))
    return f"{row_id}-{expires}-{payload.rsplit('|', 1)[1]}"


def read_token(signer: Signer, token: str) -> tuple[int, int]:
    """``(row id, expiry)`` of a genuine token, else ``PayloadError``."""
    row_id, _, rest = token.partition("-")
    expires, _, signature = rest.partition("-")
    if not (row_id.isdecimal() and expires.isdecimal() and signature) or len(token) > 64:
        raise PayloadError("core.button_forged")
    signer.verify(_SUBJECT, f"{_NAME}|{int(row_id)},{int(expires)}||{signature}")
    return int(row_id), int(expires)


class FileLinks:
    """Stores a document and returns its signed download link."""

    def __init__(
        self,
        *,
        db: Database,
        signer: Signer,
        base_url: str,
        ttl: timedelta = LINK_TTL,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.clock = clock
        self.signer = signer
        self.base_url = base_url.rstrip("/")
        self.ttl = ttl

    @property
    def hours(self) -> int:
        return max(1, int(self.ttl.total_seconds() // 3600))

    async def publish(self, platform: str, chat_id: str, document: OutDocument) -> str:
        now = self.clock()
        row = OutboxMessage(
            platform=platform,
            chat_id=chat_id,
            payload={},
            kind=KIND,
            ref=KIND,
            state="sent",
            sent_at=now,
            document_name=document.file_name,
            document=document.content,
        )
        async with self.db.session() as session:
            session.add(row)
            await session.flush()
            assert row.id is not None
            row_id = row.id
        expires = int((now + self.ttl).timestamp())
        return f"{self.base_url}/files/{link_token(self.signer, row_id, expires)}"


@routes.get("/files/{token}")
async def download(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    cat = app.services.catalogue
    try:
        row_id, expires = read_token(app.services.signer, request.match_info["token"])
    except PayloadError:
        return error_page(request, cat.s("wecom.link_forged"), status=403)
    now: datetime = app.services.clock()
    if now.timestamp() > expires:
        return error_page(request, cat.s("wecom.link_expired"), status=410)
    async with app.db.session() as session:
        row = await session.get(OutboxMessage, row_id)
        found = None
        if row is not None and row.kind == KIND and row.document is not None:
            found = (row.document_name or "file", row.document)
    if found is None:
        return error_page(request, cat.s("wecom.link_expired"), status=410)
    name, content = found
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return web.Response(
        body=content,
        content_type=mime,
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )
