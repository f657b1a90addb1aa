"""Passage ranking: word BM25 and character-pair BM25 fused, with evidence for refusal.

Two views of every passage are ranked with BM25 (bm25s): jieba words (with the committee
vocabulary) and overlapping character pairs. Words rank well when segmentation agrees;
pairs when it does not (请假条 / 请假 条) or a character is mistyped. Each ranking is
divided by its best score and the two are summed, so neither needs calibrating against the
other. Synonyms from ``config/kb_synonyms.txt`` are searched at half the weight of the words
asked.

BM25 scores are not comparable between questions, so they cannot decide alone whether
anything relevant was found. Each hit also carries ``coverage``: the share of the
question's informative weight (IDF of each question word, the synonyms it has counting for
it) the passage holds, and ``evidence``: the IDF share of the rarest question word it holds,
so that a passage matching only 委员 or 政协 is not evidence of an answer. See answer.py.
"""

from __future__ import annotations

import copy
import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bot.kb.asked_facts import TIME_OF_DAY, asks_for_a_figure
from bot.kb.homophones import Homophones
from bot.kb.normalize import fold
from bot.kb.numerals import count_digits, figure_asked
from bot.kb.query import HOUR_WORDS, QueryGroup, QueryWords, bm25_idf
from bot.kb.rerank import DEPTH, Candidate, Reranker, candidate_features
from bot.kb.tokenize import Tokenizer, char_grams, figures_in_words
from bot.kb.translation import TranslationTable, asked_words

if TYPE_CHECKING:
    import bm25s

__all__ = ["Hit", "PassageIndex", "QueryGroup"]

T = TypeVar("T")

_EXPANSION_WEIGHT = 0.5
_SYNONYM_CREDIT = 0.8
_CONTEXT_CREDIT = 0.0  # held by the title or an outer heading only: the passage must hold it
# held by the heading the passage stands under (## 经费保障 over 每组每年不超过5000元): half,
# and no evidence (measured: held out +1 hit@3 on three sets, refusal unchanged)
_HEADING_CREDIT = 0.5
# A heading that is a question (### 3. 提案从哪里提交？, Q5：…？): its answer is the passage.
_ASKED_HEADING = re.compile(r"[？?]\s*$|^\s*(?:Q|问)\s*[0-9一二三四五六七八九十]*\s*[：:.、]")


def _heading_credit(heading: str) -> float:
    """What a word the heading over a passage holds counts for: in full when the heading
    is the question the passage answers (### 7. 什么是社情民意信息？, as a 问：line in the text
    of another Q&A page), else half."""
    return 1.0 if _ASKED_HEADING.search(heading) else _HEADING_CREDIT


_RELATED_CREDIT = 0.5
_POOL = 30
_COVERAGE_WEIGHT = 2.0  # per BM25 field fused: coverage keeps its say beside character pairs
# A passage of the document whose title names what is asked about (社情民意 of 《社情民意信息
# 工作办法》) over one of another document that holds the rest of the words (提案…写…内容):
# the title's words are in every passage of it, so their IDF says little.
_TITLE_NUDGE = 0.1


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    entry: T
    score: float
    coverage: float
    rank: int
    evidence: float = 0.0
    # What the ranking sorted by (fused score and coverage), scaled to 0-1: shown beside a
    # citation, so the citations' scores fall in the order they are given.
    relevance: float = 0.0
    # How much likelier the passage's words make the question than the whole rulebook's do
    # (mean log ratio per question word, by the word translation table; 0 without one).
    said: float = 0.0


class _Field:
    """One BM25 ranking over one view of the passages."""

    def __init__(self, docs: Sequence[Sequence[str]]) -> None:
        import bm25s  # with numpy, a quarter of a second: paid by the first index built

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets it on import
        self.sets = [frozenset(d) for d in docs]
        freq: Counter[str] = Counter()
        for tokens in self.sets:
            freq.update(tokens)
        n = len(docs)
        self.df = freq
        self.size = sum(len(tokens) for tokens in self.sets)
        self.idf = {t: _idf(n, df) for t, df in freq.items()}
        self.unknown_idf = _idf(n, 0)
        self.bm25: bm25s.BM25 | None = None
        if n and freq:
            self.bm25 = bm25s.BM25(k1=1.2, b=0.75)
            # An empty token list would break bm25s; a placeholder token matches nothing.
            self.bm25.index([list(d) or ["\u0000"] for d in docs], show_progress=False)

    def scores(self, exact: Sequence[str], expanded: Sequence[str]) -> Any:
        import numpy as np

        if self.bm25 is None:
            return None
        total = np.zeros(len(self.sets), dtype=np.float32)
        exact = [t for t in dict.fromkeys(exact) if t in self.idf]
        expanded = [t for t in dict.fromkeys(expanded) if t in self.idf and t not in exact]
        if exact:
            total += self.bm25.get_scores(exact)
        if expanded:
            total += _EXPANSION_WEIGHT * self.bm25.get_scores(expanded)
        best = float(total.max()) if len(total) else 0.0
        return total / best if best > 0 else None


