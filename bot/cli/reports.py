"""``committee-bot reports ...``: the secretariat's decisions on public-opinion reports from
the terminal, through the same ``Office.decide_report`` as the chat (the member is notified).
"""

from __future__ import annotations

from pathlib import Path

import click

from bot.catalogue import catalogue
from bot.cli.common import echo, settings_from
from bot.cli.proposals import run_office
from bot.proposals.documents.report_docx import report_docx, report_file_name
from bot.proposals.office import Office
from bot.proposals.report_lifecycle import AdoptionLevel, decision_event

__all__ = ["reports"]


@click.group()
def reports() -> None:
    """社情民意信息：列出、采用、不予采用、留存。"""


@reports.command("list")
@click.option("--year", type=int, default=None, help="年份（不给则列出待处理的信息）。")
@click.pass_context
def list_(ctx: click.Context, year: int | None) -> None:
    """待处理的信息（紧急的在前）；给出 --year 则列出该年全部已报送的信息。"""

    async def work(office: Office) -> list[str]:
        rows = await (office.reports.of_year(year) if year else office.reports.review_queue())
        cat = catalogue()
        return [
            cat.s(
                "reports.cli_line",
                id=r.id,
                status=cat.s(f"reports.status.{r.status}")
                + "".join(f"/{cat.s(f'reports.level.{v}')}" for v in r.levels or ()),
                urgency=cat.s(f"reports.urgency.{r.urgency}"),
                name=r.reporter.get("name", ""),
                title=r.title,
            )
            for r in rows
        ]

    lines = run_office(ctx, work)
    if not lines:
        echo("reports.cli_empty")
    for line in lines:
        click.echo(line)


def _decide(ctx: click.Context, report_id: int, decision: str, note: str) -> None:
    event = decision_event(decision, note)
    row = run_office(ctx, lambda o: o.decide_report(report_id, event))
    echo(
        "reports.cli_done",
        id=row.id,
        title=row.title,
        outcome=catalogue().s(f"reports.decision.{decision}"),
    )


@reports.command()
@click.argument("report_id", type=int)
@click.option(
    "--level",
    type=click.Choice([level.value for level in AdoptionLevel]),
    required=True,
    help="city 市政协 / province 省政协 / national 全国政协 / instruction 领导批示",
)
@click.option("--note", default="", help="处理说明（刊物、批示领导等）")
@click.pass_context
def adopt(ctx: click.Context, report_id: int, level: str, note: str) -> None:
    """记录采用（可在不同层级多次记录）。"""
    _decide(ctx, report_id, f"adopt_{level}", note)


@reports.command()
@click.argument("report_id", type=int)
@click.option("--note", default="", help="给报送人的说明")
@click.pass_context
def reject(ctx: click.Context, report_id: int, note: str) -> None:
    """不予采用。"""
    _decide(ctx, report_id, "reject", note)


@reports.command()
@click.argument("report_id", type=int)
@click.option("--note", default="", help="留存说明")
@click.pass_context
def keep(ctx: click.Context, report_id: int, note: str) -> None:
    """留存备查（之后仍可采用或不予采用）。"""
    _decide(ctx, report_id, "keep", note)


@reports.command()
@click.argument("report_id", type=int)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="DOCX 文件路径")
@click.pass_context
def docx(ctx: click.Context, report_id: int, out: str | None) -> None:
    """导出一篇社情民意信息的 Word 文本（与委员在聊天中下载的相同）。"""
    settings = settings_from(ctx)

    async def work(office: Office) -> tuple[str, bytes]:
        row = await office.reports.require(report_id)
        content = report_docx(row, committee=settings.committee_name, zone=settings.zone)
        return report_file_name(row), content

    name, content = run_office(ctx, work)
    path = Path(out or name)
    path.write_bytes(content)
    echo("proposals.exported", path=str(path))
