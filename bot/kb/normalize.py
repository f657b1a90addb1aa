"""Cleaning real-world Chinese text before it is split and indexed.

Reports copied from newspapers and PDFs arrive with print-column line breaks inside
sentences (sometimes with blank lines in the middle of a word), spaced-out characters
(``认 真 践 行``), mixed full- and half-width forms, paragraphs printed twice and
advertisements before or after the article. ``normalize`` turns such text into clean
paragraphs; ``fold`` gives the form used for matching only (never shown to a member).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.kb.chinese_script import simplified
from bot.kb.web_furniture import (
    is_furniture,
    is_page_note,
    page_note,
    without_footer_contacts,
    without_link_lists,
    without_menus,
    without_meta_tail,
)

__all__ = [
    "AD_MARKERS",
    "ISSUE_NUMBER",
    "PRINTED_ISSUE_NUMBER",
    "Normalized",
    "display_width",
    "fingerprint",
    "fold",
    "is_structural_start",
    "normalize",
    "normalize_line",
]

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u00b7"
_HAN = re.compile(f"[{_CJK}]")
_TERMINAL = set("。！？；：!?;:…")
_CLOSERS = set("”’」』）)】》\"'")
# Space next to CJK punctuation is never meaningful: "件 ，探" -> "件，探".
_SPACE_AT_PUNCT = re.compile(f"[ \t\u3000]+(?=[{_CJK_PUNCT}])|(?<=[{_CJK_PUNCT}])[ \t\u3000]+")
# A digit and a Han character are typeset with a thin space in print: "2024 年" -> "2024年".
_SPACE_DIGIT_HAN = re.compile(
    f"(?<=[0-9])[ \t\u3000]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t\u3000]+(?=[0-9])"
)
# A Q&A page's question numbered and then spaced (### Q1 提案和…？, 问3 请假…): the space is
# the number's colon, which the digit-and-Han rule would take for print spacing
_QUESTION_SPACED = re.compile(
    f"^((?:#{{1,6}}\\s*)?(?:\\*\\*)?)([Qq]|问题?)\\s*([0-9]{{1,3}})[ \t\u3000]+(?=[{_CJK}])"
)
_SPACE_HAN_HAN = re.compile(f"(?<=[{_CJK}{_CJK_PUNCT}])[ \t\u3000]+(?=[{_CJK}{_CJK_PUNCT}])")
# Half-width punctuation written inside Chinese text becomes its full-width form.
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_HALF_PUNCT = re.compile(f"(?<=[{_CJK}”）》」])([,;:?!])")
_PAREN_PAIR = re.compile(f"[(（]([^()（）]*[{_CJK}][^()（）]*)[)）]")
_OPEN_PAREN = re.compile(f"\\((?=[{_CJK}])")
_CLOSE_PAREN = re.compile(f"(?<=[{_CJK}])\\)")
_FULLWIDTH_ALNUM = {
    code: code - 0xFEE0
    for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\ufeff\ufffd]")

# A clause numbered by its section (1.1, 2.3.1), not a figure opening a line (1.5倍, 0.5分).
DECIMAL_CLAUSE = (
    r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})?(?![\d.．])"
    r"(?!\s*(?:倍|万|元|%|％|小时|亿|个百分点|分(?:/|／|每|$)))"
)
# A paragraph that starts a new block: never glued to the line before it.
_STRUCTURAL = re.compile(
    r"^(#{1,6}\s|第\s*[0-9一二三四五六七八九十百千零〇两]+\s*(?:[编章节条]|部分)"
    r"|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|[（(]\d+[)）]"
    r"|\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十]{1,3}[，,、：:]|[■●◆▲★☆◇□○•·\-*>]\s*|——"
    # a Q&A page's question and answer (Q1：…, 问3：…, 答：…) after an intro ending on 👇
    r"|(?:问题|[问答QqAa])\s*\d{0,3}\s*[：:]"
    # a bracketed label opening a line (【问】, 【编者按】, 【示例】): a unit of its own
    r"|【[^】]{1,6}】"
    # an appendix's heading (附件2　计分表): a form's last line does not run on into it
    r"|附\s*[件录表]\s*(?:[0-9一二三四五六七八九十]+|[：:]))"
)
_APPENDIX_START = re.compile(r"附\s*[件录表]")
# What a document's title ends in, naming its kind (…管理办法, …常见问题解答).
TITLE_KINDS = (
    "办法|规定|条例|细则|章程|制度|规则|通则|守则|报告|摘编|通知|通报|意见|方案|计划|须知|要点"
    "|问答|解答|答疑|指南|手册|汇编|明白纸"
)
# A first line ending in its kind is the whole title: the short line after it (a note, a
# 文号) does not run on into it.
_WHOLE_TITLE_LINE = re.compile(rf"(?:{TITLE_KINDS})(?:[（(][^（()）]{{1,12}}[)）])*$")
_ADDRESSEES = re.compile(r"^各[^。；;]{1,40}[：:]$")
_HEADLINE = re.compile(r"^[^。；;：:，,？?！!]{4,30}[，,？?！!][^。；;：:，,]{2,20}$")

# Words that mark an advertisement or sponsor block, not the article.
AD_MARKERS: tuple[str, ...] = (
    "广告",
    "10086",
    "热线",
    "客服电话",
    "营业厅",
    "资费",
    "套餐",
    "优惠",
    "5G",
    "千兆",
    "股代码",
    "扫码",
    "二维码",
    "咨询电话",
    "WiFi",
)
# How far from either end of the text an advertisement block may reach.
_AD_SCAN_PARAGRAPHS = 16
_AD_MAX_SHARE = 0.3
# A printed page's number: — 3 —, 第2页共10页, 3/10.
_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－]+\s*\d{1,4}\s*[—–\-－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$"
)
# A line on this many pages is a running head or foot; one that opens a unit (第一条, 一、,
# （一）, 1., 问：), heads a section (## 办理流程, 【依据】) or ends a sentence or a lead (。；：)
# is text, however often it comes.
_RUNNING_HEAD_PAGES = 3
_RUNNING_HEAD_NOT = re.compile(
    r"^(?:第\s*[0-9一二三四五六七八九十百千零〇两]+\s*[编章节条款项]|[一二三四五六七八九十]+、"
    r"|[（(][0-9一二三四五六七八九十]+[)）]|[0-9]+[.、．]|[问答][：:]|#|【)|[。；;：:！？?!]$"
)
# The marker that opens an article or item, with the space after it: no table cell.
_OPENING = re.compile(
    r"^(?:第\s*[0-9一二三四五六七八九十百千零〇两]+\s*[编章节条]|[一二三四五六七八九十]+、)\s*"
)
# Columns of a table row, kept apart by spaces once a line is normalised (Chinese prose never
# puts a space between two Han characters; spaced-out print is collapsed first), or by bars.
_TABLE_ROW = re.compile(f"[{_CJK}）] +[{_CJK}（0-9+-]|[|｜]")
# Lines wider than this are paragraphs typed on one line, not print columns.
_MAX_COLUMN_WIDTH = 60
_FULL_LINE_SHARE = 0.8
_MIN_DUPLICATE_CHARS = 10


@dataclass(frozen=True, slots=True)
class Normalized:
    """Clean paragraphs plus what was removed (shown in ingest reports)."""

    paragraphs: list[str]
    duplicates_dropped: int = 0
    ads_dropped: list[str] = field(default_factory=list)
    # what a saved page says of itself and its site (date, source, footer), not the rule
    page_notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


# Full-width ASCII and the ideographic space, NFKC's own mapping for them, done by a table
# first: NFKC over Chinese text full of ，（） is slow, and after the table it is rarely
# needed at all.
_FULLWIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold(text: str) -> str:
    """Matching form: NFKC (full-width -> half-width, compatibility forms), simplified
    characters, no pinyin printed after them, and lower case."""
    text = simplified(text.translate(_FULLWIDTH_ASCII))
    if "(" in text or "（" in text:
        text = _PINYIN_NOTE.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def fingerprint(text: str) -> str:
    """Letters and digits only: two paragraphs differing in spacing or punctuation match."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def display_width(text: str) -> float:
    """Printed width: CJK characters are one em, ASCII half."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def is_structural_start(line: str) -> bool:
    line = line.strip()
    return bool(_STRUCTURAL.match(line) or EMOJI_LEAD.match(line) or _DECIMAL_START.match(line))


_DECIMAL_START = re.compile(DECIMAL_CLAUSE)


# 笫 (a bamboo mat) that OCR reads for 第 before an article's or a chapter's number.
# Numbers printed as one character: ⑴…⒇ as （1）…（20）, ⒈…⒛ as 1.…20.
_ENCLOSED_NUMBERS = {0x2474 + n: f"（{n + 1}）" for n in range(20)} | {
    0x2488 + n: f"{n + 1}." for n in range(20)
}
# A section numbered 一． or 一. (a Chinese number before a dot is never a decimal).
_SECTION_DOT = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[.．]\s*(?=\S)")
_BRACKETED_ARTICLE = re.compile(
    r"^【\s*(第\s*[0-9零〇一二三四五六七八九十百]+\s*条(?:之[一二三四五六七八九十]+)?)\s*】\s*"
)
_OCR_DI = re.compile(r"笫(?=\s*[0-9零〇一二三四五六七八九十百]+\s*[条章节款项编])")
_ALIGNED_CELLS = re.compile("(?<=\\S)\u3000{2,}(?=\\S)")
# (and three ASCII spaces or more, as a table typed in a plain-text file lines up:
# 报送并通过初审      1      每年最多计5条, which the digit-and-Han rule would run together)
_SPACE_ALIGNED_CELLS = re.compile(r"(?<=\S) {3,}(?=\S)")
_TAB_CELLS = re.compile(r"(?<=\S)[ \u3000]*\t[ \t\u3000]*(?=\S)")


# Pinyin a mirror site prints after a character (協(xié), 頁(yè)): tone marks make it certain.
_PINYIN_NOTE = re.compile(f"(?<=[{_CJK}])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")


# A page that ends its Chinese sentences with an ASCII full stop (…提交方式.通过市政…).
_ASCII_FULL_STOP = re.compile(f"(?<=[{_CJK}）)”])\\.(?=[{_CJK}“（(]|\\s*$)")


# A date whose 年 and 月 a web page lost (20161020日, 2005713日): written out again, where the
# digits part one way only (2019111日 may be 1月11日 or 11月1日, and stays as it is).
_GLUED_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([0-9]{3,4})(?=日)")


def _date_written_out(match: re.Match[str]) -> str:
    year, rest = match.group(1), match.group(2)
    cuts = [1, 2] if len(rest) == 3 else [2]
    readings = [
        (int(rest[:cut]), int(rest[cut:])) for cut in cuts if rest[cut] != "0" or len(rest) == 4
    ]
    valid = [(m, d) for m, d in readings if 1 <= m <= 12 and 1 <= d <= 31]
    if len(valid) != 1:
        return match.group(0)
    month, day = valid[0]
    return f"{year}年{month}月{day}"


# A WeChat article's keycap numbers (1️⃣) number its points as 1. does; the frame drawn
# around its 划重点 box (┌──┐) is no text.
KEYCAP = re.compile("([0-9])\ufe0f?\u20e3")
_BOX_DRAWING = re.compile("[\u2500-\u257f]+")
# An emoji opening a line (📌 线上请假, ✅ 旧版网页…, ❓ 电脑上能用吗？) marks where a section,
# a note or a question starts; ★ and ☆ are bullets the numbered units already know.
EMOJI_LEAD = re.compile(
    "^(?:[\U0001f000-\U0001faff\u2600-\u2604\u2607-\u27bf\u2b00-\u2bff\u231a-\u23ff]\ufe0f?\\s*)+"
)


def normalize_line(line: str) -> str:
    """One line: control characters out, widths unified, print spacing collapsed."""
    # Cells a spreadsheet or a Word table gives apart by tabs are a table's: kept apart by
    # bars, or 对象⇥时长 would be taken for spaced-out print and run together.
    line = _TAB_CELLS.sub(" | ", _CONTROL.sub("", line)).translate(_FULLWIDTH_ALNUM)
    line = line.replace("\t", " ")
    if "：" not in line and ":" not in line:
        # two full-width spaces or more align a table's columns (被全国政协采用　　10分):
        # cells; not a page's 发布时间：…　　来源：… or a form's 报送人：　　界别：
        line = _ALIGNED_CELLS.sub(" | ", line)
        if not _is_spaced_out(line):  # (认 真 践 行 is print spacing, however wide)
            line = _SPACE_ALIGNED_CELLS.sub(" | ", line)
    line = line.replace("\u3000", " ").strip()
    if not line.isascii():
        line = _BOX_DRAWING.sub("", KEYCAP.sub(r"\1.", line)).strip()
    if "笫" in line:
        line = _OCR_DI.sub("第", line)  # a scan's 笫八条 is 第八条
    line = _SECTION_DOT.sub(r"\1、", line)  # 二．主要任务 is 二、主要任务
    line = line.translate(_ENCLOSED_NUMBERS)  # ⑴ is （1）, ⒈ is 1.
    if line.startswith("【"):
        line = _BRACKETED_ARTICLE.sub(r"\1 ", line)  # 【第一条】委员… is 第一条 委员…
    if "(" in line or "（" in line:
        line = _PINYIN_NOTE.sub("", line)  # 政協(xié): a mirror site's reading aid, no text
    if "." in line:
        line = _ASCII_FULL_STOP.sub("。", line)
    if _is_spaced_out(line):
        line = _SPACE_HAN_HAN.sub("", line)
    elif _PROSE.search(line) and "|" not in line:
        # a scan's stray space inside a sentence (参加政协的会 议, 书面请 假条): Chinese
        # prose puts none there; one after an article's number (第一条 为…) is kept
        line = _STRAY_SPACE.sub("", line)
    if "O" in line or "o" in line:
        line = _OCR_ZERO.sub("0", line)  # a scan's 2O25年, 1O个工作日
        line = _OCR_LING.sub("〇", line)  # 二O一八年
    line = _SPACE_AT_PUNCT.sub("", line)
    line = _QUESTION_SPACED.sub(r"\1\2\3：", line)
    line = _SPACE_DIGIT_HAN.sub("", line)
    if "日" in line:
        line = _GLUED_DATE.sub(_date_written_out, line)
    line = _HALF_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(1)], line)
    line = _PAREN_PAIR.sub(r"（\1）", line)  # (2018年5月7日通过） as one pair, both full-width
    line = _OPEN_PAREN.sub("（", line)
    line = _CLOSE_PAREN.sub("）", line)
    return re.sub(r" {2,}", " ", line)


# A line of prose (a clause or a sentence ends in it), whose lone spaces are no cells.
_PROSE = re.compile(r"^(?=.{16}).*[，。；]|[。；]$")
_STRAY_SPACE = re.compile(f"(?<=[{_CJK}])(?<![条章节款编项條節項編]) (?=[{_CJK}])")
_OCR_ZERO = re.compile(
    r"(?<=[0-9])[Oo](?=[0-9]|[年个日月号分%])|(?<=[0-9][0-9])[Oo]|[Oo](?=[0-9]|\.[0-9])"
)
_OCR_LING = re.compile(r"(?<=[一二三四五六七八九〇])[Oo](?=[一二三四五六七八九〇年])")


def _is_spaced_out(line: str) -> bool:
    """``认 真 践 行``: most space-separated chunks are one or two Han characters."""
    chunks = [c for c in re.split(r"[ \u3000]+", line) if _HAN.search(c)]
    if len(chunks) < 4:
        return False
    short = sum(1 for c in chunks if len(c) <= 2)
    return short * 2 >= len(chunks)


_PAGE_NOTES = 8


def normalize(raw: str) -> Normalized:
    """Raw text -> clean paragraphs (hard breaks joined, duplicates and ads dropped)."""
    lines = [
        normalize_line(line)
        for line in _single_spaced_tables(raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    ]
    # a rule copied off a website brings the site's bars and information lines along
    kept = ["" if is_furniture(line) else without_meta_tail(line) for line in lines]
    blanked = without_footer_contacts(lines, kept)
    notes = [
        page_note(line)
        for line, out in zip(lines, blanked, strict=True)
        if not out and is_page_note(line)
    ]
    lines = without_menus(lines, without_link_lists(blanked))
    lines = _without_page_furniture(_cells_as_rows(_labelled_rows(lines)))
    paragraphs = _join_lines(lines)
    paragraphs, duplicates = _drop_duplicates(paragraphs)
    paragraphs, ads = _drop_ads(paragraphs)
    return Normalized(
        paragraphs=paragraphs,
        duplicates_dropped=duplicates,
        ads_dropped=ads,
        page_notes=list(dict.fromkeys(notes))[:_PAGE_NOTES],
    )


# A table whose cells one full-width space keeps apart (项目　计分标准　说明): rows of as many
# cells, under a header of short names; not articles (第一条　…), each spaced once.
_ONE_WIDE_SPACE = re.compile("(?<=\\S)\u3000(?=\\S)")
_TABLE_RUN = 3  # the header and two rows at least
_HEADER_CELL = 8


def _single_spaced_tables(lines: list[str]) -> list[str]:
    """The lines with such a table's single spaces widened, as a table typed with two."""
    out = list(lines)
    at = 0
    while at < len(lines):
        cells = _single_cells(lines[at])
        if cells < 2 or not _is_header(lines[at]):
            at += 1
            continue
        end = at + 1
        while end < len(lines) and _single_cells(lines[end]) == cells:
            end += 1
        if end - at >= _TABLE_RUN:
            for n in range(at, end):
                out[n] = _ONE_WIDE_SPACE.sub("\u3000\u3000", lines[n].strip())
        at = max(end, at + 1)
    return out


