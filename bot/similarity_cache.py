"""The duplicate hint's index of this term's proposals, kept per process.

Building the index reads and weighs every proposal of the term; a preview needs it each
time the member looks at the draft. The cache keeps the index and rebuilds it only when the
set of submitted proposals changed (a cheap count-and-sum query tells, so proposals submitted
through another process or the CLI are seen too) or when this process submits one.
"""

from __future__ import annotations

from typing import Any

from bot.domain.similarity import SimilarityIndex
from storage.proposals_repo import Proposals

__all__ = ["SimilarityCache"]


class SimilarityCache:
    def __init__(self) -> None:
        self._index: SimilarityIndex | None = None
        self._key: tuple[int, int] | None = None
        self.builds = 0  # how often the index was rebuilt (tests and the benchmark read it)
        self.memo: tuple[Any, Any] | None = None  # the last draft's findings (see _findings)

    async def index(self, repo: Proposals) -> SimilarityIndex:
        key = await repo.similarity_key()
        if self._index is None or key != self._key:
            self._index = await repo.similarity_index()
            self._key = key
            self.builds += 1
        return self._index

    async def refresh(self, repo: Proposals) -> SimilarityIndex:
        """After a submission: rebuild now, so the next member's preview does not wait."""
        self._index = None
        return await self.index(repo)
