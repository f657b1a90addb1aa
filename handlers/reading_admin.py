"""书香政协 管理: the secretariat and group owners (群主) run reading groups from chat.

The secretariat creates groups (name, theme, owner, lead reader, liaison picked from the
roster by name) and manages every group; an owner manages the groups they own: reading
plan items, sessions (one-off or recurring, typed as in recurrence.parse_phrase), changing a
session's time or place, cancelling it or one date of it, assigning members in bulk by
专委会 / 界别, and the check-in and notes report with its XLSX export.

Every button and every flow step is checked again on arrival: the group must exist and the
presser must be secretariat or that group's owner at that moment (an owner replaced since
the button was shown is refused). Changes re-plan the group's reminders in the same
transaction; who was to be reminded is told through the outbox.

```mermaid
flowchart LR
  home[/reading_admin/] --> group[group page]
  home -->|secretariat| new[new group flow]
  group --> plan[plan item flow] & session[session flow] & assign[bulk assign flow]
  group --> sessions[session list] --> change[change flow] & skip[cancel one date] & cancel[cancel session]
  group --> report[report] --> xlsx[XLSX]
```
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from bot.context import Context
from bot.domain.reading_period import parse_period
from bot.domain.roles import Role
from bot.errors import UserError
from bot.flows import Choice, Flow, Step
from bot.reading_planner import replan_group
from bot.reading_report import build_report, report_xlsx
from bot.reading_service import (
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
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Button, OutDocument, Reply
from storage.reading_repo import ReadingRepo
from storage.tables import Conversation, ReadingGroup, ReadingSession

__all__ = [
    "ASSIGN_FLOW",
    "CHANGE_FLOW",
    "GROUP_FLOW",
    "PLAN_FLOW",
    "SESSION_FLOW",
    "can_manage_any",
    "router",
]

router = Router("reading_admin")
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CONFIRM = (Choice("ok", "reading.admin_btn_confirm"), Choice("no", "reading.admin_btn_drop"))
_REPORT_LINES = 12


def _repo(ctx: Context) -> ReadingRepo:
    return ReadingRepo(ctx.session)


def _me(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id


def _int_arg(ctx: Context, index: int = 0) -> int:
    if len(ctx.args) <= index or not ctx.args[index].isdigit():
        raise UserError("core.button_forged")
    return int(ctx.args[index])


def _staff(ctx: Context) -> bool:
    return ctx.has(Role.SECRETARIAT)


async def _managed(ctx: Context, group_id: int) -> ReadingGroup:
    """The group, if the presser may manage it now: secretariat, or its current owner."""
    group = await _repo(ctx).group(group_id)
    if group is None or group.archived_at is not None:
        raise UserError("reading.group_gone")
    if not _staff(ctx) and group.owner_member_id != _me(ctx):
        raise UserError("reading.admin_not_owner", name=group.name)
    return group


async def _managed_session(ctx: Context, session_id: int) -> tuple[ReadingSession, ReadingGroup]:
    row = await _repo(ctx).reading_session(session_id)
    if row is None or row.cancelled_at is not None:
        raise UserError("reading.session_not_found")
    return row, await _managed(ctx, row.group_id)


async def can_manage_any(ctx: Context) -> bool:
    """Whether /reading shows the management button."""
    if _staff(ctx):
        return True
    return any(g.owner_member_id == _me(ctx) for g in await _repo(ctx).groups())


async def _replan(ctx: Context, group_id: int) -> None:
    await replan_group(_repo(ctx), group_id, now=ctx.now(), zone=ctx.settings.zone)
    _poke(ctx)


def _poke(ctx: Context) -> None:
    """Wake the reminder task after the commit (the change may bring a reminder forward)."""
    scheduler = ctx.services.extras.get("scheduler")
    if scheduler is not None:
        ctx.after_commit.append(lambda: scheduler.poke("reading"))
    ctx.after_commit.append(ctx.services.wake_delivery)


def _back(ctx: Context, group_id: int) -> tuple[Button, ...]:
    return (ctx.button("reading.admin_btn_back", "rda.g", group_id),)


# -- home and group page ----------------------------------------------------------------
@router.command("reading_admin", "读书管理")
async def home(ctx: Context) -> Reply:
    """The groups this person manages; the secretariat may also create one."""
    groups = await _repo(ctx).groups()
    if not _staff(ctx):
        groups = [g for g in groups if g.owner_member_id == _me(ctx)]
        if not groups:
            return ctx.reply("reading.admin_none")
    rows = [
        (ctx.button(ctx.t("reading.admin_btn_group", name=g.name), "rda.g", g.id or 0),)
        for g in groups
    ]
    if _staff(ctx):
        rows.append((ctx.button("reading.admin_btn_new", "rda.new"),))
    key = "reading.admin_home" if groups else "reading.admin_home_empty"
    return ctx.reply(key, buttons=rows)


@router.action("rda.home")
async def home_again(ctx: Context) -> Reply:
    return await home(ctx)


@router.action("rda.g")
async def group_page(ctx: Context) -> Reply:
    """One group at a glance, with what can be done to it."""
    group = await _managed(ctx, _int_arg(ctx))
    gid = group.id or 0
    repo = _repo(ctx)
    names = await repo.member_names(
        [i for i in (group.owner_member_id, group.lead_member_id, group.liaison_member_id) if i]
    )
    return ctx.reply(
        "reading.admin_group",
        name=group.name,
        theme=group.theme or "—",
        owner=names.get(group.owner_member_id or 0, "—"),
        lead=names.get(group.lead_member_id or 0, "—"),
        liaison=names.get(group.liaison_member_id or 0, "—"),
        members=len(await repo.memberships(gid)),
        plan=len(await repo.plan(gid)),
        sessions=len(await repo.sessions(gid)),
        buttons=[
            [
                ctx.button("reading.admin_btn_plan", "rda.plan", gid),
                ctx.button("reading.admin_btn_session", "rda.sess", gid),
            ],
            [
                ctx.button("reading.admin_btn_sessions", "rda.sl", gid),
                ctx.button("reading.admin_btn_assign", "rda.asg", gid),
            ],
            [
                ctx.button("reading.admin_btn_report", "rda.rep", gid),
                ctx.button("reading.admin_btn_xlsx", "rda.xlsx", gid),
            ],
        ],
    )


# -- creating a group (secretariat) -------------------------------------------------------
async def _group_name(ctx: Context, data: dict[str, Any], text: str) -> str:
    """A free, valid name (checked again when the group is created)."""
    name = text.strip()
    if len(name) > 64:
        raise UserError("reading.group_name_invalid")
    if await _repo(ctx).group_by_name(name) is not None:
        raise UserError("reading.group_exists", name=name)
    return name


async def _person(ctx: Context, data: dict[str, Any], text: str) -> int:
    """A roster member by full name, phone, or a part of the name that only one has."""
    query = text.strip()
    found = await ctx.roster.by_name(query)
    if not found and query.isdigit():
        by_phone = await ctx.roster.by_phone(query)
        found = [by_phone] if by_phone is not None and by_phone.status == "active" else []
    if not found:
        found = await ctx.roster.search(query)
    if not found:
        raise UserError("reading.admin_nobody", name=query)
    if len(found) > 1:
        listed = "、".join(
            ctx.services.catalogue.s("reading.admin_many_item", name=m.name, where=m.sector or "—")
            for m in found[:8]
        )
        raise UserError("reading.admin_many", name=query, names=listed)
    assert found[0].id is not None
    return found[0].id


async def _group_confirm(ctx: Context, data: dict[str, Any]) -> Text:
    """Shows the new group back before it is created."""
    names = await _repo(ctx).member_names(
        [data[k] for k in ("owner", "lead", "liaison") if data.get(k)]
    )
    return ctx.t(
        "reading.admin_group_confirm",
        name=data["name"],
        theme=data.get("theme") or "—",
        owner=names.get(data.get("owner") or 0, "—"),
        lead=names.get(data.get("lead") or 0, "—"),
        liaison=names.get(data.get("liaison") or 0, "—"),
    )


async def _create_group(ctx: Context, conversation: Conversation) -> Reply:
    """Creates the group; its owner, lead reader and liaison join it."""
    data = conversation.data
    if data.get("confirm") != "ok":
        return ctx.reply("reading.admin_dropped")
    if not _staff(ctx):
        raise UserError("core.access_denied")
    repo = _repo(ctx)
    group = await repo.create_group(
        name=data["name"],
        theme=data.get("theme") or "",
        owner_member_id=data.get("owner"),
        lead_member_id=data.get("lead"),
        liaison_member_id=data.get("liaison"),
        created_by=f"chat:m{_me(ctx)}",
    )
    assert group.id is not None
    people = [data[k] for k in ("owner", "lead", "liaison") if data.get(k)]
    await repo.join_many(group.id, people, via="admin", now=ctx.now())
    await ctx.audit.record("rd.group_add", actor=ctx.member, target=f"reading:g{group.id}")
    await _replan(ctx, group.id)
    return ctx.reply("reading.admin_group_created", name=group.name, buttons=[_back(ctx, group.id)])


GROUP_FLOW = router.flow(
    Flow(
        name="reading_group_new",
        title="reading.admin_group_title",
        steps=(
            Step("name", "reading.admin_name_prompt", parse=_group_name, max_chars=64),
            Step("theme", "reading.admin_theme_prompt", optional=True, max_chars=128),
            Step("owner", "reading.admin_owner_prompt", parse=_person, optional=True, max_chars=40),
            Step("lead", "reading.admin_lead_prompt", parse=_person, optional=True, max_chars=40),
            Step(
                "liaison",
                "reading.admin_liaison_prompt",
                parse=_person,
                optional=True,
                max_chars=40,
            ),
            Step("confirm", _group_confirm, choices=_CONFIRM),
        ),
        done=_create_group,
        roles=SECRETARIAT,
    )
)


@router.action("rda.new", roles=SECRETARIAT)
async def new_group(ctx: Context) -> list[Reply]:
    return await ctx.begin(GROUP_FLOW)


# -- flows on one group: shared start and done checks --------------------------------------
async def _start_on_group(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    group = await _managed(ctx, int(data["group_id"]))
    return {**data, "group": group.name}


def _on_group(
    apply: Callable[[Context, ReadingGroup, dict[str, Any]], Awaitable[Reply]],
) -> Callable[[Context, Conversation], Awaitable[Reply]]:
    """A flow's ``done``: confirmed, and the person still manages the group."""

    async def done(ctx: Context, conversation: Conversation) -> Reply:
        data = conversation.data
        if data.get("confirm", "ok") != "ok":
            return ctx.reply("reading.admin_dropped", buttons=[_back(ctx, int(data["group_id"]))])
        group = await _managed(ctx, int(data["group_id"]))
        return await apply(ctx, group, data)

    return done


