"""Splitting a document along its own structure into citable passages.

Regulations are split per article (第N条; an overlong article per 款); outlines (local
rules, Q&A pages, reports) per numbered unit (一、 （一） 1. （1）), each with the lines
under it (a points table stays with its heading), and the rest per paragraph under
markdown headings. Every passage keeps the document title and a locator a member can
look up: the article (``第十二条``) or the chain of units (``二、（二）2.``), so an answer
can say 《提案工作办法》第十二条. Items of an article (（一）…) are found by ``article_items``
so an answer can name the one that answers (``第十条（七）``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

from bot.kb.chinese_script import simplified
from bot.kb.normalize import DECIMAL_CLAUSE, EMOJI_LEAD, ISSUE_NUMBER, TITLE_KINDS
from bot.kb.numerals import NUMBER, canonical_ref, parse_number

__all__ = [
    "Passage",
    "after_items",
    "article_items",
    "clean_title",
    "detect_title",
    "fuller_title",
    "is_table_line",
    "split_passages",
    "table_rows",
]

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
# A Markdown bullet in front of a numbered item or article.
_MD_BULLET = re.compile(
    r"^[ \t]*[-*+•·][ \t]*(?=[（(][一二三四五六七八九十0-9]+[)）]|[0-9]{1,2}[.、．]|[一二三四五六七八九十]+、|第)"
)
# 條, 節, 編: a rule copied from a page in traditional characters numbers the same way.
_DIVISION = re.compile(rf"^第\s*({NUMBER})\s*(编|編|章|节|節|部分)(?:\s+|$|(?=[^\s条條款]))(.*)$")
# 第五条之一: an article inserted by an amendment keeps its own name.
_ARTICLE = re.compile(rf"^第\s*({NUMBER})\s*[条條](之[一二三四五六七八九十]+)?(?:\s*|(?=\S))")
# The unnumbered division a 章程 opens with (总纲), or a rule its preamble (序言).
_PREAMBLE = re.compile(r"^(?:总\s*纲|總\s*綱|序\s*言)$")
_DIVISION_LEVEL = {"编": 1, "編": 1, "部分": 1, "章": 2, "节": 3, "節": 3}
# An appendix closes the last article: its tables are not part of it.
_APPENDIX = re.compile(r"^附(?:\s*(件|录|表)\s*[0-9一二三四五六七八九十]*\s*[：:]?|[：:])")
_DECIMAL = re.compile(DECIMAL_CLAUSE)
# Numbered headings of reports and notices, by depth.
_NUMBERED: tuple[tuple[re.Pattern[str], float], ...] = (
    # A question of a Q&A page (12. 问：…, 12.哪些提案不予立案？, 问3：…, 问：…) stands above
    # the lists in its answer: 2.（三）, not an item of the list before it.
    (re.compile(r"^\d{1,3}[.、．](?=\s*(?:问|Q|q)\s*[：:])"), 3),
    (re.compile(r"^\d{1,3}[.、．](?=[^。；\n]{2,60}[？?]\s*$)"), 3),
    (re.compile(r"^(?:问题|问|Q|q)\s*\d{0,3}\s*[：:]|^(?:Q|q)\d{1,3}\s*(?=[\u4e00-\u9fff])"), 3),
    (re.compile(r"^【\s*问\s*】"), 3),  # (【问】…？ 【答】…: as 问：… 答：…)
    (re.compile(r"^[一二三四五六七八九十]+、"), 4),
    (re.compile(r"^[（(][一二三四五六七八九十]+[)）]"), 5),
    (re.compile(r"^\d{1,2}[.、．](?!\d)"), 6),
    # 第一，建立联系制度。第二，…: points counted in words, as 1. 2. are
    (re.compile(r"^第[一二三四五六七八九十]{1,3}(?=[，,、：:])"), 6),
    # a clause numbered by its section (1.1, 2.3.1): under 2. 考核组织, and named in full
    (_DECIMAL, 6.5),
    (re.compile(r"^[（(]\d{1,2}[)）]"), 7),
    (re.compile(r"^\d{1,2}[)）](?!\d)"), 7),
    (re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"), 8),
    (re.compile(r"^[■●◆▲★]"), 4),
)
_BARE_APPENDIX = re.compile(r"^附\s*[录件]$")
# A Q&A page's question unit and the answer under it.
_ASKED_UNIT = re.compile(
    r"^(?:[0-9]{1,3}[.、．]\s*)?(?:(?:问题|问|Q|q)\s*[0-9]{0,3}\s*[：:]|【\s*问\s*】|(?:Q|q)[0-9]{1,3}\s*(?=[\u4e00-\u9fff]))"
)
_ANSWERED = re.compile(r"^(?:(?:答|A|a)\s*[：:]|【\s*答\s*】)")
_SECTION_HEADING = 16
_STATES_A_FIGURE = re.compile(r"[0-9]+\s*(?:分|天|日|个|人|名|次|%|％|件|篇|年|月|小时|字)")
_ASKED_HEADING = re.compile(r"^[^。；;！!\n]{4,40}[？?]$")
_TITLE_WORDS = re.compile(r"(办法|规定|条例|细则|章程|制度|规则|报告|摘编|通知|意见|方案)$")
_TITLE_NOTE = re.compile(r"[（(][^（()）]{1,16}[)）]$")
# a headline asking its question before a dash and its subtitle (哪些提案不予立案？——常见问题解答)
_ASKED_HEADLINE = re.compile(r"[？?]\s*[—–－-]{1,2}")
# a headline's tag (【干货】) and the emoji after it (👇): no part of the title
_HEADLINE_DRESS = re.compile(r"^【[^】]{1,6}】|[^\w）)》”]+$")
_TITLE_END = re.compile(rf"(?:{TITLE_KINDS})(?:[（(][^（()）]{{1,12}}[)）])*$")
# Lines above a title that are no title: a date (2024-05, 2019年01月14日 星期一), a page
# number, the adoption line (（2012年9月18日…通过）), a site's banner (热烈祝贺…召开), a
# file's name (…管理细则.doc).
_NOT_A_TITLE = re.compile(
    r"^[0-9０-９\s年月日星期周一二三四五六天:：./-]*$|^[（(][^）)]*(?:通过|修订|印发|施行)[^）)]*[）)]$"
    r"|^[（(]\s*[0-9０-９]|^[^（(]{0,30}(?:通过|修订)[)）]$"
    r"|^(?:热烈)?(?:祝贺|庆祝|欢迎)|^.*\.(?:docx?|pdf|wps|txt|xlsx?)(?:_第[0-9]+页)?$"
    r"|^[0-9][^。；]*(?:通过|修订|印发)[)）]?$"
)
# An official paper's red header (政协某县委员会办公室文件): the issuer's, no title.
_RED_HEADER = re.compile(r"^[\u4e00-\u9fff]{2,30}文件$")
_ISSUING_BODY = re.compile(
    r"^(?:中国人民政治协商会议|政协)[\u4e00-\u9fff]{1,20}委员会"
    r"(?:办公室|办公厅|秘书处|[\u4e00-\u9fff]{2,8}委员会)$"
)
# The rule a preamble says it makes (…，特制定主席督办重点提案实施办法。), for a page with no
# title line; and a file's name standing for the title (县政协提案办理工作制度.docx).
_ENACTS = re.compile(
    r"制定(?!本)《?([^，。；《》\s]{4,40}?(?:办法|规定|细则|制度|规则|条例|通则|方案|守则))》?[。，]"
)
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|wps|txt)(?:_第[0-9]+页)?$")
# How long the second line of a wrapped title may be (实施方案（试行）, 通 知) when the first
# does not open it with 关于 or name the issuing body.
_WRAPPED_TITLE_END = 10
_WRAPPED_TITLE_START = 12
_SITE_NAME_ENDS = ("网", "网站", "门户")
# The issuing body alone on a title's first line.
_WHOLE_TITLE = re.compile(r"^(?:政协|中国人民政治协商会议|关于)")
_ISSUER = re.compile(r"^.{2,20}(?:会议|委员会|政协|办公室|办公厅)$")
# A long title line (often glued to the note after it by the line joiner): the name of the
# document up to its kind, with the brackets that follow it (（试行）（示例）).
_LONG_TITLE = re.compile(
    r"^(\S.{3,80}?(?:办法|规定|条例|细则|章程|制度|规则|报告|摘编|通知|意见|方案|解答|问答)"
    r"(?![化性])(?:[（(][^（()）]{1,12}[)）])*)"
)
_WHOLE_LONG_TITLE = re.compile(
    r"^(\S.{3,80}(?:办法|规定|条例|细则|章程|制度|规则|规程|报告|摘编|通知|意见|方案|解答|问答)"
    r"(?:[（(][^（()）]{1,40}[)）])*)$"
)
_HEADING_MAX = 48
_SHORT_HEADING = 24
# An emoji heading's level: a section's, above the lists (and their lead lines) in it.
_SECTION_LEVEL = 3
# A numbered section of a Q&A page (二、谁可以提): over its questions, under a part or chapter.
_QA_SECTION_LEVEL = 2.5
_NUMBERED_SECTION = 4  # 一、's level in _NUMBERED
_ASKED_LEVEL = 3  # a Q&A page's question's level in _NUMBERED
# A Markdown heading's level, below its number of #: under any numbered unit of the text.
_MD_LEVEL = 7
_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十]+、")
_SHORT_STEP = 12
# A point a letter or a notice makes in a paragraph of its own (一是明确报送任务。…), named by
# its opening words.
_POINT_OPENING = re.compile(r"^([一二三四五六七八九十]{1,3}是[^。；，：！\n]{2,14})[。；，：！]")
_PASSAGE_TARGET = 360
_PASSAGE_MAX = 600
_SMALL_PARAGRAPH = 60
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


@dataclass(frozen=True, slots=True)
class Passage:
    """One citable piece of a document."""

    title: str
    locator: str
    heading_path: tuple[str, ...]
    text: str
    ordinal: int


def _short(heading: str) -> str:
    """A heading as shown in a locator: its first sentence, at most a line long."""
    first = re.split(r"[。；]", heading, maxsplit=1)[0]
    return first if len(first) <= _SHORT_HEADING else first[: _SHORT_HEADING - 1] + "…"


# A title standing over a list after a section's last sentence (委员"十不准"): a few words.
_TITLED_LIST_MAX = 16


def _is_heading_line(text: str) -> bool:
    """Short, and no statement: （二）请假程序, 如下表：, 3. 问：联名人数有限制吗？; not
    （七）受到表彰的情况。 (an item whose sentence ends there, however short)."""
    asked = text[:-1] if text.endswith(("？", "?")) else text
    return len(text) <= _HEADING_MAX and not re.search(r"[。！？；]", asked)


def detect_title(paragraphs: list[str], *, fallback: str) -> str:
    """The document's title; a notice issuing a rule (关于印发《…办法》的通知) is named by
    the rule it issues, which is what members ask about.

    Looked for in simplified characters (辦法 is 办法) and given back as written."""
    leading = paragraphs[:_TITLE_LINES]
    readable = [simplified(p) for p in leading]
    # (a title may also be found further down: 第十五届委员会常务委员会工作报告 in a report)
    found = _detect_title(readable + paragraphs[_TITLE_LINES:], fallback=fallback)
    if not _TITLE_END.search(found) and not found.endswith(("？", "?")):
        # the site's column or a link above the rule's own title (委员服务, Key 驱动下载)
        found = _title_below_page_lines(readable) or found
    title = fuller_title(clean_title(found), readable) if found != fallback else fallback
    # (the adoption note printed after it, …制度（2024年4月2日县政协办公室印发）, is no part)
    # (a year's revision, 章程（2024年修正）, is: it names which text)
    bare = _ADOPTION_AFTER.sub("", title)
    if bare != title and "月" in title[len(bare) :] and _TITLE_END.search(bare):
        title = bare
    if title == fallback:
        title = _named_in_preamble(readable) or fallback
    quoted = _QUOTED_TITLE.match(title)  # 《中国人民政治协商会议章程》全文
    title = quoted.group(1) if quoted else title
    issued = _ISSUES.match(title)
    title = issued.group(1) if issued else title
    # simplified() maps character for character: the lines align
    written = {
        s: o
        for r, p in zip(readable, leading, strict=True)
        for s, o in zip(r, p, strict=True)
        if s != o
    }
    return "".join(written.get(ch, ch) for ch in title)


_TITLE_LINES = 12
_PAGE_LINE = 24  # a site's column, link or button: a short line that ends no sentence


def clean_title(title: str) -> str:
    """A title without the document number, the date and the tags printed with it."""
    return _TITLE_NOISE.sub("", title).strip() or title


def fuller_title(title: str, paragraphs: list[str]) -> str:
    """The title as a leading line names it in full, with the committee before it, where a
    site's column printed it short (优秀提案评选表彰办法 / 政协哈市道里区委员会优秀提案评选表彰办法)."""
    for paragraph in paragraphs[:_TITLE_LINES]:
        line = _ADOPTION_AFTER.sub("", clean_title(paragraph.strip()))
        before = line[: -len(title)]
        # (not the site's name glued on above it: 范例县政协网)
        if (
            line.endswith(title)
            and re.fullmatch(r"[\u4e00-\u9fff]{2,24}", before)
            and not before.endswith(_SITE_NAME_ENDS)
        ):
            return line
    return title


