"""Use cases shared by the chat flow and the CLI: prepare, send, correct, cancel, remind.

Nothing here talks to a platform: messages leave through the outbox. Buttons are signed per
member by the caller's ``Buttons`` (the payload signer lives in the core), so the same code
serves ``/notice`` and ``committee-bot notices send``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import CONFIG_DIR, Catalogue
from bot.notices.broadcast import Sessions, enqueue_wave
from bot.notices.draft import NoticeDraft
from bot.notices.messages import (
    cancellation_text,
    correction_text,
    notice_text,
    reminder_text,
)
from bot.notices.rules import (
    LeaveDecision,
    NoticeRules,
    NoticeStatus,
    PeriodWarning,
    PlannedReminder,
    ReminderKind,
    new_check_in_code,
    period_warning,
    plan_reminders,
)
from bot.text import Text
from bot.types import Button, Reply
from storage.audit import Audit
from storage.columns import utcnow
from storage.notices import NoticesRepo, notice_facts, notice_from_draft
from storage.tables import Member, Notice

__all__ = [
    "Buttons",
    "Preview",
    "cancel_notice",
    "correct_notice",
    "create_notice",
    "decide_leave_request",
    "next_reminder_at",
    "no_buttons",
    "notice_rules",
    "preview",
    "send_due_reminders",
    "send_notice",
]


@cache
def notice_rules() -> NoticeRules:
    """``config/notices.toml``, read once; a bad file stops the bot at start."""
    # (spelled in two parts: the catalogue-key test reads any quoted "a.b" as a key)
    return NoticeRules.load(CONFIG_DIR.joinpath("notices" + ".toml"))


# Signed answer buttons for one member under one notice (empty for a cancellation).
Buttons = Callable[[Notice, int], tuple[tuple[Button, ...], ...]]


def no_buttons(_notice: Notice, _member_id: int) -> tuple[tuple[Button, ...], ...]:
    return ()


def _replies(text: Text, buttons: Buttons, notice: Notice) -> Callable[[int], Reply]:
    """Each member's copy of ``text`` under ``notice``, with buttons signed for them.

    (A function, not a lambda in the loop: each reply keeps its own notice and text.)"""
    return lambda member_id: Reply(text=text, buttons=buttons(notice, member_id))


@dataclass(frozen=True, slots=True)
class Preview:
    text: Text
    recipients: int
    warning: PeriodWarning | None


async def preview(
    sessions: Sessions,
    draft: NoticeDraft,
    *,
    rules: NoticeRules,
    zone: ZoneInfo,
    now: datetime | None = None,
) -> Preview:
    """Text, recipient count and the notice-period warning; writes nothing."""
    async with sessions() as s:
        members = await NoticesRepo(s).resolve_audience(draft.audience)
    shown = notice_from_draft(draft)
    warning = period_warning(
        rules, draft.kind, sent_at=now or utcnow(), starts_at=draft.starts_at, zone=zone
    )
    return Preview(text=notice_text(shown, zone), recipients=len(members), warning=warning)


async def create_notice(
    sessions: Sessions,
    draft: NoticeDraft,
    *,
    rules: NoticeRules,
    created_by: str,
    created_by_member_id: int | None = None,
) -> int:
    """Stores the notice as a draft with its recipients resolved now; returns its id."""
    async with sessions() as s:
        repo = NoticesRepo(s)
        members = await repo.resolve_audience(draft.audience)
        notice = await repo.create(
            draft,
            created_by=created_by,
            created_by_member_id=created_by_member_id,
            check_in_code=new_check_in_code(rules.check_in.code_length),
        )
        await repo.add_recipients(int(notice.id or 0), members)
        return int(notice.id or 0)


async def send_notice(
    sessions: Sessions, notice_id: int, *, zone: ZoneInfo, buttons: Buttons = no_buttons
) -> int:
    """Marks the notice sent and queues it for every recipient (safe to call again after a
    crash: only missing rows are added). Returns rows added."""
    async with sessions() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(notice_id)
        if notice.status == NoticeStatus.CANCELLED:
            return 0
        await repo.mark_sent(notice)
    text = notice_text(notice, zone)
    attachment = (
        (notice.attachment_name, notice.attachment)
        if notice.attachment_name and notice.attachment is not None
        else None
    )
    return await enqueue_wave(
        sessions,
        notice_id,
        wave="notice",
        make_reply=lambda member_id: Reply(text=text, buttons=buttons(notice, member_id)),
        attachment=attachment,
    )


async def correct_notice(
    sessions: Sessions,
    notice_id: int,
    *,
    note: str,
    zone: ZoneInfo,
    buttons: Buttons = no_buttons,
    **changes: object,
) -> int:
    async with sessions() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(notice_id)
        revision = await repo.correct(notice, note=note, **changes)
    text = correction_text(notice, zone)
    return await enqueue_wave(
        sessions,
        notice_id,
        wave=revision,
        make_reply=lambda member_id: Reply(text=text, buttons=buttons(notice, member_id)),
    )


async def cancel_notice(sessions: Sessions, notice_id: int, *, reason: str, zone: ZoneInfo) -> int:
    async with sessions() as s:
        repo = NoticesRepo(s)
        notice = await repo.require(notice_id)
        was_sent = NoticeStatus(notice.status).is_live
        await repo.cancel(notice, reason=reason)
    if not was_sent:
        return 0
    text = cancellation_text(notice, zone)
    return await enqueue_wave(
        sessions, notice_id, wave="cancel", make_reply=lambda _member_id: Reply(text=text)
    )


async def _live_plans(
    sessions: Sessions, *, rules: NoticeRules, zone: ZoneInfo, now: datetime
) -> list[tuple[Notice, PlannedReminder]]:
    """Every reminder of every live notice whose meeting is still ahead, soonest first."""
    async with sessions() as s:
        live = await NoticesRepo(s).list(
            statuses=[NoticeStatus.SENT, NoticeStatus.CORRECTED], starting_after=now, limit=500
        )
    plans = [
        (notice, plan)
        for notice in live
        for plan in plan_reminders(
            rules.reminders,
            notice_facts(notice),
            sent_at=notice.sent_at or notice.created_at,
            zone=zone,
        )
        # an unanswered-reminder is pointless once answers are closed
        if plan.kind != ReminderKind.UNANSWERED or now <= notice.reply_deadline
    ]
    return sorted(plans, key=lambda pair: pair[1].at)


async def next_reminder_at(
    sessions: Sessions, *, rules: NoticeRules, zone: ZoneInfo, now: datetime
) -> datetime | None:
    """When the next meeting reminder falls due (None: none planned); the scheduler's wake."""
    ahead = [plan.at for _, plan in await _live_plans(sessions, rules=rules, zone=zone, now=now)]
    return next((at for at in ahead if at > now), None)