async def _begin_on_group(ctx: Context, flow: Flow) -> list[Reply]:
    group = await _managed(ctx, _int_arg(ctx))
    return await ctx.begin(flow, {"group_id": group.id})


# -- reading plan ---------------------------------------------------------------------------
def _book(ctx: Context, data: dict[str, Any], text: str) -> str:
    book = text.strip().strip("《》").strip()
    if not book or len(book) > 128:
        raise UserError("reading.book_invalid")
    return book


def _period(ctx: Context, data: dict[str, Any], text: str) -> list[str]:
    start, end = parse_period(text, today=ctx.local(ctx.now()).date())
    return [start.isoformat(), end.isoformat()]


async def _add_plan(ctx: Context, group: ReadingGroup, data: dict[str, Any]) -> Reply:
    """Adds the book or chapter; members get the nudge when its period starts."""
    start, end = (date.fromisoformat(d) for d in data["period"])
    item = await _repo(ctx).add_plan_item(
        group_id=group.id or 0,
        book=data["book"],
        chapter=data.get("chapter") or "",
        starts_on=start,
        ends_on=end,
    )
    await _replan(ctx, group.id or 0)
    return ctx.reply(
        "reading.cli_plan_added",
        book=item.book,
        chapter=item.chapter,
        start=item.starts_on.isoformat(),
        end=item.ends_on.isoformat(),
        buttons=[_back(ctx, group.id or 0)],
    )


