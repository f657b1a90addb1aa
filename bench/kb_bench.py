"""Knowledge base benchmark: ingest throughput and query latency on a scaled corpus.

Run: .venv/bin/python bench/kb_bench.py
Targets: ingesting the five seeds (../shared/seeds) in under 5 s; p95 query latency under
50 ms on a corpus of at least 10,000 passages.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.kb.citations import SourcePassage
from bot.kb.ingest import prepare
from bot.kb.qa import Rulebook
from bot.kb.readers import read_file
from bot.kb.service import SAMPLE_RULEBOOK
from bot.kb.tokenize import shared_tokenizer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
TARGET_PASSAGES = 10_000
QUESTIONS = [
    "提案办理的期限是多长时间",
    "请假由谁批准",
    "社情民意信息篇幅多长",
    "读书群的群主由谁担任",
    "今天天气怎么样",
    "全体会议提前几天通知",
    "哪些情况提案不予立案",
    "有事好商量平台解决了多少实际问题",
]


def main() -> None:
    tokenizer = shared_tokenizer()
    tokenizer.tokens("预热")  # jieba's dictionary load is a one-time start-up cost
    files = sorted(SAMPLE_RULEBOOK.glob("*.md"))
    seed_files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if seed_files:
        start = time.perf_counter()
        seeds = [prepare(read_file(f), tokenizer=tokenizer) for f in seed_files]
        took = time.perf_counter() - start
        chars = sum(d.chars for d in seeds)
        print(
            f"seed ingest: {len(seeds)} files, {chars} chars, {took:.2f} s, {chars / took:,.0f} chars/s"
        )
    else:
        print(f"seeds not found at {SEEDS}; seed ingest skipped")
        seeds = []
    docs = [prepare(read_file(f), tokenizer=tokenizer) for f in files] + seeds
    base = [(d, p, t) for d in docs for p, t in zip(d.passages, d.tokens, strict=True)]
    passages: list[SourcePassage] = []
    tokens: list[list[str]] = []
    copy = 0
    while len(passages) < TARGET_PASSAGES:
        copy += 1
        for doc, passage, passage_tokens in base:
            passages.append(
                SourcePassage(
                    id=len(passages),
                    source=f"copy{copy}-{doc.file_name}",
                    title=passage.title,
                    locator=passage.locator,
                    heading_path=passage.heading_path,
                    text=passage.text,
                )
            )
            tokens.append(passage_tokens)
    start = time.perf_counter()
    rulebook = Rulebook(passages=passages, token_lists=tokens, tokenizer=tokenizer)
    build = time.perf_counter() - start
    print(f"index build from stored tokens: {len(passages)} passages in {build * 1000:.0f} ms")
    latencies = []
    for _ in range(25):
        for question in QUESTIONS:
            start = time.perf_counter()
            rulebook.answer(question)
            latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"query latency over {len(latencies)} questions: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
