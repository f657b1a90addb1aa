"""``committee-bot audit``: who did what, when (secretariat actions and security events)."""

from __future__ import annotations

import click

from bot.catalogue import catalogue
from bot.cli.common import open_app, run_async, settings_from
from storage.audit import Audit

__all__ = ["audit"]


@click.command()
@click.option("--limit", type=int, default=50, show_default=True, help="最多显示多少条。")
@click.option("--action", default=None, help="只看这一种操作，如 members.retire")
@click.pass_context
def audit(ctx: click.Context, limit: int, action: str | None) -> None:
    """查看操作日志（最近的在前）。"""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            entries = await Audit(session).recent(limit=limit, action=action)
        for entry in entries:
            when = entry.at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M:%S")
            detail = " ".join(f"{k}={v}" for k, v in entry.detail.items())
            click.echo("\t".join([when, entry.actor or "—", entry.action, entry.target, detail]))
        if not entries:
            click.echo(catalogue().s("cli.audit_empty"))

    run_async(go())
