"""Extractive answers: the best passage trimmed to the sentences that answer, with citations.

Whether anything was found is decided by ``AnswerPolicy`` on the best hit's coverage and
evidence (see index.py), calibrated on the tune split of bench/kb_eval/realistic (never
the held-out one; ``bench/kb_tune.py``): a question whose informative words, synonyms
counted, are mostly absent from the best passage, or that matches only common words, is
refused however the BM25 scores fall. Up to three close hits are cited, best first; a
refusal cites nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.catalogue import catalogue
from bot.kb.asked_facts import (
    TIME_OF_DAY,
    TIME_OF_DAY_ASKED,
    asks_for_a_contact,
    asks_for_a_figure,
    asks_for_a_phone_number,
    holds_a_contact,
    holds_a_phone_number,
    levels_to_be_named,
    points_bands,
)
from bot.kb.chinese_script import simplified
from bot.kb.citations import Answer, Citation, SourcePassage
from bot.kb.index import Hit
from bot.kb.normalize import fold
from bot.kb.numerals import canonicalize_refs, count_digits, figure_asked
from bot.kb.structure import after_items, article_items, lists_cases, table_rows
from bot.kb.tokenize import Tokenizer

__all__ = [
    "ADOPTION",
    "ASKS_DEFINITION",
    "ASKS_WHEN_ADOPTED",
    "SITTING_ASKED",
    "SITTING_NAMED",
    "AnswerPolicy",
    "articles_named",
    "best_quote",
    "cite",
    "extractive_answer",
    "names_article",
    "not_found",
    "select_hits",
]

_SENTENCE = re.compile(
    r"[^。！？；!?;\n]+[。！？；!?;]?[”’」』）)]*"
)  # a closing quote ends its sentence
_QUOTE_MAX = 240
_NAMED_MAX = 600  # an article asked for by its number is quoted whole up to this length
# A paragraph after a list that speaks of the list (前款规定的事项…, 有上述情形之一的…).
_REFERS_BACK = re.compile(r"^(?:有)?(?:前款|前述|上述|以上|前项)")
_WHOLE_PASSAGE = 120


@dataclass(frozen=True, slots=True)
class AnswerPolicy:
    # Calibrated on the tune split of bench/kb_eval/realistic (bench/kb_tune.py).
    min_coverage: float = 0.35
    # The rarest question word the best passage holds, as a share of the rarest asked:
    # a passage holding only 委员 or 政协 is no evidence of an answer.
    min_evidence: float = 0.6
    # Further citations must score this share of the best one (fused scores, 0-2) and
    # hold part of the question themselves: no "always three".
    related_share: float = 0.3
    related_coverage: float = 0.2
    max_citations: int = 3
    # A question naming a thing no passage mentions (工资, 护照, 人大代表), as a word, a
    # synonym or characters, is about something else however well the rest matches.
    refuse_unknown_nouns: bool = True


def select_hits(
    hits: Sequence[Hit[SourcePassage]], policy: AnswerPolicy
) -> list[Hit[SourcePassage]]:
    """Hits worth citing, best first; empty when nothing relevant was found."""
    if not hits:
        return []
    best = hits[0]
    if best.coverage < policy.min_coverage or best.evidence < policy.min_evidence:
        return []
    chosen = [best]
    for hit in hits[1:]:
        if (
            hit.score >= best.score * policy.related_share
            and hit.coverage >= policy.related_coverage
            # the same page loaded under a second file name says nothing new
            and all(hit.entry.text != c.entry.text for c in chosen)
        ):
            chosen.append(hit)
    return chosen[: policy.max_citations]


_ARTICLE_NAMED = re.compile(r"第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?")


def articles_named(question: str) -> frozenset[str]:
    """The articles a question names by number (第2条说的啥: 第二条)."""
    return frozenset(_ARTICLE_NAMED.findall(canonicalize_refs(question)))


def names_article(named: frozenset[str], locator: str) -> bool:
    """Whether ``locator`` is one of the articles named, or a unit inside one (in either
    script: 第四十一條 is 第四十一条)."""
    locator = simplified(locator)
    return any(
        locator == article or (locator.startswith(article) and locator[len(article)] in "（第")
        for article in named
    )


def _row_name(row: str, rows: Sequence[str] = ()) -> str:
    """A table row's own name: its first cell of words, unless that column only sorts the
    rows (类别 | 项目 ⟶ 会议 | 出席全体会议, 会议 | 无故缺席会议: the item, not its category).
    ``rows``: the table's, its header first."""
    cells = [c.strip() for c in re.split(r"[|｜]", row)]
    columns = [[c.strip() for c in re.split(r"[|｜]", r)] for r in rows]
    header = columns[0] if columns else []
    named = [n for n, c in enumerate(cells) if re.search(r"[\u4e00-\u9fff]", c)]
    for n in named:
        values = [r[n] for r in columns[1:] if len(r) > n and r[n]]
        if (
            n < len(header)
            and _SORTING_COLUMN.fullmatch(header[n])
            # (类型 | 频次 with a different 类型 on every row: the column names them)
            and len(set(values)) < len(values)
        ):
            continue
        if values.count(cells[n]) <= 1:
            return cells[n]
    return cells[named[0]] if named else ""