# The adoption line a title line runs on into: …表彰办法（2012年2月15日…主席会议通过）.
_ADOPTION_AFTER = re.compile(
    r"\s*[（(][^()（）]{0,80}(?:通过|修订|修正|施行|印发)[^()（）]{0,40}[)）]$"
)


# A rule that names itself only in its first article: 为规范政协江苏省委员会反映社情民意信息工作，
# …制定本条例 (the rule is 政协江苏省委员会反映社情民意信息工作条例).
_NAMED_IN_PREAMBLE = re.compile(
    r"^(?:第[一1]条\s*)?为(?:了)?(?:进一步)?(?:规范|加强|做好|推进)([^，,。]{4,40}?工作)"
    r"[^。]{0,120}?制定本(条例|办法|规定|细则|规则|制度)"
)


def _named_in_preamble(paragraphs: list[str]) -> str | None:
    for paragraph in paragraphs[:_TITLE_LINES]:
        named = _NAMED_IN_PREAMBLE.match(paragraph.strip())
        if named:
            return named.group(1) + named.group(2)
    return None


def _title_below_page_lines(paragraphs: list[str]) -> str | None:
    """The first line named as a rule (…办法, …规定（试行）) among the first, when only
    short lines that end no sentence stand above it."""
    for paragraph in paragraphs[:8]:
        line = paragraph.strip()
        if (
            6 <= len(line) <= 60
            and _TITLE_END.search(line)
            and not re.search(r"[。！？；：:，,]", line)
            and not _ARTICLE.match(line)
            and not any(p.match(line) for p, _ in _NUMBERED)
        ):
            return line
        if not _is_page_line(line):
            return None
    return None


