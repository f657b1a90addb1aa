"""Extractive answers: the best passage trimmed to the sentences that answer, with citations.

Whether anything was found is decided by ``AnswerPolicy`` on the hits' coverage (see
index.py), calibrated on the evaluation sets in bench/kb_eval/: a question whose
informative words are mostly absent from every passage is refused, however the BM25
scores fall. Only hits that pass are cited, so a refusal cites nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.catalogue import catalogue
from bot.kb.citations import Answer, Citation, SourcePassage
from bot.kb.index import Hit
from bot.kb.tokenize import Tokenizer

__all__ = ["AnswerPolicy", "best_quote", "extractive_answer", "not_found", "select_hits"]

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_QUOTE_MAX = 240
_WHOLE_PASSAGE = 120


@dataclass(frozen=True, slots=True)
class AnswerPolicy:
    # Calibrated on bench/kb_eval (see README): in-scope questions sit well above,
    # out-of-scope ones below.
    min_coverage: float = 0.34
    # Further citations must score this share of the best one: no "always three".
    related_share: float = 0.7
    max_citations: int = 3


def select_hits(
    hits: Sequence[Hit[SourcePassage]], policy: AnswerPolicy
) -> list[Hit[SourcePassage]]:
    """Hits worth citing, best first; empty when nothing relevant was found."""
    passing = [h for h in hits if h.coverage >= policy.min_coverage]
    if not passing:
        return []
    top = passing[0].score
    chosen = [h for h in passing if h.score >= top * policy.related_share]
    return chosen[: policy.max_citations]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def best_quote(text: str, *, weights: Mapping[str, float], tokenizer: Tokenizer) -> str:
    """The sentence (with its list, if it introduces one) that carries most of the question."""
    if len(text) <= _WHOLE_PASSAGE:
        return text.strip()
    sentences = _sentences(text)
    if not sentences:
        return text[:_QUOTE_MAX]
    scored = []
    for i, sentence in enumerate(sentences):
        tokens = set(tokenizer.tokens(sentence))
        scored.append((sum(w for t, w in weights.items() if t in tokens), -i))
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
    return quote


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
    best = chosen[0].entry
    quote = best_quote(best.text, weights=weights, tokenizer=tokenizer)
    citations = tuple(Citation.of(h.entry, h.score) for h in chosen)
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