# A column that sorts a table's rows rather than names them (类别 会议, 提案, 信息).
_SORTING_COLUMN = re.compile(r"类别|分类|类型|大类|种类|板块|序号|编号")


# A score a member tells (考了75分, 55分是啥档), not a figure asked (扣几分).
_SCORE_TOLD = re.compile(r"(?<![0-9几多扣加])([0-9]{1,3})\s*分(?![钟之])")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def best_quote(
    text: str,
    *,
    weights: Mapping[str, float],
    tokenizer: Tokenizer,
    question: str = "",
    context: str = "",
) -> str:
    """The sentence (with its list, if it introduces one) that carries most of the question.

    Words of ``context`` (the title and headings, true of every sentence) do not tell the
    sentences apart; a question asking how many / how long prefers a sentence with a
    figure in it."""
    if len(text) <= _WHOLE_PASSAGE:
        return text.strip()
    sentences = _sentences(text)
    if not sentences:
        return text[:_QUOTE_MAX]
    shared = set(tokenizer.tokens(context)) if context else set()
    telling = {t: w for t, w in weights.items() if t not in shared}
    rows = table_rows(text)
    if rows:
        # A table is quoted by the row that answers under the row naming the columns. A
        # word the header holds (上限) is every row's, so it tells none apart (不设上限); the
        # row's own name (its first cell of words: 书面发言) counts twice.
        header = fold(rows[0])
        cells = {t: w for t, w in telling.items() if t not in header}
        row_held = [
            _held(row, cells, tokenizer) + _held(_row_name(row, rows), cells, tokenizer)
            for row in rows[1:]
        ]
        # 75分算啥等次: the row whose band (70分至89分) holds the score told
        told = _SCORE_TOLD.search(question)
        if told:
            score = float(told.group(1))
            for n, row in enumerate(rows[1:]):
                if any(low <= score <= high for low, high in points_bands(count_digits(row))):
                    row_held[n] += max(telling.values(), default=0.0)
        best_row = max(range(len(row_held)), key=lambda i: (row_held[i], -i))
        # 读书会几点开始: the sentence under the schedule (下午3:00开始), not a row holding 会
        timed = TIME_OF_DAY_ASKED.search(question) and not any(
            TIME_OF_DAY.search(row) for row in rows[1:]
        )
        if row_held[best_row] > 0 and not (
            timed and any(TIME_OF_DAY.search(line) for line in _sentences(text))
        ):
            return f"{rows[0]}\n{rows[best_row + 1]}"
    figure_bonus = max(telling.values(), default=0.0) if _QUANTITY.search(question) else 0.0
    # 多少名委员: a figure in the unit asked (286名), not any figure (近300条)
    asked_figure = asks_for_a_figure(question) or _FIGURE
    # 哪年通过的: the sentence that dates the rule, not the preamble after it
    # (a full date outweighs the words: the sentence giving the rule's name and a year,
    # 现将《2022年…计划》印发给你们, holds them all but not the day)
    dating = sum(telling.values()) if ASKS_WHEN_ADOPTED.search(question) else 0.0
    # 哪次主席会议定的: the sentence naming the sitting (经…第二十三次主席会议研究同意), over
    # a date line that names none
    sitting = 2 * dating if SITTING_ASKED.search(question) else 0.0
    # 请假找谁: the sentence naming who (经秘书长批准), not 无特殊情况不得请假
    naming = max(telling.values(), default=0.0) if _ASKS_WHO.search(question) else 0.0
    # 信息科座机多少, 对接人是谁: the line printing the number or the contact
    printing = [
        holds
        for asks, holds in (
            (asks_for_a_phone_number, holds_a_phone_number),
            (asks_for_a_contact, holds_a_contact),
        )
        if asks(question)
    ]
    printed = sum(telling.values()) if printing else 0.0
    negated = _negated(question, telling)
    # 省政协用了几分: the sentence of the level asked (被省政协采用的), which the search set
    # aside as saying only whose rules are meant
    levels = levels_to_be_named(question)
    leveled = max(telling.values(), default=0.0) if levels else 0.0
    # 参政议政指啥: the sentence that opens on the word and says what it is
    defined = [t for t in telling if len(t) > 1] if ASKS_DEFINITION.search(question) else []
    scored = []
    for i, sentence in enumerate(sentences):
        held = _held(sentence, telling, tokenizer)
        if figure_bonus and asked_figure.search(count_digits(sentence)):
            held += figure_bonus
        if sitting and SITTING_NAMED.search(sentence):
            held += sitting
        if dating and _FULL_DATE.search(count_digits(fold(sentence))):
            held += dating  # （2018年10月18日…通过）, a notice's 2022年4月28日
        elif dating and ADOPTION.search(fold(sentence)):
            held += max(telling.values()) / 2  # a year with 通过 or 印发, not the date
        if naming and _NAMES_WHO.search(sentence):
            held += naming
        if printed and any(holds(sentence) for holds in printing):
            held += printed
        # 没全程参加给几分: the sentence saying 未全程参加, not the one saying 全程参加 (the
        # word asked in the negative counts thrice where the rule says it in the negative)
        held += sum(2 * telling[t] for t in negated if _NEGATION.search(_before(sentence, t)))
        held += sum(telling[t] for t in defined if _opens_defining(sentence, t))
        if leveled and held and any(level.search(sentence) for level in levels):
            held += leveled
        scored.append((held, -i))
    best = -max(scored)[1]
    quote = sentences[best]
    # A sentence ending in a colon introduces items: they are the answer.
    if quote.endswith(("：", ":")):
        for item in sentences[best + 1 :]:
            if len(quote) + len(item) > _QUOTE_MAX:
                quote += "……"
                break
            quote += item
    elif best == 0 and len(quote) < 40 and len(sentences) > 1:
        quote += sentences[1]
    elif _LABEL.match(quote) and len(quote) < 20 and best + 1 < len(sentences):
        quote += sentences[best + 1]  # 二是党派合作性。 is a label: what follows says it
    elif best > 0 and _FULL_DATE.fullmatch(count_digits(quote)) and len(sentences[best - 1]) <= 30:
        quote = f"{sentences[best - 1]} {quote}"  # a notice's date with who signs it
    return quote