def _is_page_line(line: str) -> bool:
    """Short enough and ending no sentence: a site's column, link or button (not the
    document's number above its title: 范本政办发〔2025〕7号)."""
    return (
        len(line) <= _PAGE_LINE and not re.search(r"[。；]", line) and not ISSUE_NUMBER.search(line)
    )


# A date a page prints after the title, pinyin a mirror site prints after characters, and
# a document number before it (大协字〔2020〕10号关于…).
_QUOTED_TITLE = re.compile(r"^《([^《》]{4,60})》(?:全文|原文|摘编)?$")
_TITLE_NOISE = re.compile(
    r"^[（(](?:两会)?受权发布[)）]\s*"  # a news agency's tag: （两会受权发布）
    r"|^[\u4e00-\u9fff]{1,8}字\s*(?:[〔\[(（]\d{4}[〕\])）])?\s*(?:第)?\d{1,4}号\s*"
    r"|\s*[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日$"
    r"|(?<=[\u4e00-\u9fff])[（(][0-9]{1,2}[)）]$"  # a page's part: 章程(4)
    r"|(?<=[\u4e00-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]"
)


# (the issuing body may stand before it: 政协平顶山市委员会 关于印发《…计划》的通知)
_ISSUES = re.compile(r"^(?:[^《》\s]{2,24}\s*)?关于印发《([^》]{4,60})(?:》的?(?:通\s*知)?)?$")


def _is_tag(line: str) -> bool:
    """A line a bracketed tag opens that names no kind of document (【示例】本文件为…)."""
    return line.startswith("【") and not _TITLE_END.search(line)


def _detect_title(paragraphs: list[str], *, fallback: str) -> str:
    """The first ``# heading``, else a short leading line, else a line that names a document."""
    for paragraph in paragraphs[:3]:
        md = _MD_HEADING.match(paragraph)
        if md and len(md.group(1)) == 1:
            return md.group(2).strip()
    # a file's name standing for the title (县政协提案办理工作制度.docx), unless cut short (….doc)
    # (the first lines but an official paper's header, its number and tags: those count none)
    heads = 4 + sum(
        1 for p in paragraphs[:4] if ISSUE_NUMBER.search(p) or _RED_HEADER.match(p) or _is_tag(p)
    )
    named = [
        _FILE_NAME.sub("", p) if not re.search(r"\.\.|…", p) else p for p in paragraphs[:heads]
    ]
    leading = [
        p
        for n, p in enumerate(named)
        if not _NOT_A_TITLE.match(p.lstrip("#").strip())
        and not _RED_HEADER.match(p)
        and not ISSUE_NUMBER.search(p)
        # (a tag line, 【示例】本文件为…, names no document; a headline tagged 【干货】
        # is the page's title)
        and not (_is_tag(p) and not _is_headline(p))
        # (the issuing office printed over a notice, 政协…委员会办公室, is not its title)
        and not (
            _ISSUING_BODY.match(p)
            and any(
                _TITLE_END.search(_ADOPTION_AFTER.sub("", q)) or q.startswith("关于")
                for q in named[n + 1 : n + 5]
            )
        )
    ][:2]
    for n, paragraph in enumerate(leading):
        candidate = paragraph.lstrip("#").strip()
        if n == 0 and _is_headline(candidate):
            # a page's headline (委员学习培训和履职证件，这24问一次说清): its title, though it
            # reads as a sentence; its tag (【干货】) and emoji (👇) are no part of it
            return _HEADLINE_DRESS.sub("", candidate) or candidate
        # a Q&A page is named by the question it answers (哪些提案不能被立案？)
        asked = candidate[:-1] if n == 0 and candidate.endswith(("？", "?")) else candidate
        # (a note in brackets after the title may hold a colon: 工作章程（节选：总纲、第一章）)
        asked = _TITLE_NOTE.sub("", _ASKED_HEADLINE.sub(" ", asked))
        if (
            4 <= len(candidate) <= 40
            and not re.search(r"[。！？；：:，,]", asked)
            and not any(p.match(candidate) for p, _ in _NUMBERED)
            and not _ARTICLE.match(candidate)
            and not _DIVISION.match(candidate)
        ):
            following = re.sub(r"\s", "", leading[n + 1]) if n + 1 < len(leading) else ""
            if (
                not _TITLE_END.search(candidate)
                and not candidate.endswith(_SITE_NAME_ENDS)  # (范例县政协网: the site's name)
                and (
                    candidate.startswith("关于")
                    or len(following) <= _WRAPPED_TITLE_END
                    or _ISSUER.search(candidate)  # 中国人民政治协商会议 / …通则
                    # (a long first half, no site's column: 政协…关于加强和改进新时代 / …办法)
                    or len(candidate) >= _WRAPPED_TITLE_START
                )
                and _TITLE_END.search(following)
                and not re.search(r"[。！？；：:，,]", following)
                # a whole title under the site's name (安庆政协 / 政协安庆市委员会…办法)
                and not _WHOLE_TITLE.match(following)
            ):
                return candidate + following  # a title wrapped onto a second line
            if n == 0 and not _TITLE_END.search(candidate) and _TITLE_END.search(following):
                continue  # 大政方针 (the site's column) over 延边州政协委员履职考核办法
            return candidate
    for paragraph in leading[:1]:
        if _ARTICLE.match(paragraph) or any(p.match(paragraph) for p, _ in _NUMBERED):
            break
        line = paragraph.lstrip("#—- ").strip()
        # (the whole line when it ends as a title does: a kind named inside 《》 or a
        # note in brackets, …依照《…章程》…规则（节录）, does not end it)
        for long_title in (_WHOLE_LONG_TITLE.match(line), _LONG_TITLE.match(line)):
            if long_title and not re.search("[。，,]", long_title.group(1)):
                return long_title.group(1)
    for paragraph in paragraphs:
        candidate = paragraph.lstrip("#—- ").strip()
        if (
            len(candidate) <= 40
            and _TITLE_WORDS.search(candidate)
            and "。" not in candidate
            # (a section's heading, 二、积分计算规则, is the document's, not its title)
            and not any(p.match(candidate) for p, _ in _NUMBERED)
            and not _ARTICLE.match(candidate)
        ):
            return candidate
    for paragraph in paragraphs[:3]:
        # no title line, but the preamble names the rule: …，特制定主席督办重点提案实施办法。
        named_in_text = _ENACTS.search(paragraph)
        if named_in_text:
            return named_in_text.group(1)
    return fallback


def _is_headline(line: str) -> bool:
    """A page's headline told as a sentence (提案怎么写、怎么交？20问20答带你搞明白, 委员学习
    培训和履职证件，这24问一次说清): short, broken by a comma or a question or exclamation
    mark, ending in no full stop, naming no label (来源：) and numbering nothing."""
    return (
        8 <= len(line) <= 40
        and bool(re.search(r"[，！？?!]", line[:-1]))
        and not re.search(r"[。；;：:]", line)
        and not line.startswith(("各", "为", "问", "答", "Q", "原创", "关于印发"))
        and not any(p.match(line) for p, _ in _NUMBERED)
        and not _ARTICLE.match(line)
        and not _DIVISION.match(line)
    )


