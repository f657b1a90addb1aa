"""Reading-group operations shared by the chat handlers and the CLI: message texts for
reminders (with signed RSVP and check-in buttons) and change notices; changing a session,
cancelling it or one date of it, each telling the members who were to be reminded and
re-planning their reminders in the same transaction; calendar files.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.callbacks import Signer
from bot.catalogue import catalogue
from bot.errors import UserError
from bot.ics import CalendarEvent, ics_bytes, ics_file_name
from bot.reading.checkin import CheckinWindow, WindowState
from bot.reading.planner import replan_group
from bot.reading.recurrence import (
    Occurrence,
    ParsedSchedule,
    next_occurrence,
    occurrences,
    parse_phrase,
)
from bot.reading.reminders import ReminderInfo
from bot.text import Text
from bot.types import Button, OutDocument, Reply
from storage.outbox_batch import Draft, enqueue_batch
from storage.reading import ReadingRepo, schedule_of
from storage.tables import ReadingGroup, ReadingSession

__all__ = [
    "CHECKIN_WINDOW",
    "SessionChange",
    "cancel_occurrence",
    "cancel_session",
    "change_session",
    "compose_reminder",
    "find_occurrence",
    "fmt_local",
    "ics_for",
    "occurrences_on",
    "place_text",
    "session_time",
    "upcoming",
]

CHECKIN_WINDOW = CheckinWindow()


def fmt_local(when: datetime, zone: ZoneInfo) -> str:
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def place_text(row: ReadingSession) -> str:
    cat = catalogue()
    if row.place:
        return row.place
    return cat.s("reading.place_online") if row.online_link else cat.s("reading.place_unknown")


def upcoming(
    rows: list[ReadingSession],
    *,
    now: datetime,
    limit: int = 3,
    days: int = 62,
    skip: Collection[tuple[int, str]] = (),
) -> list[tuple[ReadingSession, Occurrence]]:
    """The next occurrences (not yet ended) of these sessions, soonest first, leaving out
    the dates in ``skip`` (``(session id, occurrence key)``: cancelled ones)."""
    found: list[tuple[ReadingSession, Occurrence]] = []
    for row in rows:
        schedule = schedule_of(row)
        if row.rule is None:
            occ = next_occurrence(schedule, now=now)
            found += [(row, occ)] if occ else []
        else:
            found += [
                (row, o)
                for o in occurrences(
                    schedule, since=now, until=now + timedelta(days=days), limit=limit + len(skip)
                )
            ]
    found = [(row, o) for row, o in found if (row.id, o.key) not in skip]
    found.sort(key=lambda pair: pair[1].start)
    return found[:limit]


def compose_reminder(info: ReminderInfo, *, zone: ZoneInfo, signer: Signer | None = None) -> Reply:
    """One reminder (session or plan nudge). With ``signer``, a session reminder carries
    参加/请假 buttons, and 打卡 when it arrives inside the check-in window, signed for its
    recipient and checked again on arrival like every /reading button."""
    cat = catalogue()
    if info.session is not None:
        row = info.session
        start = info.row.deadline  # the occurrence's start
        text = cat.t(
            "reading.reminder_session",
            group=info.group.name,
            title=row.title,
            when=fmt_local(start, zone),
            place=place_text(row),
            link=cat.s("reading.reminder_link", link=row.online_link) if row.online_link else "",
            agenda=cat.s("reading.reminder_agenda", agenda=row.agenda) if row.agenda else "",
        )
    else:
        assert info.item is not None
        text = cat.t(
            "reading.reminder_nudge",
            group=info.group.name,
            book=info.item.book,
            chapter=info.item.chapter,
            end=info.item.ends_on.isoformat(),
        )
    if info.late:
        text = text + cat.t("reading.reminder_late")
    buttons: tuple[tuple[Button, ...], ...] = ()
    if signer is not None and info.session is not None and info.row.occurrence_key:
        buttons = _reminder_buttons(info, signer)
    return Reply(text=text + cat.t("reading.reminder_footer"), buttons=buttons)


def _reminder_buttons(info: ReminderInfo, signer: Signer) -> tuple[tuple[Button, ...], ...]:
    cat = catalogue()
    subject = f"m{info.row.member_id}"
    args = (info.row.session_id or 0, info.row.occurrence_key or "")

    def button(label: str, action: str, *extra: str) -> Button:
        return Button(label=cat.t(label), action=signer.sign(subject, action, (*args, *extra)))

    rows: list[tuple[Button, ...]] = [
        (
            button("reading.btn_reminder_yes", "rd.rsvp", "yes"),
            button("reading.btn_reminder_no", "rd.rsvp", "no"),
        )
    ]
    assert info.session is not None
    start = info.row.deadline
    end = start + timedelta(minutes=info.session.duration_minutes)
    at = info.at or info.row.fire_at
    if CHECKIN_WINDOW.state(start=start, end=end, now=at) == WindowState.OPEN:
        rows.append((button("reading.btn_reminder_checkin", "rd.in"),))
    return tuple(rows)


def session_time(phrase: str, *, now: datetime, zone: ZoneInfo) -> tuple[ParsedSchedule, datetime]:
    """A typed phrase ("每月第二个星期四 19:30", "3月13日 19:30") → its schedule and first
    start; a one-off time already past is refused."""
    today = now.astimezone(zone).date()
    parsed = parse_phrase(phrase, today=today)
    start = parsed.first_start(today=today, zone=zone)
    if parsed.rule is None and start <= now:
        raise UserError("reading.when_past", when=fmt_local(start, zone))
    return parsed, start


def find_occurrence(row: ReadingSession, key: str, *, now: datetime) -> Occurrence | None:
    """The occurrence a button names, if the session really has it (past year to next)."""
    since = min(row.starts_at, now) - timedelta(days=1)
    found = occurrences(schedule_of(row), since=since, until=now + timedelta(days=400))
    return next((o for o in found if o.key == key), None)


def occurrences_on(row: ReadingSession, day: date, *, zone: ZoneInfo) -> list[Occurrence]:
    """The session's occurrences starting on this local date."""
    since = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    found = occurrences(schedule_of(row), since=since, until=since + timedelta(days=1))
    return [o for o in found if o.start.astimezone(zone).date() == day]


