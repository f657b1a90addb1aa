"""A member's reading groups: ``/reading`` (what to read now, the next session), joining,
leaving, muting reminders, and one group's page with its plan and next sessions."""

from __future__ import annotations

from bot.context import Context
from bot.reading.checkin import WindowState
from bot.reading.service import CHECKIN_WINDOW as WINDOW
from bot.reading.service import place_text, upcoming
from bot.router import Router
from bot.text import Text
from bot.types import Button, Reply
from handlers.reading.common import group_people, me, member_group, reading_repo, replan
from handlers.reading.manage import can_manage_any

__all__ = ["router"]

router = Router("reading/groups")


# -- overview ------------------------------------------------------------------------
@router.command("reading", "读书", menu="reading.menu", order=40)
async def overview(ctx: Context) -> Reply:
    """My groups: what to read now and the next session; buttons to open each group."""
    repo = reading_repo(ctx)
    mine = await repo.groups_of(me(ctx))
    today = ctx.local(ctx.now()).date()
    rows: list[tuple[Button, ...]] = [
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
    repo = reading_repo(ctx)
    mine = {g.id for g, _ in await repo.groups_of(me(ctx))}
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
    group, _ = await member_group(ctx, member=False)
    assert group.id is not None
    if not await reading_repo(ctx).join(group.id, me(ctx), via="self", now=ctx.now()):
        return Reply(text=ctx.t("reading.already_in", name=group.name))
    await replan(ctx, group.id)
    return Reply(text=ctx.t("reading.joined", name=group.name))


@router.action("rd.leave")
async def leave(ctx: Context) -> Reply:
    group, _ = await member_group(ctx)
    assert group.id is not None
    await reading_repo(ctx).leave(group.id, me(ctx), now=ctx.now())
    await replan(ctx, group.id)
    return Reply(text=ctx.t("reading.left", name=group.name))


@router.action("rd.mute")
async def mute(ctx: Context) -> Reply:
    group, membership = await member_group(ctx)
    assert group.id is not None and membership is not None
    muted = not membership.muted
    await reading_repo(ctx).set_muted(group.id, me(ctx), muted)
    await replan(ctx, group.id)
    return Reply(text=ctx.t("reading.muted" if muted else "reading.unmuted", name=group.name))


# -- one group ---------------------------------------------------------------------
@router.action("rd.g")
async def group_detail(ctx: Context) -> Reply:
    """The group: people, plan, the next sessions with RSVP, calendar and check-in buttons."""
    group, membership = await member_group(ctx)
    assert group.id is not None and membership is not None
    repo = reading_repo(ctx)
    text = ctx.t(
        "reading.group_head",
        name=group.name,
        theme=group.theme or "—",
        **await group_people(ctx, group),
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
        answer = (await repo.rsvps(stored.id or 0)).get(me(ctx)) if stored else None
        if answer:
            text = (
                text
                + "\n"
                + ctx.t("reading.session_rsvp", answer=ctx.t(f"reading.answer_{answer}"))
            )
        args = (row.id or 0, occ.key)

        def label(key: str, n: int = n) -> Text:
            if len(shown) == 1:
                return ctx.t(key)
            return ctx.t("reading.btn_of_session", n=n, label=ctx.t(key))

        line = [
            ctx.button(label("reading.btn_yes"), "rd.rsvp", *args, "yes"),
            ctx.button(label("reading.btn_no"), "rd.rsvp", *args, "no"),
            ctx.button(label("reading.btn_ics"), "rd.ics", *args),
        ]
        if WINDOW.state(start=occ.start, end=occ.end, now=ctx.now()) == WindowState.OPEN:
            line.append(ctx.button(label("reading.btn_checkin"), "rd.in", *args))
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