PLAN_FLOW = router.flow(
    Flow(
        name="reading_plan_add",
        title="reading.admin_plan_title",
        steps=(
            Step("book", "reading.admin_book_prompt", parse=_book, max_chars=130),
            Step("chapter", "reading.admin_chapter_prompt", optional=True, max_chars=128),
            Step("period", "reading.admin_period_prompt", parse=_period, max_chars=60),
        ),
        done=_on_group(_add_plan),
        start=_start_on_group,
    )
)


@router.action("rda.plan")
async def add_plan(ctx: Context) -> list[Reply]:
    return await _begin_on_group(ctx, PLAN_FLOW)


# -- sessions ---------------------------------------------------------------------------------
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
    row = await _repo(ctx).add_session(
        group_id=group.id or 0,
        title=data["title"],
        starts_at=start,
        rule=schedule.rule,
        rule_text=data["when"]["phrase"],
        timezone=ctx.settings.timezone,
        place=place.get("place", ""),
        online_link=place.get("link", ""),
        agenda=data.get("agenda") or "",
        created_by=f"chat:m{_me(ctx)}",
    )
    await ctx.audit.record("rd.session_add", actor=ctx.member, target=f"reading:s{row.id}")
    await _replan(ctx, group.id or 0)
    return ctx.reply(
        "reading.admin_session_added",
        title=row.title,
        when=fmt_local(start, ctx.settings.zone),
        buttons=[_back(ctx, group.id or 0)],
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
            Step("confirm", _session_confirm, choices=_CONFIRM),
        ),
        done=_on_group(_add_session),
        start=_start_on_group,
    )
)


