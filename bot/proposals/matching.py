"""What a proposal is about, in words and characters: the rulebook's text analysis
(``bot/kb/tokenize.py``: jieba with the committee vocabulary, folding, the synonym file)
applied to a proposal, without the words every proposal shares.

Frame words (关于, 建议, 加强, 完善, 推进, 体系 …) say how a member asks, not what about, so
they are dropped before anything is compared; the matter's content words remain. Words
are brought to one form per synonym group (``config/kb_synonyms.txt`` plus the proposal
phrasings in ``config/proposal_synonyms.txt``), so 堵车 and 交通拥堵, 电瓶车 and 电动自行车
are one word here. Phrases of the synonym files are taken whole before segmenting, since
jieba would cut 通行不畅 into two words neither of which means it. Character bigrams of
the content are the second kind of evidence: they survive a segmentation that cut one
phrasing differently from the other.

The character pairs are the kb's own (``char_grams``). bot/kb has no "content words with
synonyms folded" function, so that lives here, on the kb's public API (``shared_tokenizer``,
``load_synonyms``, ``char_grams``, ``STOPWORDS``, ``fold``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from bot.catalogue import CONFIG_DIR
from bot.kb.normalize import fold
from bot.kb.tokenize import (
    DEFAULT_SYNONYMS,
    STOPWORDS,
    Tokenizer,
    char_grams,
    load_synonyms,
    shared_tokenizer,
)

__all__ = ["FRAME_WORDS", "PROPOSAL_SYNONYMS", "Analyzer", "Content", "Unit", "analyzer"]

PROPOSAL_SYNONYMS = CONFIG_DIR / "proposal_synonyms.txt"

# How members frame any matter; never evidence that two drafts are about the same thing.
_FRAME_TEXT = """
    关于 建议 提案 意见 议案 进一步 加强 完善 推进 推动 加快 促进 提升 提高 强化 健全 构建
    深化 优化 做好 抓好 切实 着力 大力 全面 深入 不断 积极 持续 有效 体系 机制 问题 工作
    有关 相关 部门 有关部门 相关部门 政府 我市 全市 本市 我区 全区 我县 解决 缓解 若干
    几点 方面 情况 措施 举措 力度 水平 能力 建设 发展 支持 加大 重视 实施 开展 目前 当前
    近年来 存在 导致 主要 一些 部分 不少 很多 越来越 越来越多 已经 没有 进行 同时 以及
    给予 加以 做到 实现 通过 有关单位 相关单位 出台 落实 不足 难以 严重 突出 普遍
"""
FRAME_WORDS = frozenset(_FRAME_TEXT.split())

_RUN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")

# A content word as written and the forms it matches (its synonym group's word).
Unit = tuple[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class Content:
    """A text's content: word forms and character bigrams, each counted, and the words."""

    words: Counter[str]
    grams: Counter[str]
    units: tuple[Unit, ...]


class Analyzer:
    """Content words and bigrams of a text, over one tokenizer and one synonym map."""

    def __init__(self, tokenizer: Tokenizer, synonyms: dict[str, tuple[str, ...]]) -> None:
        self.tokenizer = tokenizer
        # One representative per group (the group's first word): stable across runs.
        self._canon = {w: group[0] for w, group in synonyms.items()}
        self._frame = FRAME_WORDS | STOPWORDS
        phrases = sorted((w for w in synonyms if len(w) >= 2), key=len, reverse=True)
        self._phrases = re.compile("|".join(map(re.escape, phrases))) if phrases else None

    def canon(self, word: str) -> str:
        return self._canon.get(word, word)

    def words(self, text: str) -> list[str]:
        """Content words in order: synonym phrases whole, the rest as jieba cuts it."""
        text = fold(text)
        out: list[str] = []
        pos = 0
        for m in self._phrases.finditer(text) if self._phrases else ():
            out += self._segment(text[pos : m.start()])
            if m.group(0) not in self._frame:
                out.append(m.group(0))
            pos = m.end()
        out += self._segment(text[pos:])
        return out

    def _segment(self, text: str) -> list[str]:
        if not text.strip():
            return []
        return [
            w
            for w in self.tokenizer.segment_all(text)
            if w not in self._frame and _RUN.fullmatch(w) and (len(w) > 1 or w.isdigit())
        ]

    def content(self, text: str) -> Content:
        words: Counter[str] = Counter()
        units: list[Unit] = []
        kept = self.words(text)
        for word in kept:
            # A word's dictionary sub-words (交通拥堵 -> 交通) were tried as further forms:
            # worse on the tune pairs, and a third of the segmenting time.
            forms = frozenset({self.canon(word)})
            words.update(forms)
            units.append((word, forms))
        # Pairs within each content word, never across two: the frame between them is gone.
        grams = Counter(g for g in char_grams(" ".join(kept)) if len(g) == 2)
        return Content(words=words, grams=grams, units=tuple(units))

    @staticmethod
    def covered(unit: Unit, other: Content, other_text: str) -> bool:
        """Whether a content word of one text shows in another: as written, as a synonym,
        or through most of its character pairs."""
        word, forms = unit
        if forms & other.words.keys() or word in other_text:
            return True
        grams = [word[i : i + 2] for i in range(len(word) - 1)]
        return bool(grams) and sum(g in other.grams for g in grams) * 2 > len(grams)


@cache
def analyzer() -> Analyzer:
    """The process's analyzer: the rulebook's shared tokenizer and both synonym files."""
    synonyms = load_synonyms(PROPOSAL_SYNONYMS)
    for word, group in load_synonyms(DEFAULT_SYNONYMS).items():
        synonyms[word] = tuple(dict.fromkeys((*synonyms.get(word, ()), *group)))
    return Analyzer(shared_tokenizer(), synonyms)
