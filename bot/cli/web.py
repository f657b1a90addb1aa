"""``committee-bot web``: serve the secretariat's web console; ``web login-link`` prints a
one-time login URL for a secretariat member."""

from __future__ import annotations

import click

from bot.cli.common import cli_actor, echo, open_app, run_async, settings_from

__all__ = ["web"]


@click.group(invoke_without_command=True)
@click.option(
    "--listen",
    default=None,
    help="监听的 主机:端口（默认取 COMMITTEE_BOT_WEB_LISTEN，或 127.0.0.1:8080）。",
)
@click.pass_context
def web(ctx: click.Context, listen: str | None) -> None:
    """秘书处网页工作台：启动服务；login-link 生成一次性登录链接。"""
    if ctx.invoked_subcommand is not None:
        return
    settings = settings_from(ctx)
    address = listen or settings.web_listen or "127.0.0.1:8080"

    async def go() -> None:
        from bot.proposals.similarity_cache import warm_up
        from bot.web.app import parse_listen, serve_web

        parse_listen(address)  # a bad address fails before the database is opened
        async with open_app(settings) as app:
            echo("web.cli_serving", listen=address)
            await warm_up(app.services)
            await serve_web(app, address)

    run_async(go())  # Ctrl+C ends it (click turns it into exit status 130)


@web.command("login-link")
@click.argument("who")
@click.option("--base-url", default=None, help="链接中秘书处网页端的网址前缀。")
@click.pass_context
def login_link(ctx: click.Context, who: str, base_url: str | None) -> None:
    """为秘书处工作人员生成一次性登录链接（15 分钟内有效，只能使用一次）。"""
    from bot.cli.core import find_member
    from bot.web.links import LINK_MINUTES, issue_login_url
    from bot.web.links import base_url as console_url

    settings = settings_from(ctx)

    async def go() -> tuple[str, str]:
        async with open_app(settings) as app:
            member = await find_member(app, who)
            async with app.db.session() as s:
                url = await issue_login_url(
                    s, member, base=console_url(settings, base_url), created_by=cli_actor()
                )
            return member.name, url

    name, url = run_async(go())
    echo("web.cli_link", name=name, minutes=LINK_MINUTES, url=url)
