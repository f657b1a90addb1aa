"""``committee-bot proposals ...`` and ``committee-bot stats``: the secretariat's proposal work
from the terminal, through the same ``Office`` operations as the chat (notifications included).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import catalogue
from bot.cli.common import echo, open_app, run_async, settings_from
from bot.proposals.config import GROUNDS, rules
from bot.proposals.documents.docx import format_date
from bot.proposals.documents.xlsx import proposals_xlsx
from bot.proposals.excellence import mark_excellent
from bot.proposals.office import Office, deadline_day, proposal_label
from bot.proposals.proposal_lifecycle import AnswerCategory, Conversion
from bot.proposals.stats import format_stats, year_stats
from bot.settings import Settings
from storage.proposals import Proposals, Reports, SignerStatus
from storage.tables import Proposal

__all__ = ["proposals", "proposals_section", "run_office"]

T = TypeVar("T")


async def _with_office(settings: Settings, work: Callable[[Office], Awaitable[T]]) -> T:
    async with open_app(settings) as app, app.db.session() as session:
        office = Office(
            session=session,
            catalogue=app.services.catalogue,
            signer=app.services.signer,
            zone=settings.zone,
            actor_label="cli",
        )
        return await work(office)


def run_office(ctx: click.Context, work: Callable[[Office], Awaitable[T]]) -> T:
    return run_async(_with_office(settings_from(ctx), work))


@click.group()
def proposals() -> None:
    """提案：审查、立案、交办、答复、导出。"""


@proposals.command("list")
@click.option("--year", type=int, default=None, help="年份（默认今年）。")
@click.pass_context
def list_(ctx: click.Context, year: int | None) -> None:
    """列出某年的提案（编号、状态、案由）。"""
    settings = settings_from(ctx)
    year = year or datetime.now(settings.zone).year

    async def work(office: Office) -> None:
        cat = catalogue()
        for p in await office.proposals.of_year(year):
            click.echo(
                cat.s(
                    "proposals.cli_line",
                    label=proposal_label(p),
                    status=cat.s(f"proposals.status.{p.status}"),
                    title=p.title,
                    name=p.proposer.get("name", ""),
                )
            )

    run_office(ctx, work)


def _done(key: str, **params: Any) -> None:
    echo(key, **params)


@proposals.command()
@click.argument("ref")
@click.pass_context
def register(ctx: click.Context, ref: str) -> None:
    """立案（编号按配置的格式自动生成）。REF 为 #id 或编号。"""
    p = run_office(ctx, lambda o: o.register(ref))
    _done("proposals.done_register", label=proposal_label(p), title=p.title)


@proposals.command()
@click.argument("ref")
@click.option("--ground", type=click.Choice(GROUNDS), required=True, help="不予立案的理由")
@click.option("--note", default="", help="给提案人的说明")
@click.option(
    "--convert",
    type=click.Choice([c.value for c in Conversion]),
    default=None,
    help="转为社情民意信息或意见建议",
)
@click.pass_context
def decline(ctx: click.Context, ref: str, ground: str, note: str, convert: str | None) -> None:
    """不予立案，附理由和说明，可转为社情民意信息或意见建议。"""
    conversion = Conversion(convert) if convert else None
    p = run_office(ctx, lambda o: o.decline(ref, ground=ground, note=note, convert_to=conversion))
    _done("proposals.done_decline", title=p.title)


@proposals.command()
@click.argument("ref")
@click.argument("into")
@click.pass_context
def merge(ctx: click.Context, ref: str, into: str) -> None:
    """并案：REF 并入 INTO（已立案的提案）。"""
    p = run_office(ctx, lambda o: o.merge(ref, into))
    _done("proposals.done_merge", title=p.title, into=into)


@proposals.command()
@click.argument("ref")
@click.option("--lead", required=True, help="主办单位")
@click.option("--co", multiple=True, help="会办单位（可重复）")
@click.pass_context
def assign(ctx: click.Context, ref: str, lead: str, co: tuple[str, ...]) -> None:
    """交办给主办单位和会办单位（期限默认三个月）。"""
    zone = settings_from(ctx).zone
    p = run_office(ctx, lambda o: o.assign(ref, lead_unit=lead, co_units=co))
    _done(
        "proposals.done_assign",
        label=proposal_label(p),
        lead_unit=p.lead_unit,
        # the committee's day, as chat says it (in Beijing the UTC date lags until 08:00)
        deadline=format_date(p.deadline_at, zone),
    )


@proposals.command()
@click.argument("ref")
@click.pass_context
def key(ctx: click.Context, ref: str) -> None:
    """标记为重点提案。"""
    p = run_office(ctx, lambda o: o.mark_key(ref))
    _done("proposals.done_key", label=proposal_label(p))