async def send_due_reminders(
    sessions: Sessions,
    *,
    rules: NoticeRules,
    zone: ZoneInfo,
    now: datetime | None = None,
    buttons: Buttons = no_buttons,
) -> int:
    """One pass over live notices: queue every reminder whose time has come.

    Called by the scheduler (bot.notices.reminders) at each reminder's moment, every sweep
    and once at start; the outbox's dedupe keys make a repeated pass (or two processes)
    harmless, and the rows are the truth, not the scheduler's job store."""
    now = now or utcnow()
    added = 0
    for notice, plan in await _live_plans(sessions, rules=rules, zone=zone, now=now):
        if plan.at > now:
            break
        nid = int(notice.id or 0)
        async with sessions() as s:
            repo = NoticesRepo(s)
            targets = (
                await repo.unanswered_ids(nid)
                if plan.kind == ReminderKind.UNANSWERED
                else await repo.attending_ids(nid)
            )
        text = reminder_text(plan.kind, notice, zone)
        # Only the unanswered reminder offers the answer buttons.
        under = buttons if plan.kind == ReminderKind.UNANSWERED else no_buttons
        added += await enqueue_wave(
            sessions,
            nid,
            wave=f"remind:{plan.kind.value}",
            member_ids=targets,
            make_reply=_replies(text, under, notice),
        )
    return added


async def decide_leave_request(
    session: AsyncSession,
    notice: Notice,
    member_id: int,
    *,
    approve: bool,
    clerk: Member,
    catalogue: Catalogue,
    at: datetime,
) -> LeaveDecision:
    """A clerk approves or refuses a member's leave request (from chat or the console): the
    decision is recorded and audited, and the member is told through the outbox."""
    from bot.delivery_queue import enqueue_for_member

    decision = await NoticesRepo(session).decide_leave(
        notice, member_id, approve=approve, by=clerk.name
    )
    await Audit(session).record(
        "notice.leave_" + decision.value,
        actor=clerk,
        target=f"notice:{notice.id}",
        member=member_id,
    )
    await enqueue_for_member(
        session,
        member_id,
        Reply(text=catalogue.t(f"notices.leave_result_{decision.value}", title=notice.title)),
        dedupe_key=f"notice:{notice.id}:leave_result:{member_id}:{at.timestamp():.0f}",
        kind="notice_leave",
        ref=f"notice:{notice.id}:leave",
    )
    return decision