def _single_cells(line: str) -> int:
    """How many cells a line holds apart by single full-width spaces (0: none, or not so)."""
    line = line.strip()
    if "\u3000\u3000" in line or "\t" in line or is_structural_start(line):
        return 0
    gaps = len(_ONE_WIDE_SPACE.findall(line))
    return gaps + 1 if gaps else 0


def _is_header(line: str) -> bool:
    """Names of columns (项目 分值 说明): short, no clause, no figure (出席全体会议 每半天 5分
    is a row of a table with no header, its lines already kept apart)."""
    return all(
        len(cell) <= _HEADER_CELL and not re.search(r"[，。；：:,0-9]", cell)
        for cell in line.strip().split("\u3000")
    )


def _without_page_furniture(lines: list[str]) -> list[str]:
    """A printed page's number (— 3 —, 第2页共10页) and a PDF's running head or foot
    (政协示例市委员会文件, the document's name on every page) taken out, the blank lines
    around them kept as one: a sentence broken across the page joins up again.

    A running head is a short line that opens no unit and ends no sentence, repeated on
    three pages or more, or twice next to a page's number; it is kept the first time,
    unless it stands next to a page's number."""
    page = [bool(_PAGE_NUMBER.match(line)) for line in lines]
    by_number: Counter[str] = Counter()
    for i, is_page in enumerate(page):
        if is_page:
            by_number.update(
                {line for line in (_next_text(lines, i, 1), _next_text(lines, i, -1)) if line}
            )
    counts = Counter(line for line in lines if _could_run(line))
    running = {line for line, n in counts.items() if n >= _RUNNING_HEAD_PAGES}
    running |= {line for line, n in by_number.items() if n >= 2}
    seen: set[str] = set()
    out: list[str] = []
    dropped = False
    for i, line in enumerate(lines):
        near_number = any(
            0 <= j < len(lines) and page[j] and _next_text(lines, j, i - j) == line
            for j in (i - 1, i - 2, i + 1, i + 2)
        )
        repeated = bool(line) and _could_run(line) and line == _last_text(out)
        if repeated:
            continue  # a running head printed above the same title counts once
        if page[i] or (line in running and (line in seen or near_number)):
            dropped = True
            continue
        seen.add(line)
        if not line:
            if dropped and out and not out[-1]:
                continue  # blank lines around what was taken out count as one
        elif dropped:
            if out and out[-1]:
                out.append("")
            dropped = False
        out.append(line)
    return out


