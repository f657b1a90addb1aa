"""Broadcasting a notice through the outbox: one row per recipient, exactly once.

Each row's ``dedupe_key`` names the notice, the wave (first sending, correction N,
cancellation) and the member, e.g. ``notice:12:member:40``. Enqueuing runs in batches, each
committed on its own, and skips keys already in the outbox; so a sender killed half way and
started again enqueues only what is missing, and the delivery service, which marks a row
sent only after Telegram accepted it, sends each row once. Delivery outcomes are copied back
onto the recipients (``sync_delivery``) for the progress message, the final report, the
export and the member's record.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TypedDict

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import t
from bot.notices.messages import NEVER_VERIFIED, unreachable_reason_key
from bot.text import Text
from bot.types import Reply
from storage.notices import NoticesRepo, notice_outbox_ref
from storage.roster import Roster
from storage.tables import Identity, Member, NoticeRecipient, OutboxMessage

__all__ = [
    "NEVER_VERIFIED",
    "BroadcastProgress",
    "Sessions",
    "Wave",
    "broadcast_progress",
    "dedupe_key",
    "enqueue_wave",
    "same_session",
    "sync_delivery",
    "unreachable_report",
    "wave_ref",
]

BATCH = 500


class _Addressee(TypedDict):
    """The outbox columns a member's message and its attachment share."""

    member_id: int
    platform: str
    chat_id: str


# "notice" (the first sending), an int (correction revision), "cancel", "remind:<kind>".
Wave = str | int
# Where sessions come from: ``Database.session`` (one commit per batch: resumable), or the
# handler's own session (``same_session``) so rows commit with the change that caused them.
Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def same_session(session: AsyncSession) -> Sessions:
    @asynccontextmanager
    async def reuse() -> AsyncIterator[AsyncSession]:
        yield session

    return reuse


def wave_ref(notice_id: int, wave: Wave) -> str:
    if wave == "notice":
        return notice_outbox_ref(notice_id)
    if isinstance(wave, int):
        return f"notice:{notice_id}:r{wave}"
    return f"notice:{notice_id}:{wave}"


def dedupe_key(notice_id: int, member_id: int, wave: Wave = "notice", *, part: str = "") -> str:
    """``notice:<id>[:r<n>|:cancel|:remind:<kind>]:member:<id>[:<part>]``: one per message."""
    return f"{wave_ref(notice_id, wave)}:member:{member_id}" + (f":{part}" if part else "")


@dataclass(frozen=True, slots=True)
class BroadcastProgress:
    total: int  # recipients
    sent: int
    failed: int  # unreachable: blocked, never verified, out of attempts
    pending: int

    @property
    def done(self) -> bool:
        return self.pending == 0


async def _identities(sessions: Sessions, member_ids: Sequence[int]) -> dict[int, Identity]:
    """Each member's address: the reachable account they used last (``address_of``)."""
    out: dict[int, Identity] = {}
    for start in range(0, len(member_ids), BATCH):
        chunk = list(member_ids[start : start + BATCH])
        async with sessions() as s:
            out.update(await Roster(s).addresses(chunk))
    return out


