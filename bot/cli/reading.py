"""``committee-bot reading``: the secretariat's reading-group commands."""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import catalogue
from bot.cli.common import echo, open_app, run_async, settings_from
from bot.cli.core import find_member
from bot.errors import UserError
from bot.reading import admin
from bot.reading.report import build_report, report_xlsx
from bot.reading.service import fmt_local
from storage.reading import ReadingRepo
from storage.tables import ReadingCheckin, ReadingGroup, ReadingNote

__all__ = ["reading", "reading_section"]


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


async def _group_named(repo: ReadingRepo, name: str) -> ReadingGroup:
    group = await repo.group_by_name(name)
    if group is None and name.isdigit():
        group = await repo.group(int(name))
    if group is None:
        raise UserError("reading.group_not_found", name=name)
    return group


@click.group()
def reading() -> None:
    """书香政协：读书小组、阅读计划、读书活动、打卡与读书心得。"""


@reading.command("groups")
@click.pass_context
def groups(ctx: click.Context) -> None:
    """列出读书小组。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            repo = ReadingRepo(session)
            for g in await repo.groups():
                echo(
                    "reading.cli_group_row",
                    id=g.id,
                    name=g.name,
                    theme=g.theme,
                    members=len(await repo.memberships(g.id or 0)),
                    sessions=len(await repo.sessions(g.id)),
                )

    run_async(go())


@reading.command("add-group")
@click.argument("name")
@click.option("--theme", default="", help="读书主题")
@click.option("--owner", default=None, help="群主（姓名或手机号）")
@click.option("--lead", default=None, help="领读人")
@click.option("--liaison", default=None, help="联络员")
@click.option("--offsets", default="1d@20:00,1h", show_default=True, help="提醒时间")
@click.pass_context
def add_group(
    ctx: click.Context,
    name: str,
    theme: str,
    owner: str | None,
    lead: str | None,
    liaison: str | None,
    offsets: str,
) -> None:
    """创建读书小组。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app:
            people = {}
            for role, who in (("owner", owner), ("lead", lead), ("liaison", liaison)):
                people[role] = (await find_member(app, who)).id if who else None
            async with app.db.session() as session:
                group = await admin.add_group(
                    session, name=name, theme=theme, offsets=offsets, people=people, actor=_actor()
                )
            echo("reading.cli_group_added", name=group.name, id=group.id)

    run_async(go())


@reading.command("add-plan")
@click.argument("group")
@click.argument("book")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="开始日期")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="结束日期")
@click.option("--chapter", default="", help="章节")
@click.option("--author", default="", help="作者")
@click.pass_context
def add_plan(
    ctx: click.Context,
    group: str,
    book: str,
    start: datetime,
    end: datetime,
    chapter: str,
    author: str,
) -> None:
    """添加阅读计划（一本书或一个章节及其阅读时段）。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            repo = ReadingRepo(session)
            item = await admin.add_plan(
                session,
                await _group_named(repo, group),
                book=book,
                chapter=chapter,
                author=author,
                starts_on=start.date(),
                ends_on=end.date(),
                now=app.services.clock(),
                zone=settings.zone,
                actor=_actor(),
            )
            echo(
                "reading.cli_plan_added",
                book=item.book,
                chapter=item.chapter,
                start=item.starts_on.isoformat(),
                end=item.ends_on.isoformat(),
            )

    run_async(go())


@reading.command("add-session")
@click.argument("group")
@click.argument("title")
@click.option(
    "--when", "phrase", required=True, help="如：每月第二个星期四 19:30；2025年3月13日 19:30"
)
@click.option("--rule", default=None, help="直接给出 RRULE（高级）；时间仍取自 --when")
@click.option("--duration", default=90, show_default=True, help="分钟")
@click.option("--place", default="", help="地点")
@click.option("--link", default="", help="线上会议链接")
@click.option("--agenda", default="", help="议程")
@click.pass_context
def add_session(
    ctx: click.Context,
    group: str,
    title: str,
    phrase: str,
    rule: str | None,
    duration: int,
    place: str,
    link: str,
    agenda: str,
) -> None:
    """安排读书活动（一次性或重复）。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            repo = ReadingRepo(session)
            row, parsed = await admin.add_session(
                session,
                await _group_named(repo, group),
                title=title,
                phrase=phrase,
                rule=rule,
                duration=duration,
                place=place,
                link=link,
                agenda=agenda,
                now=app.services.clock(),
                zone=settings.zone,
                actor=_actor(),
            )
            start = row.starts_at
            repeat = catalogue().s("reading.cli_session_rule", rule=phrase) if parsed.rule else ""
            echo(
                "reading.cli_session_added",
                title=row.title,
                id=row.id,
                when=catalogue().s(
                    "reading.session_when_first" if parsed.rule else "reading.session_when_once",
                    when=fmt_local(start, settings.zone),
                ),
                rule=repeat,
            )

    run_async(go())


