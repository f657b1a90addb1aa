"""书香政协: a member's reading groups, plan, sessions, RSVP, calendar file, check-in, notes,
reading record, and per-group reminder mute.

Every button carries plain ids and is checked again on arrival: the group must exist, the
member must be in it (except to join), and the session date must be one the session really
has. Membership and RSVP changes re-plan the group's reminders in the same transaction.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.domain.checkin import WindowState
from bot.domain.recurrence import Occurrence
from bot.errors import UserError
from bot.flows import Flow, Step
from bot.reading_planner import replan_group
from bot.reading_service import CHECKIN_WINDOW as WINDOW
from bot.reading_service import find_occurrence, ics_for, place_text, upcoming
from bot.router import Router
from bot.types import Button, InDocument, Reply
from handlers.reading_admin import can_manage_any
from storage.reading_repo import ReadingRepo
from storage.tables import Conversation, ReadingGroup, ReadingMembership, ReadingSession

__all__ = ["NOTE_FLOW", "router"]

router = Router("reading")
_NOTE_TYPES = (".docx", ".pdf", ".txt", ".md", ".doc")


def _repo(ctx: Context) -> ReadingRepo:
    return ReadingRepo(ctx.session)


def _me(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id


def _int_arg(ctx: Context, index: int) -> int:
    if len(ctx.args) <= index or not ctx.args[index].isdigit():
        raise UserError("core.button_forged")
    return int(ctx.args[index])


async def _group(
    ctx: Context, *, member: bool = True
) -> tuple[ReadingGroup, ReadingMembership | None]:
    group = await _repo(ctx).group(_int_arg(ctx, 0))
    if group is None or group.archived_at is not None:
        raise UserError("core.button_stale")
    membership = await _repo(ctx).membership(group.id or 0, _me(ctx))
    if member and (membership is None or membership.left_at is not None):
        raise UserError("reading.not_member")
    return group, membership


async def _replan(ctx: Context, group_id: int) -> None:
    await replan_group(_repo(ctx), group_id, now=ctx.now(), zone=ctx.settings.zone)
    scheduler = ctx.services.extras.get("scheduler")
    if scheduler is not None:
        ctx.after_commit.append(lambda: scheduler.poke("reading"))


# -- overview ------------------------------------------------------------------------
@router.command("reading", "读书", menu="reading.menu", order=40)
async def overview(ctx: Context) -> Reply:
    """My groups: what to read now and the next session; buttons to open each group."""
    repo = _repo(ctx)
    mine = await repo.groups_of(_me(ctx))
    today = ctx.local(ctx.now()).date()
    rows = [
        (ctx.button("reading.btn_join_more", "rd.list"), ctx.button("reading.btn_record", "rd.rec"))
    ]
    if await can_manage_any(ctx):
        rows[0] += (ctx.button("reading.btn_manage", "rda.home"),)
    if not mine:
        return Reply(text=ctx.t("reading.overview_empty"), buttons=tuple(rows))
    text = ctx.t("reading.overview_head")
    for group, membership in mine:
        assert group.id is not None
        text += ctx.t("reading.group_line", name=group.name, theme=group.theme or "—")
        if membership.muted:
            text += ctx.t("reading.group_muted")
        for item in await repo.current_items(group.id, today):
            text = (
                text
                + "\n"
                + ctx.t(
                    "reading.now_reading",
                    book=item.book,
                    chapter=item.chapter,
                    start=item.starts_on.isoformat(),
                    end=item.ends_on.isoformat(),
                )
            )
        sessions = await repo.sessions(group.id)
        cancelled = await repo.cancelled_keys([s.id for s in sessions if s.id is not None])
        nxt = upcoming(sessions, now=ctx.now(), limit=1, skip=cancelled)
        if nxt:
            row, occ = nxt[0]
            text = (
                text
                + "\n"
                + ctx.t("reading.next_session", title=row.title, when=ctx.fmt_time(occ.start))
            )
        else:
            text = text + "\n" + ctx.t("reading.no_session")
        rows.append((ctx.button(ctx.t("reading.btn_open", name=group.name), "rd.g", group.id),))
    return Reply(text=text, buttons=tuple(rows))


@router.action("rd.list")
async def joinable(ctx: Context) -> Reply:
    """Groups the member is not in, each with a join button."""
    repo = _repo(ctx)
    mine = {g.id for g, _ in await repo.groups_of(_me(ctx))}
    others = [g for g in await repo.groups() if g.id not in mine]
    if not others:
        return Reply(text=ctx.t("reading.joinable_none"))
    text = ctx.t("reading.joinable_head")
    for g in others:
        text = text + "\n" + ctx.t("reading.joinable_line", name=g.name, theme=g.theme or "—")
    buttons = tuple(
        (ctx.button(ctx.t("reading.btn_join", name=g.name), "rd.join", g.id or 0),) for g in others
    )
    return Reply(text=text, buttons=buttons)


@router.action("rd.join")
async def join(ctx: Context) -> Reply:
    group, _ = await _group(ctx, member=False)
    assert group.id is not None
    if not await _repo(ctx).join(group.id, _me(ctx), via="self", now=ctx.now()):
        return Reply(text=ctx.t("reading.already_in", name=group.name))
    await _replan(ctx, group.id)
    return Reply(text=ctx.t("reading.joined", name=group.name))


@router.action("rd.leave")
async def leave(ctx: Context) -> Reply:
    group, _ = await _group(ctx)
    assert group.id is not None
    await _repo(ctx).leave(group.id, _me(ctx), now=ctx.now())
    await _replan(ctx, group.id)
    return Reply(text=ctx.t("reading.left", name=group.name))


@router.action("rd.mute")
async def mute(ctx: Context) -> Reply:
    group, membership = await _group(ctx)
    assert group.id is not None and membership is not None
    muted = not membership.muted
    await _repo(ctx).set_muted(group.id, _me(ctx), muted)
    await _replan(ctx, group.id)
    return Reply(text=ctx.t("reading.muted" if muted else "reading.unmuted", name=group.name))


# -- one group ---------------------------------------------------------------------
@router.action("rd.g")
async def group_detail(ctx: Context) -> Reply:
    """The group: people, plan, the next sessions with RSVP, calendar and check-in buttons."""
    group, membership = await _group(ctx)
    assert group.id is not None and membership is not None
    repo = _repo(ctx)
    names = await repo.member_names(
        [i for i in (group.owner_member_id, group.lead_member_id, group.liaison_member_id) if i]
    )
    text = ctx.t(
        "reading.group_head",
        name=group.name,
        theme=group.theme or "—",
        owner=names.get(group.owner_member_id or 0, "—"),
        lead=names.get(group.lead_member_id or 0, "—"),
        liaison=names.get(group.liaison_member_id or 0, "—"),
    )
    today = ctx.local(ctx.now()).date()
    plan = [i for i in await repo.plan(group.id) if i.ends_on >= today]
    rows: list[tuple[Button, ...]] = []
    text += ctx.t("reading.plan_head") if plan else ctx.t("reading.plan_empty")
    for item in plan[:5]:
        current = item.starts_on <= today
        text = (
            text
            + "\n"
            + ctx.t(
                "reading.plan_line",
                mark=ctx.t("reading.plan_now" if current else "reading.plan_other"),
                book=item.book,
                chapter=item.chapter,
                start=item.starts_on.isoformat(),
                end=item.ends_on.isoformat(),
            )
        )
        if current:
            rows.append(
                (ctx.button(ctx.t("reading.btn_finished", book=item.book), "rd.fin", item.id or 0),)
            )
    sessions = await repo.sessions(group.id)
    cancelled = await repo.cancelled_keys([s.id for s in sessions if s.id is not None])
    # The next three dates that take place, and any cancelled date among them, marked
    # 已取消 without buttons (a member who planned for it sees why it is gone).
    live = upcoming(sessions, now=ctx.now(), skip=cancelled)
    live_keys = {(row.id, occ.key) for row, occ in live}
    last = live[-1][1].start if len(live) == 3 else None  # None: no more dates to show
    shown = [
        (row, occ)
        for row, occ in upcoming(sessions, now=ctx.now(), limit=len(live) + len(cancelled))
        if (row.id, occ.key) in live_keys
        or ((row.id, occ.key) in cancelled and (last is None or occ.start < last))
    ]
    text += ctx.t("reading.sessions_head") if shown else ctx.t("reading.sessions_empty")
    for n, (row, occ) in enumerate(shown, start=1):
        text = (
            text
            + "\n"
            + ctx.t(
                "reading.session_line",
                n=n,
                title=row.title,
                when=ctx.fmt_time(occ.start),
                place=place_text(row),
            )
        )
        if (row.id, occ.key) in cancelled:
            text = text + "\n" + ctx.t("reading.session_cancelled_mark")
            continue
        stored = await repo.occurrence(row.id or 0, occ.key)
        answer = (await repo.rsvps(stored.id or 0)).get(_me(ctx)) if stored else None
        if answer:
            text = (
                text
                + "\n"
                + ctx.t("reading.session_rsvp", answer=ctx.t(f"reading.answer_{answer}"))
            )
        args = (row.id or 0, occ.key)
        line = [
            ctx.button(ctx.t("reading.btn_yes", n=n), "rd.rsvp", *args, "yes"),
            ctx.button(ctx.t("reading.btn_no", n=n), "rd.rsvp", *args, "no"),
            ctx.button(ctx.t("reading.btn_ics", n=n), "rd.ics", *args),
        ]
        if WINDOW.state(start=occ.start, end=occ.end, now=ctx.now()) == WindowState.OPEN:
            line.append(ctx.button(ctx.t("reading.btn_checkin", n=n), "rd.in", *args))
        rows.append(tuple(line))
    rows.append(
        (
            ctx.button("reading.btn_note", "rd.note", group.id),
            ctx.button(
                "reading.btn_unmute" if membership.muted else "reading.btn_mute",
                "rd.mute",
                group.id,
            ),
            ctx.button("reading.btn_leave", "rd.leave", group.id),
        )
    )
    return Reply(text=text, buttons=tuple(rows))


async def _occurrence(ctx: Context) -> tuple[ReadingSession, Occurrence, ReadingGroup]:
    """The session date a button names, checked against the session's real schedule."""
    row = await _repo(ctx).reading_session(_int_arg(ctx, 0))
    if row is None or len(ctx.args) < 2:
        raise UserError("reading.session_not_found")
    if row.cancelled_at is not None:  # an old button (group page, reminder) of it
        raise UserError("reading.session_cancelled_all", title=row.title)
    key = ctx.args[1]
    found = find_occurrence(row, key, now=ctx.now())
    if found is None:
        raise UserError("reading.session_not_found")
    stored = await _repo(ctx).occurrence(row.id or 0, key)
    if stored is not None and stored.cancelled:
        raise UserError(
            "reading.session_cancelled_answer", title=row.title, when=ctx.fmt_time(found.start)
        )
    group = await _repo(ctx).group(row.group_id)
    membership = await _repo(ctx).membership(row.group_id, _me(ctx))
    if group is None or membership is None or membership.left_at is not None:
        raise UserError("reading.not_member")
    return row, found, group


