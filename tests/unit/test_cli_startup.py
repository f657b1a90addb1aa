"""The command line starts without importing the application: ``--help`` lists every command
from a table, a command imports what it uses, a channel's library only when it serves
(bench/cli_startup.py measures the times)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from bot.cli import COMMANDS, main_group

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "telegram", "aiogram", "jieba", "bm25s", "alembic")

# Runs the command line in a fresh interpreter and reports, on exit, which of HEAVY it loaded.
PROBE = """
import atexit, json, sys
heavy = sys.argv[1].split(",")
atexit.register(lambda: print(json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr))
sys.argv = ["committee-bot", *sys.argv[2:]]
from bot.cli import main
main()
"""


def loaded_by(*args: str, env: dict[str, str] | None = None) -> tuple[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=True,
    )
    return result.stdout, json.loads(result.stderr.strip().splitlines()[-1])


def test_help_imports_no_command() -> None:
    out, loaded = loaded_by("--help")
    assert loaded == []
    for name in COMMANDS:
        assert f"\n  {name} " in out


def test_help_reads_as_click_would_print_it() -> None:
    eager = click.Group(
        name=main_group.name,
        params=main_group.params,
        help=main_group.help,
        commands={
            name: main_group.get_command(click.Context(main_group), name) for name in COMMANDS
        },
    )
    lazy_out, _ = loaded_by("--help")
    eager_out = CliRunner().invoke(eager, ["--help"], prog_name="committee-bot").output
    assert lazy_out == eager_out


def test_the_table_names_each_command_with_its_own_help() -> None:
    for name, (target, help_text) in COMMANDS.items():
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        assert command.name == name
        assert command.help == help_text, f"COMMANDS[{name!r}] says another help than {target}"


def test_a_command_on_records_loads_no_channel_and_no_search(tmp_path: Path) -> None:
    env = {"COMMITTEE_BOT_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    out, loaded = loaded_by("members", "list", env=env)
    assert "0" in out  # the total line
    assert "telegram" not in loaded and "aiogram" not in loaded and "jieba" not in loaded
    assert "bm25s" not in loaded


def test_a_channel_library_is_imported_only_for_its_channel() -> None:
    probe = (
        "import sys; import bot.serve, bot.channels.{channel}; "
        "print(sorted(m for m in ('telegram', 'aiogram') if m in sys.modules))"
    )
    for channel, library, other in (
        ("ptb", "telegram", "aiogram"),
        ("aiogram", "aiogram", "telegram"),
    ):
        out = subprocess.run(
            [sys.executable, "-c", probe.format(channel=channel)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout
        assert library in out and other not in out