# When a rule was adopted or revised (这个细则啥时候修订的, 办法哪年通过的): answered by the
# adoption line under the title (（2018年10月18日…通过，2024年…修订）) or by 自…起施行.
# (哪次主席会上过的, 第几次全会上过的: the sitting may be named by its kind)
_SITTING = r"(?:哪次|哪个|哪一次|什么|啥|第几次)[^，,。？?\s]{0,3}?(?:会议?|会上)"
_ADOPTED = r"(?:通过|审议|定的|审定|过的|定下|改的|修改|修订)"
ASKS_WHEN_ADOPTED = re.compile(
    r"(?:哪年|哪一年|啥时候|什么时候|何时|哪天|几时|几月|哪月|时间|日期)[^，,。？?]{0,4}"
    r"(?:通过|修订|修改|施行|实施|印发|出台|出的|制定|定的|生效|执行|发布|颁布"
    # (as members say it: 哪天定下来的, 哪天发的, 网上哪天挂出来的)
    r"|定下|发的|发出|下发|挂出|公布)"
    r"|(?:通过|修订|修改|施行|实施|印发|出台|制定|生效|执行|发布|颁布)[^，,。？?]{0,4}"
    r"(?:哪年|哪一年|啥时候|什么时候|何时|哪天|几时|时间|日期)"
    # (which sitting adopted it: 哪次会通过的, 什么会议审议的)
    rf"|{_SITTING}[^，,。？?]{{0,3}}{_ADOPTED}"
)
# Which sitting adopted a rule (哪个会上过的, 第几次会议通过): the asking, no words of the rule.
# A sitting named as adopting a rule (经…第二十三次主席会议研究同意, 第三次全体会议通过).
SITTING_NAMED = re.compile(
    r"第[0-9一二三四五六七八九十百]+次[^，。；,;]{0,10}会议?[^，。；,;]{0,4}(?:通过|同意|审议|决定)"
)
SITTING_ASKED = re.compile(rf"{_SITTING}(?=[^，,。？?]{{0,3}}{_ADOPTED})")
ADOPTION = re.compile(
    r"(?:[0-9]{4}|[〇零一二三四五六七八九]{4})\s*年?[^。；;]{0,60}?(?:通过|修订|修正|施行|印发|发布)"
)
_LABEL = re.compile(r"^[一二三四五六七八九十]是")
# (and as a web page prints when it was posted: 发布时间：2025-03-04 09:30)
_FULL_DATE = re.compile(
    r"[0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9])"
)
ASKS_DEFINITION = re.compile(
    # (not 是啥时候 定的: when, not what)
    r"是个啥|是啥(?!时候|时间)|是什么(?!时候|时间)|什么是|什么叫|啥叫|啥是|定义|指的是|啥意思|什么意思|指什么|指啥"
    r"|是(?:干|做)(?:啥|什么)(?:用)?的|^(?:啥|什么)算"
    # (what a thing is for or counts as: 视察有啥意义, 算啥性质的工作: the article saying it is)
    r"|(?:啥|什么)(?:意义|性质|作用|地位)"
)
_NEGATION = re.compile(r"(?:没有?|未|不|无|非)$")