def _last_text(lines: list[str]) -> str:
    return next((line for line in reversed(lines) if line), "")


def _next_text(lines: list[str], at: int, step: int) -> str:
    """The first non-blank line from ``at`` in direction ``step`` (its sign), if any."""
    step = 1 if step > 0 else -1
    i = at + step
    while 0 <= i < len(lines) and not lines[i]:
        i += step
    return lines[i] if 0 <= i < len(lines) and _could_run(lines[i], beside_number=True) else ""


def _could_run(line: str, *, beside_number: bool = False) -> bool:
    """Whether ``line`` may be a running head or foot. One set out like a table row (政协…文件
    ⟶ 政协发〔2025〕3号) is one only beside a page's number: rows of a table repeat too."""
    return (
        4 <= len(line) <= 40
        and (beside_number or not _TABLE_ROW.search(line))
        and not _RUNNING_HEAD_NOT.search(line)
    )


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip()
    while stripped and stripped[-1] in _CLOSERS:
        stripped = stripped[:-1]
    return not stripped or stripped[-1] in _TERMINAL


def _column_width(widths: Sequence[float], index: int) -> float | None:
    """The print-column width around line ``index``, if the lines look printed.

    The second-widest nearby line: one stray wide line (a title, a collapsed spaced-out
    line) must not make every wrapped line around it look short.
    """
    nearby = sorted((w for w in widths[max(0, index - 3) : index + 4] if w > 0), reverse=True)
    if not nearby:
        return None
    column = nearby[1] if len(nearby) > 1 else nearby[0]
    if column > _MAX_COLUMN_WIDTH:
        return None
    return column