def ics_for(
    row: ReadingSession, occ: Occurrence, group: ReadingGroup, *, zone: ZoneInfo
) -> OutDocument:
    """The calendar file for one occurrence (stable UID per session and date)."""
    description = "\n".join(x for x in (group.theme, row.agenda, row.online_link) if x)
    event = CalendarEvent(
        uid=f"reading-{row.id}-{occ.key}@committee-bot",
        title=f"{group.name}：{row.title}",
        start=occ.start,
        end=occ.end,
        location=row.place or row.online_link,
        description=description,
        url=row.online_link,
        zone_name=zone.key,
        sequence=row.version,
        cancelled=row.cancelled_at is not None,
    )
    return OutDocument(
        file_name=ics_file_name(row.title, occ.start, zone_name=zone.key),
        content=ics_bytes(event),
        mime_type="text/calendar",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionChange:
    """What to change on a session; None keeps the current value."""

    schedule: ParsedSchedule | None = None
    starts_at: datetime | None = None  # the first start of ``schedule``
    phrase: str = ""
    place: str | None = None
    online_link: str | None = None
    agenda: str | None = None

    @property
    def empty(self) -> bool:
        return self.starts_at is None and all(
            v is None for v in (self.place, self.online_link, self.agenda)
        )


async def change_session(
    session: AsyncSession,
    row: ReadingSession,
    change: SessionChange,
    *,
    now: datetime,
    zone: ZoneInfo,
) -> int:
    """Move a session or change its place: re-plan once (reconcile cancels the reminders of
    the old time and plans the new ones; a place change keeps every reminder as it is) and
    tell each member who was to be reminded, once per change. Returns how many were told."""
    repo = ReadingRepo(session)
    assert row.id is not None
    told = await repo.reminded_members(row.id, now=now)
    if change.starts_at is not None:
        row.starts_at = change.starts_at
        row.rule = change.schedule.rule if change.schedule else row.rule
        row.rule_text = change.phrase[:128]
    if change.place is not None:
        row.place = change.place.strip()[:255]
    if change.online_link is not None:
        row.online_link = change.online_link.strip()[:500]
    if change.agenda is not None:
        row.agenda = change.agenda.strip()[:2000]
    await repo.touch_session(row, now=now)
    await replan_group(repo, row.group_id, now=now, zone=zone)
    nxt = next_occurrence(schedule_of(row), now=now)
    cat = catalogue()

    def text(group: ReadingGroup, _start: datetime) -> Text:
        return cat.t(
            "reading.session_changed",
            group=group.name,
            title=row.title,
            when=fmt_local(nxt.start, zone) if nxt else cat.s("reading.place_unknown"),
            place=place_text(row),
            link=cat.s("reading.reminder_link", link=row.online_link) if row.online_link else "",
        )

    return await _tell(session, row, told, text, key=f"change:s{row.id}:v{row.version}")


async def cancel_session(
    session: AsyncSession, row: ReadingSession, *, now: datetime, zone: ZoneInfo
) -> int:
    """Cancel a session; every member who was to be reminded of a coming date is told.
    Returns how many members were told (the notices commit with the cancellation)."""
    repo = ReadingRepo(session)
    assert row.id is not None
    told = await repo.reminded_members(row.id, now=now)
    row.cancelled_at = now
    await repo.touch_session(row, now=now)
    await replan_group(repo, row.group_id, now=now, zone=zone)
    return await _tell(
        session, row, told, _cancelled_text(row, zone), key=f"cancel:s{row.id}:v{row.version}"
    )


async def cancel_occurrence(
    session: AsyncSession,
    row: ReadingSession,
    occ: Occurrence,
    *,
    now: datetime,
    zone: ZoneInfo,
) -> int | None:
    """Cancel one date of a session (the rest of a series stays); its reminders are
    cancelled and the members who were to be reminded of that date are told. None when
    that date was already cancelled."""
    repo = ReadingRepo(session)
    assert row.id is not None
    stored = await repo.ensure_occurrence(row.id, occ)
    if stored.cancelled:
        return None
    told = {
        m: occ.start for m in await repo.reminded_members(row.id, now=now, occurrence_key=occ.key)
    }
    stored.cancelled = True
    await repo.save(stored)
    await replan_group(repo, row.group_id, now=now, zone=zone)
    return await _tell(
        session, row, told, _cancelled_text(row, zone), key=f"cancel:s{row.id}:{occ.key}"
    )


def _cancelled_text(
    row: ReadingSession, zone: ZoneInfo
) -> Callable[[ReadingGroup, datetime], Text]:
    def text(group: ReadingGroup, start: datetime) -> Text:
        return catalogue().t(
            "reading.session_cancelled",
            group=group.name,
            title=row.title,
            when=fmt_local(start, zone),
        )

    return text


async def _tell(
    session: AsyncSession,
    row: ReadingSession,
    members: dict[int, datetime],
    text: Callable[[ReadingGroup, datetime], Text],
    *,
    key: str,
) -> int:
    """One notice per member (``members``: member → the start it concerns), through the
    outbox, keyed so that the same change never notifies anyone twice."""
    group = await ReadingRepo(session).group(row.group_id)
    assert group is not None
    drafts = [
        Draft(
            member_id=member_id,
            reply=Reply(text=text(group, start)),
            dedupe_key=f"reading:{key}:m{member_id}",
            kind="reading",
            ref=f"reading:s{row.id}",
        )
        for member_id, start in sorted(members.items())
    ]
    await enqueue_batch(session, drafts)
    return len(drafts)