# The ways an article numbers its items, outermost first when nested: （一）, 1. / 1、, （1）.
_ITEM_STYLES = (
    (re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]", re.MULTILINE), "（{}）"),
    (re.compile(r"^([0-9]{1,2})[.．、](?![0-9])", re.MULTILINE), "{}."),
    (re.compile(r"^[（(]([0-9]{1,2})[)）]", re.MULTILINE), "（{}）"),
)
_ANY_ITEM = r"[ \t]*(?:[（(](?:[一二三四五六七八九十]+|[0-9]{1,2})[)）]|[0-9]{1,2}[.．、](?![0-9]))"
# The last item ends with its sentence's line: a paragraph after the list (不予立案的提案，
# 可以转为社情民意信息…) is the article's own, not part of the last ground.
_AFTER_LIST = re.compile(rf"(?<=[。；;.])[ \t]*\n(?!{_ANY_ITEM})")


def _item_starts(text: str) -> tuple[list[re.Match[str]], str]:
    """The starts of the outermost items (the style met first that numbers two or more)."""
    found = []
    for pattern, marker in _ITEM_STYLES:
        starts = list(pattern.finditer(text))
        if len(starts) >= 2:
            found.append((starts[0].start(), starts, marker))
    if not found:
        return [], ""
    _, starts, marker = min(found, key=lambda f: f[0])
    return starts, marker


def article_items(text: str) -> list[tuple[str, str]]:
    """The numbered items of an article, as (marker, item text): [("（七）", "（七）为…；")];
    items numbered inside an item (3. … （1）（2）) stay in its text.

    Empty when the article has fewer than two items."""
    starts, marker = _item_starts(text)
    items = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else _list_end(text, match.end())
        items.append((marker.format(match.group(1)), text[match.start() : end].strip()))
    return items


# A sentence that opens a list of cases (有下列情况之一的，不予立案：): a page that has no
# articles still cites each case, read with that sentence.
_LIST_LEAD = re.compile(r"(?:下列|以下)[^。；\n]*[：:]$")
_ITEM_LINE = re.compile(_ANY_ITEM)


def lists_cases(text: str) -> bool:
    """Whether a passage is a lead sentence with the cases it lists (and what closes them)."""
    lead = text.split("\n", 1)[0].strip()
    return bool(_LIST_LEAD.search(lead)) and len(article_items(text)) >= 2


def after_items(text: str) -> str:
    """The paragraphs of an article after its numbered items; empty when none follow."""
    starts, _ = _item_starts(text)
    if not starts:
        return ""
    return text[_list_end(text, starts[-1].end()) :].strip()


def _list_end(text: str, last_item: int) -> int:
    closing = _AFTER_LIST.search(text, last_item)
    return closing.start() if closing else len(text)


