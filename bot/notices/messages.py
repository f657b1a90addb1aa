"""What a notice says: the notice itself, corrections, cancellations, reminders, progress.

Every sentence comes from ``config/messages/notices.toml``; titles, places, agendas and
reasons are parameters, so the renderer escapes them for the channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.catalogue import catalogue, t
from bot.domain.local_times import format_local
from bot.notices.rules import Answer, ReminderKind
from bot.text import Text
from storage.notices import AttendanceCounts
from storage.tables import Notice, NoticeRecipient

__all__ = [
    "NEVER_VERIFIED",
    "REPORT_LIMIT",
    "answer_text",
    "cancellation_text",
    "correction_text",
    "counts_text",
    "notice_text",
    "progress_text",
    "reminder_text",
    "report_text",
    "unreachable_reason_key",
]

NEVER_VERIFIED = "never_verified"
# Words the delivery service's errors use for a member who cannot be reached at all.
_BLOCKED_WORDS = ("block", "403", "deactivated", "chat not found", "kicked", "unreachable")
# The final report lists this many unreachable members in chat; the export has them all.
REPORT_LIMIT = 30


def _when(notice: Notice, zone: ZoneInfo) -> str:
    start = format_local(notice.starts_at, zone)
    if notice.ends_at is None:
        return start
    end = notice.ends_at.astimezone(zone)
    same_day = end.date() == notice.starts_at.astimezone(zone).date()
    return catalogue().s(
        "notices.body_end", when=start, end=f"{end:%H:%M}" if same_day else format_local(end, zone)
    )


def notice_text(notice: Notice, zone: ZoneInfo) -> Text:
    cat = catalogue()
    text = t(
        "notices.body",
        kind=cat.s(f"notices.kind.{notice.kind}"),
        title=notice.title,
        when=_when(notice, zone),
        place=notice.place,
        mode=cat.s(f"notices.mode.{notice.mode}"),
        deadline=format_local(notice.reply_deadline, zone),
    )
    if notice.agenda:
        text += t("notices.body_agenda", agenda=notice.agenda)
    if notice.attachment_name:
        text += t("notices.body_attachment", name=notice.attachment_name)
    return text


def correction_text(notice: Notice, zone: ZoneInfo) -> Text:
    return t("notices.correction", note=notice.correction_note) + "\n\n" + notice_text(notice, zone)


def cancellation_text(notice: Notice, zone: ZoneInfo) -> Text:
    return t(
        "notices.cancellation",
        title=notice.title,
        when=format_local(notice.starts_at, zone),
        reason=notice.cancel_reason,
    )


def reminder_text(kind: ReminderKind, notice: Notice, zone: ZoneInfo) -> Text:
    return t(
        f"notices.remind_{kind.value}",
        title=notice.title,
        deadline=format_local(notice.reply_deadline, zone),
        when=format_local(notice.starts_at, zone),
        place=notice.place,
    )


def answer_text(row: NoticeRecipient | None) -> Text:
    """The member's own answer, shown under the notice in /notices."""
    cat = catalogue()
    if row is None or row.answer is None:
        return t("notices.your_answer", answer=cat.s("notices.answer.none"))
    if row.answer == Answer.LEAVE.value:
        return t(
            "notices.your_leave",
            reason=row.leave_reason or "",
            decision=cat.s(f"notices.decision.{row.leave_decision or 'pending'}"),
        )
    return t("notices.your_answer", answer=cat.s(f"notices.answer.{row.answer}"))


def progress_text(title: str, *, sent: int, total: int, failed: int, done: bool) -> Text:
    key = "notices.progress_done" if done else "notices.progress"
    return t(key, title=title, sent=f"{sent:,}", total=f"{total:,}", failed=f"{failed:,}")


def report_text(unreachable: Sequence[tuple[str, str, str]]) -> Text:
    """``(name, sector, reason key)`` of members the notice did not reach."""
    if not unreachable:
        return Text.plain("")
    text = t("notices.report_header")
    for name, sector, reason in unreachable[:REPORT_LIMIT]:
        text += t("notices.report_line", name=name, sector=sector or "—", reason=t(reason))
    if len(unreachable) > REPORT_LIMIT:
        text += t("notices.report_more", count=len(unreachable) - REPORT_LIMIT)
    return text


def unreachable_reason_key(error: str | None) -> str:
    """Why a member was not reached, as a catalogue key: never verified, blocked, failed."""
    if error == NEVER_VERIFIED:
        return "notices.reason_never_verified"
    if error and any(word in error.lower() for word in _BLOCKED_WORDS):
        return "notices.reason_blocked"
    return "notices.reason_failed"


def counts_text(title: str, counts: AttendanceCounts) -> Text:
    a = counts.answers
    leave = a["leave_pending"] + a["leave_approved"] + a["leave_declined"] + a["leave_noted"]
    return t(
        "notices.counts",
        title=title,
        recipients=counts.recipients,
        attend=a["attend"],
        leave=leave,
        leave_pending=a["leave_pending"],
        decline=a["decline"],
        unanswered=a["unanswered"],
        checked_in=a["checked_in"],
    ) + t(
        "notices.counts_delivery",
        sent=counts.delivery.get("sent", 0),
        pending=counts.delivery.get("pending", 0),
        unreachable=counts.delivery.get("unreachable", 0),
    )