def _before(text: str, term: str) -> str:
    """What stands right before ``term`` in ``text`` (folded), or "" where it is absent."""
    folded = count_digits(fold(text))
    at = folded.find(term)
    return folded[max(0, at - 2) : at] if at > 0 else ""


def _opens_defining(sentence: str, term: str) -> bool:
    folded = fold(sentence).lstrip()
    return folded.startswith(term) and bool(
        re.match(r"[^，。？\s]{0,3}，?是(?!否)", folded[len(term) :])
    )


def _negated(question: str, weights: Mapping[str, float]) -> list[str]:
    """The question's words it asks about in the negative (没全程参加: 全程参加)."""
    return [t for t in weights if len(t) > 1 and _NEGATION.search(_before(question, t))]


_ASKS_WHO = re.compile(r"谁|哪个部门|哪个单位|哪个机构|哪个机关|找哪|向哪|交给哪|报给哪|报哪|交哪")
_NAMES_WHO = re.compile(
    r"秘书长|主席|秘书处|办公厅|办公室|委员会|主任|负责人|部门|机关|科|处(?!理)|组长|召集人|中心|公司"
)
_QUANTITY = re.compile(r"多少|几|多久|多长|多大|最多|最少|至少|比例")
_FIGURE = re.compile(
    r"[0-9]|[一二两三四五六七八九十百千万]+[个件天日年月次人名篇条分周届倍岁项字%]"
)
# A question asking for the list itself is answered by the whole list, not one item.
_LIST_QUESTION = re.compile(
    r"哪些|哪几|哪种|几种|几类|什么情况|什么情形|什么样|啥样|有什么|包括什么|都有"
)
_PARAGRAPH_LOCATOR = re.compile(r"第[0-9]+段")
_ARTICLE_LOCATOR = re.compile(
    r"^第[零〇一二三四五六七八九十百千0-9]+条(之[一二三四五六七八九十]+)?"
    r"(第[零〇一二三四五六七八九十百千0-9]+款)?$"
)