@proposals.command()
@click.argument("ref")
@click.option("--undo", is_flag=True, help="撤销优秀提案。")
@click.pass_context
def excellent(ctx: click.Context, ref: str, undo: bool) -> None:
    """评为优秀提案（--undo 撤销），计入第一提案人和联名委员的履职档案。"""
    p = run_office(ctx, lambda o: mark_excellent(o, ref, flag=not undo))
    key = "proposal_roles.done_excellent_undo" if undo else "proposal_roles.done_excellent"
    _done(key, label=proposal_label(p), title=p.title)


@proposals.command()
@click.argument("ref")
@click.option(
    "--category",
    type=click.Choice([c.value for c in AnswerCategory]),
    required=True,
    help="答复类别：A 已解决，B 正在解决或列入计划，C 留作参考",
)
@click.option("--text", default="", help="答复内容摘要")
@click.option(
    "--file", "file", type=click.Path(exists=True, dir_okay=False), help="答复文件（会发给提案人）"
)
@click.pass_context
def answer(ctx: click.Context, ref: str, category: str, text: str, file: str | None) -> None:
    """记录答复（A 已解决 / B 正在解决或列入计划 / C 留作参考），文字或答复文件。"""
    path = Path(file) if file else None
    answered = run_office(
        ctx,
        lambda o: o.answer(
            ref,
            category=AnswerCategory(category),
            text=text,
            document_name=path.name if path else None,
            document=path.read_bytes() if path else None,
        ),
    )
    _done("proposals.done_answer", label=proposal_label(answered[0]), count=len(answered))


@proposals.command()
@click.argument("ref")
@click.pass_context
def urge(ctx: click.Context, ref: str) -> None:
    """催办：通知提案人已催办承办单位（每件提案每天一次）。REF 为编号或 #id。"""
    p = run_office(ctx, lambda o: o.urge(ref))
    _done("proposals.done_urge", label=proposal_label(p), title=p.title, lead_unit=p.lead_unit)


@proposals.command()
@click.argument("ref")
@click.option("--to", "to", required=True, help="新的办理期限，如 2026-06-30、6月30日、下个月15号")
@click.option("--reason", required=True, help="延期理由")
@click.pass_context
def extend(ctx: click.Context, ref: str, to: str, reason: str) -> None:
    """延期：把办理期限延至 --to（须晚于原期限），附理由，通知提案人。"""
    settings = settings_from(ctx)

    async def work(office: Office) -> tuple[Proposal, str]:
        day = deadline_day(to, zone=settings.zone, now=datetime.now(settings.zone))
        old = format_date((await office.find(ref)).deadline_at, settings.zone)
        return await office.extend(ref, to=day, reason=reason), old

    p, old = run_office(ctx, work)
    _done(
        "proposals.done_extend",
        label=proposal_label(p),
        old=old,
        deadline=format_date(p.deadline_at, settings.zone),
    )


@proposals.command()
@click.pass_context
def overdue(ctx: click.Context) -> None:
    """超期未答复的提案。"""
    zone = settings_from(ctx).zone

    async def work(office: Office) -> list[str]:
        cat = catalogue()
        return [
            cat.s(
                "proposals.overdue_line",
                label=proposal_label(p),
                title=p.title,
                lead_unit=p.lead_unit or "",
                deadline=format_date(p.deadline_at, zone),  # local day, as in chat
            )
            for p in await office.proposals.overdue()
        ]

    lines = run_office(ctx, work)
    if not lines:
        echo("proposals.overdue_empty")
    for line in lines:
        click.echo(line)


@proposals.command()
@click.option("--year", type=int, required=True, help="年份")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="XLSX 文件路径")
@click.pass_context
def export(ctx: click.Context, year: int, out: str) -> None:
    """导出某年的提案和社情民意信息（XLSX）。"""
    settings = settings_from(ctx)

    async def work(office: Office) -> bytes:
        rows = await office.proposals.of_year(year)
        signers = await office.proposals.signers_of([p.id for p in rows if p.id is not None])
        confirmed = {
            pid: [s.details for s in group if s.status == SignerStatus.CONFIRMED]
            for pid, group in signers.items()
        }
        return proposals_xlsx(
            rows,
            year=year,
            zone=settings.zone,
            now=datetime.now(settings.zone),
            cosigners=confirmed,
            reports=await office.reports.of_year(year),
        )

    Path(out).write_bytes(run_office(ctx, work))
    echo("proposals.exported", path=out)


async def proposals_section(session: AsyncSession, year: int, zone: ZoneInfo) -> list[str]:
    """The proposal and report figures for ``committee-bot stats --year``."""
    repo = Proposals(session)
    rows = await repo.of_year(year)
    reports = await Reports(session).of_year(year)
    figures = year_stats(
        rows,
        reports,
        year=year,
        now=datetime.now(zone),
        fields=rules().proposal.fields,
        cosigners=await repo.signers_of([p.id for p in rows if p.id is not None]),
    )
    return format_stats(figures)