# A table a PDF gave one cell a line (情形 / 扣分 / 说明 / 迟到 / 1分/次 / …), under the
# sentence that shows it (…标准如下表：): its header is the run of column names after it.
_TABLE_CAPTION = re.compile(r"(?:下表|如下|表)[：:]?$")
_COLUMN_NAMES = frozenset(
    [
        "项目",
        "分值",
        "扣分",
        "加分",
        "情形",
        "说明",
        "事项",
        "标准",
        "类别",
        "备注",
        "时间",
        "内容",
        "次数",
        "分数",
        "序号",
        "要求",
        "积分",
        "期限",
        "时限",
        "类型",
        "地点",
        "名称",
        "种类",
        "等次",
        "等级",
        "分数段",
        "处理",
        "审批",
        "批准",
        "审批人",
        "权限",
        "计分",
        "计分标准",
        "扣分标准",
        "加分标准",
        "扣分分值",
        "加分分值",
        "办理时限",
        "责任单位",
        "适用情形",
        "处理方式",
        "请假类型",
    ]
)
_MAX_HEADER_CELL = 6
_MAX_CELL = 40


# One of a row's labelled cells (项目：出席全体会议), the cells parted by semicolons.
_LABELLED_CELL = re.compile(r"^([\u4e00-\u9fff]{1,6})[：:](.+)$")


