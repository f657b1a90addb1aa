"""``committee-bot``: the command line for the IT person and the secretariat.

Each capability adds its commands in its own module (bot/cli/<capability>.py) and is
registered below. Output a clerk reads comes from the message catalogue.
"""

from __future__ import annotations

import click

from bot.cli.audit import audit
from bot.cli.common import cli_main, main_group
from bot.cli.core import chat, config, db, run
from bot.cli.kb import ask, kb
from bot.cli.members import members
from bot.cli.notices import notices
from bot.cli.proposals import proposals
from bot.cli.reading import reading
from bot.cli.reports import reports
from bot.cli.stats import stats

__all__ = ["main", "main_group"]

for command in (
    run,
    chat,
    config,
    db,
    members,
    proposals,
    reports,
    notices,
    reading,
    stats,
    audit,
    ask,
    kb,
):
    main_group.add_command(command)


def main() -> None:
    cli_main()


if __name__ == "__main__":  # pragma: no cover
    main()

_ = click  # the group's commands are click commands
