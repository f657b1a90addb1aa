"""Once-a-day work on the scheduler (see bot.scheduler.Task): the secretariat's morning
digest of overdue proposals, forgetting old processed-update ids, and deleting documents
whose download links expired and the console's dead login links and sessions.

The digest is sent exactly once per local day: each clerk's outbox row has the dedupe key
``proposals:overdue:<date>:member:<id>``, so a restart, a second pass or the minute sweep
adds nothing; a bot started after the digest time sends that day's digest at once. A day
with nothing overdue sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import Catalogue
from bot.domain.roles import Role, parse_roles
from bot.proposals.office import overdue_digest_text
from bot.types import Reply
from storage.conversations import Updates
from storage.db import Database
from storage.outbox import FILE_LINK_TTL, Outbox
from storage.outbox_batch import Draft, enqueue_batch
from storage.proposals import Proposals
from storage.tables import Member, OutboxMessage
from storage.web import WebAuth

__all__ = ["FileLinkPruning", "OverdueDigest", "UpdatePruning", "WebLoginPruning", "next_local"]


def next_local(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The first ``at`` (local wall time) strictly after ``now``."""
    local = now.astimezone(zone)
    candidate = datetime.combine(local.date(), at, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=zone)
    return candidate


class OverdueDigest:
    """Each morning, the overdue proposals to every secretariat member, through the outbox."""

    def __init__(
        self,
        *,
        db: Database,
        catalogue: Catalogue,
        zone: ZoneInfo,
        at: time,  # Settings.daily_digest_time
        on_enqueued: Callable[[], None] = lambda: None,
    ) -> None:
        self.db = db
        self.catalogue = catalogue
        self.zone = zone
        self.at = at
        self.on_enqueued = on_enqueued

    async def start(self, now: datetime) -> None:
        return None

    async def daily(self, now: datetime) -> None:
        return None

    async def run(self, now: datetime) -> datetime | None:
        local = now.astimezone(self.zone)
        if local.time() >= self.at and await self.send(now) > 0:
            self.on_enqueued()
        return next_local(now, self.at, self.zone)

    async def send(self, now: datetime) -> int:
        """Queue today's digest for each clerk who has not had it; returns rows added."""
        day = now.astimezone(self.zone).date().isoformat()
        ref = f"proposals:overdue:{day}"
        async with self.db.session() as session:
            already = (
                await session.exec(select(OutboxMessage.id).where(OutboxMessage.ref == ref))
            ).first()
            staff = [
                int(m.id or 0)
                for m in await session.exec(select(Member).where(Member.status == "active"))
                if Role.SECRETARIAT in parse_roles(m.roles)
            ]
            if already is not None or not staff:
                return 0
            rows = await Proposals(session).overdue(now)
            if not rows:
                return 0
            text = overdue_digest_text(rows, cat=self.catalogue, zone=self.zone)
            reply = Reply(text=self.catalogue.t("proposals.overdue_digest_title") + text)
            drafts = [
                Draft(
                    member_id=member_id,
                    reply=reply,
                    dedupe_key=f"{ref}:member:{member_id}",
                    kind="digest",
                    ref=ref,
                )
                for member_id in staff
            ]
            return await enqueue_batch(session, drafts)


class _Pruning:
    """Once a day (and at start), delete rows nothing needs any more; ``forgotten`` counts
    them over the process's life."""

    def __init__(self, *, db: Database) -> None:
        self.db = db
        self.forgotten = 0

    async def start(self, now: datetime) -> None:
        await self.daily(now)

    async def daily(self, now: datetime) -> None:
        async with self.db.session() as session:
            self.forgotten += await self.forget(session, now)

    async def forget(self, session: AsyncSession, now: datetime) -> int:
        raise NotImplementedError

    async def run(self, now: datetime) -> datetime | None:
        return None


class UpdatePruning(_Pruning):
    """Forget processed update ids older than ``keep`` (Telegram never redelivers them)."""

    def __init__(self, *, db: Database, keep: timedelta = timedelta(days=7)) -> None:
        super().__init__(db=db)
        self.keep = keep

    async def forget(self, session: AsyncSession, now: datetime) -> int:
        return await Updates(session).forget_before(now - self.keep)


class FileLinkPruning(_Pruning):
    """Delete documents stored for download links (bot/web/files.py) once the link has been
    expired for ``grace``: each row holds a whole DOCX/XLSX and nothing serves it any more.
    The grace means no clock that is a little behind (the web console's host) ever finds a
    link it still thinks valid gone; a deleted link gets the same "expired" page anyway."""

    def __init__(
        self,
        *,
        db: Database,
        ttl: timedelta = FILE_LINK_TTL,
        grace: timedelta = timedelta(days=1),
    ) -> None:
        super().__init__(db=db)
        self.ttl = ttl
        self.grace = grace

    async def forget(self, session: AsyncSession, now: datetime) -> int:
        return await Outbox(session).forget_file_links(now - self.ttl - self.grace)


class WebLoginPruning(_Pruning):
    """Delete the console's login links and sessions ``keep`` after they expired or ended:
    a dead token opens nothing, and who did what stays in the audit log."""

    def __init__(self, *, db: Database, keep: timedelta = timedelta(days=30)) -> None:
        super().__init__(db=db)
        self.keep = keep

    async def forget(self, session: AsyncSession, now: datetime) -> int:
        return await WebAuth(session).forget_expired(now - self.keep)