class _Splitter:
    def __init__(self, *, title: str) -> None:
        self.title = title
        self.passages: list[Passage] = []
        self.headings: list[tuple[float, str]] = []
        # open numbered units, outermost first: (level, marker, line)
        self.units: list[tuple[float, str, str]] = []
        self.unit_parts: list[str] = []
        self.article: str | None = None
        self.article_parts: list[str] = []
        self.loose: list[str] = []
        self.loose_count = 0
        # the open unit whose text ends with a colon over the items under it
        self.list_parent: tuple[float, str, str] | None = None
        self.closing = False  # the open unit's text is what closes its list
        # a list of cases read under a loose lead sentence, none of its items a unit
        self.case_list = False
        # the section an emoji heading (📌 扫码签到) or a part (第二部分) opened: the numbers
        # of what it holds start again, so its name goes before theirs
        self.section: tuple[tuple[float, str], str] | None = None  # (its heading, name)
        self.section_told = False  # whether the section has said anything under its heading

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(h for _, h in self.headings)

    def emit(self, locator: str, text: str) -> None:
        text = text.strip()
        if text:
            self.passages.append(
                Passage(
                    title=self.title,
                    locator=locator,
                    heading_path=self.path,
                    text=text,
                    ordinal=len(self.passages),
                )
            )

    def push_heading(self, level: float, text: str) -> None:
        self.flush()
        self.units = []
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        if self.section is not None and self.section[0] not in self.headings:
            self.section = None
        self.headings.append((level, text))

    def qa_section(self, heading: str) -> None:
        """A Q&A page's section (二、提案和社情民意): its questions are named under it."""
        self.push_heading(_QA_SECTION_LEVEL, heading)
        # (under the part it is in: 第二部分 numbers its sections afresh)
        parts = [
            label.split(" ", 1)[0]
            for _, label in self.headings[:-1]
            if (division := _DIVISION.match(label)) and division.group(2) == "部分"
        ]
        self.section = ((_QA_SECTION_LEVEL, heading), " › ".join([*parts, _short(heading)]))

    def emoji_line(self, text: str) -> str | None:
        """A line an emoji opens: a section's heading (📌 扫码签到) is pushed, a note (✅ 旧版
        网页…停止使用) closes the list above it and stands in the section; what is left to
        read is returned (a question ❓ …？ as written, without its emoji)."""
        rest = text[EMOJI_LEAD.match(text).end() :].strip()  # type: ignore[union-attr]
        if not rest:
            return None
        if rest.endswith(("？", "?")):
            if self.section is not None and self.section_told:
                # ❓ after a section's points and notes: the page's questions, not that
                # section's (a section only headed so far, 大家最关心的几个问题, holds them)
                self.flush()
                self.units = []
                while self.headings and self.headings[-1][0] >= _SECTION_LEVEL:
                    self.headings.pop()
                self.section = None
            return rest
        colon = re.search(r"[：:]", rest)  # (第一步：登录 names a step; 注意：… is a note)
        if (
            _is_heading_line(rest)
            and len(rest) <= (_SHORT_STEP if colon else _SHORT_HEADING)
            and not re.search(r"[，,]", rest)
        ):
            self.push_heading(_SECTION_LEVEL, rest)
            self.section = ((_SECTION_LEVEL, rest), rest)
            self.section_told = False
            return None
        if self.units:
            self.flush_unit(deeper_follows=False)
            self.units, self.list_parent = [], None
            while self.headings and self.headings[-1][0] > _SECTION_LEVEL:
                self.headings.pop()  # (the lead sentence of the list it closes)
        self.loose.append(rest)
        self.section_told = True
        return None

    def flush(self) -> None:
        self.flush_unit(deeper_follows=False)
        self.flush_article()
        self.flush_loose()

    def open_unit(self, level: float, marker: str, line: str) -> None:
        self.flush_article()
        above = self.units[-1] if self.units else None
        if (
            above is not None
            and level == _ASKED_LEVEL
            and not re.search(r"[0-9]", marker)
            and above[0] == _NUMBERED_SECTION
            and self.unit_parts == [above[2]]
            and _is_heading_line(above[2])
        ):
            # 一、委员身份 over questions named by their words (Q: 委员证丢了怎么办？): a
            # section of the page, its questions named under it
            self.units.pop()
            self.unit_parts = []
            self.qa_section(above[2])
        if (
            self.units
            and level > self.units[-1][0]
            and _FIRST_NUMBER.match(marker)
            and len(self.unit_parts) > 1
            and len(self.unit_parts[-1]) <= _TITLED_LIST_MAX
            and _is_heading_line(self.unit_parts[-1])
            and not self.unit_parts[-1].endswith(("：", ":"))
            and self.unit_parts[-2].endswith(("。", "；", "！"))
        ):
            # 十、…废止。 then 委员"十不准" over 1. 2.: a list under a title of its own, not
            # items of the section whose text ended before the title
            lead, top = self.unit_parts.pop(), self.units[0][0]
            self.push_heading(top, lead)
            self.section = ((top, lead), _short(lead))  # (its items are named under it)
        if (
            not self.units
            and self.loose
            and _FIRST_NUMBER.match(marker)
            and self.loose[-1].endswith(("：", ":"))
            and _is_heading_line(self.loose[-1])
        ):
            lead = self.loose.pop()  # 委员的权利可归纳为： over the list it opens
            self.push_heading(level, lead)
        self.flush_loose()
        if (
            self.units
            and level == self.units[-1][0]
            and _FIRST_NUMBER.match(marker)
            and len(self.unit_parts) > 1
            and self.unit_parts[-1].endswith(("：", ":"))
        ):
            # 委员的义务可归纳为： then 一、 again: a new list, led by that line, not the
            # last item of the list before
            lead = self.unit_parts.pop()
            self.push_heading(level, lead)
        deeper = bool(self.units) and level > self.units[-1][0]
        if deeper and self.unit_parts and self.unit_parts[-1].endswith(("：", ":")):
            self.list_parent = self.units[-1]  # 依据包括： then （一）（二）
        self.flush_unit(deeper_follows=deeper)
        while self.units and self.units[-1][0] >= level:
            self.units.pop()
        self.units.append((level, marker, line))
        self.unit_parts = [line]

    def close_list(self, text: str) -> bool:
        """A paragraph after the last item of a list its parent introduced with a colon
        (获评优秀的，群主加7分。 after （二）成果转化情况。) is the parent's, not that item's."""
        parent = self.list_parent
        if parent is None and self.units and self.unit_parts[-1].endswith(_ITEM_END):
            if not _SPEAKS_OF_THE_LIST.match(text) or _TABLE_LINE.search(text):
                return False
            # no unit opened the list (a page's lead sentence did): the paragraph is
            # the page's own, under the heading the items stand under
            self.flush_unit(deeper_follows=False)
            self.units = []
            self.loose.append(text)
            return True
        if (
            parent is None
            or parent not in self.units[:-1]
            or not self.unit_parts[-1].endswith(_ITEM_END)
            or _TABLE_LINE.search(text)
        ):
            return False
        self.flush_unit(deeper_follows=False)
        while self.units[-1] is not parent:
            self.units.pop()
        self.list_parent = None
        self.unit_parts, self.closing = [text], True
        return True

    def sign_off(self, text: str) -> bool:
        """The contact line, the issuing office and the date that close a notice are the
        notice's, not its last item's."""
        if not _SIGN_OFF.match(text):
            return False
        office = []
        if (
            _DATE_LINE.match(text)
            and len(self.unit_parts) > 1
            and _OFFICE_LINE.match(self.unit_parts[-1])
        ):
            office = [self.unit_parts.pop()]
        self.flush_unit(deeper_follows=False)
        self.units, self.list_parent = [], None
        self.loose.extend([*office, text])
        return True

    def flush_unit(self, *, deeper_follows: bool) -> None:
        """The open unit becomes a passage, unless it is only a heading over deeper units."""
        if not self.unit_parts:
            return
        parts, self.unit_parts = self.unit_parts, []
        line = parts[0]
        # "（二）请假程序" is named on its items' path instead; （一）量化评分（基本分100分，
        # 合格分60分）, a heading stating figures, is cited and quoted as a unit as well
        if (
            deeper_follows
            and len(parts) == 1
            and _is_heading_line(line)
            and not _STATES_A_FIGURE.search(line)
            # a lead sentence cut short on its items' path (（一）委员有下列情形之一的，由…进行
            # 谈话提醒：) is cited as well: who acts is said only there
            and not (len(line) > _SHORT_HEADING and re.search(r"[，,]", line))
        ):
            return
        *outer, (_, marker, line_of_unit) = self.units
        # (a clause numbered 2.3 names its section itself: 5.4（1）, not 5.5.4（1）)
        decimal = [n for n, (_, m, _) in enumerate(outer) if _DECIMAL.match(m)]
        prefix = (
            ""
            if _DECIMAL.match(marker)
            else "".join(m for _, m, _ in outer[decimal[-1] if decimal else 0 :])
        )
        # cited by its number alone (二、, not 二、考核内容): the heading line is in the text;
        # a question of a Q&A page is named by its words too (3. 问：联名人数有限制吗？)
        asked = len(parts) > 1 and _is_heading_line(line) and _ASKED_LINE.search(line)
        locator = prefix + (_short(line) if asked else marker)
        if self.units[0][0] > _NUMBERED_SECTION:
            # ## 一、组建方式 over （一）（二）: each section numbers its items afresh, so they
            # are named under its number (一、（二）), as a plain 一、 line's are (a Q&A
            # page's questions are numbered across its sections: Q7, not 二、Q7)
            locator = self.md_section() + locator
        appendix = next((h for _, h in self.headings if _APPENDIX.match(h)), None)
        if appendix is not None:
            locator = f"{_short(appendix)} › {locator}"  # 2. of an appendix is not the rule's 2.
        elif self.section is not None and not outer:
            locator = f"{self.section[1]} › {locator}"  # 2. of 扫码签到, not of 线上请假
        path = (*self.path, *(_short(text) for _, _, text in outer))
        if self.closing:
            # what closes a list stands under the unit that opened it (依据包括：…)
            path, self.closing = (*path, _short(line_of_unit)), False
        for piece in _chunks("\n".join(parts)):
            self.passages.append(
                Passage(
                    title=self.title,
                    locator=locator,
                    heading_path=path,
                    text=piece.strip(),
                    ordinal=len(self.passages),
                )
            )

    def flush_article(self) -> None:
        if self.article is None:
            return
        whole = "\n".join(self.article_parts)
        if len(whole) <= _PASSAGE_MAX or len(self.article_parts) == 1:
            for piece in _chunks(whole):
                self.emit(self.article, piece)
        else:
            # An overlong article is cited clause by clause (第N条第M款); a table in it
            # (分值见下表：| 项目 | 分值 |…) is one clause, cited by the article and its
            # rows, not a clause a row.
            for number, (part, table) in enumerate(_clauses(self.article_parts), start=1):
                if table:
                    for piece in _table_pieces(part):
                        self.emit(self.article, piece)
                    continue
                for piece in _chunks(part):
                    self.emit(f"{self.article}{canonical_ref(number, '款')}", piece)
        self.article, self.article_parts = None, []

    def md_section(self) -> str:
        """The number of the innermost Markdown heading numbered as a section (一、), if any."""
        for level, heading in reversed(self.headings):
            if level > _MD_LEVEL and (number := _SECTION_NUMBER.match(heading)):
                return number.group(0)
        return ""

    def loose_locator(self) -> str:
        if self.headings:
            return " › ".join(_short(h) for _, h in self.headings[-2:])
        self.loose_count += 1
        return f"第{self.loose_count}段"

    def open_case_list(self) -> None:
        """The loose lead sentence (有下列情况之一的，不予立案：) and the cases under it are
        one passage, as an article's are: what came before it goes first."""
        lead = self.loose.pop()
        self.flush_loose()
        self.loose, self.case_list = [lead], True

    def flush_case_list(self) -> None:
        self.case_list = False
        text = "\n".join(self.loose)
        self.loose = []
        locator = self.loose_locator()
        for piece in _chunks(text):
            self.emit(locator, piece)

    def flush_loose(self) -> None:
        if self.case_list:
            self.flush_case_list()
            return
        if not self.loose:
            return
        buffer = ""
        header: str | None = None  # the first row of the table being read, if any
        for paragraph in self.loose:
            point = _POINT_OPENING.match(paragraph)
            if point is not None:
                # 一是明确报送任务。…: a point of a letter's list, cited by its own words
                if buffer:
                    for piece in _chunks(buffer):
                        self.emit(self.loose_locator(), piece)
                    buffer, header = "", None
                for piece in _chunks(paragraph):
                    self.emit(point.group(1), piece)
                continue
            row = bool(_TABLE_LINE.search(paragraph))
            header = (header or paragraph) if row else None
            if buffer and len(buffer) + len(paragraph) > _PASSAGE_TARGET:
                for piece in _chunks(buffer):
                    self.emit(self.loose_locator(), piece)
                buffer = ""
            if not buffer and header is not None and header is not paragraph:
                # A table cut into passages repeats its header: 5分 in a row means
                # 上限 only under the row that names the columns.
                buffer = header
            buffer = f"{buffer}\n{paragraph}" if buffer else paragraph
            if len(buffer) >= _SMALL_PARAGRAPH and len(buffer) >= _PASSAGE_TARGET // 2:
                for piece in _chunks(buffer):
                    self.emit(self.loose_locator(), piece)
                buffer = ""
        if buffer:
            for piece in _chunks(buffer):
                self.emit(self.loose_locator(), piece)
        self.loose = []

    def feed(self, paragraph: str) -> None:
        paragraph = _MD_BULLET.sub("", paragraph)  # - （七）…: the item, not a bullet
        md = _MD_HEADING.match(paragraph)
        text = md.group(2).strip() if md else paragraph
        if md and _ARTICLE.match(text):
            md = None  # ### 第四条 政协委员的基本权利: an article, its items under it
        division = _DIVISION.match(text)
        if division and _is_heading_line(text):
            depth, label = _DIVISION_LEVEL[division.group(2)], _division_label(division)
            self.push_heading(depth, label)
            if division.group(2) == "部分":
                # (第二部分 一、 is not 第一部分's)
                self.section = ((depth, label), label.split(" ", 1)[0])
            return
        if _SECTION_NUMBER.match(text) and _is_heading_line(text) and self.among_answers():
            # 二、谁可以提 after a question's answer: a section of the page, not a list in it
            self.qa_section(text)
            return
        if _APPENDIX.match(text) and _is_heading_line(text):
            if _BARE_APPENDIX.match(text) and not (
                self.passages or self.loose or self.units or self.article is not None
            ):
                return  # a book's running head above the page's first line (附 录), no division
            self.push_heading(1, text)  # a heading or not, an appendix closes the chapters
            return
        if _PREAMBLE.match(text):
            self.push_heading(2, text.replace(" ", ""))  # 总纲 stands as a chapter does
            return
        if md:
            self.push_heading(len(md.group(1)) + _MD_LEVEL, text)
            return
        if EMOJI_LEAD.match(text):
            rest = self.emoji_line(text)
            if rest is None:
                return
            text = rest
        elif self.section is not None:
            self.section_told = True
        article = _ARTICLE.match(text)
        if article:
            self.flush()
            self.units = []
            try:
                self.article = canonical_ref(parse_number(article.group(1)), "条") + (
                    article.group(2) or ""
                )
            except ValueError:
                self.article = article.group(0).strip()
            self.article_parts = [text]
            return
        if self.article is not None:
            # 款 and items (（一）…) of the open article belong to it.
            self.article_parts.append(text)
            return
        if self.feed_case_list(text):
            return
        for pattern, level in _NUMBERED:
            numbered = pattern.match(text)
            if numbered:
                marker = numbered.group(0).replace("(", "（").replace(")", "）")
                if level in (3, 6):
                    marker = marker.replace("、", ".").replace("．", ".")
                if marker[0] in "问Qq":
                    number = re.search(r"\d+", marker)
                    letter = "Q" if marker[0] in "Qq" else "问"  # (as the page numbers them)
                    asked = _ANSWER_AFTER.split(text, maxsplit=1)[0]  # (问：…？答：… on one line)
                    marker = f"{letter}{number.group(0)}" if number else _short(asked)
                if marker[0] in "■●◆▲★【":
                    marker = _short(text)  # a bullet or 【问】 names nothing: its words do
                self.open_unit(level, marker, text)
                return
        if _ASKED_HEADING.match(text):
            # a Q&A page's question with no number or 问： (哪些提案不能被立案？): the
            # answer's lists stand under it, not under the item before it
            self.push_heading(3, text)
            return
        if self.unit_parts:
            if self.sign_off(text) or self.close_list(text):
                return
            if self.after_an_answer(text):
                # 政协会旗的来历 after a Q&A page's last answer: a section of its own
                self.push_heading(3, text)
                return
            self.unit_parts.append(text)  # the lines under a unit (a table) belong to it
            return
        self.loose.append(text)

    def among_answers(self) -> bool:
        """Whether the text read last is the answer to a page's question (【问】…？ then its
        answer, or a question line standing as a heading over its answer)."""
        if self.units:
            asked = self.units[-1][2]
            return bool(_ASKED_UNIT.match(asked)) and len(self.unit_parts) >= 2
        return (
            bool(self.headings) and self.headings[-1][1].endswith(("？", "?")) and bool(self.loose)
        )

    def after_an_answer(self, text: str) -> bool:
        """A short heading line right after the answer to a page's question (问：/Q：… then
        答：/A：…。): the page goes on to something else."""
        asked = self.units[-1][2] if self.units else ""
        return (
            bool(_ASKED_UNIT.match(asked))
            and len(self.unit_parts) >= 2
            and bool(_ANSWERED.match(self.unit_parts[-1]))
            and self.unit_parts[-1].endswith(("。", "！"))
            and len(text) <= _SECTION_HEADING
            and not re.search(r"[，。；：:！？?,]", text)
        )

    def feed_case_list(self, text: str) -> bool:
        """Items under a loose lead sentence, and the paragraph closing them, go with it."""
        is_item = bool(_ITEM_LINE.match(text))
        if self.case_list:
            if is_item:
                self.loose.append(text)
                return True
            closes = (
                self.loose[-1].endswith(_ITEM_END)
                and not any(p.match(text) for p, _ in _NUMBERED)
                and not _is_heading_line(text)
            )
            if closes:
                self.loose.append(text)  # 未予立案的，应当及时通知提案者…
            self.flush_case_list()
            return closes
        if (
            is_item
            and not self.units
            and self.loose
            and _LIST_LEAD.search(self.loose[-1])
            and not _TABLE_LINE.search(self.loose[-1])
        ):
            self.open_case_list()
            self.loose.append(text)
            return True
        return False