@router.action("rda.sess")
async def add_session(ctx: Context) -> list[Reply]:
    return await _begin_on_group(ctx, SESSION_FLOW)


@router.action("rda.sl")
async def session_list(ctx: Context) -> Reply:
    """The group's sessions with their next dates: change, cancel one date, cancel all."""
    group = await _managed(ctx, _int_arg(ctx))
    gid = group.id or 0
    sessions = await _repo(ctx).sessions(gid)
    if not sessions:
        return ctx.reply("reading.admin_no_sessions", buttons=[_back(ctx, gid)])
    text = ctx.t("reading.admin_sessions_head", name=group.name)
    rows: list[tuple[Button, ...]] = []
    for n, row in enumerate(sessions, start=1):
        sid = row.id or 0
        dates = upcoming([row], now=ctx.now(), limit=3)
        shown = "、".join(fmt_local(o.start, ctx.settings.zone) for _, o in dates) or "—"
        text = (
            text
            + "\n"
            + ctx.t(
                "reading.admin_session_line",
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
    rows.append(_back(ctx, gid))
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
    row, group = await _managed_session(ctx, int(data["session_id"]))
    return {**data, "group_id": group.id, "group": group.name, "title": row.title}


async def _apply_change(ctx: Context, group: ReadingGroup, data: dict[str, Any]) -> Reply:
    """Moves the session or changes its place; tells those who were to be reminded."""
    row, _ = await _managed_session(ctx, int(data["session_id"]))
    change = SessionChange()
    if data.get("when"):
        phrase = data["when"]["phrase"]
        schedule, start = session_time(phrase, now=ctx.now(), zone=ctx.settings.zone)
        change = replace(change, schedule=schedule, starts_at=start, phrase=phrase)
    if data.get("place"):
        change = replace(change, place=data["place"]["place"], online_link=data["place"]["link"])
    if change.empty:
        return ctx.reply("reading.admin_nothing_changed", buttons=[_back(ctx, group.id or 0)])
    told = await change_session(ctx.session, row, change, now=ctx.now(), zone=ctx.settings.zone)
    await ctx.audit.record("rd.session_change", actor=ctx.member, target=f"reading:s{row.id}")
    _poke(ctx)
    return ctx.reply(
        "reading.admin_changed", title=row.title, count=told, buttons=[_back(ctx, group.id or 0)]
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
            Step("confirm", _change_confirm, choices=_CONFIRM),
        ),
        done=_on_group(_apply_change),
        start=_start_change,
    )
)


@router.action("rda.chg")
async def change(ctx: Context) -> list[Reply]:
    row, _ = await _managed_session(ctx, _int_arg(ctx))
    return await ctx.begin(CHANGE_FLOW, {"session_id": row.id})


@router.action("rda.skip")
async def skip_date(ctx: Context) -> Reply:
    """Asks before cancelling one date of a series."""
    row, group = await _managed_session(ctx, _int_arg(ctx))
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
    row, group = await _managed_session(ctx, _int_arg(ctx))
    occ = find_occurrence(row, ctx.args[1] if len(ctx.args) > 1 else "", now=ctx.now())
    if occ is None or occ.end <= ctx.now():
        raise UserError("reading.session_not_found")
    told = await cancel_occurrence(ctx.session, row, occ, now=ctx.now(), zone=ctx.settings.zone)
    if told is None:
        return ctx.reply("reading.date_already_cancelled", edit=True)
    await ctx.audit.record(
        "rd.date_cancel", actor=ctx.member, target=f"reading:s{row.id}:{occ.key}"
    )
    _poke(ctx)
    return ctx.reply(
        "reading.admin_skipped",
        edit=True,
        title=row.title,
        when=fmt_local(occ.start, ctx.settings.zone),
        count=told,
        buttons=[_back(ctx, group.id or 0)],
    )


@router.action("rda.cx")
async def cancel(ctx: Context) -> Reply:
    """Asks before cancelling a whole session (every date of a series)."""
    row, group = await _managed_session(ctx, _int_arg(ctx))
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
    row, group = await _managed_session(ctx, _int_arg(ctx))
    told = await cancel_session(ctx.session, row, now=ctx.now(), zone=ctx.settings.zone)
    await ctx.audit.record("rd.session_cancel", actor=ctx.member, target=f"reading:s{row.id}")
    _poke(ctx)
    return ctx.reply(
        "reading.cli_session_cancelled",
        edit=True,
        title=row.title,
        count=told,
        buttons=[_back(ctx, group.id or 0)],
    )


