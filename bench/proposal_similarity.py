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

from bot.proposals.proposal_checks import check_proposal, comparison_text
from bot.proposals.similarity import SimilarityIndex
from bot.proposals.similarity_cache import SimilarityCache
from storage.db import Database
from storage.proposals import Proposals
from storage.tables import Member, Proposal
from tests.support.proposal_texts import GOOD_PROPOSAL, PARKING_PROPOSAL

TERM = 4000  # about five years of a municipal committee's proposals


def texts() -> list[str]:
    rnd = random.Random(7)
    chars = list(comparison_text(GOOD_PROPOSAL) + comparison_text(PARKING_PROPOSAL))
    out = []
    for _ in range(TERM):
        rnd.shuffle(chars)
        out.append("".join(chars[:900]))
    return out


def in_memory(bodies: list[str]) -> None:
    t0 = time.perf_counter()
    index = SimilarityIndex((i, f"#{i}", body) for i, body in enumerate(bodies))
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(20):
        check_proposal(GOOD_PROPOSAL, similar=index)
    per_check = (time.perf_counter() - t0) / 20
    print(f"index of {len(index)} proposals built in {built * 1000:.0f} ms")
    print(f"check_proposal with similarity over {len(index)}: {per_check * 1000:.1f} ms each")


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
            t0 = time.perf_counter()
            for _ in range(rounds):
                check_proposal(GOOD_PROPOSAL, similar=await repo.similarity_index())
            rebuilt = (time.perf_counter() - t0) / rounds
            cache = SimilarityCache(db)
            await cache.index(repo)  # built once, e.g. at the first preview or a submission
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
