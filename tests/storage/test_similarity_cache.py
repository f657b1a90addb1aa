"""The per-process similar-proposal index over the database: a preview never waits long
for the first build, and sees the term's proposals once it is ready."""

from __future__ import annotations

import pytest

from bot.proposals import similarity_cache
from bot.proposals.proposal_checks import comparison_text
from bot.proposals.similarity_cache import SimilarityCache
from storage.db import Database
from storage.proposals import Proposals
from tests.storage.test_proposals_repo import add_members, submitted_proposal
from tests.support.proposal_texts import GOOD_PROPOSAL, PARKING_PROPOSAL


async def test_a_preview_goes_without_the_hint_until_the_first_index_is_built(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    wang, li, *_ = await add_members(db)
    childcare = await submitted_proposal(db, wang)
    await submitted_proposal(db, li, PARKING_PROPOSAL)
    monkeypatch.setattr(similarity_cache, "FIRST_WAIT", 0.0)  # a term too large to wait for
    cache = SimilarityCache(db)
    async with db.session() as s:
        first = await cache.index(Proposals(s))
    assert len(first) == 0  # the preview is answered at once, without the hint
    await cache.settled()
    async with db.session() as s:
        ready = await cache.index(Proposals(s))
    assert len(ready) == 2
    [best] = ready.query(comparison_text(GOOD_PROPOSAL), threshold=0.16, top=1)
    assert best.ref == childcare
