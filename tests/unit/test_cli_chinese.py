"""The command line speaks Chinese to the clerk: every help page, click's own words, and
configuration errors (run through click's test runner, as a terminal would show them)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli import click_zh, main_group

CJK = re.compile(r"[\u4e00-\u9fff]")


def _commands(
    group: click.Group, ctx: click.Context, path: str
) -> Iterator[tuple[str, click.Command]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        yield f"{path} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, click.Context(command, parent=ctx), f"{path} {name}")


def _all_commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(main_group, info_name="committee-bot")
    return [("committee-bot", main_group), *_commands(main_group, ctx, "committee-bot")]


def test_every_command_and_option_is_explained_in_chinese() -> None:
    english = []
    for path, command in _all_commands():
        if not CJK.search(command.help or ""):
            english.append(f"{path}: {command.help!r}")
        for param in command.params:
            if isinstance(param, click.Option) and not CJK.search(param.help or ""):
                english.append(f"{path} {param.opts[0]}: {param.help!r}")
    assert not english, "help without Chinese:\n" + "\n".join(english)


@pytest.mark.parametrize("args", [[], ["members"], ["members", "import"], ["stats"]])
def test_help_pages_use_chinese_headings(args: list[str]) -> None:
    shown = CliRunner().invoke(main_group, [*args, "--help"], prog_name="committee-bot").output
    assert "用法: committee-bot" in shown and "选项:" in shown and "显示本帮助并退出。" in shown
    for word in ("Usage:", "Options:", "Commands:", "Show this message"):
        assert word not in shown


def test_mistakes_on_the_command_line_are_explained_in_chinese() -> None:
    runner = CliRunner()
    missing = runner.invoke(main_group, ["members", "import"], prog_name="committee-bot")
    assert missing.exit_code == 2
    assert "错误：缺少参数 'FILE'" in missing.output
    assert "运行「committee-bot members import --help」查看帮助。" in missing.output
    unknown = runner.invoke(main_group, ["memebrs"])
    assert "错误：没有 'memebrs' 这个命令。" in unknown.output
    bad_number = runner.invoke(main_group, ["stats", "--year", "明年"])
    assert "'--year' 的取值无效：'明年' 不是有效的数值。" in bad_number.output
    no_option = runner.invoke(main_group, ["stats", "--yaer", "2026"])
    assert "没有 '--yaer' 这个选项。" in no_option.output
    assert "Error" not in missing.output + unknown.output + bad_number.output + no_option.output


def test_the_translation_table_matches_the_installed_click() -> None:
    """An upgrade that rewords a sentence would silently bring the English back."""
    root = Path(click.__file__).parent
    marked: set[str] = set()
    for name in click_zh.CLICK_MODULES:
        for node in ast.walk(ast.parse((root / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"_", "ngettext"}:
                marked |= {a.value for a in node.args if isinstance(a, ast.Constant)}
    marked.add("required")  # marked indirectly: _(extra["required"])
    assert set(click_zh.ZH) <= marked, sorted(set(click_zh.ZH) - marked)
    for english, chinese in click_zh.ZH.items():
        fields = set(re.findall(r"\{(\w+)", chinese))
        assert fields <= set(re.findall(r"\{(\w+)", english)), english


def test_configuration_errors_are_one_chinese_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.errors import ConfigError
    from bot.settings import load_settings

    monkeypatch.setenv("COMMITTEE_BOT_FLOW_IDLE_MINUTES", "半小时")
    with pytest.raises(ConfigError) as bad_number:
        load_settings()
    assert str(bad_number.value) == "COMMITTEE_BOT_FLOW_IDLE_MINUTES：应为整数，收到「半小时」"
    monkeypatch.setenv("COMMITTEE_BOT_FLOW_IDLE_MINUTES", "0")
    with pytest.raises(ConfigError, match="COMMITTEE_BOT_FLOW_IDLE_MINUTES：不能小于 1，收到「0」"):
        load_settings()
    monkeypatch.delenv("COMMITTEE_BOT_FLOW_IDLE_MINUTES")
    monkeypatch.setenv("COMMITTEE_BOT_TIMEZONE", "Beijing")
    with pytest.raises(ConfigError, match="未知的时区「Beijing」"):
        load_settings()
    monkeypatch.delenv("COMMITTEE_BOT_TIMEZONE")
    monkeypatch.setenv("COMMITTEE_BOT_TIMEZOEN", "Asia/Shanghai")
    with pytest.raises(ConfigError, match="环境变量 COMMITTEE_BOT_TIMEZOEN 不是可用的配置项"):
        load_settings()


def test_run_without_a_token_on_a_telegram_channel_says_what_is_missing() -> None:
    result = CliRunner().invoke(main_group, ["run", "--channel", "ptb"])
    assert result.exit_code != 0
    assert "没有设置 COMMITTEE_BOT_TELEGRAM_TOKEN" in str(result.exception)


def test_a_bad_rules_file_is_named_in_chinese(tmp_path: Path) -> None:
    from bot.errors import ConfigError
    from bot.notices.rules import NoticeRules

    path = tmp_path / "notices.toml"
    path.write_text("[check_in]\ncode_length = 12\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="签到码应为 4 到 8 位"):
        NoticeRules.load(path)
    path.write_text("[reminders]\nattending_day_befor_at = '09:00'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="不认识的选项「attending_day_befor_at」"):
        NoticeRules.load(path)
