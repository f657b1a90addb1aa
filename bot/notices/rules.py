"""Meeting notices: kinds, attendance modes, audiences, notice periods, RSVP and check-in rules.

Pure logic: no ORM, no platform. Storage hands in plain values (``NoticeFacts``,
``AnswerState``) and gets decisions back; a refusal is a ``UserError`` carrying a catalogue
key, so the same rule reads the same in chat and on the CLI.

An answer moves like this (``leave`` on a 必须参加 meeting waits for the secretariat)::

    (none) ──参加──► attend
      │  ──请假+reason──► leave ── pending ──► approved | declined   (必须参加)
      │                          └── noted                          (报名参加)
      └──不参加──► decline                                            (报名参加 only)

Any answer may be replaced by another until the reply deadline; none after it.
"""

from __future__ import annotations

import re
import secrets
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import ConfigError, UserError

__all__ = [
    "KIND_WORDS",
    "MODE_WORDS",
    "Answer",
    "AnswerState",
    "AttendanceMode",
    "Audience",
    "AudienceKind",
    "CheckInRules",
    "LeaveDecision",
    "MeetingKind",
    "NoticeFacts",
    "NoticeRules",
    "NoticeStatus",
    "PeriodWarning",
    "PlannedReminder",
    "ReminderKind",
    "ReminderRules",
    "RsvpOutcome",
    "check_in",
    "decide_leave",
    "new_check_in_code",
    "normalise_code",
    "parse_kind",
    "parse_mode",
    "period_warning",
    "plan_reminders",
    "rsvp",
]

MAX_LEAVE_REASON = 300
CHECK_IN_ALPHABET = "0123456789"


class MeetingKind(StrEnum):
    PLENARY = "plenary"  # 全体会议
    STANDING = "standing"  # 常委会议
    CHAIR = "chair"  # 主席会议
    BIMONTHLY = "bimonthly"  # 双月协商座谈会
    THEMATIC = "thematic"  # 专题议政
    INSPECTION = "inspection"  # 视察调研
    OTHER = "other"  # 其他活动


class AttendanceMode(StrEnum):
    REQUIRED = "required"  # 必须参加: leave needs approval
    SIGNUP = "signup"  # 报名参加: 不参加 is a fine answer


class Answer(StrEnum):
    ATTEND = "attend"  # 参加
    LEAVE = "leave"  # 请假
    DECLINE = "decline"  # 不参加


class LeaveDecision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    NOTED = "noted"  # 报名参加: nobody has to approve


class NoticeStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    CORRECTED = "corrected"
    CANCELLED = "cancelled"

    @property
    def is_live(self) -> bool:
        return self in (NoticeStatus.SENT, NoticeStatus.CORRECTED)


# Words accepted in notice files and in the guided flow (vocabulary, not sentences).
KIND_WORDS: dict[str, MeetingKind] = {
    "全体会议": MeetingKind.PLENARY,
    "全会": MeetingKind.PLENARY,
    "全体委员会议": MeetingKind.PLENARY,
    "常委会议": MeetingKind.STANDING,
    "常委会": MeetingKind.STANDING,
    "常务委员会议": MeetingKind.STANDING,
    "主席会议": MeetingKind.CHAIR,
    "双月协商座谈会": MeetingKind.BIMONTHLY,
    "双月协商": MeetingKind.BIMONTHLY,
    "专题议政": MeetingKind.THEMATIC,
    "专题议政会": MeetingKind.THEMATIC,
    "视察调研": MeetingKind.INSPECTION,
    "视察": MeetingKind.INSPECTION,
    "调研": MeetingKind.INSPECTION,
    "其他": MeetingKind.OTHER,
    "其他活动": MeetingKind.OTHER,
}
MODE_WORDS: dict[str, AttendanceMode] = {
    "必须参加": AttendanceMode.REQUIRED,
    "必须": AttendanceMode.REQUIRED,
    "应到": AttendanceMode.REQUIRED,
    "报名参加": AttendanceMode.SIGNUP,
    "报名": AttendanceMode.SIGNUP,
    "自愿报名": AttendanceMode.SIGNUP,
}


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def parse_kind(text: str) -> MeetingKind | None:
    word = _word(text)
    if word in MeetingKind._value2member_map_:
        return MeetingKind(word)
    return KIND_WORDS.get(word)


