"""A group's sessions: adding one (one-off or recurring), the list with its next dates,
changing time or place, cancelling one date of a series or the whole session."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.flows import Flow, Step
from bot.reading.service import (
    SessionChange,
    cancel_occurrence,
    cancel_session,
    change_session,
    find_occurrence,
    fmt_local,
    place_text,
    session_time,
    upcoming,
)
from bot.router import Router
from bot.text import Text
from bot.types import Button, Reply
from handlers.reading.common import int_arg, me, reading_repo
from handlers.reading.manage import (
    CONFIRM,
    back_button,
    begin_on_group,
    managed,
    managed_session,
    on_group,
    replan_and_wake,
    start_on_group,
    wake,
)
from storage.tables import ReadingGroup

__all__ = ["CHANGE_FLOW", "SESSION_FLOW", "router"]

router = Router("reading/admin_sessions")


def _title(ctx: Context, data: dict[str, Any], text: str) -> str:
    if len(text.strip()) > 128:
        raise UserError("reading.title_invalid")
    return text.strip()


def _when(ctx: Context, data: dict[str, Any], text: str) -> dict[str, Any]:
    """The phrase, understood now (a wrong one is asked again with examples)."""
    schedule, start = session_time(text, now=ctx.now(), zone=ctx.settings.zone)
    return {"phrase": text.strip(), "start": start.isoformat(), "repeat": schedule.rule is not None}


def _place(ctx: Context, data: dict[str, Any], text: str) -> dict[str, str]:
    """A web address is the online link; anything else is the place."""
    value = text.strip()
    if value.lower().startswith(("http://", "https://")):
        return {"place": "", "link": value[:500]}
    return {"place": value[:255], "link": ""}


def _when_text(ctx: Context, when: dict[str, Any]) -> Text:
    start = fmt_local(datetime.fromisoformat(when["start"]), ctx.settings.zone)
    if when.get("repeat"):
        return ctx.t("reading.admin_when_repeat", phrase=when["phrase"], first=start)
    return Text.plain(start)


def _place_shown(ctx: Context, place: dict[str, str] | None) -> str:
    if not place:
        return str(ctx.t("reading.place_unknown"))
    return place.get("place") or place.get("link") or str(ctx.t("reading.place_unknown"))


async def _session_confirm(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t(
        "reading.admin_session_confirm",
        group=data["group"],
        title=data["title"],
        when=_when_text(ctx, data["when"]),
        place=_place_shown(ctx, data.get("place")),
        agenda=data.get("agenda") or "—",
    )


async def _add_session(ctx: Context, group: ReadingGroup, data: dict[str, Any]) -> Reply:
    """Schedules the session and plans its reminders."""
    # Parsed again now: a one-off time may have passed while the flow waited.
    schedule, start = session_time(data["when"]["phrase"], now=ctx.now(), zone=ctx.settings.zone)
    place = data.get("place") or {}
    row = await reading_repo(ctx).add_session(
        group_id=group.id or 0,
        title=data["title"],
        starts_at=start,
        rule=schedule.rule,
        rule_text=data["when"]["phrase"],
        timezone=ctx.settings.timezone,
        place=place.get("place", ""),
        online_link=place.get("link", ""),
        agenda=data.get("agenda") or "",
        created_by=f"chat:m{me(ctx)}",
    )
    await ctx.audit.record("rd.session_add", actor=ctx.member, target=f"reading:s{row.id}")
    await replan_and_wake(ctx, group.id or 0)
    return ctx.reply(
        "reading.admin_session_added",
        title=row.title,
        when=ctx.t(
            "reading.session_when_first" if schedule.rule else "reading.session_when_once",
            when=fmt_local(start, ctx.settings.zone),
        ),
        buttons=[back_button(ctx, group.id or 0)],
    )


SESSION_FLOW = router.flow(
    Flow(
        name="reading_session_add",
        title="reading.admin_session_title",
        steps=(
            Step("title", "reading.admin_title_prompt", parse=_title, max_chars=128),
            Step("when", "reading.admin_when_prompt", parse=_when, max_chars=80),
            Step("place", "reading.admin_place_prompt", parse=_place, optional=True, max_chars=500),
            Step("agenda", "reading.admin_agenda_prompt", optional=True, max_chars=2000),
            Step("confirm", _session_confirm, choices=CONFIRM),
        ),
        done=on_group(_add_session),
        start=start_on_group,
    )
)


@router.action("rda.sess")
async def add_session(ctx: Context) -> list[Reply]:
    return await begin_on_group(ctx, SESSION_FLOW)


@router.action("rda.sl")
async def session_list(ctx: Context) -> Reply:
    """The group's sessions with their next dates: change, cancel one date, cancel all."""
    group = await managed(ctx, int_arg(ctx))
    gid = group.id or 0
    sessions = await reading_repo(ctx).sessions(gid)
    if not sessions:
        return ctx.reply("reading.admin_no_sessions", buttons=[back_button(ctx, gid)])
    # A cancelled date is neither among the next dates nor offered to be cancelled again.
    cancelled = await reading_repo(ctx).cancelled_keys([s.id for s in sessions if s.id])
    text = ctx.t("reading.admin_sessions_head", name=group.name)
    rows: list[tuple[Button, ...]] = []
    for n, row in enumerate(sessions, start=1):
        sid = row.id or 0
        dates = upcoming([row], now=ctx.now(), limit=3, skip=cancelled)
        shown = "、".join(fmt_local(o.start, ctx.settings.zone) for _, o in dates) or "—"
        text = (
            text
            + "\n"
            + ctx.t(
                "reading.admin_session_line" if row.rule else "reading.admin_session_line_once",
                n=n,
                title=row.title,
                rule=row.rule_text or "—",
                dates=shown,
                place=place_text(row),
            )
        )
        rows.append(
            (
                ctx.button(ctx.t("reading.admin_btn_change", n=n), "rda.chg", sid),
                ctx.button(ctx.t("reading.admin_btn_cancel", n=n), "rda.cx", sid),
            )
        )
        if row.rule is not None:
            rows.append(
                tuple(
                    ctx.button(
                        ctx.t(
                            "reading.admin_btn_skip", n=n, date=ctx.local(o.start).strftime("%m-%d")
                        ),
                        "rda.skip",
                        sid,
                        o.key,
                    )
                    for _, o in dates
                )
            )
    rows.append(back_button(ctx, gid))
    return Reply(text=text, buttons=tuple(rows))


