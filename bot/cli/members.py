"""``committee-bot members``: the secretariat's roster commands."""

from __future__ import annotations

import getpass
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import click
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import catalogue
from bot.cli.common import echo, open_app, run_async, settings_from
from bot.cli.core import find_member
from bot.domain.phones import normalize_phone
from bot.domain.roles import Role, format_roles, parse_role_words, parse_roles
from bot.errors import UserError
from bot.roster_import import import_roster, read_rows
from bot.settings import Settings
from storage.audit import Audit
from storage.columns import utcnow
from storage.roster import Roster
from storage.tables import Member

__all__ = ["members"]


@asynccontextmanager
async def _editing(settings: Settings, who: str) -> AsyncIterator[tuple[AsyncSession, Member]]:
    """One roster member (by name or phone), attached to a session that commits on exit."""
    async with open_app(settings) as app:
        member = await find_member(app, who)
        async with app.db.session() as session:
            yield session, await session.merge(member)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@click.group()
def members() -> None:
    """委员名册：导入、查看、添加、设置角色、退出、邀请码。"""


@members.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_(ctx: click.Context, file: Path) -> None:
    """从 xlsx 或 csv 导入名册（表头：姓名, 界别, 专委会, 职务/角色, 手机号）。重复导入只更新变化。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            report = await import_roster(session, read_rows(file), actor=_actor())
        echo(
            "cli.import_summary",
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=len(report.problems),
        )
        for problem in report.problems:
            reason = catalogue().s(problem.reason, value=problem.value)
            echo("cli.import_rejected", line=problem.line, reason=reason)

    run_async(go())


@members.command("list")
@click.option("--all", "include_retired", is_flag=True, help="Include retired members.")
@click.option("--sector", default=None, help="Only this 界别.")
@click.option("--committee", default=None, help="Only this 专委会.")
@click.pass_context
def list_(
    ctx: click.Context, include_retired: bool, sector: str | None, committee: str | None
) -> None:
    """列出名册。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            rows = await Roster(session).list(
                include_retired=include_retired, sector=sector, committee=committee
            )
            verified = {
                i.member_id for i in await Roster(session).identities_of([m.id or 0 for m in rows])
            }
        for m in rows:
            click.echo(
                "\t".join(
                    [
                        str(m.id),
                        m.name,
                        m.sector or "—",
                        m.committee or "—",
                        _role_names(m.roles),
                        m.phone or "—",
                        catalogue().s("cli.status_" + m.status),
                        catalogue().s("cli.verified" if m.id in verified else "cli.unverified"),
                    ]
                )
            )
        echo("cli.list_total", count=len(rows))

    run_async(go())


def _role_names(stored: str) -> str:
    keys = {
        Role.MEMBER: "core.role_member",
        Role.STANDING: "core.role_standing",
        Role.SECRETARIAT: "core.role_secretariat",
        Role.ADMIN: "core.role_admin",
    }
    roles = parse_roles(stored)
    return "、".join(catalogue().s(keys[r]) for r in Role if r in roles)


def _roles_or_fail(words: str) -> str:
    roles = parse_role_words(words)
    if roles is None:
        raise UserError("cli.unknown_role", value=words)
    return format_roles(roles)


@members.command("add")
@click.option("--name", required=True)
@click.option("--phone", required=True)
@click.option("--sector", default="")
@click.option("--committee", default="")
@click.option(
    "--role",
    "role_words",
    default="委员",
    show_default=True,
    help="e.g. 委员, 常委, 秘书处, 管理员",
)
@click.pass_context
def add(
    ctx: click.Context, name: str, phone: str, sector: str, committee: str, role_words: str
) -> None:
    """添加一名委员。"""
    settings = settings_from(ctx)
    normalized = normalize_phone(phone)
    if normalized is None:
        raise UserError("roster.reject_bad_phone", value=phone)
    roles = _roles_or_fail(role_words)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            roster = Roster(session)
            if await roster.by_phone(normalized) is not None:
                raise UserError("cli.phone_taken", phone=normalized)
            member = await roster.add(
                Member(
                    name=name.strip(),
                    phone=normalized,
                    sector=sector,
                    committee=committee,
                    roles=roles,
                    title=role_words,
                )
            )
            await Audit(session).record("members.add", actor_label=_actor(), target=member.name)
        echo("cli.added", name=name, id=member.id)

    run_async(go())


@members.command("set-role")
@click.argument("who")
@click.argument("role_words")
@click.pass_context
def set_role(ctx: click.Context, who: str, role_words: str) -> None:
    """设置角色，如：members set-role 张三 常委、秘书处"""
    settings = settings_from(ctx)
    roles = _roles_or_fail(role_words)

    async def go() -> None:
        async with _editing(settings, who) as (session, member):
            before = member.roles
            member.roles = roles
            await Roster(session).touch(member)
            await Audit(session).record(
                "members.set_role",
                actor_label=_actor(),
                target=member.name,
                before=before,
                after=roles,
            )
        echo("cli.role_set", name=member.name, roles=_role_names(roles))

    run_async(go())


@members.command("retire")
@click.argument("who")
@click.pass_context
def retire(ctx: click.Context, who: str) -> None:
    """委员退出名册：立即失去使用权限（记录保留）。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with _editing(settings, who) as (session, member):
            member.status = "retired"
            member.retired_at = utcnow()
            await Roster(session).touch(member)
            await Audit(session).record("members.retire", actor_label=_actor(), target=member.name)
        echo("cli.retired", name=member.name)

    run_async(go())


@members.command("invite")
@click.argument("who")
@click.option(
    "--hours", type=int, default=None, help="Validity (default: settings.invite_ttl_hours)."
)
@click.option("--bot-username", default=None, help="Print a t.me deep link for this bot.")
@click.pass_context
def invite(ctx: click.Context, who: str, hours: int | None, bot_username: str | None) -> None:
    """生成一次性邀请码（也可作为 Telegram 深层链接参数）。"""
    settings = settings_from(ctx)
    ttl = timedelta(hours=hours or settings.invite_ttl_hours)

    async def go() -> None:
        async with _editing(settings, who) as (session, member):
            code = await Roster(session).new_invite(member, ttl=ttl, created_by=_actor())
            await Audit(session).record("members.invite", actor_label=_actor(), target=member.name)
        local = code.expires_at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M")
        echo("cli.invite", name=member.name, code=code.code, expires=local)
        if bot_username:
            click.echo(f"https://t.me/{bot_username.lstrip('@')}?start={code.code}")

    run_async(go())