@router.action("rd.rsvp")
async def rsvp(ctx: Context) -> Reply:
    row, occ, group = await _occurrence(ctx)
    answer = ctx.args[2] if len(ctx.args) > 2 else ""
    if answer not in {"yes", "no"}:
        raise UserError("core.button_forged")
    stored = await _repo(ctx).ensure_occurrence(row.id or 0, occ)
    await _repo(ctx).rsvp(stored.id or 0, _me(ctx), answer)
    await _replan(ctx, group.id or 0)  # 请假 means no more reminders for that date
    return Reply(
        text=ctx.t(
            "reading.rsvp_saved",
            title=row.title,
            when=ctx.fmt_time(occ.start),
            answer=ctx.t(f"reading.answer_{answer}"),
        )
    )


@router.action("rd.ics")
async def calendar_file(ctx: Context) -> Reply:
    row, occ, group = await _occurrence(ctx)
    return Reply(
        text=ctx.t("reading.ics_caption", title=row.title, when=ctx.fmt_time(occ.start)),
        document=ics_for(row, occ, group, zone=ctx.settings.zone),
    )


@router.action("rd.in")
async def check_in(ctx: Context) -> Reply:
    """打卡, only inside the window around the session."""
    row, occ, _ = await _occurrence(ctx)
    state = WINDOW.state(start=occ.start, end=occ.end, now=ctx.now())
    if state == WindowState.EARLY:
        return Reply(
            text=ctx.t("reading.checkin_early", minutes=int(WINDOW.before.total_seconds() // 60))
        )
    if state == WindowState.CLOSED:
        return Reply(text=ctx.t("reading.checkin_closed"))
    stored = await _repo(ctx).ensure_occurrence(row.id or 0, occ)
    if not await _repo(ctx).check_in(stored.id or 0, _me(ctx), now=ctx.now()):
        return Reply(text=ctx.t("reading.checkin_again"))
    return Reply(text=ctx.t("reading.checkin_done", title=row.title, when=ctx.fmt_time(occ.start)))


@router.action("rd.fin")
async def finished(ctx: Context) -> Reply:
    item = await _repo(ctx).plan_item(_int_arg(ctx, 0))
    if item is None or item.removed_at is not None:
        raise UserError("core.button_stale")
    membership = await _repo(ctx).membership(item.group_id, _me(ctx))
    if membership is None or membership.left_at is not None:
        raise UserError("reading.not_member")
    new = await _repo(ctx).mark_finished(item.id or 0, _me(ctx))
    return Reply(
        text=ctx.t("reading.finished_saved" if new else "reading.finished_again", book=item.book)
    )


@router.action("rd.rec")
async def my_record(ctx: Context) -> Reply:
    record = await _repo(ctx).record(_me(ctx))
    none = ctx.t("reading.record_none")
    return Reply(
        text=ctx.t(
            "reading.record",
            groups="、".join(record.groups) or none,
            attended=record.sessions_attended,
            notes=record.notes_shared,
            books="、".join(f"《{b}》" for b in record.books_finished) or none,
        )
    )


# -- reading notes (a one-step flow: text or a document) ----------------------------
async def _note_answer(ctx: Context, data: dict[str, Any], answer: str | InDocument) -> Any:
    """Saves the note (text, or a document of a known type within the size limit) in the
    group the flow was started from; the conversation keeps only the note's id."""
    group = await _repo(ctx).group(int(data["group_id"]))
    membership = await _repo(ctx).membership(int(data["group_id"]), _me(ctx))
    if group is None or membership is None or membership.left_at is not None:
        raise UserError("reading.not_member")
    if isinstance(answer, InDocument):
        if (
            answer.content is None
            or not answer.file_name.lower().endswith(_NOTE_TYPES)
            or len(answer.content) > ctx.settings.max_upload_bytes
        ):
            raise UserError("reading.note_bad_file", name=answer.file_name[:80])
        note = await _repo(ctx).add_note(
            group_id=group.id or 0,
            member_id=_me(ctx),
            document_name=answer.file_name,
            document_mime=answer.mime_type,
            document=answer.content,
        )
    else:
        note = await _repo(ctx).add_note(group_id=group.id or 0, member_id=_me(ctx), text=answer)
    return note.id


async def _saved(ctx: Context, conversation: Conversation) -> Reply:
    """Confirms the note was kept."""
    group = await _repo(ctx).group(int(conversation.data["group_id"]))
    return Reply(text=ctx.t("reading.note_saved", name=group.name if group else ""))


NOTE_FLOW = router.flow(
    Flow(
        name="reading_note",
        title="reading.note_title",
        steps=(
            Step(
                "note",
                "reading.note_prompt",
                parse=_note_answer,
                max_chars=8000,
                accepts_document=True,
            ),
        ),
        done=_saved,
    )
)


@router.action("rd.note")
async def share_note(ctx: Context) -> list[Reply]:
    group, _ = await _group(ctx)
    return await ctx.begin(NOTE_FLOW, {"group_id": group.id})