class PassageIndex(QueryWords, Generic[T]):
    """Immutable: build a new one when passages change (building is fast; see bench/).

    ``bodies`` (each passage's own text) with ``contexts`` (the title and headings it sits
    under), or whole ``texts``, let words jieba split differently be found by their
    characters. ``character_ranking`` adds a character-pair BM25 fused with the words'
    one (see bench/kb_realistic.py for what it gains and costs)."""

    def __init__(
        self,
        *,
        entries: Sequence[T],
        token_lists: Sequence[Sequence[str]],
        tokenizer: Tokenizer,
        texts: Sequence[str] | None = None,
        bodies: Sequence[str] | None = None,
        contexts: Sequence[str] | None = None,
        character_ranking: bool = False,
        translation: TranslationTable | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        n = len(entries)
        if len(token_lists) != n or any(
            v is not None and len(v) != n for v in (texts, bodies, contexts)
        ):
            raise ValueError("one token list, text, body and context per entry")
        self.entries = list(entries)
        self.tokenizer = tokenizer
        self._words = _Field(token_lists)
        # The passage's own words, without the title and headings it is searched by: a
        # word only the title holds (请假 of 《会议与请假规定》) counts for less. Folded
        # only for the passages a question ranks high, so building stays as fast as before.
        self._bodies = list(bodies) if bodies is not None else None
        self._contexts = list(contexts) if contexts is not None else None
        self._raw = list(texts) if texts is not None else self._bodies
        self._folded: dict[int, tuple[str, str | None]] = {}
        self._headings: dict[int, str] = {}
        self._titles: dict[int, str] = {}
        self._text_idf: dict[str, float] = {}  # of character pairs and lone characters
        self._homophones: Homophones | None = None  # made when a question first needs it
        self._grams = None
        if character_ranking and self._raw is not None:
            self._grams = _Field([char_grams(self._text(i)[0]) for i in range(n)])
        self._idf = self._words.idf
        self._unknown_idf = self._words.unknown_idf
        self._token_sets = self._words.sets
        self._translation = translation
        self._reranker = reranker

    @classmethod
    def from_texts(
        cls, *, entries: Sequence[T], texts: Sequence[str], tokenizer: Tokenizer
    ) -> PassageIndex[T]:
        return cls(
            entries=entries,
            token_lists=[tokenizer.tokens(t) for t in texts],
            tokenizer=tokenizer,
            texts=texts,
        )

    def __len__(self) -> int:
        return len(self.entries)

    def translated_by(
        self, translation: TranslationTable | None, reranker: Reranker | None = None
    ) -> PassageIndex[T]:
        """The same index ranking with ``translation`` and ``reranker`` (None: without)."""
        ranked = copy.copy(self)
        ranked._translation = translation
        ranked._reranker = reranker
        return ranked

    def _text(self, position: int) -> tuple[str, str | None]:
        """The passage's folded searchable text and its folded own text (None if not known)."""
        if position not in self._folded:
            body = fold(self._bodies[position]) if self._bodies is not None else None
            if body is not None and (spoken := figures_in_words(body)) != body:
                # its 20% is the 百分之二十 its tokens hold: a word held in the body either way
                body = f"{body}\n{spoken}"
            if body is not None and self._contexts is not None:
                text = f"{fold(self._contexts[position])}\n{body}"
            else:
                text = fold(self._raw[position]) if self._raw is not None else ""
            self._folded[position] = (text, body)
        return self._folded[position]

    def passage_texts(self, position: int) -> tuple[str, str | None]:
        """A passage's folded searchable text (title and headings, then its own) and its own
        text alone (None when not kept apart)."""
        return self._text(position)

    def search(self, query: str, *, k: int = 5) -> list[Hit[T]]:
        """Best ``k`` passages that share at least one token with ``query``, best first."""
        return self.search_tokens(self.tokenizer.tokens(query), k=k, query=query)

    def search_tokens(
        self, tokens: Sequence[str], *, k: int = 5, query: str | None = None
    ) -> list[Hit[T]]:
        return self.search_groups(self.groups(tokens), k=k, query=query)

    def search_groups(
        self, groups: Sequence[QueryGroup], *, k: int = 5, query: str | None = None
    ) -> list[Hit[T]]:
        if k <= 0:
            return []
        ranked = self._ranked(groups, query, k)
        if self._reranker is not None and len(ranked) > 1:
            ranked = self._reranked(
                self._reranker, ranked, query or "".join(g.word for g in groups)
            )
        return [replace(hit, rank=rank) for rank, (hit, _) in enumerate(ranked[:k], start=1)]

    def candidates(
        self, groups: Sequence[QueryGroup], *, query: str
    ) -> list[tuple[Hit[T], Candidate]]:
        """The first passages as ranked before the learned re-ranking, with what it reads of
        each (``bench/kb_rerank.py`` fits it on these)."""
        ranked = self._ranked(groups, query, DEPTH)[:DEPTH]
        return [(hit, self._candidate(hit, i)) for hit, i in ranked]

    def _candidate(self, hit: Hit[T], position: int) -> Candidate:
        lines = self._contexts[position].split("\n") if self._contexts is not None else [""]
        return Candidate(
            score=hit.score,
            coverage=hit.coverage,
            evidence=hit.evidence,
            relevance=hit.relevance,
            said=hit.said,
            title=lines[0],
            headings="\n".join(lines[1:]),
            body=self._bodies[position] if self._bodies is not None else self._text(position)[0],
        )

    def _reranked(
        self, reranker: Reranker, ranked: list[tuple[Hit[T], int]], question: str
    ) -> list[tuple[Hit[T], int]]:
        """The first ``reranker.depth`` re-ordered by the learned score (ties keep their
        order); each takes the relevance of the place it now stands in, so the scores shown
        fall in the order given."""
        top = ranked[: reranker.depth]
        order = reranker.order(
            candidate_features(question, [self._candidate(hit, i) for hit, i in top])
        )
        moved = [
            (replace(top[j][0], relevance=top[n][0].relevance), top[j][1])
            for n, j in enumerate(order)
        ]
        return moved + ranked[reranker.depth :]

    def _ranked(
        self, groups: Sequence[QueryGroup], query: str | None, k: int
    ) -> list[tuple[Hit[T], int]]:
        """The pool of passages found, by BM25, coverage and the translation table, best
        first, each with its position."""
        if self._words.bm25 is None:
            return []
        import numpy as np

        exact = [g.word for g in groups]
        expanded = [m for g in groups for m in g.members[1:]]
        fused = np.zeros(len(self.entries), dtype=np.float32)
        word_scores = self._words.scores(exact, expanded)
        if word_scores is not None:
            fused += word_scores
        if self._grams is not None and query is not None:
            gram_scores = self._grams.scores(
                char_grams(query), [g for m in expanded for g in char_grams(m)]
            )
            if gram_scores is not None:
                fused += gram_scores
        positive = int(np.count_nonzero(fused > 0))
        if positive == 0:
            return []
        # A wider pool is re-ranked by fused score plus coverage: of two passages that
        # rank alike, the one holding more of the question (the list itself, not the
        # article about it) goes first.
        pool = min(max(k, _POOL), positive)
        top = np.argpartition(-fused, pool - 1)[:pool]
        total = sum(g.weight for g in groups) or 1.0
        rarest = max((g.weight for g in groups if g.known), default=1.0) or 1.0
        scored = []
        for i in top.tolist():
            matched, evidence = self._matched(groups, i)
            scored.append((float(fused[i]), matched / total, evidence / rarest, i))
        titled = self._titled(groups, top.tolist())
        if titled:
            scored = [(f + _TITLE_NUDGE * (i in titled), c, e, i) for f, c, e, i in scored]
        weight = self._coverage_weight()
        fields = weight / _COVERAGE_WEIGHT
        keys = {i: f + weight * c for f, c, _, i in scored}
        said: dict[int, float] = {}
        if self._translation is not None:
            keys, said = self._translated(self._translation, groups, keys)
        scored.sort(key=lambda s: (-keys[s[3]], s[3]))
        return [
            (
                Hit(
                    entry=self.entries[i],
                    score=score,
                    coverage=cov,
                    rank=rank,
                    evidence=ev,
                    relevance=max(0.0, keys[i]) / (fields + weight),
                    said=said.get(i, 0.0),
                ),
                i,
            )
            for rank, (score, cov, ev, i) in enumerate(scored, start=1)
        ]

    def _translated(
        self, table: TranslationTable, groups: Sequence[QueryGroup], keys: dict[int, float]
    ) -> tuple[dict[int, float], dict[int, float]]:
        """The ranking's keys lowered by how much less likely each passage's words are to
        say the question's than the likeliest's (bot/kb/translation.py), in the keys' scale:
        the order is that of the keys scaled to the best plus the table's weighted score.
        With them, each passage's score against the rulebook's (``Hit.said``)."""
        asked = asked_words(groups)
        best = max(keys.values(), default=0.0)
        if best <= 0 or not table.speaks_for(asked):
            return keys, {}
        df, size = self._words.df, self._words.size or 1
        background = {w: (df.get(w, 0) + 0.5) / size for w in asked}
        said = {i: table.score(asked, self._token_sets[i], background) for i in keys}
        likeliest = max(said.values())
        anywhere = sum(math.log(background[w]) for w in asked) / len(asked)
        return (
            {
                i: key + table.weight * best * max(said[i] - likeliest, -table.most_below)
                for i, key in keys.items()
            },
            {i: s - anywhere for i, s in said.items()},
        )

    def _heading_spelled(self, groups: Sequence[QueryGroup], position: int) -> set[str]:
        """The question words that together spell the heading a passage stands under (基本
        义务 for （一）基本义务), none when some of the heading is no question word."""
        core = _UNIT_MARK.sub("", self._heading(position)).strip()
        if not core:
            return set()
        covered = [False] * len(core)
        held: set[str] = set()
        for group in groups:
            for form in group.members[: group.forms]:
                at = core.find(form) if len(form) > 1 or form == core else -1
                if at >= 0:
                    held.add(group.word)
                    covered[at : at + len(form)] = [True] * len(form)
        gaps = "".join(c for c, done in zip(core, covered, strict=True) if not done)
        return held if not gaps.strip("的和与及之") else set()

    def _coverage_weight(self) -> float:
        return _COVERAGE_WEIGHT * (2 if self._grams is not None else 1)

    def with_coverage(self, hit: Hit[T], coverage: float, evidence: float) -> Hit[T]:
        """``hit`` as if it held ``coverage`` of the question, ranked as such."""
        weight = self._coverage_weight()
        gain = weight * (coverage - hit.coverage) / (weight / _COVERAGE_WEIGHT + weight)
        return replace(
            hit,
            coverage=coverage,
            evidence=max(hit.evidence, evidence),
            relevance=hit.relevance + gain,
        )

    def held_weight(self, groups: Sequence[QueryGroup], position: int) -> float:
        """The question weight passage ``position`` holds (see ``_matched``)."""
        return self._matched(groups, position)[0]

    def _matched(self, groups: Sequence[QueryGroup], position: int) -> tuple[float, float]:
        """The question weight passage ``position`` holds, and its rarest word's weight."""
        words = self._token_sets[position]
        text, body = self._text(position)
        matched = evidence = 0.0
        spelled = self._heading_spelled(groups, position) if body is not None else set()
        for group in groups:
            partial = group.members[group.forms :]
            synonyms = group.members[1 : group.forms]
            headed = False
            if group.word in words:
                if body is None or group.word in body:
                    credit = 1.0
                else:  # held by the heading it stands under (经费保障), or by the title only
                    heading = self._heading(position)
                    headed = group.word in heading
                    credit = _heading_credit(heading) if headed else _CONTEXT_CREDIT
                    if group.word in spelled:
                        # the heading is the words (一事一报, 基本义务): its items say what it is
                        credit = 1.0
            elif len(group.word) > 1 and group.word in (text if body is None else body):
                # written whole but cut otherwise (常委会议题: 常委 / 会议 / 题 for 常委会, 议题):
                # as a synonym, the cut being jieba's guess
                credit = _SYNONYM_CREDIT
            elif any(m in words for m in synonyms):
                in_body = body is None or any(m in body for m in synonyms if m in words)
                if in_body:
                    credit = _SYNONYM_CREDIT
                else:  # (常务委员会 of the heading for 常委会, as the word itself would be)
                    heading = self._heading(position)
                    headed = any(m in heading for m in synonyms if m in words)
                    credit = _SYNONYM_CREDIT * (
                        _heading_credit(heading) if headed else _CONTEXT_CREDIT
                    )
                if not in_body and _states_the_figure(group.word, text):
                    credit = _SYNONYM_CREDIT  # 加几分: 每件加5分, under the heading 加分项目
            elif group.by_parts and any(p in words for p in group.by_parts):
                held = sum(self._idf[p] for p in group.by_parts if p in words)
                whole = sum(self._idf[p] for p in group.by_parts)
                credit = _SYNONYM_CREDIT * min(1.0, held / whole)
                if held < whole * (1 - 1e-9):  # (0.8 × h / h may fall short of 0.8)
                    matched += credit * group.weight
                    continue
                credit = _SYNONYM_CREDIT
            elif group.related and any(w in words for w in group.related):
                matched += _RELATED_CREDIT * group.weight
                continue
            elif group.by_characters and (
                all(g in text for g in group.grams) if group.grams else group.word in text
            ):
                credit = _SYNONYM_CREDIT
            elif group.spelled and all(w in words for w in group.spelled):
                credit = _SYNONYM_CREDIT  # 电话请假 as 以电话形式…请假
            elif _states_the_figure(group.word, text):
                credit = _SYNONYM_CREDIT  # the figure asked for: 扣几分 in 扣10分, 多久 in 每年
            elif any(m in words for m in partial):
                # part of the word (撤回 for 撤回来, 代表 for 人大代表), worth what that
                # part is worth: 委员 in 委员证 says little
                part = max(self._idf.get(m, 0.0) for m in partial if m in words)
                credit = 0.5 * min(1.0, part / group.weight)
            elif len(group.word) == 1 and group.word in (text if body is None else body):
                # a lone character the passage writes inside a word: 开 in 召开, 批 in 审批
                credit = 0.5
            elif len(group.grams) > 1 and all(g in text for g in group.grams):
                credit = 0.5  # every character pair of a long word: 请假条 in 请假…条
            else:
                continue
            matched += credit * group.weight
            if (credit >= _SYNONYM_CREDIT or headed) and not (
                group.by_characters and len(group.word) == 1
            ):
                # (held by the heading the passage stands under: 六、奖励 over its items is
                # evidence that they answer 有哪些奖)
                evidence = max(evidence, group.weight)
        return matched, evidence

    def _titled(self, groups: Sequence[QueryGroup], positions: Sequence[int]) -> set[int]:
        """Of ``positions``, those whose document title names a question word (in a form
        of it), when some others' titles do not: empty when that tells them not apart."""
        if self._contexts is None:
            return set()
        words = [
            [m for m in g.members[: g.forms] if len(m) > 1]
            for g in groups
            if g.known and len(g.word) > 1
        ]
        titled = {
            i for i in positions if any(m in self._title(i) for forms in words for m in forms)
        }
        return titled if len(titled) < len(positions) else set()

    def _title(self, position: int) -> str:
        if position not in self._titles:
            context = self._contexts[position] if self._contexts is not None else ""
            self._titles[position] = fold(context.split("\n", 1)[0])
        return self._titles[position]

    def _heading(self, position: int) -> str:
        """The innermost heading a passage stands under, folded; "" when only the title."""
        if position not in self._headings:
            lines = self._contexts[position].split("\n") if self._contexts is not None else []
            self._headings[position] = fold(lines[-1]) if len(lines) > 1 else ""
        return self._headings[position]

    def token_set(self, position: int) -> frozenset[str]:
        return self._token_sets[position]


_idf = bm25_idf
# A heading's own number (（二）, 三、, 2.), before the words it names.
_UNIT_MARK = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十0-9]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[0-9]{1,2}[.．、])"
)


@cache  # asked once per question word, not once per passage
def _time_asked(word: str) -> re.Pattern[str] | None:
    """多久, 多长时间: answered by a length of time or how often (3个月, 每年, 定期)."""
    return asks_for_a_figure(word, periodic=True) if word in _HOW_LONG_WORDS else None


_HOW_LONG_WORDS = frozenset({"多久", "多长时间", "多少时间"})


def _states_the_figure(word: str, text: str) -> bool:
    """Whether ``text`` states the figure the question word ``word`` asks (扣几分: 扣10分,
    几点: 9:00)."""
    asked = TIME_OF_DAY if word in HOUR_WORDS else figure_asked(word) or _time_asked(word)
    return asked is not None and bool(asked.search(count_digits(text)))
