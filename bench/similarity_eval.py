"""Precision and recall of the similar-proposal hint on written pairs, at the production
threshold (``[proposal].similarity_threshold`` in config/proposals.toml).

bench/similarity_eval/pairs.jsonl holds pairs of drafts written for this purpose: near
duplicates phrased differently (label 1), and unrelated or same-field-but-different-matter
"near misses" (label 0, e.g. 养老服务 vs 养老保险), split into ``tune`` and ``heldout``.
Weights, frame words and synonyms were chosen on ``tune`` only; ``heldout`` is reported.
bench/similarity_eval/dev_pairs.jsonl (``dev``) holds 120 more pairs written blind for
development (formal drafts against anecdotes, the problem against the remedy); the threshold
is chosen on ``tune`` and ``dev`` together.
bench/similarity_eval/blind_pairs.jsonl (``blind``) is a further held-out set of 101 pairs
written by a session that never saw the code or the other pairs, many of them sharing
little vocabulary beyond the matter (加装电梯 / 增设升降梯); it is only ever reported.
Every draft of the file is in one index, as a term's proposals would be, and each pair
is scored as the preview scores a draft against a submitted proposal.

Run: python bench/similarity_eval.py [--threshold T] [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.proposals.config import rules
from bot.proposals.proposal_checks import ProposalText, comparison_text
from bot.proposals.similarity import SimilarityIndex

PAIRS = Path(__file__).resolve().parent / "similarity_eval" / "pairs.jsonl"
BLIND = PAIRS.with_name("blind_pairs.jsonl")
DEV = PAIRS.with_name("dev_pairs.jsonl")


@dataclass(frozen=True, slots=True)
class Scored:
    id: str
    split: str
    kind: str
    label: int
    score: float
    a: str
    b: str


def load(path: Path = PAIRS) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score_pairs(pairs: list[dict[str, object]]) -> list[Scored]:
    docs: dict[tuple[str, str], int] = {}
    for pair in pairs:
        for side in ("a", "b"):
            d = pair[side]
            assert isinstance(d, dict)
            docs.setdefault((d["title"], d["body"]), len(docs))

    def text(d: tuple[str, str]) -> str:
        return comparison_text(ProposalText(title=d[0], situation=d[1]))

    index = SimilarityIndex((ref, d[0], text(d)) for d, ref in docs.items())
    out = []
    for pair in pairs:
        a, b = pair["a"], pair["b"]
        assert isinstance(a, dict) and isinstance(b, dict)
        ka, kb = (a["title"], a["body"]), (b["title"], b["body"])
        found = index.query(text(ka), threshold=-1.0, top=len(docs), exclude=docs[ka])
        score = next(m.score for m in found if m.ref == docs[kb])
        out.append(
            Scored(
                id=str(pair["id"]),
                split=str(pair["split"]),
                kind=str(pair["kind"]),
                label=int(str(pair["label"])),
                score=score,
                a=ka[0],
                b=kb[0],
            )
        )
    return out


def precision_recall(scored: list[Scored], threshold: float) -> tuple[float, float, int]:
    """(precision, recall, pairs) of "similar" = score at or above the threshold."""
    hits = [s for s in scored if s.score >= threshold]
    true = sum(s.label for s in hits)
    relevant = sum(s.label for s in scored)
    precision = true / len(hits) if hits else 1.0
    recall = true / relevant if relevant else 1.0
    return precision, recall, len(scored)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=rules().proposal.similarity_threshold)
    parser.add_argument("--show", action="store_true", help="every pair with its score")
    args = parser.parse_args()
    scored = score_pairs(load())
    blind = [replace(s, split="blind") for s in score_pairs(load(BLIND))]
    dev = [replace(s, split="dev") for s in score_pairs(load(DEV))]
    print(f"threshold {args.threshold:.2f} (production: config/proposals.toml)")
    for split in ("tune", "dev", "heldout", "blind"):
        part = [s for s in scored + dev + blind if s.split == split]
        p, r, n = precision_recall(part, args.threshold)
        print(f"{split:8s} pairs {n:3d}  precision {p:.2f}  recall {r:.2f}")
        for kind in ("paraphrase", "near_miss", "unrelated"):
            sub = [s.score for s in part if s.kind == kind]
            if sub:
                print(f"    {kind:10s} n={len(sub):2d} min {min(sub):.2f} max {max(sub):.2f}")
    if args.show:
        for s in sorted(scored, key=lambda s: (s.split, s.kind, s.score)):
            mark = "ok " if (s.score >= args.threshold) == bool(s.label) else "ERR"
            print(f"{mark} {s.split:7s} {s.kind:10s} {s.score:.3f}  {s.a} | {s.b}")


if __name__ == "__main__":
    main()
