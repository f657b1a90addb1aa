"""会议通知: the secretariat composes and sends, members answer, check in and see their meetings.

Member buttons under a notice (signed for that member and that notice, checked again here):
``notice.attend`` / ``notice.leave`` (asks for a reason) / ``notice.decline`` (报名参加 only),
``notice.checkin``, ``notice.ics``. Secretariat: ``/notice`` (guided, preview before
sending), ``/attendance``, leave approval buttons, a progress button that edits in place.

```mermaid
flowchart LR
  kind --> title --> start --> end --> place --> agenda --> mode --> deadline
  deadline --> attachment --> audience -->|界别/专委会/小组/指定| values --> confirm
  audience -->|全体/常委| confirm
  confirm -->|确认发送| sent
  confirm -->|先不发送| kept
```
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from bot.callbacks import Signer
from bot.catalogue import Catalogue
from bot.context import Context
from bot.domain.local_times import format_local, parse_local_datetime
from bot.domain.notice_file import (
    MAX_AGENDA,
    MAX_PLACE,
    MAX_TITLE,
    NoticeDraft,
    draft_problems,
)
from bot.domain.notices import (
    MAX_LEAVE_REASON,
    Answer,
    AttendanceMode,
    Audience,
    AudienceKind,
    MeetingKind,
    NoticeStatus,
    check_in_window,
    normalise_code,
    rsvp,
)
from bot.domain.roles import Role, parse_roles
from bot.errors import UserError
from bot.flows import Choice, Flow, Step
from bot.ics import CalendarEvent, ics_bytes, ics_file_name
from bot.notice_broadcast import same_session
from bot.notice_messages import answer_text, counts_text
from bot.notice_progress import StatusButtons, open_status_message, status_text
from bot.notices_service import (
    Buttons,
    cancel_notice,
    correct_notice,
    create_notice,
    notice_rules,
    preview,
    send_notice,
)
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Button, InDocument, OutDocument, Reply
from storage.notices_repo import NoticesRepo, answer_state, notice_facts
from storage.tables import Conversation, Member, Notice

__all__ = ["answer_buttons", "meeting_ics", "router", "status_buttons"]

router = Router("notices")


# --- buttons under a notice ------------------------------------------------------------


def answer_buttons(signer: Signer, cat: Catalogue) -> Buttons:
    """Signed answer buttons for one member under one notice (used by the CLI too)."""

    def build(notice: Notice, member_id: int) -> tuple[tuple[Button, ...], ...]:
        subject = f"m{member_id}"
        nid = int(notice.id or 0)

        def button(label: str, action: str) -> Button:
            return Button(label=cat.t(label), action=signer.sign(subject, action, (nid,)))

        row = [
            button("notices.btn_attend", "notice.attend"),
            button("notices.btn_leave", "notice.leave"),
        ]
        if notice.mode == AttendanceMode.SIGNUP:
            row.append(button("notices.btn_decline", "notice.decline"))
        return (tuple(row), (button("notices.btn_ics", "notice.ics"),))

    return build


def status_buttons(signer: Signer, cat: Catalogue) -> StatusButtons:
    """The buttons under a notice's status message, for the clerk who sent it."""

    def build(notice: Notice) -> tuple[tuple[Button, ...], ...]:
        subject = f"m{notice.created_by_member_id}"
        nid = int(notice.id or 0)

        def button(label: str, action: str) -> Button:
            return Button(label=cat.t(label), action=signer.sign(subject, action, (nid,)))

        rows = [(button("notices.btn_progress", "notice.progress"),)]
        rows[0] += (button("notices.btn_counts", "notice.counts"),)
        if NoticeStatus(notice.status).is_live:
            rows.append(
                (
                    button("notices.btn_correct", "notice.correct"),
                    button("notices.btn_cancel", "notice.cancel"),
                )
            )
        return tuple(rows)

    return build


def _buttons(ctx: Context) -> Buttons:
    return answer_buttons(ctx.services.signer, ctx.services.catalogue)