def parse_mode(text: str) -> AttendanceMode | None:
    word = _word(text)
    if word in AttendanceMode._value2member_map_:
        return AttendanceMode(word)
    return MODE_WORDS.get(word)


# --- audiences ---------------------------------------------------------------------------


class AudienceKind(StrEnum):
    ALL = "all"  # 全体委员
    STANDING = "standing"  # 常委
    SECTORS = "sectors"  # 一个或多个界别
    COMMITTEES = "committees"  # 一个或多个专委会
    READING_GROUP = "reading_group"  # 一个读书小组
    MEMBERS = "members"  # 指定委员 (names, or #id)


_NEEDS_VALUES = {
    AudienceKind.SECTORS,
    AudienceKind.COMMITTEES,
    AudienceKind.READING_GROUP,
    AudienceKind.MEMBERS,
}


@dataclass(frozen=True, slots=True)
class Audience:
    """Who a notice goes to; storage resolves it to member ids at send time."""

    kind: AudienceKind
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        cleaned = tuple(dict.fromkeys(v.strip() for v in self.values if v and v.strip()))
        object.__setattr__(self, "values", cleaned)
        if self.kind in _NEEDS_VALUES and not cleaned:
            raise UserError("notices.audience_empty", kind=self.kind.value)
        if self.kind == AudienceKind.READING_GROUP and len(cleaned) != 1:
            raise UserError("notices.audience_one_group")
        if self.kind not in _NEEDS_VALUES and cleaned:
            raise UserError("notices.audience_no_values", kind=self.kind.value)

    @classmethod
    def parse_list(cls, kind: AudienceKind, text: str) -> Audience:
        """Values typed in chat: separated by 、，, ; or spaces."""
        return cls(kind, tuple(re.split(r"[、,，;；\s]+", text.strip())))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "values": list(self.values)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Audience:
        return cls(AudienceKind(data["kind"]), tuple(str(v) for v in data.get("values", [])))


# --- configuration -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReminderRules:
    unanswered_hours_before_deadline: int = 24
    attending_day_before_at: time = time(9, 0)


@dataclass(frozen=True, slots=True)
class CheckInRules:
    opens_minutes_before: int = 60
    closes_minutes_after: int = 60
    code_length: int = 4


@dataclass(frozen=True, slots=True)
class NoticeRules:
    """``config/notices.toml``: notice periods per kind, reminders, check-in window."""

    default_days: int = 3
    days_by_kind: Mapping[MeetingKind, int] = field(
        default_factory=lambda: {MeetingKind.PLENARY: 7}
    )
    reminders: ReminderRules = ReminderRules()
    check_in: CheckInRules = CheckInRules()

    def period_days(self, kind: MeetingKind) -> int:
        return self.days_by_kind.get(kind, self.default_days)

    @classmethod
    def load(cls, path: Path) -> NoticeRules:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("config.file_not_toml", path=path, reason=exc) from None
        return cls.from_mapping(data, where=str(path))

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], *, where: str = "config/notices.toml"
    ) -> NoticeRules:
        _only(data, {"notice_period", "reminders", "check_in"}, where)
        period = data.get("notice_period", {})
        _only(period, {"default_days", "days"}, f"{where} [notice_period]")
        days: dict[MeetingKind, int] = {}
        for name, value in period.get("days", {}).items():
            kind = parse_kind(name)
            if kind is None:
                raise ConfigError("config.notices_unknown_kind", where=where, name=name)
            days[kind] = _count(value, f"{where} notice_period.days.{name}")
        rem = data.get("reminders", {})
        _only(rem, {"unanswered_hours_before_deadline", "attending_day_before_at"}, where)
        at = rem.get("attending_day_before_at", "09:00")
        try:
            at_time = time.fromisoformat(str(at))
        except ValueError:
            raise ConfigError(
                "config.file_bad_time", where=f"{where} reminders.attending_day_before_at"
            ) from None
        chk = data.get("check_in", {})
        _only(chk, {"opens_minutes_before", "closes_minutes_after", "code_length"}, where)
        code_length = _count(chk.get("code_length", 4), f"{where} check_in.code_length")
        if not 4 <= code_length <= 8:
            raise ConfigError("config.notices_code_length", where=where)
        return cls(
            default_days=_count(period.get("default_days", 3), f"{where} default_days"),
            days_by_kind=days if "days" in period else {MeetingKind.PLENARY: 7},
            reminders=ReminderRules(
                unanswered_hours_before_deadline=_count(
                    rem.get("unanswered_hours_before_deadline", 24),
                    f"{where} reminders.unanswered_hours_before_deadline",
                ),
                attending_day_before_at=at_time,
            ),
            check_in=CheckInRules(
                opens_minutes_before=_count(
                    chk.get("opens_minutes_before", 60), f"{where} check_in.opens_minutes_before"
                ),
                closes_minutes_after=_count(
                    chk.get("closes_minutes_after", 60), f"{where} check_in.closes_minutes_after"
                ),
                code_length=code_length,
            ),
        )


