"""The duplicate hint's index of this term's proposals, kept per process.

Building the index reads and weighs every proposal of the term (seconds at 4,000), and a
preview needs it each time the member looks at the draft. The cache keeps the index and
rebuilds it off the event loop (``bot/background_index.py``) when the set of submitted
proposals changed (a cheap count-and-sum query tells, so proposals submitted through
another process or the CLI are seen too) or when this process submits one; previews are
served from the index in place meanwhile. Submissions bunch up at the plenary: a burst
makes at most two rebuilds, the last of which holds them all. A rebuild reuses the
previous index's analysis of every proposal it already held, so only the new ones are
segmented.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from bot.background_index import LARGE_BUILD, BackgroundIndex, drain, off_loop, quiet_collector
from bot.proposals.proposal_checks import ProposalText, comparison_text
from bot.proposals.similarity import SimilarityIndex
from storage.db import Database
from storage.proposals import Proposals
from storage.snapshot import read_snapshot

if TYPE_CHECKING:
    from bot.context import Services

__all__ = ["FIRST_WAIT", "SimilarityCache", "app_cache", "warm_up"]

# Seconds a preview waits for the process's first index (a small term is ready sooner).
FIRST_WAIT = 2.0


class SimilarityCache:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._statements: tuple[Any, Any] | None = None
        self.background: BackgroundIndex[SimilarityIndex] = BackgroundIndex(
            self._build, name="similar-proposal"
        )
        self.memo: tuple[Any, Any] | None = None  # the last draft's findings (see _findings)
        self._first_build: asyncio.Future[SimilarityIndex] | None = None
        self._empty = SimilarityIndex(())

    @property
    def builds(self) -> int:
        """How often an index was swapped in (tests and the benchmark read it)."""
        return self.background.builds

    async def index(self, repo: Proposals) -> SimilarityIndex:
        """The index in place; a rebuild is started (not awaited) if proposals changed.
        The very first index is waited for up to ``FIRST_WAIT`` seconds: segmenting a
        large term takes longer, and meanwhile the preview goes without the hint rather
        than keep the member waiting."""
        self._statements = (repo.similarity_key_statement(), repo.similarity_rows_statement())
        if self.background.current is None:
            try:
                return await asyncio.wait_for(asyncio.shield(self._first), FIRST_WAIT)
            except TimeoutError:
                return self._empty
        self.background.request(await repo.similarity_key(), known=True)
        return self.background.current

    def start(self, repo: Proposals) -> None:
        """Begin the first build without waiting for it."""
        self._statements = (repo.similarity_key_statement(), repo.similarity_rows_statement())
        _ = self._first

    @property
    def _first(self) -> asyncio.Future[SimilarityIndex]:
        """The first build, shared by every preview waiting for it."""
        if self._first_build is None:
            self._first_build = asyncio.ensure_future(self.background.ready())
            # A failed first build is told to its waiters; nobody else needs to hear of it.
            self._first_build.add_done_callback(self._forget_first)
        return self._first_build

    def _forget_first(self, future: asyncio.Future[SimilarityIndex]) -> None:
        if future.cancelled() or future.exception() is not None:
            self._first_build = None  # the next preview tries again

    def refresh(self, _repo: Proposals | None = None) -> None:
        """After a submission has committed: rebuild in the background."""
        if self._statements is not None:
            self.background.request()

    async def settled(self) -> None:
        """Waits for rebuilds in progress (tests, benchmarks)."""
        await self.background.settled()

    async def _build(self) -> tuple[tuple[int, int], SimilarityIndex]:
        assert self._statements is not None, "index() names the statements first"
        key_rows, rows = await read_snapshot(self.db, self._statements)
        count, total = key_rows[0]
        key = (int(count or 0), int(total or 0))

        previous = self.background.current

        def build() -> SimilarityIndex:
            with quiet_collector(len(rows) >= LARGE_BUILD):
                index = SimilarityIndex(
                    (
                        (
                            ref,
                            title,
                            comparison_text(
                                ProposalText(
                                    title=title, situation=situation, suggestions=suggestions
                                )
                            ),
                        )
                        for ref, title, situation, suggestions in rows
                    ),
                    previous=previous,  # only new proposals are segmented again
                )
            drain(rows)  # freed here, not on the loop
            return index

        return key, await off_loop(build)


def app_cache(services: Services) -> SimilarityCache:
    """One per app (per process): the term's index is built once, not at every preview;
    the chat and the web console share it."""
    cache = services.extras.get("proposal_similarity")
    if not isinstance(cache, SimilarityCache):
        assert services.db is not None, "build_app wires the database"
        cache = services.extras["proposal_similarity"] = SimilarityCache(services.db)
    return cache


async def warm_up(services: Services) -> None:
    """Start the first build when a serving process starts: segmenting a large term takes
    seconds to tens of seconds, and the first member to preview a draft should not be the
    one who finds the hint missing. Returns at once; the build runs off the loop."""
    cache = app_cache(services)
    assert services.db is not None
    async with services.db.session() as session:
        cache.start(Proposals(session))