async def enqueue_wave(
    sessions: Sessions,
    notice_id: int,
    *,
    wave: Wave,
    make_reply: Callable[[int], Reply],
    attachment: tuple[str, bytes] | None = None,
    member_ids: Sequence[int] | None = None,
) -> int:
    """Queues the wave for every recipient (or ``member_ids``) not queued yet; returns how
    many rows were added. ``make_reply(member_id)`` builds that member's message (buttons
    are signed per member)."""
    async with sessions() as s:
        ids = (
            list(member_ids)
            if member_ids is not None
            else await NoticesRepo(s).recipient_ids(notice_id)
        )
        ref = wave_ref(notice_id, wave)
        done = set(await s.exec(select(OutboxMessage.dedupe_key).where(OutboxMessage.ref == ref)))
    identities = await _identities(sessions, ids)
    # Never verified, or known to have blocked the bot: reported, not sent (a member who
    # writes to the bot again is reachable again, and later waves try them).
    unreachable: dict[str, list[int]] = {}
    for m in ids:
        identity = identities.get(m)
        if identity is None or identity.unreachable_at is not None:
            reason = NEVER_VERIFIED if identity is None else identity.unreachable_reason
            unreachable.setdefault(reason or "unreachable", []).append(m)
            identities.pop(m, None)
    if unreachable and wave == "notice":
        async with sessions() as s:
            for reason, members in unreachable.items():
                await s.exec(
                    update(NoticeRecipient)
                    .where(
                        col(NoticeRecipient.notice_id) == notice_id,
                        col(NoticeRecipient.member_id).in_(members),
                    )
                    .values(delivery_state="unreachable", delivery_error=reason[:255])
                )
    added = 0
    todo = [m for m in ids if m in identities and dedupe_key(notice_id, m, wave) not in done]
    for start in range(0, len(todo), BATCH):
        async with sessions() as s:
            for member_id in todo[start : start + BATCH]:
                identity = identities[member_id]
                common: _Addressee = {
                    "member_id": member_id,
                    "platform": identity.platform,
                    "chat_id": identity.chat_id,
                }
                s.add(
                    OutboxMessage(
                        **common,
                        payload=make_reply(member_id).to_json(),
                        dedupe_key=dedupe_key(notice_id, member_id, wave),
                        kind="notice",
                        ref=ref,
                    )
                )
                if attachment is not None:
                    s.add(
                        OutboxMessage(
                            **common,
                            payload=Reply(text=_caption(attachment[0])).to_json(),
                            document_name=attachment[0],
                            document=attachment[1],
                            dedupe_key=dedupe_key(notice_id, member_id, wave, part="file"),
                            kind="notice_file",
                            ref=ref + ":file",
                        )
                    )
                added += 1
    return added


def _caption(name: str) -> Text:
    return t("notices.body_attachment", name=name)


async def sync_delivery(sessions: Sessions, notice_id: int) -> None:
    """Copies outbox outcomes of the first wave onto the recipients (for the report of
    who could not be reached; counts and exports read the outbox themselves)."""
    async with sessions() as s:
        outcomes = await NoticesRepo(s).delivery_outcomes(notice_id)
        rows = await s.exec(
            select(NoticeRecipient).where(
                NoticeRecipient.notice_id == notice_id,
                col(NoticeRecipient.member_id).in_(list(outcomes)),
            )
        )
        for row in rows:
            new_state, error = outcomes[row.member_id]
            if row.delivery_state != new_state:
                row.delivery_state = new_state
                row.delivery_error = error
                s.add(row)


async def broadcast_progress(sessions: Sessions, notice_id: int) -> BroadcastProgress:
    await sync_delivery(sessions, notice_id)
    async with sessions() as s:
        counts = (await NoticesRepo(s).counts(notice_id)).delivery
    sent = counts.get("sent", 0)
    failed = counts.get("unreachable", 0)
    return BroadcastProgress(
        total=sum(counts.values()), sent=sent, failed=failed, pending=counts.get("pending", 0)
    )


async def unreachable_report(sessions: Sessions, notice_id: int) -> list[tuple[str, str, str]]:
    """``(name, sector, reason catalogue key)`` for every recipient the notice did not reach."""
    await sync_delivery(sessions, notice_id)
    async with sessions() as s:
        stmt = (
            select(Member.name, Member.sector, NoticeRecipient.delivery_error)
            .join(Member, col(Member.id) == NoticeRecipient.member_id)
            .where(
                NoticeRecipient.notice_id == notice_id,
                NoticeRecipient.delivery_state == "unreachable",
            )
            .order_by(col(Member.sector), col(Member.name))
        )
        return [(n, sec, unreachable_reason_key(err)) for n, sec, err in await s.exec(stmt)]