def _only(data: Any, allowed: set[str], where: str) -> None:
    if not isinstance(data, Mapping):
        raise ConfigError("config.file_not_table", where=where)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError("config.file_unknown_option", where=where, name=unknown[0])


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError("config.file_not_count", where=where)
    return value


# --- notice period -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodWarning:
    """The notice goes out later than the committee's rule asks (e.g. 7 days for a plenary)."""

    kind: MeetingKind
    required_days: int
    actual_days: int

    def params(self) -> dict[str, Any]:
        return {"required": self.required_days, "actual": self.actual_days}


def period_warning(
    rules: NoticeRules, kind: MeetingKind, *, sent_at: datetime, starts_at: datetime, zone: ZoneInfo
) -> PeriodWarning | None:
    """Counts calendar days in the committee's zone: a Monday notice for a Monday meeting a
    week later is 7 days, whatever the hour."""
    required = rules.period_days(kind)
    actual = (starts_at.astimezone(zone).date() - sent_at.astimezone(zone).date()).days
    if actual >= required:
        return None
    return PeriodWarning(kind=kind, required_days=required, actual_days=max(actual, 0))


# --- answers -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoticeFacts:
    """What the rules need to know about a notice."""

    id: int
    status: NoticeStatus
    mode: AttendanceMode
    starts_at: datetime
    reply_deadline: datetime
    ends_at: datetime | None = None
    check_in_code: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerState:
    """A recipient's current answer (all None before the first answer)."""

    answer: Answer | None = None
    leave_reason: str | None = None
    leave_decision: LeaveDecision | None = None
    checked_in_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RsvpOutcome:
    answer: Answer
    leave_reason: str | None
    leave_decision: LeaveDecision | None
    changed: bool
    needs_approval: bool  # tell the secretariat: a 必须参加 leave request waits


def _live(notice: NoticeFacts) -> None:
    if notice.status == NoticeStatus.CANCELLED:
        raise UserError("notices.cancelled_already")
    if not notice.status.is_live:
        raise UserError("notices.not_sent")


def rsvp(
    notice: NoticeFacts,
    current: AnswerState,
    answer: Answer,
    *,
    reason: str | None,
    now: datetime,
) -> RsvpOutcome:
    """The new answer, or a refusal (after the deadline, leave without reason, 不参加 for a
    必须参加 meeting)."""
    _live(notice)
    if now > notice.reply_deadline:
        raise UserError("notices.rsvp_closed")
    if answer == Answer.DECLINE and notice.mode == AttendanceMode.REQUIRED:
        raise UserError("notices.decline_not_allowed")
    clean_reason: str | None = None
    decision: LeaveDecision | None = None
    if answer == Answer.LEAVE:
        clean_reason = " ".join((reason or "").split())
        if not clean_reason:
            raise UserError("notices.leave_reason_required")
        if len(clean_reason) > MAX_LEAVE_REASON:
            raise UserError("notices.leave_reason_too_long", limit=MAX_LEAVE_REASON)
        decision = (
            LeaveDecision.PENDING if notice.mode == AttendanceMode.REQUIRED else LeaveDecision.NOTED
        )
        same = current.answer == Answer.LEAVE and current.leave_reason == clean_reason
        if same:  # pressing twice must not re-open a decided request
            decision = current.leave_decision or decision
    changed = (current.answer, current.leave_reason) != (answer, clean_reason)
    return RsvpOutcome(
        answer=answer,
        leave_reason=clean_reason,
        leave_decision=decision,
        changed=changed,
        needs_approval=changed and decision == LeaveDecision.PENDING,
    )