def _division_label(match: re.Match[str]) -> str:
    try:
        unit = match.group(2)
        label = canonical_ref(
            parse_number(match.group(1)), {"編": "编", "節": "节"}.get(unit, unit)
        )
    except ValueError:
        label = match.group(0)
    rest = match.group(3).strip()
    return f"{label} {rest}" if rest else label


def _clauses(parts: Sequence[str]) -> list[tuple[str, bool]]:
    """An article's paragraphs as its clauses, each with whether it is a table: a table's
    rows are one clause with the sentence leading into it (见下表：)."""
    out: list[tuple[str, bool]] = []
    for part in parts:
        if is_table_line(part):
            if out and (out[-1][1] or out[-1][0].rstrip().endswith(("：", ":"))):
                out[-1] = (f"{out[-1][0]}\n{part}", True)
            else:
                out.append((part, True))
        else:
            out.append((part, False))
    return out


def _table_pieces(text: str) -> list[str]:
    """A table cut into passages near the target size, each under the lines that lead
    into it and the row naming the columns: 5分 means 上限 only under that row."""
    lines = text.split("\n")
    first = next(n for n, line in enumerate(lines) if is_table_line(line))
    rows = [line for line in lines[first:] if not _TABLE_RULE.match(line.strip())]
    head = "\n".join([*lines[:first], rows[0]])
    pieces: list[str] = []
    current = head
    for row in rows[1:]:
        if current != head and len(current) + len(row) > _PASSAGE_TARGET:
            pieces.append(current)
            current = head
        current = f"{current}\n{row}"
    pieces.append(current)
    return pieces