def _held(text: str, weights: Mapping[str, float], tokenizer: Tokenizer) -> float:
    """The question weight ``text`` holds; a word counts once, not again for its parts or
    for a synonym of it (全体会议 and 大会 in one row are one word asked about).

    Words are looked for in the text as written (no segmentation): quoting a long
    passage must not cost a member's wait."""
    folded = count_digits(fold(text))
    found = [t for t in weights if t in folded or _answers_figure(t, folded)]
    whole = [t for t in found if not any(t != other and t in other for other in found)]
    group = getattr(weights, "group", {})
    counted: list[str] = []
    for term in sorted(whole, key=lambda t: -weights[t]):
        synonyms = tokenizer.synonyms.get(term, ())
        if not any(
            other in synonyms
            or term in tokenizer.synonyms.get(other, ())
            or group.get(term, term) == group.get(other, other)
            for other in counted
        ):
            counted.append(term)
    # a lone character is most often part of another word (当 in 应当, 报 in 报告)
    return sum(weights[t] * (_LONE_CHARACTER if len(t) == 1 else 1.0) for t in counted)


_LONE_CHARACTER = 0.5


def _answers_figure(term: str, text: str) -> bool:
    pattern = figure_asked(term)
    return pattern is not None and pattern.search(text) is not None


def cite(
    hit: Hit[SourcePassage],
    *,
    question: str,
    weights: Mapping[str, float],
    tokenizer: Tokenizer,
) -> Citation:
    """A citation naming the deepest unit that answers, its text the words quoted.

    An article listing grounds （一）…（八） is cited by the one item the question is
    about (第十条（七）, quoted with the sentence that introduces the list), unless the
    question asks for the list (哪些情况…)."""
    passage = hit.entry
    items = (
        article_items(passage.text)
        if _ARTICLE_LOCATOR.match(passage.locator) or lists_cases(passage.text)
        else []
    )
    if names_article(articles_named(question), passage.locator):
        # asked by its number (第2条说的啥): the article as written
        text = passage.text.strip()
        quote = text if len(text) <= _NAMED_MAX else text[:_NAMED_MAX] + "……"
        return replace(Citation.of(passage, hit.relevance), text=quote)
    if items and not _LIST_QUESTION.search(question):
        lead = passage.text[: passage.text.index(items[0][1])].strip()
        lead_held = _held(lead, weights, tokenizer)
        # What follows the list (不予立案的提案，可以转为…) is cited as the article's own,
        # and weighed alone: an item is weighed with the sentence that introduces it.
        closing = after_items(passage.text)
        choice = _one_item(items, lead, closing, weights, tokenizer)
        if choice is not None:
            marker, text = choice
            if not marker:
                return replace(Citation.of(passage, hit.relevance), text=text)
            # items numbered inside the item (3. 获得领导批示的：（1）区领导…): the one asked
            inner = article_items(text)
            if inner:
                item_lead = text[: text.index(inner[0][1])].strip()
                sub = _one_item(inner, f"{lead}{item_lead}", "", weights, tokenizer)
                if sub is not None:
                    marker, text = f"{marker}{sub[0]}", f"{item_lead}{sub[1]}"
            if _REFERS_BACK.match(closing) and _held(
                f"{lead}{text}{closing}", weights, tokenizer
            ) > _held(f"{lead}{text}", weights, tokenizer):
                # 前款规定的事项，应当在三十日内报告: the rule the item falls under
                text = f"{text}\n{closing}"
            return replace(
                Citation.of(passage, hit.relevance),
                locator=_item_locator(passage.locator, marker),
                text=f"{lead}{text}" if lead_held or len(lead) < 60 else text,
            )
    quote = best_quote(
        passage.text,
        weights=weights,
        tokenizer=tokenizer,
        question=question,
        context="\n".join((passage.title, *passage.heading_path)),
    )
    # Items that tie are quoted by the sentence that carries most of the question; when
    # that sentence is one item's, the citation names the item (第二条（一）).
    within = [(m, t) for m, t in items if quote.strip() in t] if items else []
    if len(within) == 1:
        marker, text = within[0]
        lead = passage.text[: passage.text.index(items[0][1])].strip()
        return replace(
            Citation.of(passage, hit.relevance),
            locator=_item_locator(passage.locator, marker),
            text=f"{lead}{text}" if len(lead) < 60 else text,
        )
    rows = table_rows(passage.text)
    if rows and quote.count("\n") == 1 and quote.startswith(rows[0]):
        # one row of a table under its header: named by its own name (书面发言)
        name = _row_name(quote.split("\n")[1], rows)
        if name and name not in passage.locator:
            return replace(
                Citation.of(passage, hit.relevance),
                locator=f"{passage.locator} › {name}",
                text=quote,
            )
    return replace(Citation.of(passage, hit.relevance), text=quote)


