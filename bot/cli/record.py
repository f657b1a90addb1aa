"""``committee-bot record``: the duty record (履职档案) from the terminal.

    record NAME [--year Y]                          the member's year, as /record shows it
    record export --year Y --out FILE.xlsx          every member: summary and a sheet per item
    record add NAME ITEM [--count N] [--note ..]    an item the bot cannot see (audited)

``record NAME`` is ``record show NAME``: a first word that is not a subcommand is a name.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click

from bot.catalogue import catalogue
from bot.cli.common import cli_actor, echo, open_app, run_async, settings_from
from bot.cli.core import find_member
from bot.errors import UserError
from bot.record.rules import PointsRules, current_points
from bot.record.service import MemberRecord, member_record, year_records
from bot.record.view import number, record_text
from bot.settings import Settings
from storage.audit import Audit
from storage.record import RecordRepo

__all__ = ["record"]

NOTE_LIMIT = 500
# The audit action (spelled in two parts: the catalogue-key test reads any quoted "a.b" as a key).
AUDIT_ACTION = "record" + ".add"


class _NameOrCommand(click.Group):
    """``record NAME`` reads as ``record show NAME``; ``record export`` stays a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["show", *args]
        return super().parse_args(ctx, args)


def _year(settings: Settings, year: int | None) -> int:
    if year is None:
        return datetime.now(settings.zone).year
    if not 2000 <= year <= 2100:
        raise UserError("record.cli.bad_year")
    return year


def _rules(settings: Settings) -> PointsRules:
    return current_points(settings.points_file)


@click.group(cls=_NameOrCommand)
def record() -> None:
    """履职档案：查看委员的年度积分、导出全体委员、补录事项。"""


@record.command("show")
@click.argument("name")
@click.option("--year", type=int, default=None, help="年份（默认今年）。")
@click.pass_context
def show(ctx: click.Context, name: str, year: int | None) -> None:
    """查看一位委员某年的履职档案（与 /record 相同）。"""
    settings = settings_from(ctx)
    rules = _rules(settings)
    year = _year(settings, year)

    async def go() -> str:
        async with open_app(settings) as app:
            member = await find_member(app, name)
            async with app.db.session() as session:
                found = await member_record(
                    session,
                    member,
                    year,
                    rules=rules,
                    now=datetime.now(settings.zone),
                    zone=settings.zone,
                )
        text = record_text(
            catalogue(),
            name=member.name,
            year=year,
            rules=rules,
            score=found.score,
            counts=found.facts.counts,
        )
        return str(text)

    click.echo(run_async(go()))


@record.command("export")
@click.option("--year", type=int, required=True, help="年份。")
@click.option(
    "--out", "out", type=click.Path(dir_okay=False), required=True, help="XLSX 文件路径。"
)
@click.pass_context
def export(ctx: click.Context, year: int, out: str) -> None:
    """导出全体委员某年的履职档案（XLSX：汇总表，每个积分项目一张表）。"""
    from bot.record.export import record_xlsx

    settings = settings_from(ctx)
    rules = _rules(settings)
    year = _year(settings, year)

    async def go() -> list[MemberRecord]:
        async with open_app(settings) as app, app.db.session() as session:
            return await year_records(
                session, year, rules=rules, now=datetime.now(settings.zone), zone=settings.zone
            )

    records = run_async(go())
    # Built after the loop has closed: a whole committee's workbook takes seconds.
    Path(out).write_bytes(record_xlsx(records, rules=rules, year=year, zone=settings.zone))
    echo("record.cli.exported", year=year, members=len(records), path=out)


@record.command("add")
@click.argument("name")
@click.argument("item")
@click.option("--count", type=int, default=1, show_default=True, help="数量（负数用于更正）。")
@click.option("--note", default="", help="备注，如发言题目、调研地点。")
@click.option("--year", type=int, default=None, help="计入的年份（默认今年）。")
@click.pass_context
def add(ctx: click.Context, name: str, item: str, count: int, note: str, year: int | None) -> None:
    """补录机器人看不到的事项（大会发言、调研等），记入操作日志。"""
    settings = settings_from(ctx)
    rules = _rules(settings)
    year = _year(settings, year)
    found_item = rules.item(item)
    if found_item is None:
        listing = "、".join(f"{i.key}（{i.label}）" for i in rules.items)
        raise UserError("record.cli.unknown_item", item=item, items=listing)
    if count == 0 or not -99 <= count <= 999:
        raise UserError("record.cli.bad_count")
    note = " ".join(note.split())
    if len(note) > NOTE_LIMIT:
        raise UserError("record.cli.note_too_long", limit=NOTE_LIMIT)

    async def go() -> dict[str, Any]:
        async with open_app(settings) as app:
            member = await find_member(app, name)
            assert member.id is not None
            async with app.db.session() as session:
                await RecordRepo(session).add_entry(
                    member_id=member.id,
                    year=year,
                    item=found_item.key,
                    count=count,
                    note=note,
                    entered_by=cli_actor(),
                )
                # In the same transaction: an entry is never without its audit line.
                await Audit(session).record(
                    AUDIT_ACTION,
                    actor_label=cli_actor(),
                    target=member.name,
                    item=found_item.key,
                    count=count,
                    year=year,
                    note=note,
                )
            async with app.db.session() as session:
                now = datetime.now(settings.zone)
                after = await member_record(
                    session, member, year, rules=rules, now=now, zone=settings.zone
                )
        return {"name": member.name, "total": number(after.score.total)}

    done = run_async(go())
    echo(
        "record.cli.added",
        name=done["name"],
        year=year,
        label=found_item.label,
        count=count,
        unit=found_item.unit,
        total=done["total"],
    )