def _chunks(text: str) -> list[str]:
    """Long text cut at sentence ends into pieces near the target size."""
    if len(text) <= _PASSAGE_MAX:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + len(sentence) > _PASSAGE_TARGET:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


_ITEM_END = ("。", "；", ";")
_SIGN_OFF = re.compile(r"^(?:联系人|联系电话|联系方式)[：:]|^\d{4}年\d{1,2}月\d{1,2}日$")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_OFFICE_LINE = re.compile(r"^[^，。；：:\s]{2,24}(?:办公室|办公厅|委员会|政协|秘书处|研究室)$")
# A row of a table: between bars (| 项目 | 分值 |), or cells kept apart by bars.
_TABLE_LINE = re.compile(r"^[|｜].*[|｜]$|\S ?[|｜] ?\S")
_TABLE_RULE = re.compile(r"^[|｜\s:：-]+$")


def is_table_line(line: str) -> bool:
    """Whether ``line`` is a row of a table (or the rule under its header)."""
    line = line.strip()
    return bool(_TABLE_LINE.search(line) or (line and _TABLE_RULE.match(line) and "|" in line))


def table_rows(text: str) -> list[str]:
    """The rows of the table a passage holds, its header first; the rule under a Markdown
    header left out. Empty when the passage is no table."""
    lines = [line.strip() for line in text.split("\n")]
    rows = [line for line in lines if _TABLE_LINE.search(line) and not _TABLE_RULE.match(line)]
    return rows if len(rows) >= 2 and len(rows) * 2 >= len(lines) else []


_CONTENTS = re.compile(r"^\s*目\s*录\s*$")


def _below_page_lines(paragraphs: list[str], title: str) -> list[str]:
    """The paragraphs from the title on, when only a site's short lines (its column, a
    link: 委员服务, 工作规则/) stand above it; else all of them."""
    for n, paragraph in enumerate(paragraphs[:_TITLE_LINES]):
        if paragraph.strip() == title:
            return paragraphs[n:]
        if not _is_page_line(paragraph):
            break
    return paragraphs


_ASKED_LINE = re.compile(r"问\s*[：:]|[？?]$")


# The unit words traditional text writes otherwise (第十二條, 第二節, 第三項, 第一編).
_TRADITIONAL_UNIT = str.maketrans("条节项编", "條節項編")
_UNIT_REF = re.compile(r"第[^第\s›]{1,8}?[条节项编]")


def in_own_script(passages: list[Passage], text: str) -> list[Passage]:
    """Passages whose locators name units as ``text`` writes them: a rule in traditional
    characters is cited 第四十三條, as a member reading it sees it (and as one copying a
    unit's name from it writes it), though it is parsed in simplified characters."""
    if not any(ch in text for ch in "條節項編"):
        return passages

    @cache  # a unit is looked for in the whole text once, not once per passage citing it
    def written(unit: str) -> str:
        other = unit.translate(_TRADITIONAL_UNIT)
        return other if unit not in text and other in text else unit

    return [
        replace(p, locator=_UNIT_REF.sub(lambda ref: written(ref.group(0)), p.locator))
        for p in passages
    ]


def split_passages(paragraphs: list[str], *, title: str) -> list[Passage]:
    """Clean paragraphs (see ``normalize``) -> passages with locators, in document order."""
    splitter = _Splitter(title=title)
    numbered: dict[int, int] = {}  # each numbering style's last number at a line's start
    skipped_title = False
    for paragraph in _without_title_repeats(
        _without_contents(_below_page_lines(_qa_tables(paragraphs), title)), title
    ):
        md = _MD_HEADING.match(paragraph)
        if not skipped_title and md and len(md.group(1)) == 1 and md.group(2).strip() == title:
            skipped_title = True
            continue
        if not skipped_title and paragraph.strip() == title:
            skipped_title = True
            continue
        if not skipped_title and len(title) > 20 and paragraph.startswith(title):
            skipped_title = True  # a long title glued to the note after it
            paragraph = paragraph[len(title) :].strip()
            if not paragraph:
                continue
        if _CONTENTS.match(paragraph):
            continue  # the table of contents' heading; its chapter lines are headings anyway
        for piece in _run_on_units(paragraph, numbered):
            splitter.feed(piece)
    splitter.flush()
    return splitter.passages


# A table of questions and answers (序号 | 问题 | 解答), as Word pages of 常见问题 are laid out.
_QA_HEADER = re.compile(r"(?:问题|提问|问)\s*[|｜]\s*(?:解答|答复|回答|答)\s*[|｜]?\s*$")


def _qa_tables(paragraphs: list[str]) -> list[str]:
    """Each row of a question-and-answer table as the page's question and its answer (问3：…？
    then 答：…), so that a row is cited as the question it asks."""
    out: list[str] = []
    reading = False
    for paragraph in paragraphs:
        cells = [c.strip() for c in re.split(r"[|｜]", paragraph) if c.strip()]
        if "|" in paragraph and _QA_HEADER.search(paragraph):
            reading = True
            continue
        if reading and cells and all(set(c) <= set("-:： ") for c in cells):
            continue  # (a Markdown table's rule under its header)
        if reading and "|" in paragraph and len(cells) >= 2:
            *first, asked, answered = cells
            number = first[0] if first and first[0].isdigit() else ""
            out += [f"问{number}：{asked}", f"答：{answered}"]
            continue
        reading = False
        out.append(paragraph)
    return out


_CONTENTS_ENTRY = 30
# A paragraph speaking of the items above it (提案依上述内容审查后…, 以上情形…, 有前款…).
_SPEAKS_OF_THE_LIST = re.compile(r"^[^，。；]{0,8}(?:上述|以上|前述|前款|前项|前列)")
_ISSUER_ABOVE_TITLE = re.compile(r"^\S{2,20}委员会$")