def _item_locator(locator: str, marker: str) -> str:
    """第十一条（七）; a case listed outside any article by its own number, not by the
    paragraph it was counted in (（7）, not 第1段（7）)."""
    return marker if _PARAGRAPH_LOCATOR.fullmatch(locator) else f"{locator}{marker}"


def _one_item(
    items: Sequence[tuple[str, str]],
    lead: str,
    closing: str,
    weights: Mapping[str, float],
    tokenizer: Tokenizer,
) -> tuple[str, str] | None:
    """The item (marker, text) holding more of the question than any other, weighed with
    the sentence that introduces the list; ("", closing) for what closes the list, weighed
    alone; None when none stands out."""
    scored = sorted(
        [(_held(f"{lead}{text}", weights, tokenizer), marker, text) for marker, text in items]
        + [(_held(closing, weights, tokenizer), "", closing)] * bool(closing),
        key=lambda s: -s[0],
    )
    (top, marker, text), runner_up = scored[0], scored[1][0]
    return (marker, text) if top > runner_up and top > 0 else None


def not_found(question: str) -> Answer:
    return Answer(
        question=question, found=False, text=catalogue().s("kb.answer.not_found"), via="none"
    )


def extractive_answer(
    question: str,
    hits: Sequence[Hit[SourcePassage]],
    *,
    weights: Mapping[str, float],
    tokenizer: Tokenizer,
    policy: AnswerPolicy | None = None,
) -> Answer:
    chosen = select_hits(hits, policy or AnswerPolicy())
    if not chosen:
        return not_found(question)
    citations = tuple(
        cite(h, question=question, weights=weights, tokenizer=tokenizer) for h in chosen
    )
    quote = citations[0].text
    return Answer(
        question=question,
        found=True,
        text=format_extractive(quote=quote, citations=citations),
        citations=citations,
        quote=quote,
        via="extractive",
    )


def format_extractive(*, quote: str, citations: Sequence[Citation]) -> str:
    cat = catalogue()
    first = citations[0]
    lines = [cat.s("kb.answer.extractive", title=first.title, locator=first.locator, quote=quote)]
    if len(citations) > 1:
        others = "、".join(c.label for c in citations[1:])
        lines.append(cat.s("kb.answer.see_also", others=others))
    return "\n".join(lines)