async def _notice_from_args(ctx: Context) -> Notice:
    """The notice a button names; the signature already tied it to this member."""
    if not ctx.args or not ctx.args[0].isdigit():
        raise UserError("core.button_forged")
    return await NoticesRepo(ctx.session).require(int(ctx.args[0]))


def _member_id(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id


# --- member answers ----------------------------------------------------------------------


async def _answer(ctx: Context, answer: Answer) -> Reply:
    notice = await _notice_from_args(ctx)
    await NoticesRepo(ctx.session).answer(notice, _member_id(ctx), answer, now=ctx.now())
    return ctx.reply(
        f"notices.answered_{answer.value}",
        title=notice.title,
        deadline=format_local(notice.reply_deadline, ctx.settings.zone),
    )


@router.action("notice.attend")
async def attend(ctx: Context) -> Reply:
    """参加."""
    return await _answer(ctx, Answer.ATTEND)


@router.action("notice.decline")
async def decline(ctx: Context) -> Reply:
    """不参加 (refused for 必须参加 meetings)."""
    return await _answer(ctx, Answer.DECLINE)


@router.action("notice.leave")
async def leave(ctx: Context) -> list[Reply]:
    """请假: checks the notice still takes answers, then asks for the reason."""
    notice = await _notice_from_args(ctx)
    repo = NoticesRepo(ctx.session)
    row = await repo.recipient(int(notice.id or 0), _member_id(ctx))
    if row is None:
        raise UserError("notices.not_recipient")
    # Refuse a closed or cancelled notice now rather than after the member wrote a reason.
    rsvp(notice_facts(notice), answer_state(row), Answer.LEAVE, reason="-", now=ctx.now())
    return await ctx.begin(LEAVE_FLOW, {"notice_id": notice.id, "title": notice.title})


async def _leave_done(ctx: Context, conversation: Conversation) -> Reply:
    """Stores the request; a 必须参加 meeting's request goes to the secretariat."""
    repo = NoticesRepo(ctx.session)
    notice = await repo.require(int(conversation.data["notice_id"]))
    member = ctx.member
    assert member is not None and member.id is not None
    outcome = await repo.answer(
        notice, member.id, Answer.LEAVE, reason=conversation.data["reason"], now=ctx.now()
    )
    if not outcome.needs_approval:
        return ctx.reply("notices.leave_noted")
    for person in await _staff(ctx):
        assert person.id is not None
        await ctx.notify(
            person.id,
            lambda rid, n=notice, m=member: Reply(
                text=ctx.t(
                    "notices.leave_for_staff",
                    title=n.title,
                    when=format_local(n.starts_at, ctx.settings.zone),
                    name=m.name,
                    sector=m.sector,
                    reason=outcome.leave_reason,
                ),
                buttons=(
                    (
                        ctx.button_for(
                            rid, "notices.btn_approve", "notice.leave_ok", n.id or 0, m.id or 0
                        ),
                        ctx.button_for(
                            rid, "notices.btn_reject", "notice.leave_no", n.id or 0, m.id or 0
                        ),
                    ),
                ),
            ),
            dedupe_key=f"notice:{notice.id}:leave:{member.id}:{ctx.now().timestamp():.0f}:to:{person.id}",
            kind="notice_leave",
            ref=f"notice:{notice.id}:leave",
        )
    return ctx.reply("notices.leave_sent_for_approval")


async def _leave_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t("notices.leave_prompt", title=data["title"], limit=MAX_LEAVE_REASON)


LEAVE_FLOW = router.flow(
    Flow(
        name="notice_leave",
        title="notices.leave_title",
        steps=(Step("reason", _leave_prompt, max_chars=MAX_LEAVE_REASON),),
        done=_leave_done,
    )
)


async def _decide(ctx: Context, approve: bool) -> Reply:
    if len(ctx.args) != 2 or not all(a.isdigit() for a in ctx.args):
        raise UserError("core.button_forged")
    repo = NoticesRepo(ctx.session)
    notice = await repo.require(int(ctx.args[0]))
    member = await ctx.roster.get(int(ctx.args[1]))
    if member is None:
        raise UserError("core.button_stale")
    assert ctx.member is not None
    decision = await repo.decide_leave(
        notice, int(ctx.args[1]), approve=approve, by=ctx.member.name
    )
    await ctx.audit.record(
        "notice.leave_" + decision.value,
        actor=ctx.member,
        target=f"notice:{notice.id}",
        member=member.id,
    )
    await ctx.notify(
        int(ctx.args[1]),
        Reply(text=ctx.t(f"notices.leave_result_{decision.value}", title=notice.title)),
        dedupe_key=f"notice:{notice.id}:leave_result:{member.id}:{ctx.now().timestamp():.0f}",
        kind="notice_leave",
        ref=f"notice:{notice.id}:leave",
    )
    return ctx.reply(
        "notices.leave_decided_staff",
        edit=True,
        name=member.name,
        decision=ctx.t(f"notices.decision.{decision.value}"),
    )


@router.action("notice.leave_ok", roles=SECRETARIAT)
async def approve_leave(ctx: Context) -> Reply:
    return await _decide(ctx, True)


@router.action("notice.leave_no", roles=SECRETARIAT)
async def reject_leave(ctx: Context) -> Reply:
    return await _decide(ctx, False)


# --- my meetings, calendar, check-in -------------------------------------------------------


@router.command("notices", "会议", menu="notices.menu", order=40)
async def my_notices(ctx: Context) -> Reply:
    """Upcoming meetings with my answers, answer buttons and a calendar file each."""
    # Meetings under way stay listed for a few hours: their check-in button is still useful.
    rows = await NoticesRepo(ctx.session).upcoming_for_member(
        _member_id(ctx), now=ctx.now() - timedelta(hours=6)
    )
    if not rows:
        return ctx.reply("notices.mine_empty")
    zone = ctx.settings.zone
    text = ctx.t("notices.mine_title")
    buttons: list[tuple[Button, ...]] = []
    rules = notice_rules()
    for n, (notice, row) in enumerate(rows[:10], start=1):
        text += ctx.t(
            "notices.mine_line",
            n=n,
            kind=ctx.t(f"notices.kind.{notice.kind}"),
            title=notice.title,
            when=format_local(notice.starts_at, zone),
            place=notice.place,
        ) + answer_text(row)
        opens, closes = check_in_window(rules.check_in, notice_facts(notice))
        row_buttons = [
            ctx.button(
                Text.plain(f"{n}. ") + ctx.t("notices.btn_ics"), "notice.ics", notice.id or 0
            )
        ]
        if opens <= ctx.now() <= closes and row.checked_in_at is None:
            row_buttons.insert(
                0,
                ctx.button(
                    Text.plain(f"{n}. ") + ctx.t("notices.btn_check_in"),
                    "notice.checkin",
                    notice.id or 0,
                ),
            )
        elif ctx.now() <= notice.reply_deadline:
            row_buttons.insert(
                0,
                ctx.button(
                    Text.plain(f"{n}. ") + ctx.t("notices.btn_attend"),
                    "notice.attend",
                    notice.id or 0,
                ),
            )
            row_buttons.insert(
                1,
                ctx.button(
                    Text.plain(f"{n}. ") + ctx.t("notices.btn_leave"),
                    "notice.leave",
                    notice.id or 0,
                ),
            )
        buttons.append(tuple(row_buttons))
    return Reply(text=text, buttons=tuple(buttons))


@router.action("notice.ics")
async def calendar_file(ctx: Context) -> Reply:
    notice = await _notice_from_args(ctx)
    if await NoticesRepo(ctx.session).recipient(int(notice.id or 0), _member_id(ctx)) is None:
        raise UserError("notices.not_recipient")
    return Reply(
        text=ctx.t("notices.body_attachment", name=f"{notice.title}.ics"),
        document=meeting_ics(notice, zone_name=ctx.settings.timezone, stamp=ctx.now()),
    )


# A notice without an end time is put in the calendar for this long.
DEFAULT_LENGTH = timedelta(hours=3)


def meeting_ics(notice: Notice, *, zone_name: str, stamp: datetime | None = None) -> OutDocument:
    """The meeting as a calendar file: one UID per notice, so a corrected notice updates the
    same entry (``sequence`` = corrections) and a cancelled one is marked cancelled."""
    event = CalendarEvent(
        uid=f"notice-{notice.id}@committee-bot",
        title=notice.title,
        start=notice.starts_at,
        end=notice.ends_at or notice.starts_at + DEFAULT_LENGTH,
        location=notice.place,
        description=notice.agenda,
        zone_name=zone_name,
        sequence=notice.revision,
        cancelled=notice.status == NoticeStatus.CANCELLED,
    )
    return OutDocument(
        file_name=ics_file_name(notice.title, notice.starts_at, zone_name=zone_name),
        content=ics_bytes(event, stamp=stamp),
        mime_type="text/calendar",
    )


async def _check_in(ctx: Context, notice: Notice, *, code: str | None) -> Reply:
    new = await NoticesRepo(ctx.session).check_in(
        notice,
        _member_id(ctx),
        rules=notice_rules().check_in,
        code=code,
        via="code" if code else "button",
        now=ctx.now(),
    )
    key = "notices.checked_in" if new else "notices.checked_in_already"
    return ctx.reply(key, title=notice.title, at=format_local(ctx.now(), ctx.settings.zone))


@router.action("notice.checkin")
async def check_in_button(ctx: Context) -> Reply:
    return await _check_in(ctx, await _notice_from_args(ctx), code=None)


@router.command("checkin", "签到")
async def check_in_code(ctx: Context) -> Reply:
    """``/签到 4821``: the code announced in the room picks the meeting."""
    code = ctx.args[0].strip() if ctx.args else ""
    if not code:
        return ctx.reply("notices.check_in_usage")
    rows = await NoticesRepo(ctx.session).upcoming_for_member(
        _member_id(ctx),
        now=ctx.now() - timedelta(days=2),  # meetings under way count too
    )
    rules = notice_rules().check_in
    open_now = [
        notice
        for notice, _ in rows
        if (w := check_in_window(rules, notice_facts(notice)))[0] <= ctx.now() <= w[1]
    ]
    if not open_now:
        return ctx.reply("notices.check_in_nothing_open")
    wanted = normalise_code(code)
    notice = next((n for n in open_now if n.check_in_code == wanted), open_now[0])
    return await _check_in(ctx, notice, code=code)


# --- the secretariat: composing ------------------------------------------------------------

KINDS = tuple(Choice(k.value, f"notices.kind.{k.value}") for k in MeetingKind)
MODES = tuple(Choice(m.value, f"notices.mode.{m.value}") for m in AttendanceMode)
AUDIENCES = tuple(Choice(a.value, f"notices.audience_choice.{a.value}") for a in AudienceKind)
_NEEDS_VALUES = {
    AudienceKind.SECTORS,
    AudienceKind.COMMITTEES,
    AudienceKind.READING_GROUP,
    AudienceKind.MEMBERS,
}


def _when(ctx: Context, text: str) -> datetime:
    value = parse_local_datetime(text, zone=ctx.settings.zone, now=ctx.now())
    if value is None:
        raise UserError("notices.bad_time")
    return value


def _parse_title(ctx: Context, data: dict[str, Any], text: str) -> str:
    if len(text) > MAX_TITLE:
        raise UserError("notices.too_long", field=ctx.t("notices.field.title"), limit=MAX_TITLE)
    return text


def _parse_start(ctx: Context, data: dict[str, Any], text: str) -> str:
    value = _when(ctx, text)
    if value <= ctx.now():
        raise UserError("notices.start_in_past")
    return value.isoformat()


def _parse_end(ctx: Context, data: dict[str, Any], text: str) -> str:
    start = datetime.fromisoformat(data["start"]).astimezone(ctx.settings.zone)
    value = parse_local_datetime(f"{start:%Y-%m-%d} {text}", zone=ctx.settings.zone, now=ctx.now())
    value = value or parse_local_datetime(text, zone=ctx.settings.zone, now=ctx.now())
    if value is None:
        raise UserError("notices.bad_end")
    if value <= start:
        raise UserError("notices.end_before_start")
    return value.isoformat()


def _parse_deadline(ctx: Context, data: dict[str, Any], text: str) -> str:
    value = _when(ctx, text)
    if value <= ctx.now():
        raise UserError("notices.deadline_in_past")
    if value > datetime.fromisoformat(data["start"]):
        raise UserError("notices.deadline_after_start")
    return value.isoformat()


def _parse_attachment(ctx: Context, data: dict[str, Any], doc: InDocument | str) -> Any:
    if not isinstance(doc, InDocument):
        raise UserError("notices.ask_attachment")
    if doc.content is None or len(doc.content) > ctx.settings.max_upload_bytes:
        raise UserError(
            "notices.attachment_too_large", limit_mb=ctx.settings.max_upload_bytes // 2**20
        )
    data["attachment_name"] = doc.file_name[:255]
    return base64.b64encode(doc.content).decode()


async def _parse_values(ctx: Context, data: dict[str, Any], text: str) -> list[str]:
    audience = Audience.parse_list(AudienceKind(data["audience"]), text)
    await NoticesRepo(ctx.session).resolve_audience(audience)
    return list(audience.values)


def _draft(data: dict[str, Any]) -> NoticeDraft:
    attachment = data.get("attachment")
    return NoticeDraft(
        kind=MeetingKind(data["kind"]),
        title=data["title"],
        starts_at=datetime.fromisoformat(data["start"]),
        ends_at=datetime.fromisoformat(data["end"]) if data.get("end") else None,
        place=data["place"],
        agenda=data.get("agenda") or "",
        mode=AttendanceMode(data["mode"]),
        reply_deadline=datetime.fromisoformat(data["deadline"]),
        audience=Audience(AudienceKind(data["audience"]), tuple(data.get("values") or ())),
        attachment_name=data.get("attachment_name") if attachment else None,
        attachment=base64.b64decode(attachment) if attachment else None,
    )


def _values_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t(f"notices.ask_values_{data['audience']}")


async def _preview_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    """The notice as members will read it, how many get it, and the notice-period rule."""
    draft = _draft(data)
    shown = await preview(
        same_session(ctx.session),
        draft,
        rules=notice_rules(),
        zone=ctx.settings.zone,
        now=ctx.now(),
    )
    text = ctx.t("notices.preview", count=shown.recipients)
    if shown.warning is not None:
        text += ctx.t("notices.period_warning", **shown.warning.params()) + Text.plain("\n\n")
    for key, params in draft_problems(draft, now=ctx.now()):
        text += ctx.t(key, **params) + Text.plain("\n")
    return text + shown.text


async def _compose_done(ctx: Context, conversation: Conversation) -> list[Reply]:
    """Creates the notice and queues it for every recipient (after confirmation only)."""
    data = conversation.data
    if data.get("confirm") != "send":
        return [ctx.reply("notices.not_sent_kept")]
    draft = _draft(data)
    problems = draft_problems(draft, now=ctx.now())
    if problems:
        raise UserError(*problems[0][:1], **problems[0][1])
    member = ctx.member
    assert member is not None
    session = same_session(ctx.session)
    nid = await create_notice(
        session, draft, rules=notice_rules(), created_by=member.name, created_by_member_id=member.id
    )
    repo = NoticesRepo(ctx.session)
    notice = await repo.require(nid)
    count = len(await repo.recipient_ids(nid))
    await ctx.audit.record("notice.create", actor=member, target=f"notice:{nid}", recipients=count)
    # The status message goes first through the outbox (so its message id is known), then
    # the notice; all commit with this update. The scheduler edits it while sending.
    buttons = _status_buttons(ctx)(notice)
    row = await open_status_message(
        ctx.session,
        notice,
        platform=ctx.incoming.platform,
        chat_id=ctx.incoming.chat_id,
        reply=Reply(text=Text.plain(""), buttons=buttons),
    )
    await send_notice(session, nid, zone=ctx.settings.zone, buttons=_buttons(ctx))
    if row is not None:  # now with the members known at once to be unreachable
        text, _ = await status_text(session, notice)
        row.payload = Reply(text=text, buttons=buttons).to_json()
        ctx.session.add(row)
    _after_queuing(ctx, "notice_status", "meetings")
    return [ctx.reply("notices.sending_started", id=nid, count=count)]


def _status_buttons(ctx: Context) -> StatusButtons:
    return status_buttons(ctx.services.signer, ctx.services.catalogue)


def _after_queuing(ctx: Context, *tasks: str) -> None:
    """After the commit: deliver now, and wake the scheduled tasks that follow the change."""
    ctx.after_commit.append(ctx.services.wake_delivery)
    scheduler = ctx.services.extras.get("scheduler")
    if scheduler is not None:
        for name in tasks:
            if name in scheduler.tasks:
                ctx.after_commit.append(lambda name=name: scheduler.poke(name))


COMPOSE_FLOW = router.flow(
    Flow(
        name="notice_compose",
        title="notices.flow_title",
        roles=SECRETARIAT,
        steps=(
            Step("kind", "notices.ask_kind", choices=KINDS),
            Step(
                "title",
                lambda ctx, d: ctx.t("notices.ask_title", limit=MAX_TITLE),
                parse=_parse_title,
                max_chars=MAX_TITLE + 50,
            ),
            Step("start", "notices.ask_start", parse=_parse_start, max_chars=60),
            Step("end", "notices.ask_end", parse=_parse_end, optional=True, max_chars=60),
            Step("place", "notices.ask_place", max_chars=MAX_PLACE),
            Step("agenda", "notices.ask_agenda", optional=True, max_chars=MAX_AGENDA),
            Step("mode", "notices.ask_mode", choices=MODES),
            Step("deadline", "notices.ask_deadline", parse=_parse_deadline, max_chars=60),
            Step(
                "attachment",
                "notices.ask_attachment",
                parse=_parse_attachment,
                optional=True,
                accepts_document=True,
            ),
            Step("audience", "notices.ask_audience", choices=AUDIENCES),
            Step(
                "values",
                _values_prompt,
                parse=_parse_values,
                when=lambda d: AudienceKind(d.get("audience", "all")) in _NEEDS_VALUES,
            ),
            Step(
                "confirm",
                _preview_prompt,
                choices=(Choice("send", "notices.btn_send"), Choice("keep", "notices.btn_keep")),
            ),
        ),
        done=_compose_done,
    )
)


@router.command("notice", "发通知", roles=SECRETARIAT, menu="notices.menu_staff", order=41)
async def compose(ctx: Context) -> list[Reply]:
    return await ctx.begin(COMPOSE_FLOW)


# --- the secretariat: progress and attendance ------------------------------------------


@router.action("notice.progress", roles=SECRETARIAT)
async def progress(ctx: Context) -> Reply:
    """Refreshes the status message at once (the scheduler also edits it while sending)."""
    notice = await _notice_from_args(ctx)
    text, _ = await status_text(same_session(ctx.session), notice)
    return Reply(text=text, edit=True, buttons=_status_buttons(ctx)(notice))


@router.action("notice.counts", roles=SECRETARIAT)
async def counts(ctx: Context) -> Reply:
    notice = await _notice_from_args(ctx)
    return await _counts_reply(ctx, notice)


async def _counts_reply(ctx: Context, notice: Notice) -> Reply:
    repo = NoticesRepo(ctx.session)
    nid = int(notice.id or 0)
    text = counts_text(notice.title, await repo.counts(nid))
    buttons: list[tuple[Button, ...]] = []
    pending = await repo.pending_leave(nid)
    if pending:
        text += ctx.t("notices.pending_leave_title")
        for row in pending[:20]:
            member = await ctx.roster.get(row.member_id)
            name = member.name if member else "?"
            text += ctx.t(
                "notices.pending_leave_line",
                name=name,
                sector=member.sector if member else "",
                reason=row.leave_reason or "",
            )
            buttons.append(
                (
                    ctx.button(
                        Text.plain(f"{name} ") + ctx.t("notices.btn_approve"),
                        "notice.leave_ok",
                        nid,
                        row.member_id,
                    ),
                    ctx.button(
                        Text.plain(f"{name} ") + ctx.t("notices.btn_reject"),
                        "notice.leave_no",
                        nid,
                        row.member_id,
                    ),
                )
            )
    if NoticeStatus(notice.status).is_live:
        buttons.append(
            (
                ctx.button("notices.btn_correct", "notice.correct", nid),
                ctx.button("notices.btn_cancel", "notice.cancel", nid),
            )
        )
    return Reply(text=text, buttons=tuple(buttons))


@router.command(
    "attendance", "参会情况", roles=SECRETARIAT, menu="notices.menu_attendance", order=42
)
async def attendance(ctx: Context) -> Reply:
    """Recent notices; ``/attendance 12`` shows one notice's counts and pending leave."""
    repo = NoticesRepo(ctx.session)
    if ctx.args and ctx.args[0].strip().lstrip("#").isdigit():
        return await _counts_reply(ctx, await repo.require(int(ctx.args[0].strip().lstrip("#"))))
    notices = await repo.list(
        statuses=[NoticeStatus.SENT, NoticeStatus.CORRECTED, NoticeStatus.CANCELLED], limit=10
    )
    if not notices:
        return ctx.reply("notices.attendance_empty")
    lines = [
        ctx.t(
            "notices.attendance_line",
            id=n.id,
            kind=ctx.t(f"notices.kind.{n.kind}"),
            title=n.title,
            when=format_local(n.starts_at, ctx.settings.zone),
            status=ctx.t(f"notices.status.{n.status}"),
        )
        for n in notices
    ]
    buttons = tuple(
        (
            ctx.button(
                Text.plain(f"#{n.id} ") + ctx.t("notices.btn_counts"), "notice.counts", n.id or 0
            ),
        )
        for n in notices
    )
    return Reply(text=Text.join("\n", lines), buttons=buttons)


# --- the secretariat: correcting and cancelling ------------------------------------------

# Stored up to 1,000 characters (Notice.correction_note, Notice.cancel_reason).
MAX_CORRECTION_NOTE = 500
CORRECTABLE = ("starts_at", "place", "title", "reply_deadline", "note")
CORRECT_CHOICES = tuple(Choice(f, f"notices.correct_field.{f}") for f in CORRECTABLE)


async def _live_notice(ctx: Context) -> Notice:
    notice = await _notice_from_args(ctx)
    if not NoticeStatus(notice.status).is_live:
        key = "notices.cancelled_already" if notice.status == "cancelled" else "notices.not_sent"
        raise UserError(key)
    return notice


@router.action("notice.correct", roles=SECRETARIAT)
async def correct(ctx: Context) -> list[Reply]:
    notice = await _live_notice(ctx)
    return await ctx.begin(
        CORRECT_FLOW,
        {"notice_id": notice.id, "title": notice.title, "start": notice.starts_at.isoformat()},
    )


def _parse_change(ctx: Context, data: dict[str, Any], text: str) -> str:
    field = data["field"]
    if field == "starts_at":
        value = _parse_start(ctx, data, text)
        data["start"] = value  # a new deadline is checked against the new start
        return value
    if field == "reply_deadline":
        return _parse_deadline(ctx, data, text)
    if field == "title":
        return _parse_title(ctx, data, text)
    if len(text) > MAX_PLACE:
        raise UserError("notices.too_long", field=ctx.t("notices.field.place"), limit=MAX_PLACE)
    return text


def _change_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t(f"notices.correct_ask.{data['field']}")


async def _count_prompt(ctx: Context, data: dict[str, Any], key: str) -> Text:
    repo = NoticesRepo(ctx.session)
    count = len(await repo.recipient_ids(int(data["notice_id"])))
    return ctx.t(key, title=data["title"], count=count)


async def _correct_done(ctx: Context, conversation: Conversation) -> Reply:
    data = conversation.data
    if data.get("confirm") != "yes":
        return ctx.reply("notices.correct_dropped")
    changes: dict[str, Any] = {}
    field = data["field"]
    if field in {"starts_at", "reply_deadline"}:
        changes[field] = datetime.fromisoformat(data["value"])
    elif field != "note":
        changes[field] = data["value"]
    nid = int(data["notice_id"])
    notice = await NoticesRepo(ctx.session).require(nid)
    if "reply_deadline" in changes and changes["reply_deadline"] > notice.starts_at:
        raise UserError("notices.deadline_after_start")
    if "starts_at" in changes and changes["starts_at"] < notice.reply_deadline:
        changes["reply_deadline"] = changes["starts_at"]  # answers close when it starts
    added = await correct_notice(
        same_session(ctx.session),
        nid,
        note=data["note"],
        zone=ctx.settings.zone,
        buttons=_buttons(ctx),
        **changes,
    )
    await ctx.audit.record(
        "notice.correct", actor=ctx.member, target=f"notice:{nid}", field=field, queued=added
    )
    _after_queuing(ctx, "meetings")
    return ctx.reply("notices.cli_corrected", id=nid, count=added)


CORRECT_FLOW = router.flow(
    Flow(
        name="notice_correct",
        title="notices.correct_title",
        roles=SECRETARIAT,
        steps=(
            Step("field", "notices.correct_ask_field", choices=CORRECT_CHOICES),
            Step(
                "value",
                _change_prompt,
                parse=_parse_change,
                when=lambda d: d.get("field") != "note",
                max_chars=MAX_PLACE + 50,
            ),
            Step(
                "note",
                lambda ctx, d: ctx.t("notices.correct_ask_note"),
                max_chars=MAX_CORRECTION_NOTE,
            ),
            Step(
                "confirm",
                lambda ctx, d: _count_prompt(ctx, d, "notices.correct_confirm"),
                choices=(Choice("yes", "notices.btn_send"), Choice("no", "notices.btn_keep")),
            ),
        ),
        done=_correct_done,
    )
)


@router.action("notice.cancel", roles=SECRETARIAT)
async def cancel(ctx: Context) -> list[Reply]:
    notice = await _live_notice(ctx)
    return await ctx.begin(CANCEL_FLOW, {"notice_id": notice.id, "title": notice.title})


async def _cancel_done(ctx: Context, conversation: Conversation) -> Reply:
    data = conversation.data
    if data.get("confirm") != "yes":
        return ctx.reply("notices.cancel_dropped")
    nid = int(data["notice_id"])
    added = await cancel_notice(
        same_session(ctx.session), nid, reason=data["reason"], zone=ctx.settings.zone
    )
    await ctx.audit.record("notice.cancel", actor=ctx.member, target=f"notice:{nid}", queued=added)
    _after_queuing(ctx)
    return ctx.reply("notices.cli_cancelled", id=nid, count=added)


CANCEL_FLOW = router.flow(
    Flow(
        name="notice_cancel",
        title="notices.cancel_title",
        roles=SECRETARIAT,
        steps=(
            Step(
                "reason",
                lambda ctx, d: ctx.t("notices.cancel_ask_reason", title=d["title"]),
                max_chars=MAX_CORRECTION_NOTE,
            ),
            Step(
                "confirm",
                lambda ctx, d: _count_prompt(ctx, d, "notices.cancel_confirm"),
                choices=(
                    Choice("yes", "notices.btn_cancel_confirm"),
                    Choice("no", "notices.btn_cancel_keep"),
                ),
            ),
        ),
        done=_cancel_done,
    )
)


# --- helpers -------------------------------------------------------------------------------


async def _staff(ctx: Context) -> list[Member]:
    return [m for m in await ctx.roster.list() if Role.SECRETARIAT in parse_roles(m.roles)]
