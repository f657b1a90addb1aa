"""How long the duplicate hint and the checks take on a term's worth of proposals, and what
a preview costs with the index rebuilt each time versus the per-process cache.

Run: python bench/proposal_similarity.py
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.similarity_eval import load
from bot.proposals.proposal_checks import ProposalText, check_proposal, comparison_text
from bot.proposals.similarity import SimilarityIndex
from bot.proposals.similarity_cache import SimilarityCache
from storage.db import Database
from storage.proposals import Proposals
from storage.tables import Member, Proposal
from tests.support.proposal_texts import GOOD_PROPOSAL, PARKING_PROPOSAL

TERM = 4000  # about five years of a municipal committee's proposals


def texts() -> list[str]:
    """Proposal-like bodies of about 900 characters: sentences of real drafting, reshuffled
    (segmenting costs what it costs on real Chinese, not on shuffled characters)."""
    rnd = random.Random(7)
    sentences = [
        s + "。"
        for part in (
            GOOD_PROPOSAL.situation,
            GOOD_PROPOSAL.suggestions,
            PARKING_PROPOSAL.situation,
            PARKING_PROPOSAL.suggestions,
            *(p[side]["body"] for p in load() for side in ("a", "b")),
        )
        for s in part.split("。")
        if s.strip()
    ]
    out = []
    for _ in range(TERM):
        body = ""
        while len(body) < 900:
            body += rnd.choice(sentences)
        out.append(body[:900])
    return out


def in_memory(bodies: list[str]) -> None:
    docs = [
        (
            i,
            f"#{i}",
            comparison_text(
                ProposalText(title=f"关于第{i}项工作的提案", situation=b[:600], suggestions=b[600:])
            ),
        )
        for i, b in enumerate(bodies)
    ]
    t0 = time.perf_counter()
    index = SimilarityIndex(docs)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = SimilarityIndex([*docs, (TERM, "new", comparison_text(GOOD_PROPOSAL))], previous=index)
    rebuilt = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(20):
        check_proposal(GOOD_PROPOSAL, similar=again)
    per_check = (time.perf_counter() - t0) / 20
    print(f"index of {len(index)} proposals built in {built * 1000:.0f} ms (cold: all segmented)")
    print(f"rebuilt after one more submission in {rebuilt * 1000:.0f} ms (analyses reused)")
    print(f"check_proposal with similarity over {len(again)}: {per_check * 1000:.1f} ms each")


async def previews(bodies: list[str]) -> None:
    """The preview's similarity work against a SQLite database holding the term."""
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
        await db.create_all()
        now = datetime(2026, 3, 2, tzinfo=UTC)
        async with db.session() as session:
            author = Member(name="委员", phone="13900000001", roles="member")
            session.add(author)
            await session.flush()
            for i, body in enumerate(bodies):
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
            await session.commit()
        rounds = 10
        async with db.session() as session:
            repo = Proposals(session)
            t0 = time.perf_counter()  # once: it segments the whole term
            check_proposal(GOOD_PROPOSAL, similar=await repo.similarity_index())
            rebuilt = time.perf_counter() - t0
            cache = SimilarityCache(db)
            await cache.index(repo)  # starts the first build (a preview waits 2 s at most)
            await cache.settled()
            t0 = time.perf_counter()
            for _ in range(rounds):
                check_proposal(GOOD_PROPOSAL, similar=await cache.index(repo))
            cached = (time.perf_counter() - t0) / rounds
        await db.dispose()
    print(f"preview, index rebuilt from the database each time: {rebuilt * 1000:.0f} ms")
    print(f"preview, per-process cache (one count/sum query): {cached * 1000:.1f} ms")


def main() -> None:
    bodies = texts()
    in_memory(bodies)
    asyncio.run(previews(bodies))


if __name__ == "__main__":
    main()
