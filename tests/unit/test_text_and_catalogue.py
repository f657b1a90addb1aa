from __future__ import annotations

import re
from pathlib import Path

from bot.catalogue import catalogue
from bot.text import Text, render

ROOT = Path(__file__).resolve().parents[2]


def test_member_values_are_escaped_for_html_but_catalogue_markup_is_kept() -> None:
    text = Text.of("<b>{name}</b> & {note}", {"name": "<i>x</i>", "note": "a&b"})
    assert render(text, "html") == "<b>&lt;i&gt;x&lt;/i&gt;</b> & a&amp;b"
    assert render(text, "plain") == "<i>x</i> & a&b"


def test_braces_typed_by_a_member_are_not_format_fields() -> None:
    text = Text.of("内容：{body}", {"body": "{0} {name}"})
    assert render(text, "plain") == "内容：{0} {name}"


def test_text_survives_the_outbox_round_trip() -> None:
    text = Text.of("<b>{a}</b>", {"a": "<x>"}) + Text.plain("\n尾")
    assert render(Text.from_json(text.to_json()), "html") == render(text, "html")


def test_every_catalogue_key_used_in_code_exists() -> None:
    """A typo in a key would show a member a crash instead of a sentence."""
    from bot.app import root_router

    router = root_router()
    actions = {name for r in router.walk() for name in r.actions}
    namespaces = {key.split(".")[0] for key in catalogue()}
    pattern = re.compile(r"""["']([a-z_]+\.[a-z_0-9]+)["']""")
    # Audit actions (``Audit.record("ask.dismiss", ...)``) are names, not sentences.
    audit_action = re.compile(r"""\.record\(\s*["']([a-z_]+\.[a-z_0-9]+)["']""")
    missing = {
        (path.name, key)
        for folder in ("bot", "handlers")
        for path in (ROOT / folder).rglob("*.py")
        for source in (path.read_text(encoding="utf-8"),)
        for key in set(pattern.findall(source)) - set(audit_action.findall(source))
        if key.split(".")[0] in namespaces
        and not key.endswith("_")  # a prefix completed at run time
        and key not in catalogue()
        and key not in actions
    }
    assert not missing


def test_no_chinese_sentences_hard_coded_in_handlers() -> None:
    """User-facing text lives in the catalogue (data such as demo names aside)."""
    han = re.compile(r"[\u4e00-\u9fff]{6,}")
    offenders = []
    for path in (ROOT / "handlers").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("#") or stripped.startswith('"""'):
                continue
            if han.search(stripped.split("#")[0]) and "router.command" not in stripped:
                offenders.append((path.name, stripped))
    assert not offenders
