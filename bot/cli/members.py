"""``committee-bot members``: the secretariat's roster commands."""

from __future__ import annotations

import getpass
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

import click
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import catalogue
from bot.cli.common import echo, open_app, run_async, settings_from
from bot.cli.core import find_member
from bot.domain.roles import Role, format_roles, parse_role_words, parse_roles
from bot.domain.visible_text import visible_text
from bot.errors import UserError
from bot.roster.changes import retire_member, unbind_accounts
from bot.roster.importer import ImportReport, expected_headers, import_roster, read_rows
from bot.roster.phones import normalize_phone
from bot.roster.rows import clean_cell
from bot.settings import Settings
from storage.audit import Audit
from storage.roster import Roster, address_of, last_used
from storage.tables import Identity, Member

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
    """委员名册：导入、查看、添加、设置角色、退出、邀请码、账号绑定。"""


@members.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--allow-rename",
    is_flag=True,
    help="允许按手机号匹配到的委员改名（默认拒绝该行）。",
)
@click.option("--dry-run", is_flag=True, help="只显示将要发生的变化，不写入。")
@click.pass_context
def import_(ctx: click.Context, file: Path, allow_rename: bool, dry_run: bool) -> None:
    """从 xlsx 或 csv 导入名册（表头：姓名, 界别, 专委会, 职务/角色, 手机号）。按手机号匹配，逐人列出变化；
    改名需 --allow-rename；--dry-run 只预览。"""
    settings = settings_from(ctx)
    sheet = read_rows(file)  # a refused or unreadable file stops here, before the database

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            report = await import_roster(
                session, sheet, actor=_actor(), allow_rename=allow_rename, dry_run=dry_run
            )
            if dry_run:
                await session.rollback()
        _print_import(report)

    run_async(go())


def _print_import(report: ImportReport) -> None:
    cat = catalogue()
    if report.unknown_headers:
        echo(
            "roster.header_unknown", columns="、".join(report.unknown_headers), **expected_headers()
        )
    echo(
        "cli.import_dry_run" if report.dry_run else "cli.import_summary",
        added=report.added,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=len(report.problems),
    )
    lines: list[tuple[int, str]] = []
    for added in report.new_members:
        text = cat.s("cli.import_added", line=added.line, name=added.name, phone=added.phone)
        lines.append((added.line, text))
    for changed in report.changed:
        # the roster's 职务/角色 words say it; the parsed roles only when the words stayed
        words_changed = any(attr == "title" for attr, _, _ in changed.changes)
        changes = "；".join(
            _change_text(*change)
            for change in changed.changes
            if not (change[0] == "roles" and words_changed)
        )
        text = cat.s(
            "cli.import_changed",
            line=changed.line,
            name=changed.name,
            phone=changed.phone,
            changes=changes,
        )
        lines.append((changed.line, text))
    for problem in report.problems:
        reason = cat.s(problem.reason, value=problem.value, **dict(problem.params))
        lines.append((problem.line, cat.s("cli.import_rejected", line=problem.line, reason=reason)))
    for _, text in sorted(lines, key=lambda pair: pair[0]):
        click.echo(text)


def _change_text(attr: str, old: str, new: str) -> str:
    def shown(value: str) -> str:
        if attr == "roles":
            return _role_names(value)
        if attr == "status":
            return catalogue().s("cli.status_" + value)
        return value or catalogue().s("cli.empty_value")

    field = catalogue().s("roster.field_" + attr)
    return catalogue().s("cli.import_change", field=field, old=shown(old), new=shown(new))


@members.command("list")
@click.option("--all", "include_retired", is_flag=True, help="包括已退出名册的委员。")
@click.option("--sector", default=None, help="只列这个界别。")
@click.option("--committee", default=None, help="只列这个专委会。")
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
@click.option("--name", required=True, help="姓名")
@click.option("--phone", required=True, help="手机号（用于验证身份）")
@click.option("--sector", default="", help="界别")
@click.option("--committee", default="", help="专委会")
@click.option(
    "--role",
    "role_words",
    default="委员",
    show_default=True,
    help="角色，如：委员、常委、秘书处、管理员",
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
    if not clean_cell(name):
        raise UserError("roster.reject_missing_name")

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            roster = Roster(session)
            if await roster.by_phone(normalized) is not None:
                raise UserError("cli.phone_taken", phone=normalized)
            member = await roster.add(
                Member(
                    name=clean_cell(name),  # as on import: no invisible characters
                    phone=normalized,
                    sector=clean_cell(sector),
                    committee=clean_cell(committee),
                    roles=roles,
                    title=clean_cell(role_words),
                )
            )
            await Audit(session).record("members.add", actor_label=_actor(), target=member.name)
        echo("cli.added", name=member.name, id=member.id)

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
            await retire_member(session, member, actor_label=_actor())
        echo("cli.retired", name=member.name)

    run_async(go())


@members.command("invite")
@click.argument("who")
@click.option("--hours", type=int, default=None, help="有效小时数（默认取配置 invite_ttl_hours）。")
@click.option("--bot-username", default=None, help="同时打印这个机器人的 t.me 邀请链接。")
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


@members.command("accounts")
@click.argument("who")
@click.pass_context
def accounts(ctx: click.Context, who: str) -> None:
    """列出委员绑定的账号（平台、账号、显示名、验证时间与方式、最近使用），并标出消息发往哪个。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with _editing(settings, who) as (session, member):
            bound = await Roster(session).accounts(member.id or 0)
        if not bound:
            echo("cli.accounts_none", name=member.name)
            return
        echo("cli.accounts_header", name=member.name, count=len(bound))
        target = address_of(bound)  # notices and reminders go to the account used last
        for identity in sorted(bound, key=last_used, reverse=True):
            line = _account_text(identity, settings)
            if identity is target and identity.unreachable_at is None:
                line += catalogue().s("cli.account_messages_here")
            click.echo(line)

    run_async(go())


def _account_text(identity: Identity, settings: Settings) -> str:
    cat = catalogue()

    def when(value: datetime | None) -> str:
        if value is None:
            return cat.s("cli.unknown_value")
        return value.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M")

    via_key = "cli.via_" + identity.verified_via
    platform_key = "cli.platform_" + identity.platform
    return cat.s(
        "cli.account_line",
        platform=cat.s(platform_key) if platform_key in cat else identity.platform,
        user_id=identity.user_id,
        display_name=visible_text(identity.display_name) or "—",
        verified_at=when(identity.verified_at),
        via=cat.s(via_key) if via_key in cat else identity.verified_via,
        last_seen=when(identity.last_seen_at),
    )


@members.command("unbind")
@click.argument("who")
@click.option("--platform", default=None, help="只解除这个平台的账号，如 telegram。")
@click.pass_context
def unbind(ctx: click.Context, who: str, platform: str | None) -> None:
    """解除委员的账号绑定：该账号此后只能看到验证身份的提示，需重新验证。"""
    settings = settings_from(ctx)
    platform = platform.strip().lower() if platform else None

    async def go() -> tuple[str, list[Identity]]:
        async with _editing(settings, who) as (session, member):
            gone = await unbind_accounts(session, member, platform=platform, actor_label=_actor())
        return member.name, gone

    name, gone = run_async(go())
    if not gone:
        where = catalogue().s("cli.unbind_where", platform=platform) if platform else ""
        echo("cli.unbind_none", name=name, where=where)
        return
    echo("cli.unbound", name=name, accounts="、".join(f"{i.platform} {i.user_id}" for i in gone))