def decide_leave(notice: NoticeFacts, current: AnswerState, *, approve: bool) -> LeaveDecision:
    """The secretariat's decision on a pending leave request."""
    if notice.status == NoticeStatus.CANCELLED:
        raise UserError("notices.cancelled_already")
    if current.answer != Answer.LEAVE or current.leave_decision != LeaveDecision.PENDING:
        raise UserError("notices.leave_not_pending")
    return LeaveDecision.APPROVED if approve else LeaveDecision.DECLINED


# --- check-in ----------------------------------------------------------------------------


def new_check_in_code(length: int = 4) -> str:
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """Full-width digits and stray spaces from a phone keyboard become plain digits."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def check_in_window(rules: CheckInRules, notice: NoticeFacts) -> tuple[datetime, datetime]:
    opens = notice.starts_at - timedelta(minutes=rules.opens_minutes_before)
    closes = notice.starts_at + timedelta(minutes=rules.closes_minutes_after)
    if notice.ends_at is not None:
        closes = max(closes, notice.ends_at)
    return opens, closes


def check_in(
    rules: CheckInRules,
    notice: NoticeFacts,
    current: AnswerState,
    *,
    now: datetime,
    code: str | None = None,
) -> bool:
    """True when this check-in is new, False when the member had already checked in.

    ``code`` is None for the button; a typed code must match the notice's code."""
    _live(notice)
    opens, closes = check_in_window(rules, notice)
    if now < opens:
        raise UserError("notices.check_in_not_open")
    if now > closes:
        raise UserError("notices.check_in_closed")
    if code is not None and (
        not notice.check_in_code or normalise_code(code) != notice.check_in_code
    ):
        raise UserError("notices.check_in_wrong_code")
    return current.checked_in_at is None


# --- reminders ---------------------------------------------------------------------------


class ReminderKind(StrEnum):
    UNANSWERED = "unanswered"  # before the reply deadline, to those who have not answered
    DAY_BEFORE = "day_before"  # the day before the meeting, to those attending


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    kind: ReminderKind
    at: datetime

    def dedupe_key(self, notice_id: int, member_id: int) -> str:
        return f"notice:{notice_id}:remind:{self.kind.value}:member:{member_id}"


def plan_reminders(
    rules: ReminderRules, notice: NoticeFacts, *, sent_at: datetime, zone: ZoneInfo
) -> list[PlannedReminder]:
    """Reminders still worth sending; a time already past at sending is skipped rather than
    fired at once on top of the notice itself."""
    plans: list[PlannedReminder] = []
    unanswered_at = notice.reply_deadline - timedelta(hours=rules.unanswered_hours_before_deadline)
    if rules.unanswered_hours_before_deadline and unanswered_at > sent_at:
        plans.append(PlannedReminder(ReminderKind.UNANSWERED, unanswered_at))
    meeting_day: date = notice.starts_at.astimezone(zone).date()
    day_before = datetime.combine(
        meeting_day - timedelta(days=1), rules.attending_day_before_at, tzinfo=zone
    )
    if sent_at < day_before < notice.starts_at:
        plans.append(PlannedReminder(ReminderKind.DAY_BEFORE, day_before))
    return sorted(plans, key=lambda p: p.at)


def counts_by_answer(states: Iterable[AnswerState]) -> dict[str, int]:
    """Attendance figures from answers: keys attend, leave_pending, leave_approved,
    leave_declined, leave_noted, decline, unanswered, checked_in."""
    out = dict.fromkeys(
        (
            "attend",
            "leave_pending",
            "leave_approved",
            "leave_declined",
            "leave_noted",
            "decline",
            "unanswered",
            "checked_in",
        ),
        0,
    )
    for s in states:
        if s.answer is None:
            out["unanswered"] += 1
        elif s.answer == Answer.LEAVE:
            out[f"leave_{(s.leave_decision or LeaveDecision.PENDING).value}"] += 1
        else:
            out[s.answer.value] += 1
        if s.checked_in_at is not None:
            out["checked_in"] += 1
    return out
