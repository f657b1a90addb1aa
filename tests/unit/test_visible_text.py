"""Issue 11: member text keeps what is visible and loses what disguises it."""

from __future__ import annotations

import pytest

from bot.domain.visible_text import has_invisible, visible_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("张\u202e三", "张三"),  # right-to-left override
        ("李\u2066秀\u2069梅", "李秀梅"),  # isolates
        ("王\u200b建\u200c国\ufeff", "王建国"),  # zero-width space / non-joiner, BOM
        ("报\x07告\x1b[31m", "报告[31m"),  # bell, escape
        ("第一行\r\n第二行\r第三行\t完", "第一行\n第二行\n第三行\t完"),  # breaks kept
        ("安\u00ad全", "安全"),  # soft hyphen
        ("提案\U000e0069\U000e0067\U000e006e", "提案"),  # tag characters hiding "ign"
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # a family emoji keeps its joiners
        ("甲\u200d乙", "甲乙"),  # a joiner between letters is invisible
        ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", None),  # a flag
        ("", ""),
    ],
)
def test_visible_text(raw: str, shown: str | None) -> None:
    assert visible_text(raw) == (raw if shown is None else shown)
    line_breaks_only = raw.replace("\r\n", "\n").replace("\r", "\n") == shown
    assert has_invisible(raw) == (shown is not None and not line_breaks_only)
