"""``committee-bot stats --year YYYY``: the figures a work report quotes.

Each capability contributes a section: an async function (session, year, zone) returning
lines of text. Add yours to ``SECTIONS`` below, in report order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import catalogue
from bot.cli.common import open_app, run_async, settings_from
from bot.cli.notices import notices_stats_section
from bot.cli.proposals import proposals_section
from bot.cli.reading import reading_section
from storage.tables import Identity, InboxMessage, Member

__all__ = ["SECTIONS", "StatsSection", "stats", "year_bounds"]

StatsSection = Callable[[AsyncSession, int, ZoneInfo], Awaitable[list[str]]]


def year_bounds(year: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The committee's calendar year as an aware [start, end) pair."""
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


async def roster_section(session: AsyncSession, year: int, zone: ZoneInfo) -> list[str]:
    active = (
        await session.exec(
            select(func.count()).select_from(Member).where(Member.status == "active")
        )
    ).one()
    verified = (
        await session.exec(
            select(func.count(func.distinct(Identity.member_id))).where(
                col(Identity.unreachable_at).is_(None)
            )
        )
    ).one()
    start, end = year_bounds(year, zone)
    messages = (
        await session.exec(
            select(func.count())
            .select_from(InboxMessage)
            .where(col(InboxMessage.created_at) >= start, col(InboxMessage.created_at) < end)
        )
    ).one()
    c = catalogue()
    return [
        c.s("stats.roster", active=active, verified=verified),
        c.s("stats.inbox", year=year, messages=messages),
    ]


SECTIONS: list[StatsSection] = [
    roster_section,
    proposals_section,
    notices_stats_section,
    reading_section,
]


@click.command()
@click.option("--year", type=int, default=None, help="年份（默认今年）。")
@click.pass_context
def stats(ctx: click.Context, year: int | None) -> None:
    """打印工作报告常用的统计数字。"""
    settings = settings_from(ctx)
    year = year or datetime.now(settings.zone).year

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            click.echo(catalogue().s("stats.title", committee=settings.committee_name, year=year))
            for section in SECTIONS:
                for line in await section(session, year, settings.zone):
                    click.echo(line)

    run_async(go())
