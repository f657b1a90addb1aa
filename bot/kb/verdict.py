"""Whether to answer: a learned second opinion on the refusal checks.

The checks (coverage, evidence, unknown things, figures in the unit asked) refuse a
question when the best passage holds too little of it. They cannot tell a member's
paraphrase (一年到会还不到一半 会怎么样) from a near miss sharing a rule's words
(常委会一年开几次): both hold the same share of the question. How members word the two
differs in ways a lexicon does not list (叫啥, 几号, 共有…; 咋办, 几回, 啥时…), so a
logistic regression over the retrieval's figures and the question's characters and
character pairs (each read apart as the best passage holds it or not: a pair naming a thing
the rules speak of is no sign of a near miss), fitted on the development question sets
(``bench/kb_verdict.py``, never on held-out ones), gives a second opinion:

- an answer the checks let through is refused when the model finds it unlikely, unless the
  question names an article or the best passage holds most of it (``KEEP_ABOVE``);
- a question the checks refused is answered, from what the same search finds with the
  coverage and evidence bars lowered, when the model finds it likely. The checks that
  judge what was found against what is asked (a figure no cited rule states, a phone number
  the best passage does not print, a word held only inside another, another office's room
  …) are then weighed rather than obeyed: the model is told which refused (``overruled:…``)
  and learns how often each is right. The rest (today's or this year's facts, a document
  number none prints, another committee's rules, a figure's other bound, a lead time not
  the act's, who takes part) still refuse.

Without ``config/kb_verdict.json`` (or with the setting ``kb_verdict`` off) the checks
decide alone.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from bot.catalogue import CONFIG_DIR
from bot.kb.citations import SourcePassage
from bot.kb.index import Hit
from bot.kb.learned import load_learned
from bot.kb.query import QueryGroup

__all__ = [
    "KEEP_ABOVE",
    "MIN_PASSAGES",
    "VERDICT_FILE",
    "VerdictModel",
    "answers",
    "features",
    "verdict_model",
]


VERDICT_FILE = CONFIG_DIR / "kb_verdict.json"
# The share of the question's word weight the best passage holds above which the checks'
# answer stands (development cross-validation: 0.2 points of refusal, none of hit@3).
KEEP_ABOVE = 0.7
# The model was fitted on rulebooks of 60 to 197 passages; over a handful of passages the
# figures it reads (coverage, evidence, relevance) mean something else, and the checks
# decide alone.
MIN_PASSAGES = 40


def features(
    question: str,
    *,
    found: bool,
    relaxed_found: bool,
    hits: Sequence[Hit[SourcePassage]],
    groups: Sequence[QueryGroup],
    places: Sequence[str] = (),
    overruled: Sequence[str] = (),
) -> dict[str, float]:
    """What the model reads: the checks' verdict, how well the best passages hold the
    question, and the question's characters and character pairs (how it is worded).

    Whose rules are meant (威海市政协, 县政协, 省政协…) is the checks' to judge: it is
    left out of the wording, else a place would weigh as a way of asking."""
    question = _whose(places).sub(" ", question)
    best = hits[0] if hits else None
    second = hits[1] if len(hits) > 1 else None
    text = best.entry.text if best else ""
    total = sum(g.weight for g in groups) or 1.0
    heaviest = max((g.weight for g in groups), default=1.0) or 1.0
    unheld = [g for g in groups if not _held(g, text)]
    score = best.score if best else 0.0
    out = {
        "found": float(found),
        "relaxed_found": float(relaxed_found),
        "coverage": best.coverage if best else 0.0,
        # (above 1 only where the best passage holds a word rarer than any asked: a few
        # passages' odd IDF, nothing more telling)
        "evidence": min(1.0, best.evidence) if best else 0.0,
        "score": math.log1p(score),
        "relevance": best.relevance if best else 0.0,
        "margin": math.log1p(max(0.0, score - (second.score if second else 0.0))),
        "second_coverage": second.coverage if second else 0.0,
        "unheld_share": sum(g.weight for g in unheld) / total,
        "unknown_share": sum(g.weight for g in groups if not g.known) / total,
        "unknown_words": float(sum(not g.known for g in groups)),
        "words": len(groups) / 10,
        "heaviest_unheld": max((g.weight for g in unheld), default=0.0) / heaviest,
        # how much likelier the best passage's words make the question than the rulebook's
        # (a paraphrase is said by its article's words; a near miss only shares some)
        "said": best.said if best else 0.0,
        "said_margin": (best.said - second.said) if best and second else 0.0,
    }
    for check in overruled:
        out["overruled:" + check] = 1.0
    # A character or pair the best passage holds is read apart from one it lacks: 组长
    # asked of a rule on 组长 is no near miss, though most questions naming 组长 were
    for character in question:
        if not character.isspace():
            out[("cb:" if character in text else "c:") + character] = 1.0
    for a, b in pairwise(question):
        if not (a.isspace() or b.isspace()):
            out[("pb:" if a + b in text else "p:") + a + b] = 1.0
    return out


def answers(
    model: VerdictModel,
    feats: Mapping[str, float],
    *,
    found: bool,
    relaxed_found: bool,
    named: bool,
) -> bool:
    """Whether the question is answered, given the checks' verdict and the model's.

    The checks' answer stands when the question names an article (第12条) or the best
    passage holds most of the question: the model second-guesses the band where a
    paraphrase and a near miss look alike, not a question the rules spell out."""
    if found and (named or feats["coverage"] >= KEEP_ABOVE):
        return True
    if not found and not relaxed_found:
        return False
    return model.answers(feats)


_LEVELS = r"(?:全国|[省市县区州盟旗])(?:政协|级)|本[县市区州]|咱们?[县市区州]|我们?[县市区州]"


def _whose(places: Sequence[str]) -> re.Pattern[str]:
    named = sorted((p for p in places if p), key=len, reverse=True)
    return re.compile("|".join([*map(re.escape, named), _LEVELS]))


def _held(group: QueryGroup, text: str) -> bool:
    return any(m in text for m in group.members) or bool(
        group.by_parts and all(p in text for p in group.by_parts)
    )


@dataclass(frozen=True, slots=True)
class VerdictModel:
    weights: Mapping[str, float]
    bias: float
    threshold: float

    def probability(self, feats: Mapping[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def answers(self, feats: Mapping[str, float]) -> bool:
        return self.probability(feats) > self.threshold

    @classmethod
    def load(cls, path: Path) -> VerdictModel | None:
        def build(data: Any) -> VerdictModel:
            return cls(
                weights={str(k): float(v) for k, v in data["weights"].items()},
                bias=float(data["bias"]),
                threshold=float(data["threshold"]),
            )

        return load_learned(path, build, what="answer model", without="the checks decide alone")

    def dump(self, path: Path, **about: object) -> None:
        data = {
            **about,
            "bias": round(self.bias, 5),
            "threshold": self.threshold,
            "weights": {k: round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-4},
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


@cache
def verdict_model() -> VerdictModel | None:
    """The shipped model, read once per process; None when it cannot be read."""
    return VerdictModel.load(VERDICT_FILE)
