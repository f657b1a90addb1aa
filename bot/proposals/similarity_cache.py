"""The duplicate hint's index of this term's proposals, kept per process.

Building the index reads and weighs every proposal of the term (seconds at 4,000), and a
preview needs it each time the member looks at the draft. The cache keeps the index and
rebuilds it off the event loop (``bot/background_index.py``) when the set of submitted
proposals changed (a cheap count-and-sum query tells, so proposals submitted through
another process or the CLI are seen too) or when this process submits one; previews are
served from the index in place meanwhile. Submissions bunch up at the plenary: a burst
makes at most two rebuilds, the last of which holds them all.
"""

from __future__ import annotations

from typing import Any

from bot.background_index import LARGE_BUILD, BackgroundIndex, drain, off_loop, quiet_collector
from bot.proposals.proposal_checks import ProposalText, comparison_text
from bot.proposals.similarity import SimilarityIndex
from storage.db import Database
from storage.proposals import Proposals
from storage.snapshot import read_snapshot

__all__ = ["SimilarityCache"]


class SimilarityCache:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._statements: tuple[Any, Any] | None = None
        self.background: BackgroundIndex[SimilarityIndex] = BackgroundIndex(
            self._build, name="similar-proposal"
        )
        self.memo: tuple[Any, Any] | None = None  # the last draft's findings (see _findings)

    @property
    def builds(self) -> int:
        """How often an index was swapped in (tests and the benchmark read it)."""
        return self.background.builds

    async def index(self, repo: Proposals) -> SimilarityIndex:
        """The index in place; a rebuild is started (not awaited) if proposals changed.
        Only the very first index is waited for."""
        self._statements = (repo.similarity_key_statement(), repo.similarity_rows_statement())
        if self.background.current is None:
            return await self.background.ready()
        self.background.request(await repo.similarity_key(), known=True)
        return self.background.current

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

        def build() -> SimilarityIndex:
            with quiet_collector(len(rows) >= LARGE_BUILD):
                index = SimilarityIndex(
                    (
                        ref,
                        title,
                        comparison_text(
                            ProposalText(title=title, situation=situation, suggestions=suggestions)
                        ),
                    )
                    for ref, title, situation, suggestions in rows
                )
            drain(rows)  # freed here, not on the loop
            return index

        return key, await off_loop(build)
