"""``committee-bot``: the command line for the IT person and the secretariat.

Each capability adds its commands in its own module (bot/cli/<capability>.py), named in
``COMMANDS`` below with its one-line help. ``committee-bot --help`` lists them without
importing any of them, and a command imports only what it uses: the whole application takes
more than a second to import, a clerk's ``members list`` should not wait for it. Output a
clerk reads comes from the message catalogue.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import sys

import click

from bot.catalogue import catalogue
from bot.cli import click_zh
from bot.errors import ConfigError, UserError
from bot.log_redaction import install as install_redaction
from bot.log_redaction import print_exception, redact

__all__ = ["COMMANDS", "main", "main_group"]

# Before any command is declared: click names some option types when they are built.
click_zh.install()

# name → ("module:attribute", the command's one-line help, as its docstring says it; a test
# checks the two agree).
COMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("bot.cli.kb:ask", "按本会规则文件回答问题（不带问题时从标准输入逐行读取）。"),
    "audit": ("bot.cli.audit:audit", "查看操作日志（最近的在前）。"),
    "chat": ("bot.cli.core:chat", "在终端与机器人对话；按钮显示为编号，输入编号即点击。"),
    "config": ("bot.cli.core:config", "查看配置。"),
    "db": ("bot.cli.core:db", "数据库维护。"),
    "kb": ("bot.cli.kb:kb", "管理规则知识库。"),
    "members": (
        "bot.cli.members:members",
        "委员名册：导入、查看、添加、设置角色、退出、邀请码、账号绑定。",
    ),
    "notices": ("bot.cli.notices:notices", "会议通知：从文件发送、列表、导出参会情况。"),
    "proposals": ("bot.cli.proposals:proposals", "提案：审查、立案、交办、答复、导出。"),
    "reading": (
        "bot.cli.reading:reading",
        "书香政协：读书小组、阅读计划、读书活动、打卡与读书心得。",
    ),
    "record": (
        "bot.cli.record:record",
        "履职档案：查看委员的年度积分、导出全体委员、补录事项。",
    ),
    "reports": ("bot.cli.reports:reports", "社情民意信息：列出、采用、不予采用、留存。"),
    "run": ("bot.cli.core:run", "运行机器人（未配置 Telegram 令牌时在终端对话）。"),
    "stats": ("bot.cli.stats:stats", "打印工作报告常用的统计数字。"),
    "web": ("bot.cli.web:web", "秘书处网页工作台：启动服务；login-link 生成一次性登录链接。"),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when one is run (or its own help is asked for);
    the group's help lists them from ``COMMANDS`` alone."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, _, attribute = COMMANDS[cmd_name][0].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command):  # pragma: no cover (a wrong table)
                raise TypeError(f"{COMMANDS[cmd_name][0]} is not a click command")
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's own version imports every command for its short help; same layout here.
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:
                # A stand-in with the same help shortens it the way the real command would.
                stand_in = click.Command(name, help=COMMANDS[name][1])
                rows.append((name, stand_in.get_short_help_str(limit)))
        with formatter.section(click_zh.translate("Commands")):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML 配置文件（环境变量 COMMITTEE_BOT_* 优先于文件）。",
)
@click.pass_context
def main_group(ctx: click.Context, settings_file: str | None) -> None:
    """committee-bot：政协委员履职助手。

    不带参数的 ./run 在终端对话；各命令的用法见 committee-bot 命令 --help。"""
    ctx.ensure_object(dict)
    ctx.obj["settings_file"] = settings_file


def main() -> None:
    """Runs the group; configuration and member-facing errors become one clear line.
    What it prints about an error (and any traceback) has its secrets masked."""
    install_redaction()
    sys.excepthook = print_exception
    # On the way out the interpreter's collector walks every object the command loaded,
    # which took a third of `members list`; it all dies with the process anyway, so it is
    # frozen first and the walks skip it (bench/cli_startup.py).
    atexit.register(gc.freeze)
    try:
        # Outside standalone mode click returns ctx.exit(N)'s code instead of exiting.
        code = main_group.main(standalone_mode=False)
    except ConfigError as exc:
        click.echo(redact(catalogue().s("cli.config_error", detail=str(exc))), err=True)
        sys.exit(2)
    except UserError as exc:
        click.echo(redact(catalogue().s(exc.key, **exc.params)), err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        # locked, unreadable, read-only or not a database at all: one line, not a traceback
        detail = str(getattr(exc, "orig", exc)).strip() or type(exc).__name__
        click.echo(redact(catalogue().s("cli.database_error", detail=detail)), err=True)
        sys.exit(1)
    if isinstance(code, int) and code:
        sys.exit(code)


def _is_database_error(exc: BaseException) -> bool:
    # sqlalchemy is imported by the commands that use a database, not for every command
    if "sqlalchemy" not in sys.modules:
        return False
    from sqlalchemy.exc import DBAPIError

    return isinstance(exc, DBAPIError)


if __name__ == "__main__":  # pragma: no cover
    main()
