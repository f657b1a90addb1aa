"""Reminder planning: offsets, quiet hours, who gets none, keys, late policy, reconciling."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.reading.recurrence import Schedule, occurrences
from bot.reading.reminder_plan import (
    KnownRow,
    Offset,
    PlanPeriod,
    QuietHours,
    Recipient,
    ReminderState,
    SessionSlot,
    Verdict,
    parse_offsets,
    plan_group,
    reconcile,
    verdict,
)

SH = ZoneInfo("Asia/Shanghai")
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def _slot(start: datetime, *, session_id: int = 1, cancelled: bool = False) -> SessionSlot:
    occ = occurrences(
        Schedule(start=start, duration=timedelta(hours=2)),
        since=start - timedelta(days=1),
        until=start + timedelta(days=1),
    )[0]
    return SessionSlot(session_id=session_id, occurrence=occ, cancelled=cancelled)


def _member(member_id: int, **kw: object) -> Recipient:
    return Recipient(member_id=member_id, joined_at=kw.pop("joined_at", LONG_AGO), **kw)  # type: ignore[arg-type]


def _plan(slots, recipients, offsets=("1d@20:00", "1h"), periods=(), quiet=None):  # type: ignore[no-untyped-def]
    return plan_group(
        group_id=7,
        slots=slots,
        periods=periods,
        recipients=recipients,
        offsets=parse_offsets(offsets),
        zone=SH,
        quiet=quiet,
    )


def _local_times(planned) -> list[datetime]:  # type: ignore[no-untyped-def]
    return [p.fire_at.astimezone(SH).replace(tzinfo=None) for p in planned]


def test_default_offsets_are_the_evening_before_and_one_hour_before() -> None:
    planned = _plan([_slot(_local(2025, 3, 13, 19, 30))], [_member(1)])
    assert _local_times(planned) == [datetime(2025, 3, 12, 20, 0), datetime(2025, 3, 13, 18, 30)]
    assert [p.key for p in planned] == [
        "reading:s1:20250313T1930:m1:1d@20:00",
        "reading:s1:20250313T1930:m1:1h",
    ]
    assert all(p.deadline == datetime(2025, 3, 13, 11, 30, tzinfo=UTC) for p in planned)


def test_keys_are_deterministic_and_unique_per_member_and_offset() -> None:
    slots = [_slot(_local(2025, 3, 13, 19, 30)), _slot(_local(2025, 3, 20, 19, 30), session_id=2)]
    people = [_member(i) for i in range(1, 51)]
    first = _plan(slots, people)
    again = _plan(slots, list(reversed(people)))
    assert [p.key for p in first] == [p.key for p in again]
    assert len({p.key for p in first}) == len(first) == 2 * 2 * 50


def test_offsets_are_canonical_so_60m_and_1h_are_one_reminder() -> None:
    assert Offset.parse("60m").code == Offset.parse("1h").code == "1h"
    assert Offset.parse("2h30m").code == "2h30m"
    assert Offset.parse(" 1d@8:00 ").code == "1d@08:00"
    assert [o.code for o in parse_offsets(["1h", "60m", "30m"])] == ["1h", "30m"]


@pytest.mark.parametrize("bad", ["", "1x", "0m", "3m", "8d@20:00", "1d@25:00", "9999h", "1h;drop"])
def test_bad_offsets_are_refused(bad: str) -> None:
    with pytest.raises(UserError) as err:
        Offset.parse(bad)
    assert err.value.key == "reading.offset_invalid"


def test_morning_reminder_in_quiet_hours_moves_to_seven() -> None:
    planned = _plan([_slot(_local(2025, 3, 13, 7, 40))], [_member(1)])
    assert _local_times(planned) == [datetime(2025, 3, 12, 20, 0), datetime(2025, 3, 13, 7, 0)]


def test_quiet_reminder_moves_back_to_22_when_seven_is_too_late() -> None:
    planned = _plan([_slot(_local(2025, 3, 13, 7, 0))], [_member(1)])
    assert _local_times(planned) == [datetime(2025, 3, 12, 20, 0), datetime(2025, 3, 12, 22, 0)]


def test_a_session_inside_quiet_hours_is_reminded_then() -> None:
    planned = _plan([_slot(_local(2025, 3, 13, 23, 0))], [_member(1)], offsets=("30m",))
    assert _local_times(planned) == [datetime(2025, 3, 13, 22, 30)]


def test_two_offsets_moved_to_the_same_moment_remind_once() -> None:
    planned = _plan([_slot(_local(2025, 3, 13, 7, 20))], [_member(1)], offsets=("1h", "2h"))
    assert _local_times(planned) == [datetime(2025, 3, 13, 7, 0)]


def test_quiet_hours_boundaries_are_allowed() -> None:
    quiet = QuietHours()
    assert not quiet.contains(time(22, 0)) and not quiet.contains(time(7, 0))
    assert (
        quiet.contains(time(22, 1)) and quiet.contains(time(0, 0)) and quiet.contains(time(6, 59))
    )
    daytime = QuietHours(start=time(12), end=time(14))
    assert daytime.contains(time(13)) and not daytime.contains(time(15))


def test_muted_left_and_declined_members_get_none() -> None:
    slot = _slot(_local(2025, 3, 13, 19, 30))
    people = [
        _member(1),
        _member(2, muted=True),
        _member(3, left_at=datetime(2025, 3, 1, tzinfo=UTC)),
        _member(4, declined=frozenset({f"1:{slot.occurrence.key}"})),
        _member(5, declined=frozenset({"2:" + slot.occurrence.key})),  # another session
    ]
    assert {p.member_id for p in _plan([slot], people)} == {1, 5}


def test_a_member_who_joins_late_gets_only_the_reminders_still_ahead() -> None:
    joined = _local(2025, 3, 13, 9, 0).astimezone(UTC)
    planned = _plan([_slot(_local(2025, 3, 13, 19, 30))], [_member(1, joined_at=joined)])
    assert [p.offset for p in planned] == ["1h"]


def test_a_cancelled_occurrence_gets_none() -> None:
    assert _plan([_slot(_local(2025, 3, 13, 19, 30), cancelled=True)], [_member(1)]) == []


def test_a_new_plan_period_nudges_at_nine_until_the_period_ends() -> None:
    period = PlanPeriod(item_id=3, starts_on=date(2025, 4, 1), ends_on=date(2025, 4, 30))
    planned = _plan([], [_member(1), _member(2, muted=True)], periods=[period])
    assert [(p.kind, p.key) for p in planned] == [("nudge", "reading:n3:m1")]
    assert _local_times(planned) == [datetime(2025, 4, 1, 9, 0)]
    assert planned[0].deadline == _local(2025, 5, 1).astimezone(UTC)


FIRE = datetime(2025, 3, 13, 10, 30, tzinfo=UTC)
START = datetime(2025, 3, 13, 11, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (FIRE - timedelta(seconds=1), Verdict.WAIT),
        (FIRE, Verdict.SEND),
        (FIRE + timedelta(minutes=2), Verdict.SEND),
        (FIRE + timedelta(minutes=2, seconds=1), Verdict.LATE),
        (START - timedelta(seconds=1), Verdict.LATE),
        (START, Verdict.DROP),
        (START + timedelta(days=3), Verdict.DROP),
    ],
)
def test_late_but_before_start_is_sent_marked_late_and_after_start_dropped(
    now: datetime, expected: Verdict
) -> None:
    assert verdict(fire_at=FIRE, deadline=START, now=now) == expected


def _known(state: ReminderState, deadline: datetime = START) -> KnownRow:
    return KnownRow(state=state, deadline=deadline)


def test_reconcile_adds_new_keeps_existing_and_never_resends() -> None:
    planned = _plan([_slot(_local(2025, 3, 13, 19, 30))], [_member(1), _member(2)])
    now = datetime(2025, 3, 1, tzinfo=UTC)
    first = reconcile(planned, {}, now=now)
    assert len(first.add) == 4 and first.cancel == [] and first.revive == []
    known = {p.key: _known(ReminderState.PLANNED) for p in planned}
    known[planned[0].key] = _known(ReminderState.SENT)
    again = reconcile(planned, known, now=now)
    assert again.add == [] and again.cancel == [] and again.revive == []


def test_reconcile_keeps_a_pending_row_whose_moment_passed_for_the_late_policy() -> None:
    planned = _plan([_slot(_local(2025, 3, 13, 19, 30))], [_member(1)])
    after_both = datetime(2025, 3, 13, 11, 0, tzinfo=UTC)  # 19:00 local
    known = {p.key: _known(ReminderState.PLANNED) for p in planned}
    diff = reconcile(planned, known, now=after_both)
    assert diff.add == [] and diff.cancel == []
    # the same reminders never written before are not added this late
    assert reconcile(planned, {}, now=after_both).add == []


def test_reconcile_cancels_rows_of_members_who_left_and_revives_unmuted() -> None:
    slot = _slot(_local(2025, 3, 13, 19, 30))
    now = datetime(2025, 3, 1, tzinfo=UTC)
    before = _plan([slot], [_member(1), _member(2)])
    known = {p.key: _known(ReminderState.PLANNED) for p in before}
    after = _plan([slot], [_member(1), _member(2, left_at=now)])
    diff = reconcile(after, known, now=now)
    assert diff.cancel == sorted(p.key for p in before if p.member_id == 2)
    known.update({k: _known(ReminderState.CANCELLED) for k in diff.cancel})
    back = reconcile(before, known, now=now)
    assert sorted(p.key for p in back.revive) == diff.cancel


def test_reconcile_leaves_rows_whose_session_started_to_the_due_pass() -> None:
    known = {"reading:s1:x:m1:1h": _known(ReminderState.PLANNED, deadline=START)}
    assert reconcile([], known, now=START + timedelta(minutes=1)).cancel == []
    assert reconcile([], known, now=START - timedelta(minutes=1)).cancel == ["reading:s1:x:m1:1h"]