def _labels(line: str) -> tuple[tuple[str, ...], list[str]] | None:
    """A row written as labelled cells (项目：出席全体会议；分值：每次10分；说明：…): its
    labels and its cells' values; None for any other line."""
    cells = [c.strip() for c in re.split(r"[；;]", line.rstrip("。；;").strip())]
    matched = [_LABELLED_CELL.match(c) for c in cells]
    if len(cells) < 2 or not all(matched):
        return None
    return tuple(m.group(1) for m in matched if m), [m.group(2).strip() for m in matched if m]


def _labelled_rows(lines: list[str]) -> list[str]:
    """Rows written as labelled cells, two or more alike, as a table: their labels the
    header (项目 | 分值 | 说明), a line a row. Else no line ends a sentence, and the rows are
    glued into one paragraph as wrapped prose."""
    out: list[str] = []
    at = 0
    while at < len(lines):
        first = _labels(lines[at])
        end, rows = at, []
        while end < len(lines) and first is not None:
            row = _labels(lines[end]) if lines[end] else None
            if lines[end] and (row is None or row[0] != first[0]):
                break
            if row is not None:
                rows.append(row[1])
            end += 1
        if first is None or len(rows) < 2:
            out.append(lines[at])
            at += 1
            continue
        out += [" | ".join(first[0]), *(" | ".join(values) for values in rows)]
        at = end
    return out


