"""``committee-bot notices``: send from a file, list, export attendance, correct, cancel, remind."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import CONFIG_DIR, catalogue
from bot.cli.common import audit_cli, echo, echo_err, open_app, run_async, settings_from
from bot.domain.local_times import format_local, parse_local_datetime
from bot.errors import UserError
from bot.notices.buttons import answer_buttons
from bot.notices.draft import NoticeFileError, parse_notice_file
from bot.notices.export import to_csv, to_xlsx
from bot.notices.messages import counts_text
from bot.notices.service import (
    cancel_notice,
    correct_notice,
    create_notice,
    notice_rules,
    preview,
    send_due_reminders,
    send_notice,
)
from storage.columns import utcnow
from storage.notices import NoticesRepo
from storage.tables import Notice, NoticeRecipient

__all__ = ["NOTICE_TEMPLATE", "notices", "notices_stats_section"]

# The commented example `notices template` prints; a test sends it as it stands.
NOTICE_TEMPLATE = CONFIG_DIR / "notice_template.toml"


def _problem(key: str, params: dict[str, object]) -> str:
    """A file problem in Chinese; field names get their Chinese label beside them."""
    cat = catalogue()
    field = params.get("field")
    if isinstance(field, str) and f"notices.field.{field}" in cat:
        params = {**params, "field": f"{field}（{cat.s(f'notices.field.{field}')}）"}
    return cat.s(key, **params)


@click.group()
def notices() -> None:
    """会议通知：从文件发送、列表、导出参会情况。"""


@notices.command("send")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="不再确认，直接发送（用于脚本）。")
@click.option("--as", "created_by", default="cli", show_default=True, help="记录为发送人。")
@click.pass_context
def send(ctx: click.Context, file: Path, yes: bool, created_by: str) -> None:
    """从 TOML 文件发送会议通知（先预览，确认后发送）。"""
    settings = settings_from(ctx)
    zone = settings.zone
    try:
        draft = parse_notice_file(file, zone=zone, now=utcnow())
    except NoticeFileError as exc:
        echo_err("notices.cli_file_problems", path=str(file), count=len(exc.problems))
        for key, params in exc.problems:
            click.echo("  · " + _problem(key, params), err=True)
        raise SystemExit(1) from None

    async def go() -> None:
        async with open_app(settings) as app:
            rules = notice_rules()
            shown = await preview(app.db.session, draft, rules=rules, zone=zone)
            click.echo(str(shown.text))
            echo("notices.cli_recipients", count=shown.recipients)
            if shown.warning is not None:
                echo("notices.period_warning", **shown.warning.params())
            if not yes and not click.confirm(catalogue().s("notices.cli_confirm"), default=False):
                echo("notices.not_sent_kept")
                return
            nid = await create_notice(
                app.db.session, draft, rules=rules, created_by=f"cli:{created_by}"
            )
            buttons = answer_buttons(app.services.signer, app.services.catalogue)
            added = await send_notice(app.db.session, nid, zone=zone, buttons=buttons)
            await audit_cli(
                app, "notice.create", target=f"notice:{nid}", recipients=added, sender=created_by
            )
            echo("notices.cli_queued", id=nid, count=added)

    run_async(go())


@notices.command("template")
def template() -> None:
    """打印一份带说明的通知文件示例（可保存后修改，再用 notices send 发送）。"""
    click.echo(NOTICE_TEMPLATE.read_text(encoding="utf-8"), nl=False)


@notices.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """最近的会议通知及答复情况。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as s:
            repo = NoticesRepo(s)
            rows = await repo.list(limit=50)
            if not rows:
                echo("notices.attendance_empty")
            for n in rows:
                c = await repo.counts(int(n.id or 0))
                echo(
                    "notices.cli_line",
                    id=n.id,
                    kind=catalogue().s(f"notices.kind.{n.kind}"),
                    title=n.title,
                    when=format_local(n.starts_at, settings.zone),
                    status=catalogue().s(f"notices.status.{n.status}"),
                    recipients=c.recipients,
                    answered=c.recipients - c.answers["unanswered"],
                )

    run_async(go())


