"""Notice rules: periods, RSVP, leave, check-in and reminders, as a member or clerk meets them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.catalogue import CONFIG_DIR, catalogue
from bot.domain.local_times import format_local, parse_local_datetime
from bot.errors import ConfigError, UserError
from bot.notices.rules import (
    Answer,
    AnswerState,
    AttendanceMode,
    Audience,
    AudienceKind,
    CheckInRules,
    LeaveDecision,
    MeetingKind,
    NoticeFacts,
    NoticeRules,
    NoticeStatus,
    ReminderKind,
    ReminderRules,
    check_in,
    counts_by_answer,
    decide_leave,
    parse_kind,
    parse_mode,
    period_warning,
    plan_reminders,
    rsvp,
)

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 2, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def facts(
    *, mode: AttendanceMode = AttendanceMode.REQUIRED, status: NoticeStatus = NoticeStatus.SENT
) -> NoticeFacts:
    return NoticeFacts(
        id=1,
        status=status,
        mode=mode,
        starts_at=NOW + timedelta(days=8),
        ends_at=NOW + timedelta(days=8, hours=3),
        reply_deadline=NOW + timedelta(days=5),
        check_in_code="4821",
    )


def refused(key: str) -> pytest.RaisesContext[UserError]:
    return pytest.raises(UserError, match=f"^{key}$")


# --- configuration -----------------------------------------------------------------------


def test_shipped_rules_ask_seven_days_for_a_plenary_and_three_otherwise() -> None:
    rules = NoticeRules.load(CONFIG_DIR / "notices.toml")
    assert rules.period_days(MeetingKind.PLENARY) == 7
    assert rules.period_days(MeetingKind.STANDING) == 3
    assert rules.reminders.attending_day_before_at == time(9, 0)


@pytest.mark.parametrize(
    "text",
    [
        "[notice_period]\ndefault_dayz = 3\n",
        '[notice_period.days]\n"年会" = 3\n',
        "[notice_period]\ndefault_days = -1\n",
        "[reminders]\nattending_day_before_at = 'nine'\n",
        "[check_in]\ncode_length = 2\n",
        "colour = 'red'\n",
        "not toml [",
    ],
)
def test_bad_rules_file_fails_at_start(tmp_path: Path, text: str) -> None:
    path = tmp_path / "notices.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        NoticeRules.load(path)


def test_words_for_kinds_and_modes() -> None:
    assert parse_kind("全体会议") == MeetingKind.PLENARY
    assert parse_kind(" 双月协商座谈会 ") == MeetingKind.BIMONTHLY
    assert parse_kind("plenary") == MeetingKind.PLENARY
    assert parse_kind("茶话会") is None
    assert parse_mode("报名参加") == AttendanceMode.SIGNUP
    assert parse_mode("随便") is None


def test_every_kind_mode_answer_and_decision_has_a_chinese_label() -> None:
    cat = catalogue()
    for prefix, enum in (
        ("kind", MeetingKind),
        ("mode", AttendanceMode),
        ("answer", Answer),
        ("decision", LeaveDecision),
        ("status", NoticeStatus),
        ("audience", AudienceKind),
    ):
        for value in enum:
            assert f"notices.{prefix}.{value.value}" in cat


# --- notice period -----------------------------------------------------------------------


def test_plenary_six_days_ahead_warns_seven_days_does_not() -> None:
    rules = NoticeRules()
    sent = datetime(2025, 2, 20, 16, 0, tzinfo=UTC)  # 21 Feb 00:00 in Shanghai
    six = datetime(2025, 2, 27, 1, 0, tzinfo=UTC)  # 27 Feb 09:00 local
    warning = period_warning(rules, MeetingKind.PLENARY, sent_at=sent, starts_at=six, zone=ZONE)
    assert warning is not None and (warning.required_days, warning.actual_days) == (7, 6)
    text = catalogue().s("notices.period_warning", **warning.params())
    assert "7 天" in text and "6 天" in text
    seven = six + timedelta(days=1)
    assert (
        period_warning(rules, MeetingKind.PLENARY, sent_at=sent, starts_at=seven, zone=ZONE) is None
    )


def test_standing_committee_needs_three_days() -> None:
    rules = NoticeRules()
    start = NOW + timedelta(days=2)
    assert period_warning(rules, MeetingKind.STANDING, sent_at=NOW, starts_at=start, zone=ZONE)
    later = NOW + timedelta(days=3)
    assert (
        period_warning(rules, MeetingKind.STANDING, sent_at=NOW, starts_at=later, zone=ZONE) is None
    )


# --- answers -----------------------------------------------------------------------------


def test_attend_then_change_to_leave_before_deadline() -> None:
    first = rsvp(facts(), AnswerState(), Answer.ATTEND, reason=None, now=NOW)
    assert first.answer == Answer.ATTEND and first.changed
    second = rsvp(
        facts(),
        AnswerState(answer=Answer.ATTEND),
        Answer.LEAVE,
        reason="  出差  在外 ",
        now=NOW + timedelta(days=1),
    )
    assert second.leave_reason == "出差 在外"
    assert second.leave_decision == LeaveDecision.PENDING and second.needs_approval


def test_rsvp_after_the_deadline_is_refused() -> None:
    late = facts().reply_deadline + timedelta(seconds=1)
    with refused("notices.rsvp_closed"):
        rsvp(facts(), AnswerState(), Answer.ATTEND, reason=None, now=late)
    assert "截止" in catalogue().s("notices.rsvp_closed")


@pytest.mark.parametrize("reason", [None, "", "   ", "\n\t"])
def test_leave_without_reason_is_refused(reason: str | None) -> None:
    with refused("notices.leave_reason_required"):
        rsvp(facts(), AnswerState(), Answer.LEAVE, reason=reason, now=NOW)


def test_oversized_leave_reason_is_refused() -> None:
    with refused("notices.leave_reason_too_long"):
        rsvp(facts(), AnswerState(), Answer.LEAVE, reason="因" * 301, now=NOW)


def test_decline_is_refused_for_required_meetings_but_fine_for_signup() -> None:
    with refused("notices.decline_not_allowed"):
        rsvp(facts(), AnswerState(), Answer.DECLINE, reason=None, now=NOW)
    ok = rsvp(
        facts(mode=AttendanceMode.SIGNUP), AnswerState(), Answer.DECLINE, reason=None, now=NOW
    )
    assert ok.answer == Answer.DECLINE


def test_leave_for_signup_event_needs_no_approval() -> None:
    out = rsvp(facts(mode=AttendanceMode.SIGNUP), AnswerState(), Answer.LEAVE, reason="病", now=NOW)
    assert out.leave_decision == LeaveDecision.NOTED and not out.needs_approval


def test_same_leave_pressed_again_keeps_the_decision() -> None:
    approved = AnswerState(
        answer=Answer.LEAVE, leave_reason="出差", leave_decision=LeaveDecision.APPROVED
    )
    out = rsvp(facts(), approved, Answer.LEAVE, reason="出差", now=NOW)
    assert out.leave_decision == LeaveDecision.APPROVED and not out.changed


def test_cancelled_and_draft_notices_take_no_answers() -> None:
    with refused("notices.cancelled_already"):
        rsvp(
            facts(status=NoticeStatus.CANCELLED), AnswerState(), Answer.ATTEND, reason=None, now=NOW
        )
    with refused("notices.not_sent"):
        rsvp(facts(status=NoticeStatus.DRAFT), AnswerState(), Answer.ATTEND, reason=None, now=NOW)


def test_leave_decision_only_on_a_pending_request() -> None:
    pending = AnswerState(
        answer=Answer.LEAVE, leave_reason="病", leave_decision=LeaveDecision.PENDING
    )
    assert decide_leave(facts(), pending, approve=False) == LeaveDecision.DECLINED
    with refused("notices.leave_not_pending"):
        decide_leave(facts(), AnswerState(answer=Answer.ATTEND), approve=True)


def test_counts_by_answer() -> None:
    states = [
        AnswerState(),
        AnswerState(answer=Answer.ATTEND, checked_in_at=NOW),
        AnswerState(answer=Answer.LEAVE, leave_decision=LeaveDecision.PENDING),
        AnswerState(answer=Answer.LEAVE, leave_decision=LeaveDecision.APPROVED),
    ]
    counts = counts_by_answer(states)
    assert counts["unanswered"] == counts["attend"] == counts["checked_in"] == 1
    assert counts["leave_pending"] == counts["leave_approved"] == 1


# --- check-in ----------------------------------------------------------------------------


def test_check_in_window_and_code() -> None:
    rules = CheckInRules(opens_minutes_before=30, closes_minutes_after=30)
    notice = facts()
    with refused("notices.check_in_not_open"):
        check_in(rules, notice, AnswerState(), now=notice.starts_at - timedelta(minutes=31))
    assert check_in(rules, notice, AnswerState(), now=notice.starts_at, code="４８２１")
    with refused("notices.check_in_wrong_code"):
        check_in(rules, notice, AnswerState(), now=notice.starts_at, code="1234")
    # the meeting runs three hours: check-in stays open until its end
    assert check_in(rules, notice, AnswerState(), now=notice.starts_at + timedelta(hours=2))
    with refused("notices.check_in_closed"):
        check_in(rules, notice, AnswerState(), now=notice.starts_at + timedelta(hours=4))
    again = AnswerState(answer=Answer.ATTEND, checked_in_at=notice.starts_at)
    assert check_in(rules, notice, again, now=notice.starts_at) is False


# --- reminders ---------------------------------------------------------------------------


def test_reminders_before_deadline_and_the_day_before() -> None:
    plans = plan_reminders(ReminderRules(), facts(), sent_at=NOW, zone=ZONE)
    assert [p.kind for p in plans] == [ReminderKind.UNANSWERED, ReminderKind.DAY_BEFORE]
    assert plans[0].at == facts().reply_deadline - timedelta(hours=24)
    day_before = plans[1].at.astimezone(ZONE)
    assert (day_before.hour, day_before.date()) == (
        9,
        facts().starts_at.astimezone(ZONE).date() - timedelta(days=1),
    )
    assert plans[0].dedupe_key(1, 7) == "notice:1:remind:unanswered:member:7"


def test_reminders_already_past_at_sending_are_skipped() -> None:
    late_send = facts().reply_deadline - timedelta(hours=2)
    kinds = [p.kind for p in plan_reminders(ReminderRules(), facts(), sent_at=late_send, zone=ZONE)]
    assert kinds == [ReminderKind.DAY_BEFORE]


# --- audiences and times -----------------------------------------------------------------


def test_audience_specs_validate_and_round_trip() -> None:
    spec = Audience.parse_list(AudienceKind.SECTORS, "经济界、教育界，经济界")
    assert spec.values == ("经济界", "教育界")
    assert Audience.from_json(spec.to_json()) == spec
    with refused("notices.audience_empty"):
        Audience(AudienceKind.COMMITTEES, (" ",))
    with refused("notices.audience_one_group"):
        Audience(AudienceKind.READING_GROUP, ("甲", "乙"))
    with refused("notices.audience_no_values"):
        Audience(AudienceKind.ALL, ("张三",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01 09:00", datetime(2025, 3, 1, 9, 0, tzinfo=ZONE)),
        ("2025/3/1 9:05", datetime(2025, 3, 1, 9, 5, tzinfo=ZONE)),
        ("2025年3月1日 14：30", datetime(2025, 3, 1, 14, 30, tzinfo=ZONE)),
        ("3月1日下午2点", datetime(2025, 3, 1, 14, 0, tzinfo=ZONE)),
        ("3月1日上午9点半", datetime(2025, 3, 1, 9, 30, tzinfo=ZONE)),
        ("１月５日 ９:００", datetime(2026, 1, 5, 9, 0, tzinfo=ZONE)),
        ("3月1日", None),
        ("2025-02-30 09:00", None),
        ("3月1日 25:00", None),
        ("明天", None),
    ],
)
def test_local_datetimes(text: str, expected: datetime | None) -> None:
    assert parse_local_datetime(text, zone=ZONE, now=NOW) == expected


def test_format_local() -> None:
    assert format_local(datetime(2025, 3, 1, 1, 0, tzinfo=UTC), ZONE) == "2025年3月1日 09:00"
