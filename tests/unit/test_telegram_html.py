"""Cutting long Telegram HTML into messages: every part parses, fits, and nothing is lost.

The parts are checked with the Bot API emulator's parser (the one that answers 400 like
Telegram), so "balanced markup" means "Telegram accepts it"."""

from __future__ import annotations

import html
import random

import pytest

from bot.channels.telegram_html import split_html, utf16_len, visible_length
from tests.support.botapi_emulator import parse_html


def styled(source: str) -> list[tuple[str, frozenset[tuple[str, str | None]]]]:
    """Each visible character with the entities covering it (bold, link to …)."""
    plain, entities = parse_html(source)
    units: list[str | None] = []
    for ch in plain:
        units.extend([ch] if ord(ch) <= 0xFFFF else [ch, None])
    marks: list[set[tuple[str, str | None]]] = [set() for _ in units]
    for entity in entities:
        for unit in range(entity["offset"], entity["offset"] + entity["length"]):
            marks[unit].add((entity["type"], entity.get("url")))
    return [(ch, frozenset(m)) for ch, m in zip(units, marks, strict=True) if ch is not None]


def assert_split_faithfully(source: str, parts: list[str], limit: int, first: int | None) -> None:
    """Each part is accepted by Telegram and fits; together they are the whole text with
    the same formatting, apart from whitespace at the cuts (Telegram trims messages)."""
    whole = styled(source)
    position = 0
    for n, part in enumerate(parts):
        chars = styled(part)  # raises like Telegram's 400 on unbalanced markup
        assert chars, f"part {n} is empty"
        budget = first if n == 0 and first is not None else limit
        assert utf16_len("".join(c for c, _ in chars)) <= budget
        while whole[position][0].isspace() and whole[position] != chars[0]:
            position += 1
        assert whole[position : position + len(chars)] == chars, f"part {n} differs"
        position += len(chars)
    assert all(c.isspace() for c, _ in whole[position:]), "the end was lost"


PIECES = [
    "委员",
    "提案",
    "情况分析",
    "😀",
    "𠀀",
    "<",
    ">",
    "&",
    '"',
    "R&D",
    "abc",
    " ",
    "，",
    "。",
    "！",
    "\n",
    "\n\n",
    "Hello world. ",
]


def random_html(rng: random.Random, size: int) -> str:
    """Catalogue-style markup around member text (escaped, as the renderer does)."""
    out: list[str] = []
    open_tags: list[str] = []
    for _ in range(size):
        roll = rng.random()
        if roll < 0.08 and len(open_tags) < 3:
            tag = rng.choice(["b", "i", "u", "code", "a"])
            out.append('<a href="https://example.org/?a=1&amp;b=2">' if tag == "a" else f"<{tag}>")
            open_tags.append(tag)
        elif roll < 0.14 and open_tags:
            out.append(f"</{open_tags.pop()}>")
        else:
            out.append(html.escape(rng.choice(PIECES), quote=False))
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(out)


@pytest.mark.parametrize("seed", range(6))
def test_random_markup_heavy_texts_split_faithfully(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(150):
        source = random_html(rng, rng.randint(1, 400))
        if not parse_html(source)[0]:
            continue
        limit = rng.randint(4, 120)
        first = rng.choice([None, rng.randint(4, 60)])
        parts = split_html(source, limit, first_limit=first)
        assert_split_faithfully(source, parts, limit, first)


def test_a_text_that_fits_is_left_alone() -> None:
    source = "<b>会议</b>&lt;通知&gt;" + "字" * 4090
    assert visible_length(source) == 4096
    assert split_html(source, 4096) == [source]


def test_one_character_over_the_limit_makes_two_balanced_parts() -> None:
    source = "<b>" + "&amp;" * 4097 + "</b>"  # 20 KB of HTML, 4097 visible characters
    parts = split_html(source, 4096)
    assert len(parts) == 2
    assert_split_faithfully(source, parts, 4096, None)
    assert parts[1].startswith("<b>") and parts[0].endswith("</b>")


def test_cuts_prefer_paragraphs_then_sentences() -> None:
    paragraph = "老旧小区普遍没有电梯，老年居民上下楼困难。" * 30  # 630 characters
    source = "<b>情况分析</b>\n" + "\n\n".join([paragraph] * 9) + "\n\n<b>检查结果</b>\n全部通过"
    parts = split_html(source, 4096)
    assert len(parts) == 2
    assert parts[0].endswith("\n\n") and parts[1].startswith(paragraph)
    assert parts[1].endswith("<b>检查结果</b>\n全部通过")
    one_paragraph = "<i>" + "这是一句完整的话。" * 500 + "</i>"  # no paragraph or line break
    parts = split_html(one_paragraph, 4096)
    assert parts[0].endswith("。</i>") and parts[1].startswith("<i>这是")
    assert_split_faithfully(one_paragraph, parts, 4096, None)


def test_no_break_at_all_still_cuts_between_characters_not_inside_pairs() -> None:
    source = "😀" * 3000  # 6000 UTF-16 units, no place to break
    parts = split_html(source, 4096)
    assert [utf16_len(p) for p in parts] == [4096, 1904]
    assert "".join(parts) == source


def test_links_and_code_are_reopened_in_the_next_part() -> None:
    source = '<a href="https://example.org/x?a=1&amp;b=2">' + "链接文字，" * 1000 + "</a>"
    parts = split_html(source, 4096)
    assert len(parts) == 2
    assert all(p.startswith('<a href="https://example.org/x?a=1&amp;b=2">') for p in parts)
    assert_split_faithfully(source, parts, 4096, None)