# -- bulk assignment by 专委会 / 界别 -----------------------------------------------------------
_BY = (
    Choice("committee", "reading.admin_by_committee"),
    Choice("sector", "reading.admin_by_sector"),
)


async def _values(ctx: Context, data: dict[str, Any]) -> list[Choice]:
    """The committees (or sectors) present on the roster."""
    people = await ctx.roster.list()
    found = sorted({getattr(m, data["by"]) for m in people if getattr(m, data["by"])})
    return [Choice(v, Text.plain(v)) for v in found[:40]]


async def _matching(ctx: Context, data: dict[str, Any]) -> list[int]:
    kind, value = data["by"], data["value"]
    people = await ctx.roster.list(**{kind: value})
    return [m.id for m in people if m.id is not None]


async def _assign_confirm(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t(
        "reading.admin_assign_confirm",
        group=data["group"],
        value=data["value"],
        count=len(await _matching(ctx, data)),
    )


async def _assign(ctx: Context, group: ReadingGroup, data: dict[str, Any]) -> Reply:
    """Adds everyone matching now (the roster may have changed while the flow waited)."""
    ids = await _matching(ctx, data)
    via = f"bulk:{data['by']}:{data['value']}"
    added = await _repo(ctx).join_many(group.id or 0, ids, via=via, now=ctx.now())
    await ctx.audit.record(
        "rd.assign",
        actor=ctx.member,
        target=f"reading:g{group.id}",
        by=data["by"],
        value=data["value"],
    )
    await _replan(ctx, group.id or 0)
    return ctx.reply(
        "reading.cli_assigned", added=added, matched=len(ids), buttons=[_back(ctx, group.id or 0)]
    )


ASSIGN_FLOW = router.flow(
    Flow(
        name="reading_assign",
        title="reading.admin_assign_title",
        steps=(
            Step("by", "reading.admin_by_prompt", choices=_BY),
            Step("value", "reading.admin_value_prompt", choices=_values, columns=1),
            Step("confirm", _assign_confirm, choices=_CONFIRM),
        ),
        done=_on_group(_assign),
        start=_start_on_group,
    )
)


@router.action("rda.asg")
async def assign(ctx: Context) -> list[Reply]:
    return await _begin_on_group(ctx, ASSIGN_FLOW)


# -- report and export --------------------------------------------------------------------
@router.action("rda.rep")
async def report(ctx: Context) -> Reply:
    """Per session date: who checked in, how many asked for leave; per member: totals."""
    group = await _managed(ctx, _int_arg(ctx))
    found = await build_report(_repo(ctx), group)
    zone = ctx.settings.zone
    none = str(ctx.t("reading.record_none"))
    text = ctx.t("reading.admin_report_head", name=group.name, members=found.current_members)
    if not found.occurrences:
        text += ctx.t("reading.admin_report_no_sessions")
    for line in found.occurrences[-_REPORT_LINES:]:
        text = (
            text
            + "\n"
            + ctx.t(
                "reading.admin_report_session",
                when=fmt_local(line.starts_at, zone),
                title=line.title,
                checked=len(line.checkins),
                members=found.current_members,
                leave=sum(1 for a in line.rsvps.values() if a == "no"),
                who="、".join(found.name(m) for m in sorted(line.checkins)) or none,
                cancelled=ctx.t("reading.admin_report_cancelled") if line.cancelled else "",
            )
        )
    text += ctx.t("reading.admin_report_members_head")
    for m in found.members[:50]:
        text = (
            text
            + "\n"
            + ctx.t(
                "reading.admin_report_member",
                name=m.name,
                attended=m.attended,
                notes=m.notes,
                left="" if m.current else ctx.t("reading.admin_report_left"),
            )
        )
    gid = group.id or 0
    return Reply(
        text=text,
        buttons=(
            (ctx.button("reading.admin_btn_xlsx", "rda.xlsx", gid),),
            _back(ctx, gid),
        ),
    )


@router.action("rda.xlsx")
async def export(ctx: Context) -> Reply:
    group = await _managed(ctx, _int_arg(ctx))
    found = await build_report(_repo(ctx), group)
    day = ctx.local(ctx.now()).strftime("%Y%m%d")
    return ctx.reply(
        "reading.admin_xlsx_caption",
        name=group.name,
        document=OutDocument(
            file_name=ctx.services.catalogue.s("reading.admin_xlsx_name", id=group.id, day=day),
            content=report_xlsx(found, zone=ctx.settings.zone),
            mime_type=_XLSX,
        ),
    )