@notices.command("attendance")
@click.argument("notice_id", type=int)
@click.option(
    "--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), help="导出名单到 XLSX 文件。"
)
@click.option(
    "--csv", "csv_", type=click.Path(dir_okay=False, path_type=Path), help="导出名单到 CSV 文件。"
)
@click.pass_context
def attendance(ctx: click.Context, notice_id: int, xlsx: Path | None, csv_: Path | None) -> None:
    """参会情况：统计数字；--xlsx / --csv 导出名单。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as s:
            repo = NoticesRepo(s)
            notice = await repo.require(notice_id)
            click.echo(str(counts_text(notice.title, await repo.counts(notice_id))))
            rows = await repo.export_rows(notice_id)
            if xlsx is not None:
                xlsx.write_bytes(to_xlsx(rows, zone=settings.zone, title=notice.title))
                echo("notices.cli_exported", path=str(xlsx), count=len(rows))
            if csv_ is not None:
                csv_.write_bytes(to_csv(rows, zone=settings.zone))
                echo("notices.cli_exported", path=str(csv_), count=len(rows))

    run_async(go())


@notices.command("cancel")
@click.argument("notice_id", type=int)
@click.option("--reason", required=True, help="取消原因，告知每位收到通知的委员。")
@click.pass_context
def cancel(ctx: click.Context, notice_id: int, reason: str) -> None:
    """取消会议并通知所有收到通知的委员。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app:
            added = await cancel_notice(
                app.db.session, notice_id, reason=reason, zone=settings.zone
            )
            await audit_cli(
                app, "notice.cancel", target=f"notice:{notice_id}", reason=reason, queued=added
            )
            echo("notices.cli_cancelled", id=notice_id, count=added)

    run_async(go())


@notices.command("correct")
@click.argument("notice_id", type=int)
@click.option("--note", required=True, help="更正了什么，放在更正通知的开头。")
@click.option("--title", default=None, help="新的标题")
@click.option("--place", default=None, help="新的地点")
@click.option("--start", default=None, help="新的开始时间，如 2026-03-10 09:00")
@click.option("--deadline", default=None, help="新的回复截止时间，如 2026-03-07 18:00")
@click.pass_context
def correct(
    ctx: click.Context,
    notice_id: int,
    note: str,
    title: str | None,
    place: str | None,
    start: str | None,
    deadline: str | None,
) -> None:
    """更正通知：委员会收到更正后的全文。"""
    settings = settings_from(ctx)
    changes: dict[str, object] = {}
    if title:
        changes["title"] = title
    if place:
        changes["place"] = place
    for name, value in (("starts_at", start), ("reply_deadline", deadline)):
        if value:
            when = parse_local_datetime(value, zone=settings.zone, now=utcnow())
            if when is None:
                raise UserError("notices.bad_time")
            changes[name] = when

    async def go() -> None:
        async with open_app(settings) as app:
            buttons = answer_buttons(app.services.signer, app.services.catalogue)
            added = await correct_notice(
                app.db.session,
                notice_id,
                note=note,
                zone=settings.zone,
                buttons=buttons,
                **changes,
            )
            await audit_cli(
                app,
                "notice.correct",
                target=f"notice:{notice_id}",
                note=note,
                fields=",".join(sorted(changes)),
                queued=added,
            )
            echo("notices.cli_corrected", id=notice_id, count=added)

    run_async(go())


@notices.command("remind")
@click.pass_context
def remind(ctx: click.Context) -> None:
    """立即检查并发送到期的会议提醒（机器人运行时会定时执行）。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app:
            buttons = answer_buttons(app.services.signer, app.services.catalogue)
            added = await send_due_reminders(
                app.db.session, rules=notice_rules(), zone=settings.zone, buttons=buttons
            )
            await audit_cli(app, "notice.remind", queued=added)
            echo("notices.cli_reminded", count=added)

    run_async(go())


async def notices_stats_section(session: AsyncSession, year: int, zone: ZoneInfo) -> list[str]:
    """Meeting figures for ``committee-bot stats``: meetings held, answers, attendance."""
    start, end = datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    in_year = (
        col(Notice.starts_at) >= start,
        col(Notice.starts_at) < end,
        col(Notice.status).in_(["sent", "corrected"]),
    )
    meetings = (await session.exec(select(func.count()).select_from(Notice).where(*in_year))).one()
    base = (
        select(func.count())
        .select_from(NoticeRecipient)
        .join(Notice, col(Notice.id) == NoticeRecipient.notice_id)
        .where(*in_year)
    )
    invited = (await session.exec(base)).one()
    answered = (await session.exec(base.where(col(NoticeRecipient.answer).is_not(None)))).one()
    leave = (await session.exec(base.where(NoticeRecipient.answer == "leave"))).one()
    checked = (
        await session.exec(base.where(col(NoticeRecipient.checked_in_at).is_not(None)))
    ).one()
    return [
        catalogue().s(
            "notices.stats",
            year=year,
            meetings=meetings,
            invited=invited,
            answered=answered,
            leave=leave,
            checked_in=checked,
        )
    ]