def _cells_as_rows(lines: list[str]) -> list[str]:
    """Such a table's cells put back in rows (情形 | 扣分 | 说明), one line a row; the lines
    would else be glued as wrapped prose (会议开始15分钟后到场早退). A page's break inside
    the table (its number taken out) leaves blank lines among the cells."""
    # (read before the page's furniture is taken out, which takes a cell printed on three
    # rows, 1分/次, for a running head; the page's number and a long line printed again, the
    # running head, are no cells)
    counts = Counter(lines)

    def furniture(line: str) -> bool:
        return not line or bool(_PAGE_NUMBER.match(line)) or (len(line) > 10 and counts[line] > 1)

    out: list[str] = []
    at = 0
    while at < len(lines):
        line = lines[at]
        out.append(line)
        at += 1
        if not _TABLE_CAPTION.search(line):
            continue
        cells: list[str] = []
        end = at
        while end < len(lines):
            cell = lines[end]
            if furniture(cell):
                end += 1
                continue
            if (
                len(cell) > _MAX_CELL
                or _ENDS_CLAUSE.search(cell)
                or (cells and is_structural_start(cell))
            ):
                break
            cells.append(cell)
            end += 1
        width = 0
        while width < len(cells) and _is_column_name(cells[width]):
            width += 1
        rows = len(cells) // width if 2 <= width <= 5 else 0
        if rows < 3:  # the header and two rows at least
            continue
        out += [" | ".join(cells[r * width : (r + 1) * width]) for r in range(rows)]
        # (the cells past the last whole row, and the lines after them, as they were)
        taken = rows * width
        while taken:
            taken -= not furniture(lines[at])
            at += 1
    return out


