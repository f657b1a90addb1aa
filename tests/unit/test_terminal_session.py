"""The terminal session as the person at it sees it: a number typed when no button has
that number is not sent as an answer, library warnings go to the log file and not into the
conversation, and the default database does not depend on the folder ./run starts from."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.console import ConsoleChannel
from bot.text import Text
from bot.types import Button, Reply


async def _shown(channel: ConsoleChannel, text: str, *labels: str) -> None:
    buttons = tuple(
        Button(label=Text.plain(label), action=f"a{i}") for i, label in enumerate(labels)
    )
    await channel.send(1, Reply(text=Text.plain(text), buttons=(buttons,) if buttons else ()))


async def test_a_number_with_no_such_button_is_held_back_once() -> None:
    out = io.StringIO()
    channel = ConsoleChannel(out=out)
    await _shown(channel, "请选择提案类型：", "个人提案", "联名提案")
    pressed = channel.to_incoming("2")
    assert pressed is not None and pressed.kind == "action" and pressed.action == "a1"

    await _shown(channel, "请输入案由：")  # the newest message has no buttons
    assert channel.to_incoming("1") is None  # not sent as the title
    assert "没有编号为 1 的按钮" in out.getvalue() and "再输入一次" in out.getvalue()
    again = channel.to_incoming("1")
    assert again is not None and (again.kind, again.text) == ("text", "1")  # meant it

    await _shown(channel, "请选择：", "是", "否")
    assert channel.to_incoming("3") is None  # out of range
    other = channel.to_incoming("关于停车难的提案")
    assert other is not None and other.text == "关于停车难的提案"
    assert channel.to_incoming("3") is None  # the hold does not outlive another line
    year = channel.to_incoming("2026")  # a longer number is an answer, not a button
    assert year is not None and year.text == "2026"


@pytest.fixture
def clean_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    # As in a fresh process: an earlier test (a `run` through click) may have left warnings
    # captured, and then pytest's own recorder would keep them from the log.
    logging.captureWarnings(False)
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(False)


def test_library_warnings_go_to_the_log_file_not_the_terminal(
    clean_logging: None, capfd: pytest.CaptureFixture[str]
) -> None:
    from bot.cli.core import _log_beside_the_chat
    from bot.settings import DEFAULT_DATA_DIR

    logging.basicConfig(level=logging.INFO)
    _log_beside_the_chat(scripted=False)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("retry_after will become a timedelta", DeprecationWarning, stacklevel=1)
    logging.getLogger("pypdf").warning("Ignoring wrong pointing object 6 0 (offset 0)")
    for handler in logging.getLogger().handlers:
        handler.flush()
    terminal = capfd.readouterr()
    assert "retry_after" not in terminal.out + terminal.err
    assert "pointing object" not in terminal.out + terminal.err
    log = (DEFAULT_DATA_DIR / "committee-bot.log").read_text(encoding="utf-8")
    assert "retry_after will become a timedelta" in log and "pointing object" in log


def test_the_default_database_is_the_same_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.settings import DEFAULT_DATA_DIR, load_settings

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    first = load_settings().database_url
    monkeypatch.chdir(elsewhere)
    assert load_settings().database_url == first
    path = Path(first.split(":///", 1)[1])
    assert path.is_absolute() and path == DEFAULT_DATA_DIR / "committee-bot.db"
    assert not str(path).startswith(str(Path.cwd()))
    monkeypatch.setenv("COMMITTEE_BOT_DATABASE_URL", f"sqlite:///{tmp_path / 'own.db'}")
    assert load_settings().database_url.endswith("own.db")  # the setting still wins
