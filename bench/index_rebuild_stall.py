"""How long the event loop stalls while an index is rebuilt: the similar-proposal index at
4,000 proposals and the rulebook index at 100,000 passages, on SQLite.

A heartbeat task sleeps 10 ms at a time; its worst lateness is the longest stall any member
would have felt. "inline" is the old path (rows read through the session and the index
built on the loop); "off loop" is the rebuild the bot now does (rows read by a worker
thread, the index built there, swapped in, the old one taken apart off the loop). Also: a
burst of 10 rebuild requests in a second, and how many rebuilds it made.

Run: .venv/bin/python bench/index_rebuild_stall.py [--passages 100000] [--proposals 4000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from bot.kb.ingest import prepare
from bot.kb.qa import Rulebook
from bot.kb.readers import read_file
from bot.kb.service import SAMPLE_RULEBOOK, KnowledgeBase
from bot.proposals.proposal_checks import comparison_text
from bot.proposals.similarity_cache import SimilarityCache
from bot.serving import tune_garbage_collector
from storage.db import Database
from storage.kb import KbRepository
from storage.proposals import Proposals
from storage.tables import KbDocument, KbPassage, Member, Proposal
from tests.support.proposal_texts import GOOD_PROPOSAL, PARKING_PROPOSAL


class Heartbeat:
    """A task that wakes every 10 ms and records how late it woke."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _beat(self) -> None:
        while not self._stop.is_set():
            start = time.perf_counter()
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, time.perf_counter() - start - 0.01)

    async def __aenter__(self) -> Heartbeat:
        self._task = asyncio.create_task(self._beat())
        await asyncio.sleep(0.05)
        self.worst = 0.0
        return self

    async def __aexit__(self, *_: object) -> None:
        self._stop.set()
        assert self._task is not None
        await self._task


async def measure(label: str, work: Callable[[], Awaitable[Any]]) -> None:
    async with Heartbeat() as beat:
        start = time.perf_counter()
        await work()
        took = time.perf_counter() - start
    print(f"  {label:<44} {took * 1000:7.0f} ms   longest stall {beat.worst * 1000:6.1f} ms")


async def fill_proposals(db: Database, count: int) -> None:
    rnd = random.Random(7)
    chars = list(comparison_text(GOOD_PROPOSAL) + comparison_text(PARKING_PROPOSAL))
    now = datetime(2026, 3, 2, tzinfo=UTC)
    async with db.session() as session:
        author = Member(name="委员", phone="13900000001", roles="member")
        session.add(author)
        await session.flush()
        for i in range(count):
            rnd.shuffle(chars)
            body = "".join(chars[:900])
            session.add(
                Proposal(
                    year=2023 + i % 4,
                    author_id=author.id or 0,
                    status="submitted",
                    title=f"关于第{i}项工作的提案",
                    situation=body[:600],
                    suggestions=body[600:],
                    submitted_at=now,
                )
            )


async def fill_passages(db: Database, kb: KnowledgeBase, count: int) -> None:
    """The sample rulebook copied until ``count`` passages; a third of each copy's tokens
    made distinct per copy, so the vocabulary grows as a large real rulebook's would."""
    docs = [
        prepare(read_file(f), tokenizer=kb.tokenizer) for f in sorted(SAMPLE_RULEBOOK.glob("*.md"))
    ]
    per_copy = sum(len(d.passages) for d in docs)
    copies = -(-count // per_copy)
    made = 0
    for copy in range(copies):
        async with db.session() as session:
            for doc in docs:
                if made >= count:
                    break
                row = KbDocument(
                    file_name=f"copy{copy}-{doc.file_name}",
                    title=doc.title,
                    content_hash=f"{copy}-{doc.content_hash}"[:64],
                    tokenizer=kb.tokenizer.signature,
                    chars=doc.chars,
                )
                session.add(row)
                await session.flush()
                passages = []
                for passage, tokens in zip(doc.passages, doc.tokens, strict=True):
                    if made >= count:
                        break
                    made += 1
                    varied = [t + str(copy % 50) if i % 3 == 0 else t for i, t in enumerate(tokens)]
                    passages.append(
                        {
                            "document_id": row.id,
                            "ordinal": passage.ordinal,
                            "locator": passage.locator,
                            "heading_path": "\n".join(passage.heading_path),
                            "text": passage.text,
                            "tokens": " ".join(varied),
                        }
                    )
                await session.execute(insert(KbPassage), passages)


async def add_document(kb: KnowledgeBase, n: int) -> None:
    text = f"# 新增规定{n}\n\n第一条 新增规定{n}的内容由秘书处负责解释。\n"
    await kb.ingest_bytes(f"new-{n}.md", text.encode())


async def retired(*indexes: Any) -> None:
    """Until the old indexes have been taken apart (part of the rebuild's cost)."""
    while any(i._retiring for i in indexes):
        await asyncio.sleep(0.05)


async def main(passages: int, proposals: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
        await db.create_all()
        kb = KnowledgeBase(db=db, sample=None)
        kb.tokenizer.tokens("预热")
        print(f"filling: {proposals:,} proposals, {passages:,} passages …")
        await fill_proposals(db, proposals)
        await fill_passages(db, kb, passages)

        print(f"similar-proposal index, {proposals:,} proposals:")

        async def inline_similarity() -> None:
            async with db.session() as session:
                await Proposals(session).similarity_index()

        await measure("inline (before)", inline_similarity)
        cache = SimilarityCache(db)
        async with db.session() as session:
            repo = Proposals(session)
            await measure("first build, off loop", lambda: cache.index(repo))
        tune_garbage_collector()  # as the bot does once started (bot/serving.py)

        async def rebuild_similarity() -> None:
            cache.refresh()
            await cache.settled()
            await retired(cache.background)

        await measure("rebuild after a submission, off loop", rebuild_similarity)

        async def burst() -> None:
            before = cache.builds
            for _ in range(10):
                cache.refresh()
                await asyncio.sleep(0.1)
            await cache.settled()
            await retired(cache.background)
            print(f"  burst of 10 requests in 1 s: {cache.builds - before} rebuilds")

        await measure("burst of 10, off loop", burst)

        print(f"rulebook index, {passages:,} passages:")

        async def inline_rulebook() -> None:
            async with db.session() as session:
                stored = await KbRepository(session).passages()
            Rulebook(passages=stored.passages, token_lists=stored.tokens, tokenizer=kb.tokenizer)

        await measure("inline (before)", inline_rulebook)
        await measure("first build, off loop", kb.rulebook)
        await add_document(kb, 1)

        async def rebuild_rulebook() -> None:
            await kb.rulebook()  # sees the new revision: starts the rebuild, answers at once
            await kb._index.settled()
            await retired(kb._index)

        await measure("rebuild after an ingest, off loop", rebuild_rulebook)
        found = (await kb.ask("新增规定1的内容由谁负责解释")).citations[0].source
        print(f"  after the rebuild the new document is found: {found}")
        await db.dispose()
    print("(2 cores shared with other work: figures are noisy, stalls include scheduling delays)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--proposals", type=int, default=4_000)
    args = parser.parse_args()
    asyncio.run(main(args.passages, args.proposals))
