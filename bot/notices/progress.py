"""The clerk's status message for a broadcast, edited in place while the notice goes out.

When a clerk sends a notice in chat, the status message (已发送 0 / 5,000) is itself an
outbox row, queued before the recipients' rows, so the delivery worker sends it first and
records its platform message id. While recipients' rows are pending, :class:`StatusMessages`
(a scheduler task) queues an *edit* of that message every few seconds (the setting
``broadcast_status_edit_seconds``, 3 by default): an outbox row whose payload names the
message to replace (``Reply.edit_message_id``). When nothing is pending it queues the final
edit, with the report of who could not be reached and why.

Exactly once and never piling up: an edit is queued only when the figures changed and no
earlier edit of the same notice is still waiting (a slow chat gets fewer, fresher edits),
its dedupe key holds the figures, and the final edit's key ends in ``:final``, which also
ends the tracking. Each edit targets the newest message id the worker recorded for the
status ref, so if an edit fell back to a new message (the old one was deleted), later
edits follow the new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.notices.broadcast import (
    BroadcastProgress,
    Sessions,
    broadcast_progress,
    unreachable_report,
)
from bot.notices.messages import progress_text, report_text
from bot.notices.rules import NoticeStatus
from bot.text import Text
from bot.types import Button, Reply
from storage.db import Database
from storage.outbox import Outbox
from storage.tables import Notice, OutboxMessage

__all__ = [
    "STATUS_KIND",
    "StatusButtons",
    "StatusMessages",
    "open_status_message",
    "status_ref",
    "status_text",
    "update_status_messages",
]

STATUS_KIND = "notice_status"
# A broadcast still running after this long is not followed any more (the clerk can
# press 查看进度); it bounds the scan however many old notices there are.
FOLLOW_FOR = timedelta(days=2)

# The buttons under a notice's status message (signed for the clerk who sent it).
StatusButtons = Callable[[Notice], tuple[tuple[Button, ...], ...]]


def status_ref(notice_id: int) -> str:
    return f"notice:{notice_id}:status"


async def status_text(sessions: Sessions, notice: Notice) -> tuple[Text, BroadcastProgress]:
    """The progress line, plus the unreachable report once nothing is pending."""
    nid = int(notice.id or 0)
    state = await broadcast_progress(sessions, nid)
    text = progress_text(
        notice.title, sent=state.sent, total=state.total, failed=state.failed, done=state.done
    )
    if state.done:
        text += report_text(await unreachable_report(sessions, nid))
    return text, state


async def open_status_message(
    session: AsyncSession, notice: Notice, *, platform: str, chat_id: str, reply: Reply
) -> OutboxMessage | None:
    """Queue the status message for the clerk's chat (call before queuing the notice, so
    it goes out first; its payload may be rewritten until the transaction commits)."""
    notice.status_platform = platform
    notice.status_chat_id = chat_id
    session.add(notice)
    return await Outbox(session).enqueue(
        platform=platform,
        chat_id=chat_id,
        member_id=notice.created_by_member_id,
        payload=reply.to_json(),
        dedupe_key=status_ref(int(notice.id or 0)),
        kind=STATUS_KIND,
        ref=status_ref(int(notice.id or 0)),
    )


async def _followed(session: AsyncSession, now: datetime) -> list[Notice]:
    """Notices with a status message whose final edit is not queued yet."""
    stmt = select(Notice).where(
        col(Notice.status_chat_id).is_not(None),
        col(Notice.sent_at) >= now - FOLLOW_FOR,
        Notice.status != NoticeStatus.DRAFT.value,
    )
    notices = list(await session.exec(stmt.order_by(col(Notice.id))))
    if not notices:
        return []
    finals = set(
        await session.exec(
            select(OutboxMessage.dedupe_key).where(
                col(OutboxMessage.dedupe_key).in_(
                    [status_ref(int(n.id or 0)) + ":final" for n in notices]
                )
            )
        )
    )
    return [n for n in notices if status_ref(int(n.id or 0)) + ":final" not in finals]


@dataclass(frozen=True, slots=True)
class _Status:
    message_id: int | None  # the newest delivered message of the status ref
    # Some row of the ref went out: without a message id the platform cannot edit (WeCom's
    # pushes return none), so only the final report follows, as a message of its own.
    delivered: bool
    waiting: bool  # a row of the ref has not gone out yet
    # The newest row's text (as ``Text.to_json`` stored it): no edit when nothing changed.
    shown: list[list[Any]] | None


async def _status_of(session: AsyncSession, ref: str) -> _Status:
    rows = list(
        await session.exec(
            select(OutboxMessage.state, OutboxMessage.message_id, OutboxMessage.payload)
            .where(OutboxMessage.ref == ref)
            .order_by(col(OutboxMessage.id).desc())
        )
    )
    return _Status(
        message_id=next((int(m) for state, m, _ in rows if state == "sent" and m), None),
        delivered=any(state == "sent" for state, _, _ in rows),
        waiting=any(state in {"pending", "failed", "sending"} for state, _, _ in rows),
        shown=rows[0][2].get("text") if rows else None,
    )


async def update_status_messages(db: Database, *, now: datetime, buttons: StatusButtons) -> int:
    """Queue an edit for every followed status message whose figures changed; returns how
    many notices are still followed (0: nothing to come back for)."""
    async with db.session() as session:
        notices = await _followed(session, now)
    following = 0
    for notice in notices:
        ref = status_ref(int(notice.id or 0))
        async with db.session() as session:
            status = await _status_of(session, ref)
        if status.waiting:
            following += 1  # the status message or the previous edit has not gone out yet
            continue
        if status.message_id is None and not status.delivered:
            continue  # the status message could not be delivered: nothing to edit
        text, state = await status_text(db.session, notice)
        if status.message_id is None and not state.done:
            following += 1  # no editable message: the final report comes as a new one
            continue
        if not state.done:
            following += 1
            if text.to_json() == status.shown:
                continue
        key = (
            f"{ref}:final" if state.done else f"{ref}:s{state.sent}:f{state.failed}:t{state.total}"
        )
        async with db.session() as session:
            await Outbox(session).enqueue(
                platform=notice.status_platform or "",
                chat_id=notice.status_chat_id or "",
                member_id=notice.created_by_member_id,
                payload=Reply(
                    text=text, buttons=buttons(notice), edit_message_id=status.message_id
                ).to_json(),
                dedupe_key=key,
                kind=STATUS_KIND,
                ref=ref,
            )
    return following


class StatusMessages:
    """The scheduler task that keeps status messages current (see bot.scheduler.Task)."""

    def __init__(
        self,
        *,
        db: Database,
        buttons: StatusButtons,
        every: timedelta,  # Settings.broadcast_status_edit_seconds
        on_enqueued: Callable[[], None] = lambda: None,
    ) -> None:
        self.db = db
        self.buttons = buttons
        self.on_enqueued = on_enqueued
        self.every = every

    async def start(self, now: datetime) -> None:
        return None

    async def daily(self, now: datetime) -> None:
        return None

    async def run(self, now: datetime) -> datetime | None:
        following = await update_status_messages(self.db, now=now, buttons=self.buttons)
        self.on_enqueued()
        # Also wakes once more after the final edit is queued: harmless, then it sleeps.
        return now + self.every if following else None
