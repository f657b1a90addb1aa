"""What a question asks, as the index sees it: its words grouped with their forms.

Each question word becomes a ``QueryGroup``: the word, the synonyms of
``config/kb_synonyms.txt``, the dictionary sub-words jieba found inside it, weighted by
its rarest form in the passages. A word no passage holds is tried, in order, as the words
it is made of (履职积分: 履职 + 积分), through 同义词词林 (薪水: 工资), and by its
characters; a word typed by sound (提按, 积份) is replaced by the passages' word that
sounds the same. What nothing rescues weighs what the rarest word weighs: it may be the
very thing asked about (工资, 天气) that the rulebook does not cover.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.kb.homophones import Homophones
from bot.kb.thesaurus import thesaurus
from bot.kb.tokenize import (
    ASKING_VERBS,
    RULES_TERMS_ADDED,
    SITUATION_WORDS,
    STOPWORDS,
    Tokenizer,
    char_grams,
)

__all__ = ["QueryGroup", "QueryWords", "bm25_idf"]


@dataclass(frozen=True, slots=True)
class QueryGroup:
    """A question word, the words meaning the same, its weight and character pairs."""

    word: str
    members: tuple[str, ...]  # the word, its synonyms, then its sub-words (partial)
    weight: float
    known: bool
    grams: tuple[str, ...]
    forms: int = 1  # how many of ``members`` are the word or its synonyms
    # Known not as a word but as characters the rulebook uses: a word jieba split
    # differently (请假条), or a character jieba left alone (开, 算).
    by_characters: bool = False
    # Known as the rulebook words it is made of (履职积分: 履职 + 积分), never whole.
    by_parts: tuple[str, ...] = ()
    # Known only through the thesaurus: a looser match, never evidence alone.
    related: tuple[str, ...] = ()
    # A known word the rulebook may also write apart (电话请假: 以电话形式…请假): its words.
    spelled: tuple[str, ...] = ()


# Measure words left alone once 哪 / 几 is dropped (哪种, 几类, 啥样): they ask the
# kind of answer, they name nothing a passage must hold.
MEASURE_WORDS = frozenset({"种", "类", "样", "个", "回", "些"})
# A count and its measure word the rulebook never writes (一款, 两家, 几条): no thing.
_QUANTITY = re.compile(r"[一二两三四五六七八九十几0-9]+[款个件条项家位名种本张份次篇句点些类]")
# A measure word jieba glued to the word it counts or the verb before it (篇文章, 写篇,
# 份材料): it names nothing.
_MEASURE_GLUE = frozenset("篇份张件项本位名套")
# 几点 asks the hour (answered by 9:00): no count told in passing.
HOUR_WORDS = frozenset({"几点", "几点钟"})
# What a paper form's name ends in: 条 (请假条), 单 (登记单), 表 (报名表), 版 (电子版), 稿 (发言稿).
_FORM_SUFFIXES = frozenset("条单表版稿")


class QueryWords:
    """Question analysis over an index's vocabulary (mixed into ``PassageIndex``)."""

    tokenizer: Tokenizer
    _idf: dict[str, float]
    _unknown_idf: float
    _raw: list[str] | None
    _text_idf: dict[str, float]
    _homophones: Homophones | None

    def groups(self, tokens: Sequence[str]) -> list[QueryGroup]:
        """Each question word with its sub-words and synonyms, weighted by its rarest form.

        ``Tokenizer.tokens`` puts a long word's dictionary sub-words just before it
        (养老 老金 养老金): they are forms of that word, not words of their own. A word no
        passage holds and that nothing rescues weighs what a rare word weighs: it may be
        the very thing asked about (工资, 天气) that the rulebook does not cover."""
        heads: list[tuple[str, list[str]]] = []
        for token in reversed(list(tokens)):
            if heads and token != heads[-1][0] and token in heads[-1][0]:
                heads[-1][1].append(token)
            else:
                heads.append((token, []))
        heads = self._typed_by_sound(heads)
        out: list[QueryGroup] = []
        seen: set[str] = set()
        for head, parts in reversed(heads):
            if head in seen or head in MEASURE_WORDS or head == "请":
                continue  # (a 请 kept for a slip by sound (请架) that was none: 请帮我)
            if (
                head in SITUATION_WORDS or head in ASKING_VERBS or head in RULES_TERMS_ADDED
            ) and head not in self._idf:
                continue
            forms = tuple(dict.fromkeys((head, *self.tokenizer.synonyms.get(head, ()))))
            partial: tuple[str, ...] = ()
            for part in reversed(parts):
                partial += (part, *self.tokenizer.synonyms.get(part, ()))
            members = tuple(dict.fromkeys((*forms, *partial)))
            seen.update(forms)
            # Known only through the word or its synonyms: 人大代表 is not known for 代表.
            known = [self._idf[m] for m in forms if m in self._idf]
            grams = tuple(dict.fromkeys(char_grams(head))) if len(head) > 1 else ()
            by_characters = False
            by_parts: tuple[str, ...] = ()
            related: tuple[str, ...] = ()
            if not known:
                by_parts = self._made_of(head, parts)
                known = [self._idf[p] for p in by_parts]
            if not known and _QUANTITY.fullmatch(head) and head not in HOUR_WORDS:
                continue  # 一款产品, 两家: how many, told in passing; the thing is asked
            if not known:
                glued = self._unglued(head)
                if glued == ():
                    continue  # only function words glued together (不能自己)
                if glued:
                    by_parts, known = glued, [self._idf[p] for p in glued]
            if not known:
                # 推销产品: a verb the rulebook does not use and the thing it does name;
                # the thing is what is asked about
                by_parts = self._verb_and_object(head, parts)
                known = [self._idf[p] for p in by_parts]
            if not known:
                # A word the rulebook never uses may have a synonym it does (薪水: 工资).
                related = tuple(w for w in thesaurus().get(head, ()) if w in self._idf)
                if related:
                    members = tuple(dict.fromkeys((*members, *related)))
                    known = [self._idf[w] for w in related]
            if not known:
                known = self._character_weight(head, grams)
                by_characters = bool(known)
            if not known and head in self.tokenizer.synonyms:
                # A phrase of config/kb_synonyms.txt this rulebook holds in no form stands
                # for the rulebook word it ends with, its head (当委员: 委员), as if it were
                # not listed; 委员证 is about a 证 the rulebook may not cover.
                ends = sorted((p for p in parts if p in self._idf and head.endswith(p)), key=len)
                by_parts = tuple(ends[-1:])
                known = [self._idf[p] for p in by_parts]
            if not known and head in self.tokenizer.synonyms:
                # ... or for the words a listed synonym is written in, when the rulebook
                # holds them (请假条: 书面请假报告 -> 书面 请假 报告).
                by_parts = self._spelled_by_synonym(head)
                known = [self._idf[p] for p in by_parts]
                members = tuple(dict.fromkeys((*members, *by_parts)))
            if not known and head[-1:] in _FORM_SUFFIXES and head[:-1] in self._idf:
                # A form named after what it is for is about that (请假条, 报名表: 请假, 报名)
                # where the rulebook never names the form itself.
                by_parts = (head[:-1],)
                known = [self._idf[head[:-1]]]
                members = tuple(dict.fromkeys((*members, *by_parts)))
            out.append(
                QueryGroup(
                    word=head,
                    members=members,
                    weight=max(known) if known else self._unknown_idf,
                    known=bool(known),
                    grams=grams,
                    forms=len(forms),
                    by_characters=by_characters,
                    by_parts=by_parts,
                    related=related,
                    spelled=self._spelled_apart(head, parts) if known and not by_parts else (),
                )
            )
        return out

    def _typed_by_sound(self, heads: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
        """Words (given last first) the passages never hold but hold one sounding the
        same, replaced by it: 积份 -> 积分, and lone characters 提 按 -> 提案 (jieba leaves a
        mistyped word in pieces)."""
        lone = [len(h) == 1 for h, _ in heads]
        if all(self._holds(h) for h, _ in heads) and not any(a and b for a, b in pairwise(lone)):
            return heads
        homophones = self._sounds()
        ordered = list(reversed(heads))
        out: list[tuple[str, list[str]]] = []
        i = 0
        while i < len(ordered):
            head, parts = ordered[i]
            run = 0
            while i + run < len(ordered) and len(ordered[i + run][0]) == 1 and run < 4:
                run += 1
            found = None
            for size in range(run, 1, -1):  # the longest run of lone characters first
                pair = "".join(h for h, _ in ordered[i : i + size])
                found = None if self._real(pair) else homophones.find(pair)
                if found:
                    out.append((found, []))
                    i += size
                    break
            if found:
                continue
            if not self._real(head):
                found = homophones.find(head)
            out.append((found, []) if found else (head, parts))
            i += 1
        return list(reversed(out))

    def warm(self) -> None:
        """Makes now what the first question would otherwise wait for."""
        self._sounds()

    def homophone(self, word: str) -> str | None:
        """The passages' word that sounds like ``word`` (a real word, not just a typo)."""
        return self._sounds().find(word)

    def respell(self, question: str) -> str:
        """The question with each stretch that is no word but sounds like one of the
        passages' words (请架, 常为会) written as that word; jieba would cut such a stretch
        at a stop word (为) before any word-level repair could see it."""
        homophones = self._sounds()
        # A respelled stretch starts and ends where jieba's words do: 会一 of 会/一年 is no
        # stretch of its own.
        bounds = {0}
        for word in self.tokenizer.segment_all(question):
            bounds.add(max(bounds) + len(word))
        out: list[str] = []
        i = 0
        while i < len(question):
            for size in (4, 3, 2):
                piece = question[i : i + size]
                if len(piece) < size or not all("\u3400" <= c <= "\u9fff" for c in piece):
                    continue
                if i not in bounds or i + size not in bounds:
                    continue
                if self._real(piece):
                    continue  # a word: meant as typed
                found = homophones.find(piece)
                if found and len(found) == size:
                    out.append(found)
                    i += size
                    break
            else:
                out.append(question[i])
                i += 1
        return "".join(out)

    def _sounds(self) -> Homophones:
        """The passages' words by sound, made when a question first needs them."""
        if self._homophones is None:
            self._homophones = Homophones(self._spellings())
        return self._homophones

    def _spellings(self) -> list[tuple[str, float]]:
        """The words a question may have meant: the passages' own, and the synonyms of
        config/kb_synonyms.txt for them (常委会 where the text says 常务委员会)."""
        words = list(self._idf.items())
        for word, synonyms in self.tokenizer.synonyms.items():
            held = [self._idf[s] for s in synonyms if s in self._idf]
            if word not in self._idf and held:
                words.append((word, min(held)))
        return words

    def _real(self, word: str) -> bool:
        """A word meant as typed: the passages hold it, or the dictionary knows it (一句 is
        not a typo of 依据)."""
        return self._holds(word) or self.tokenizer.is_word(word)

    def knows(self, word: str) -> bool:
        """Some passage holds ``word`` as a word."""
        return word in self._idf

    def _holds(self, word: str) -> bool:
        """Some passage holds the word or one of its synonyms, as a word."""
        return self._as_written(word) is not None

    def _as_written(self, word: str) -> str | None:
        """``word`` as the passages write it: itself, or the first synonym they hold
        (公司 of 自己公司 as 单位)."""
        if word in self._idf:
            return word
        return next((s for s in self.tokenizer.synonyms.get(word, ()) if s in self._idf), None)

    def _verb_and_object(self, word: str, parts: Sequence[str]) -> tuple[str, ...]:
        """The rulebook noun ``word`` ends with after a verb (推销产品: 产品), else nothing."""
        ends = sorted(
            (p for p in parts if 1 < len(p) < len(word) and word.endswith(p) and p in self._idf),
            key=len,
        )
        if not ends or not self.tokenizer.is_verb(word[: -len(ends[-1])]):
            return ()
        return (ends[-1],)

    def _spelled_apart(self, word: str, parts: Sequence[str]) -> tuple[str, ...]:
        """The words of two characters or more that spell a long phrase ``word`` end to end."""
        if len(word) < 4 or self.tokenizer.is_noun(word):
            return ()  # a name (人大代表) is not its words apart (人大…代表)
        words = self._made_of(word, [p for p in parts if len(p) > 1])
        return words if all(len(w) > 1 for w in words) else ()

    def _made_of(self, word: str, parts: Sequence[str]) -> tuple[str, ...]:
        """Known words that together spell ``word`` end to end, else nothing."""
        known = sorted((p for p in set(parts) if p in self._idf), key=len, reverse=True)
        chosen: list[str] = []
        at = 0
        while at < len(word):
            step = next((p for p in known if word.startswith(p, at)), None)
            if step is None:
                return ()
            chosen.append(step)
            at += len(step)
        return tuple(chosen) if len(chosen) > 1 else ()

    def _spelled_by_synonym(self, word: str) -> tuple[str, ...]:
        """The rulebook words that spell most of one of ``word``'s listed synonyms."""
        best: tuple[str, ...] = ()
        best_share = 0.5
        for form in self.tokenizer.synonyms.get(word, ()):
            if len(form) < 3:
                continue
            held = tuple(
                dict.fromkeys(
                    w for w in self.tokenizer.tokens(form) if w in self._idf and len(w) > 1
                )
            )
            covered = {i for w in held for at in _find_all(form, w) for i in range(at, at + len(w))}
            # Chinese compounds end in what they name: 政协委员证 is a 证, whatever 委员 says.
            if len(form) - 1 not in covered:
                continue
            share = len(covered) / len(form)
            if share > best_share:
                best, best_share = held, share
        return best

    def _unglued(self, word: str) -> tuple[str, ...] | None:
        """A word jieba glued from a function word and rulebook words (天内能: 天 内 能,
        写个: 写 个): the rulebook words it holds, () when it holds none, None when ``word``
        is no such glue."""
        n = len(word)
        if n < 2 or n > 6:
            return None
        # best[i]: fewest pieces spelling word[:i], with whether a function word is among them
        best: list[tuple[int, bool, tuple[str, ...]] | None] = [None] * (n + 1)
        best[0] = (0, False, ())
        for i in range(n):
            if best[i] is None:
                continue
            count, glue, held = best[i]  # type: ignore[misc]
            for j in range(i + 1, min(n, i + 4) + 1):
                piece = word[i:j]
                if piece in STOPWORDS or (piece in _MEASURE_GLUE and (i == 0 or j == n)):
                    cand = (count + 1, True, held)
                elif piece != word and (spelled := self._as_written(piece)):
                    cand = (count + 1, glue, (*held, spelled))
                else:
                    continue
                old = best[j]
                if old is None or cand[0] < old[0]:
                    best[j] = cand
        end = best[n]
        if end is None:
            return self._asking_glued(word)
        if not end[1]:
            return None
        return end[2]

    def _asking_glued(self, word: str) -> tuple[str, ...] | None:
        """啥时候开始 (a phrase of config/kb_synonyms.txt jieba keeps whole): the asking
        words and a verb the rulebook does not use, which name nothing; None otherwise."""
        for cut in range(len(word) - 1, 1, -1):
            head, rest = word[:cut], word[cut:]
            if head in STOPWORDS and len(rest) > 1:
                tokenizer = self.tokenizer
                if tokenizer.is_word(rest) and not tokenizer.is_noun(rest):
                    return ()
                return None
        return None

    def _character_weight(self, word: str, grams: tuple[str, ...]) -> list[float]:
        """The weight of a word no passage holds as a word but the text holds as
        characters: its rarest character pair (or the character itself)."""
        if self._raw is None:
            return []
        if len(word) == 1:
            if not "\u3400" <= word <= "\u9fff":
                return []
            grams = (word,)
        if not grams:
            return []
        weights = [self._text_weight(g) for g in grams]
        known = [w for w in weights if w is not None]
        return [max(known)] if len(known) == len(weights) else []

    def _text_weight(self, piece: str) -> float | None:
        """IDF of a character pair or character by the passages' text, None if none has it.
        Counted on demand: a question has a handful, an index has thousands of passages."""
        if piece not in self._text_idf:
            assert self._raw is not None
            df = sum(piece in t for t in self._raw)
            self._text_idf[piece] = bm25_idf(len(self._raw), df) if df else -1.0
        weight = self._text_idf[piece]
        return None if weight < 0 else weight

    def _groups(self, tokens: Sequence[str]) -> list[tuple[tuple[str, ...], float]]:
        return [(g.members, g.weight) for g in self.groups(tokens)]

    def query_weight(self, tokens: Sequence[str]) -> dict[str, float]:
        return self.group_weights(self.groups(tokens))

    @staticmethod
    def group_weights(groups: Sequence[QueryGroup]) -> WordWeights:
        """What finding each word is worth: a word or its synonym all of its group's
        weight, a part of it (州市 of 郑州市) half, so one word is not counted thrice."""
        weights = WordWeights()
        for n, g in enumerate(groups):
            for i, m in enumerate(g.members):
                if m not in weights:
                    weights[m] = g.weight if i < g.forms else g.weight / 2
                    weights.group[m] = n
        return weights


class WordWeights(dict[str, float]):
    """Question words and forms with their weights; ``group`` tells which question word
    each stands for, so that a text holding two forms of one word counts it once."""

    def __init__(self) -> None:
        super().__init__()
        self.group: dict[str, int] = {}


def _find_all(text: str, word: str) -> list[int]:
    return [i for i in range(len(text) - len(word) + 1) if text.startswith(word, i)]


def bm25_idf(n: int, df: int) -> float:
    # Lucene's BM25 IDF, the same bm25s uses by default.
    return math.log(1 + (n - df + 0.5) / (df + 0.5))