def _repeats_title(line: str, title: str) -> bool:
    """A leading line that is the title again, as a page prints it above the text: with a
    document number (大协字10号关于…), cut short (…若干意), after the issuing body, or as the
    notice issuing it (关于印发《title》的通知)."""
    text = clean_title(line.strip())
    if text == title or (len(text) >= 8 and (title.startswith(text) or title.endswith(text))):
        return True  # cut short (…若干意), or as a site's column printed it (优秀提案评选表彰办法)
    if text.endswith(title) and len(text) - len(title) <= 24 and len(text) > len(title):
        return True
    issued = _ISSUES.match(text)
    return bool(issued and issued.group(1) == title)


def _without_title_repeats(paragraphs: list[str], title: str) -> list[str]:
    """The paragraphs without the title's repeats above the first unit, and the issuing
    body standing alone just above one (政协大理州委员会 / 关于…的若干意见)."""
    if len(title) < 6:
        return paragraphs
    out: list[str] = []
    wrapped = False  # the title's repeat wraps onto the next line
    for n, paragraph in enumerate(paragraphs):
        if n >= _TITLE_LINES or _ARTICLE.match(paragraph):
            return out + paragraphs[n:]
        line = paragraph.strip()
        rest, glued = _TITLE_NOISE.sub("", line).strip(), False
        while rest.startswith(title) and len(rest) > len(title):
            rest, glued = rest[len(title) :].strip(), True  # the title twice, the adoption line
        if glued:
            out.append(rest)
            continue
        if wrapped:
            wrapped = False
            continue
        following = paragraphs[n + 1].strip() if n + 1 < len(paragraphs) else ""
        wrapped = len(line) >= 4 and line + following == title  # 2022年委员 / 读书活动计划
        if wrapped or _repeats_title(line, title):
            if out and _ISSUER_ABOVE_TITLE.match(out[-1].strip()):
                out.pop()
            continue
        out.append(paragraph)
    return out


def _without_contents(paragraphs: list[str]) -> list[str]:
    """The paragraphs without a table of contents whose entries the body repeats (目录 / 总纲 /
    第一章 … / 第六章 会徽 / 总纲 …): its last entry would stand as the heading of what
    follows it. A table whose entries the body never repeats is left to be headings."""
    for at, paragraph in enumerate(paragraphs):
        if not _CONTENTS.match(paragraph):
            continue
        entries: list[str] = []
        for n in range(at + 1, len(paragraphs)):
            line = paragraphs[n].strip()
            if entries and line == entries[0]:
                return paragraphs[:at] + paragraphs[n:]
            if len(line) > _CONTENTS_ENTRY or re.search(r"[。；]", line):
                break
            entries.append(line)
        break
    return paragraphs


# Units run on in one paragraph, as a web page, a PDF or a document-sharing site gives them
# (…制定本办法。一、组织领导…二、工作机构（一）县政协信息中心…其主要任务是：1.做好…2.加强…):
# each numbering style's run (一、 then 二、; （一） then （二）; 1. then 2.) is cut into lines,
# so each unit is cited by itself. A style counts only when it numbers in order.
_RUN_STYLES = (
    # 第一条 … 第二条 …: articles written one after another
    # (each after a sentence's end: 依照第三条 inside an article is a reference)
    (re.compile(r"(?:^|(?<=[。；;：:！？!?\s]))第([0-9零〇一二三四五六七八九十百]{1,4})条"), False),
    # (pattern, starts anywhere): 一、 after a word's character is 统一、 unless it follows 一、
    (re.compile(r"(?<![第0-9一二三四五六七八九十])([一二三四五六七八九十]{1,3})、"), False),
    (re.compile(r"[（(]([一二三四五六七八九十]{1,3})[)）]"), True),
    (re.compile(r"[（(]([0-9]{1,2})[)）]"), True),
    (re.compile(r"(?<![0-9.．])([0-9]{1,2}) ?[.．、](?![0-9])"), False),
    # 问2：…？答：…。问3：…: a Q&A page's questions run on in one paragraph
    (re.compile(r"(?:^|(?<=[。；;！？!?\s]))(?:问|Q|q)\s*([0-9]{1,3})\s*[：:]"), False),
)
_ANSWER_AFTER = re.compile(r"(?<=[？?])\s*(?:答|A|a)\s*[：:]")
_ASKED_OPENING = re.compile(r"^(?:问|Q|q)\s*[：:]")
_ASKED_AGAIN = re.compile(r"(?<=[。！!；;])\s*(?=(?:问|Q|q)\s*[：:])")
_FIRST_NUMBER = re.compile(r"^[（(]?(?:一|1)[)）.、]?$")
_SPACED_NUMBER = re.compile(r"^([0-9]{1,2}) ([.．、])")  # 2 .对… as typed: 2.对…
_HEADING_GAP = 16
_RUN_BREAK = re.compile(r"[：:。；;，,！？!?\s]$")


# A sentence's end, then the next unit glued on as a web page gives it (…沟通情况。二、主要职责).
_SENTENCE_END = re.compile(r"[。；;！？!?]\s*$")


def _numbers(pattern: re.Pattern[str], paragraph: str) -> Iterator[tuple[int, int]]:
    """Where ``pattern`` numbers a unit in ``paragraph``, and the number."""
    for match in pattern.finditer(paragraph):
        try:
            yield match.start(), parse_number(match.group(1))
        except ValueError:
            continue


def _run_on_units(paragraph: str, numbered: dict[int, int] | None = None) -> list[str]:
    if _TABLE_LINE.search(paragraph):
        return [paragraph]
    numbered = {} if numbered is None else numbered
    cuts: set[int] = set()
    for style, (pattern, _) in enumerate(_RUN_STYLES):
        # the unit after the last one a line opened with, glued on after a sentence's end
        for at, number in _numbers(pattern, paragraph):
            if at == 0:
                numbered[style] = number
            elif numbered.get(style) == number - 1 and _SENTENCE_END.search(paragraph[:at]):
                cuts.add(at)
                numbered[style] = number
    for pattern, anywhere in _RUN_STYLES:
        run: list[int] = []
        expected = 0
        for at, number in _numbers(pattern, paragraph):
            # 一、基本要求1、参加…: a first item right after a unit's short heading starts too
            after_heading = any(0 < at - c <= _HEADING_GAP for c in cuts) and not re.search(
                r"[。；;：:]", paragraph[max(cuts, key=lambda c: c if c < at else -1) : at]
            )
            after_break = at == 0 or after_heading or bool(_RUN_BREAK.search(paragraph[:at]))
            if number == 1 and (anywhere or after_break):
                expected = 2
            elif run and number in (expected, expected + 1):  # one number mistyped (3,)
                expected = number + 1
            else:
                continue
            run.append(at)
        if len(run) >= 2:
            cuts.update(run)
    if _ASKED_OPENING.match(paragraph):
        # 问：…？答：…。问：…？答：…: a Q&A page's unnumbered questions run on in one paragraph
        cuts.update(m.start() for m in _ASKED_AGAIN.finditer(paragraph))
    if not cuts:
        return [paragraph]
    bounds = sorted({0, *cuts, len(paragraph)})
    pieces = (_SPACED_NUMBER.sub(r"\1\2", paragraph[a:b].strip()) for a, b in pairwise(bounds))
    return [p for p in pieces if p]