async def _change_confirm(ctx: Context, data: dict[str, Any]) -> Text:
    when = data.get("when")
    return ctx.t(
        "reading.admin_change_confirm",
        title=data["title"],
        when=_when_text(ctx, when) if when else ctx.t("reading.admin_unchanged"),
        place=_place_shown(ctx, data["place"])
        if data.get("place")
        else ctx.t("reading.admin_unchanged"),
    )


async def _start_change(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    row, group = await managed_session(ctx, int(data["session_id"]))
    return {**data, "group_id": group.id, "group": group.name, "title": row.title}


async def _apply_change(ctx: Context, group: ReadingGroup, data: dict[str, Any]) -> Reply:
    """Moves the session or changes its place; tells those who were to be reminded."""
    row, _ = await managed_session(ctx, int(data["session_id"]))
    change = SessionChange()
    if data.get("when"):
        phrase = data["when"]["phrase"]
        schedule, start = session_time(phrase, now=ctx.now(), zone=ctx.settings.zone)
        change = replace(change, schedule=schedule, starts_at=start, phrase=phrase)
    if data.get("place"):
        change = replace(change, place=data["place"]["place"], online_link=data["place"]["link"])
    if change.empty:
        return ctx.reply("reading.admin_nothing_changed", buttons=[back_button(ctx, group.id or 0)])
    told = await change_session(ctx.session, row, change, now=ctx.now(), zone=ctx.settings.zone)
    await ctx.audit.record("rd.session_change", actor=ctx.member, target=f"reading:s{row.id}")
    wake(ctx)
    return ctx.reply(
        "reading.admin_changed",
        title=row.title,
        count=told,
        buttons=[back_button(ctx, group.id or 0)],
    )


CHANGE_FLOW = router.flow(
    Flow(
        name="reading_session_change",
        title="reading.admin_change_title",
        steps=(
            Step("when", "reading.admin_new_when_prompt", parse=_when, optional=True, max_chars=80),
            Step(
                "place",
                "reading.admin_new_place_prompt",
                parse=_place,
                optional=True,
                max_chars=500,
            ),
            Step("confirm", _change_confirm, choices=CONFIRM),
        ),
        done=on_group(_apply_change),
        start=_start_change,
    )
)


@router.action("rda.chg")
async def change(ctx: Context) -> list[Reply]:
    row, _ = await managed_session(ctx, int_arg(ctx))
    return await ctx.begin(CHANGE_FLOW, {"session_id": row.id})


@router.action("rda.skip")
async def skip_date(ctx: Context) -> Reply:
    """Asks before cancelling one date of a series."""
    row, group = await managed_session(ctx, int_arg(ctx))
    occ = find_occurrence(row, ctx.args[1] if len(ctx.args) > 1 else "", now=ctx.now())
    if occ is None or occ.end <= ctx.now():
        raise UserError("reading.session_not_found")
    return ctx.reply(
        "reading.admin_skip_ask",
        title=row.title,
        when=fmt_local(occ.start, ctx.settings.zone),
        buttons=[
            [
                ctx.button("reading.admin_btn_skip_ok", "rda.skip2", row.id or 0, occ.key),
                ctx.button("reading.admin_btn_back", "rda.sl", group.id or 0),
            ]
        ],
    )


@router.action("rda.skip2")
async def skip_date_confirmed(ctx: Context) -> Reply:
    row, group = await managed_session(ctx, int_arg(ctx))
    occ = find_occurrence(row, ctx.args[1] if len(ctx.args) > 1 else "", now=ctx.now())
    if occ is None or occ.end <= ctx.now():
        raise UserError("reading.session_not_found")
    told = await cancel_occurrence(ctx.session, row, occ, now=ctx.now(), zone=ctx.settings.zone)
    if told is None:
        return ctx.reply("reading.date_already_cancelled", edit=True)
    await ctx.audit.record(
        "rd.date_cancel", actor=ctx.member, target=f"reading:s{row.id}:{occ.key}"
    )
    wake(ctx)
    return ctx.reply(
        "reading.admin_skipped",
        edit=True,
        title=row.title,
        when=fmt_local(occ.start, ctx.settings.zone),
        count=told,
        buttons=[back_button(ctx, group.id or 0)],
    )


@router.action("rda.cx")
async def cancel(ctx: Context) -> Reply:
    """Asks before cancelling a whole session (every date of a series)."""
    row, group = await managed_session(ctx, int_arg(ctx))
    return ctx.reply(
        "reading.admin_cancel_ask",
        title=row.title,
        buttons=[
            [
                ctx.button("reading.admin_btn_cancel_ok", "rda.cx2", row.id or 0),
                ctx.button("reading.admin_btn_back", "rda.sl", group.id or 0),
            ]
        ],
    )


@router.action("rda.cx2")
async def cancel_confirmed(ctx: Context) -> Reply:
    row, group = await managed_session(ctx, int_arg(ctx))
    told = await cancel_session(ctx.session, row, now=ctx.now(), zone=ctx.settings.zone)
    await ctx.audit.record("rd.session_cancel", actor=ctx.member, target=f"reading:s{row.id}")
    wake(ctx)
    return ctx.reply(
        "reading.cli_session_cancelled",
        edit=True,
        title=row.title,
        count=told,
        buttons=[back_button(ctx, group.id or 0)],
    )