_ENDS_CLAUSE = re.compile(r"[。；;]$")


def _is_column_name(line: str) -> bool:
    """情形, 扣分标准, 请假类型: a column's name (ending in one), not a cell's words."""
    name = line.strip()
    return len(name) <= _MAX_HEADER_CELL and any(name.endswith(c) for c in _COLUMN_NAMES)


def _join_lines(lines: list[str]) -> list[str]:
    """Glue lines broken by the print column back into paragraphs.

    A line continues into the next one (even across a blank line, which PDF and newspaper
    extraction insert in the middle of words) when it fills its column and does not end a
    sentence. A wrapped heading (``一、…`` broken in two) continues when its
    second half is shorter than the column.
    """
    content = [(i, line) for i, line in enumerate(lines) if line]
    widths = [display_width(line) for _, line in content]
    paragraphs: list[str] = []
    current: list[str] = []
    previous_index = -2
    for pos, (index, line) in enumerate(content):
        gap = index - previous_index - 1
        previous_index = index
        titled = (
            not paragraphs
            and bool(current)
            and (
                bool(_WHOLE_TITLE_LINE.search(current[-1]))
                # a page's headline told as a sentence, its byline between (委员学习培训
                # …，这24问一次说清 / 演示区政协 2025-07-08 07:30): not the body's first half
                or (gap > 0 and len(current) == 1 and bool(_HEADLINE.match(current[0])))
            )
        )
        if current and not titled and _continues(current, line, gap, widths, pos):
            current.append(line)
            continue
        if current:
            paragraphs.append(_glue(current))
        current = [line]
    if current:
        paragraphs.append(_glue(current))
    return paragraphs


def _continues(current: list[str], line: str, gap: int, widths: list[float], pos: int) -> bool:
    previous = current[-1]
    if is_structural_start(line) or _ends_sentence(previous) or gap > 2:
        return False
    if _CONTACT_LINE.match(previous) or _CONTACT_LINE.match(line):
        return False  # 联系人：…电话：0123-… then the office signing: lines of their own
    if ISSUE_NUMBER.search(previous) or ISSUE_NUMBER.match(line):
        return False  # 范政协发〔2025〕5号 above a notice's title: a line of its own
    if _TAG_LINE.match(previous):
        return False  # 【示例】本文件为…, 【来源】…: a note of its own, not a title's first half
    if _ADDRESSEES.match(line) or (
        previous.startswith("关于") and _WHOLE_TITLE_LINE.search(previous)
    ):
        return False  # 关于…的通报 over 各专门委员会、全体委员：: the title, then whom it is to
    if _TABLE_ROW.search(_OPENING.sub("", previous)) or _TABLE_ROW.search(line):
        return False  # rows of a table (出席全体会议 每半天 5分) are lines of their own
    if _is_ad(line) and _is_filler(line):
        return False  # a slogan after the byline must not swallow it when ads are dropped
    column = _column_width(widths, pos - 1)
    if column is None:
        return False
    if widths[pos - 1] >= column * _FULL_LINE_SHARE:
        return True
    wrapped_heading = (
        is_structural_start(current[0])
        and not _APPENDIX_START.match(current[0])  # (附件2 计分表: a line of its own)
        and display_width(_glue(current)) < 48
    )
    # a sentence under a short heading (一、考核对象 / 市政协全体委员。) is its body, not its end
    return (
        gap <= 1
        and wrapped_heading
        and widths[pos] < column * _FULL_LINE_SHARE
        and not _ends_sentence(line)
    )


