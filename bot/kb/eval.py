"""Evaluation of retrieval and refusal over a JSONL file.

Each line: ``{"question": ..., "source": "<file>.md" | null, "expect": ["fragment", ...]}``.
``source`` null means the question is out of scope and must be refused. A retrieved
passage is a hit when it comes from ``source`` and contains at least one expected fragment
(any passage of ``source`` when ``expect`` is empty). Reported: hit@1, hit@3 and MRR over
in-scope questions, refusal accuracy over out-of-scope ones, and answer accuracy (found
for in-scope, refused for out-of-scope) over all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.kb.normalize import fingerprint

__all__ = ["EvalItem", "EvalReport", "evaluate", "load_items"]


@dataclass(frozen=True, slots=True)
class EvalItem:
    question: str
    source: str | None
    expect: tuple[str, ...] = ()

    @property
    def in_scope(self) -> bool:
        return self.source is not None


@dataclass(slots=True)
class EvalReport:
    in_scope: int = 0
    out_of_scope: int = 0
    hits_at_1: int = 0
    hits_at_3: int = 0
    reciprocal_ranks: float = 0.0
    found_in_scope: int = 0
    refused_out_of_scope: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def hit_at_1(self) -> float:
        return self.hits_at_1 / self.in_scope if self.in_scope else 0.0

    @property
    def hit_at_3(self) -> float:
        return self.hits_at_3 / self.in_scope if self.in_scope else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.in_scope if self.in_scope else 0.0

    @property
    def refusal_accuracy(self) -> float:
        return self.refused_out_of_scope / self.out_of_scope if self.out_of_scope else 1.0

    @property
    def answer_rate(self) -> float:
        return self.found_in_scope / self.in_scope if self.in_scope else 1.0

    def figures(self) -> dict[str, float | int]:
        return {
            "questions": self.in_scope + self.out_of_scope,
            "in_scope": self.in_scope,
            "out_of_scope": self.out_of_scope,
            "hit@1": round(self.hit_at_1, 3),
            "hit@3": round(self.hit_at_3, 3),
            "mrr": round(self.mrr, 3),
            "refusal_accuracy": round(self.refusal_accuracy, 3),
            "answer_rate": round(self.answer_rate, 3),
        }


def load_items(path: str | Path) -> list[EvalItem]:
    items: list[EvalItem] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(line)
            items.append(
                EvalItem(
                    question=str(data["question"]),
                    source=data.get("source"),
                    expect=tuple(str(x) for x in data.get("expect", ())),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not an evaluation item ({exc})") from exc
    return items


def _is_hit(item: EvalItem, source: str, text: str) -> bool:
    if source != item.source:
        return False
    if not item.expect:
        return True
    body = fingerprint(text)
    return any(fingerprint(fragment) in body for fragment in item.expect)


# ask(question) -> (ranked (source, text) pairs, found)
Asker = Callable[[str], tuple[Sequence[tuple[str, str]], bool]]


def evaluate(items: Iterable[EvalItem], ask: Asker) -> EvalReport:
    report = EvalReport()
    for item in items:
        ranked, found = ask(item.question)
        if not item.in_scope:
            report.out_of_scope += 1
            if not found:
                report.refused_out_of_scope += 1
            else:
                report.misses.append(f"answered out-of-scope: {item.question}")
            continue
        report.in_scope += 1
        if found:
            report.found_in_scope += 1
        rank = next(
            (i for i, (source, text) in enumerate(ranked, start=1) if _is_hit(item, source, text)),
            None,
        )
        if rank is None:
            report.misses.append(f"not retrieved: {item.question}")
            continue
        report.hits_at_1 += rank == 1
        report.hits_at_3 += rank <= 3
        report.reciprocal_ranks += 1 / rank
        if not found:
            report.misses.append(f"refused in-scope: {item.question}")
    return report