@reading.command("cancel-session")
@click.argument("session_id", type=int)
@click.option(
    "--date", "day", default=None, type=click.DateTime(["%Y-%m-%d"]), help="只取消这一天的一次"
)
@click.pass_context
def cancel(ctx: click.Context, session_id: int, day: datetime | None) -> None:
    """取消读书活动（或用 --date 取消重复活动中的一次），并通知原本会收到提醒的委员。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            row = await admin.live_session(session, session_id)
            now, zone = app.services.clock(), settings.zone
            if day is None:
                count = await admin.cancel_whole(session, row, now=now, zone=zone, actor=_actor())
                echo("reading.cli_session_cancelled", title=row.title, count=count)
                return
            occ, told = await admin.cancel_date(
                session, row, day.date(), now=now, zone=zone, actor=_actor()
            )
            echo(
                "reading.cli_date_cancelled",
                title=row.title,
                when=fmt_local(occ.start, zone),
                count=told,
            )

    run_async(go())


@reading.command("change-session")
@click.argument("session_id", type=int)
@click.option("--when", "phrase", default=None, help="新的时间，如：每月第二个星期四 20:00")
@click.option("--place", default=None, help="新的地点")
@click.option("--link", default=None, help="新的线上会议链接")
@click.option("--agenda", default=None, help="新的议程")
@click.pass_context
def change(
    ctx: click.Context,
    session_id: int,
    phrase: str | None,
    place: str | None,
    link: str | None,
    agenda: str | None,
) -> None:
    """修改读书活动的时间或地点，并通知原本会收到提醒的委员；提醒随之重新安排。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            row = await admin.live_session(session, session_id)
            count = await admin.change(
                session,
                row,
                phrase=phrase,
                place=place,
                link=link,
                agenda=agenda,
                now=app.services.clock(),
                zone=settings.zone,
                actor=_actor(),
            )
            echo("reading.cli_session_changed", title=row.title, count=count)

    run_async(go())


@reading.command("assign")
@click.argument("group")
@click.option("--committee", default=None, help="专委会")
@click.option("--sector", default=None, help="界别")
@click.pass_context
def assign(ctx: click.Context, group: str, committee: str | None, sector: str | None) -> None:
    """按专委会或界别批量加入读书小组。"""
    settings = settings_from(ctx)
    if not committee and not sector:
        raise UserError("reading.cli_need_filter")

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            added, matched = await admin.assign(
                session,
                await _group_named(ReadingRepo(session), group),
                committee=committee,
                sector=sector,
                now=app.services.clock(),
                zone=settings.zone,
                actor=_actor(),
            )
            echo("reading.cli_assigned", added=added, matched=matched)

    run_async(go())


@reading.command("report")
@click.argument("group")
@click.option(
    "--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), help="导出明细到 XLSX 文件。"
)
@click.pass_context
def report(ctx: click.Context, group: str, xlsx: Path | None) -> None:
    """每次活动的打卡与心得；--xlsx 导出明细。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            repo = ReadingRepo(session)
            found = await build_report(repo, await _group_named(repo, group))
            for line in found.occurrences:
                echo(
                    "reading.cli_report_row",
                    when=fmt_local(line.starts_at, settings.zone),
                    title=line.title,
                    checked=len(line.checkins),
                    members=found.current_members,
                    notes=line.notes,
                )
            for m in found.members:
                echo("reading.cli_report_member", name=m.name, attended=m.attended, notes=m.notes)
            if xlsx is not None:
                xlsx.write_bytes(report_xlsx(found, zone=settings.zone))
                echo("reading.cli_exported", path=str(xlsx))

    run_async(go())


async def reading_section(session: AsyncSession, year: int, zone: ZoneInfo) -> list[str]:
    """``stats``: reading groups, sessions held, check-ins and notes in the year."""
    start, end = datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)

    async def count(stmt: Any) -> int:
        return int((await session.exec(stmt)).one())

    groups = await count(
        select(func.count())
        .select_from(ReadingGroup)
        .where(col(ReadingGroup.archived_at).is_(None))
    )
    held = await count(
        select(func.count(func.distinct(ReadingCheckin.occurrence_id))).where(
            col(ReadingCheckin.at) >= start, col(ReadingCheckin.at) < end
        )
    )
    checkins = await count(
        select(func.count())
        .select_from(ReadingCheckin)
        .where(col(ReadingCheckin.at) >= start, col(ReadingCheckin.at) < end)
    )
    notes = await count(
        select(func.count())
        .select_from(ReadingNote)
        .where(col(ReadingNote.created_at) >= start, col(ReadingNote.created_at) < end)
    )
    return [
        catalogue().s(
            "reading.stats", year=year, groups=groups, held=held, checkins=checkins, notes=notes
        )
    ]