# A document's number as an office prints it: 范政协发〔2025〕5号, 大协字〔2020〕10号.
ISSUE_NUMBER = re.compile(
    r"(?:^|\s)[\u4e00-\u9fff]{1,10}(?:[发字函办]\s*[〔\[【(（]|〔)\s*\d{4}\s*[〕\]】)）]\s*(?:第)?"
    r"\d{1,4}\s*号$"
)
# A document's number printed anywhere in a line: after its issuer and date (萝政协办发〔2024〕
# 6号　…办公室2024年3月20日印发), in the adoption line (…通过　岚政协发〔2024〕3号）), or by
# an office writing 办 alone (鹭湄政协办〔2024〕5号).
PRINTED_ISSUE_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,10}(?:[发字函办]\s*[〔\[【(（]|〔)\s*\d{4}\s*[〕\]】)）]\s*(?:第)?\d{1,4}\s*号"
)
# A line a bracketed tag opens (【示例】…, 【来源】…), not a question or an answer (【问】…).
_TAG_LINE = re.compile(r"^【(?!\s*[问答])[^】]{1,6}】")
_CONTACT_LINE = re.compile(
    r"^(?:联系人|联系电话|电话|传真|地址|邮箱|电子邮箱|邮编|联系方式)\s*[：:]"
)


def _glue(parts: list[str]) -> str:
    out = parts[0]
    for part in parts[1:]:
        # ASCII words broken across lines keep a space; Chinese never had one.
        needs_space = (
            out[-1:].isascii() and out[-1:].isalpha() and part[:1].isascii() and part[:1].isalpha()
        )
        out += (" " if needs_space else "") + part
    return out


# The office signing a notice, on a line of its own (政协…委员会办公室 over the date).
SIGNING_BODY = re.compile(r"^[\u4e00-\u9fff]{2,30}(?:委员会|办公室|办公厅|秘书处)$", re.MULTILINE)


def _drop_duplicates(paragraphs: list[str]) -> tuple[list[str], int]:
    seen: set[str] = set()
    kept: list[str] = []
    dropped = 0
    for paragraph in paragraphs:
        key = fingerprint(paragraph)
        # An item repeated in another article or section (（一）本人生病住院的；) is in its
        # place twice; only a paragraph pasted twice goes.
        if (
            len(key) >= _MIN_DUPLICATE_CHARS
            and key in seen
            and not is_structural_start(paragraph)
            # (the office signing a notice is printed over it too: who issued it is asked)
            and not SIGNING_BODY.fullmatch(paragraph)
        ):
            dropped += 1
            continue
        seen.add(key)
        kept.append(paragraph)
    return kept, dropped


def _is_ad(paragraph: str) -> bool:
    # An item or article of a rule (（三）为企业做广告宣传的) is text, whatever it mentions.
    if is_structural_start(paragraph):
        return False
    return any(marker.lower() in paragraph.lower() for marker in AD_MARKERS)


def _is_filler(paragraph: str) -> bool:
    """Short, no full sentence: a slogan, a byline, a phone number."""
    return display_width(paragraph) < 30 and "。" not in paragraph


def _ad_block(paragraphs: list[str]) -> int:
    """How many paragraphs from the start of ``paragraphs`` form an advertisement block."""
    last_ad = -1
    for i, paragraph in enumerate(paragraphs[:_AD_SCAN_PARAGRAPHS]):
        if _is_ad(paragraph):
            last_ad = i
        elif not _is_filler(paragraph):
            break
    return last_ad + 1


def _drop_ads(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Advertisement blocks at either end go, unless they would be a large part of the text."""
    total = sum(len(p) for p in paragraphs) or 1
    head = _ad_block(paragraphs)
    tail = _ad_block(paragraphs[head:][::-1])
    dropped: list[str] = []
    if head and sum(len(p) for p in paragraphs[:head]) / total <= _AD_MAX_SHARE:
        dropped += paragraphs[:head]
        paragraphs = paragraphs[head:]
    if tail and sum(len(p) for p in paragraphs[-tail:]) / total <= _AD_MAX_SHARE:
        dropped += paragraphs[-tail:]
        paragraphs = paragraphs[:-tail]
    return paragraphs, dropped
