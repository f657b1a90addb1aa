"""Indexes rebuilt off the event loop: members are answered from the old index meanwhile,
the new data is there once the rebuild is done, and a burst of requests coalesces.

Each rebuild is held in its worker thread by an event until the test lets it go, so the
assertions do not depend on timing."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

import bot.kb.service
import bot.proposals.similarity_cache
from bot.kb.service import KnowledgeBase
from bot.proposals.proposal_checks import ProposalText
from bot.proposals.similarity_cache import SimilarityCache
from storage.db import Database
from storage.proposals import Proposals
from tests.storage.test_proposals_repo import add_members, submitted_proposal
from tests.support.proposal_texts import GOOD_PROPOSAL, PARKING_PROPOSAL


class Gate:
    """Holds builds in the worker thread until opened; counts them."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.entered = 0

    def wrap(self, fn: Any) -> Any:
        def held(*args: Any, **kwargs: Any) -> Any:
            self.entered += 1
            assert self.open.wait(30), "the test never let the build go"
            return fn(*args, **kwargs)

        return held


async def until(condition: Any) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never held")


async def test_questions_are_answered_from_the_old_rulebook_while_it_is_rebuilt(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = KnowledgeBase(db=db, sample=None)
    (tmp_path / "leave.md").write_text(
        "# 请假规定\n\n第一条 请假由秘书长审批。\n", encoding="utf-8"
    )
    await kb.ingest_paths([tmp_path / "leave.md"])
    assert (await kb.rulebook()).answer("请假由谁审批").found

    gate = Gate()
    monkeypatch.setattr(bot.kb.service, "_assemble", gate.wrap(bot.kb.service._assemble))
    (tmp_path / "cards.md").write_text(
        "# 委员证管理\n\n第一条 委员证遗失的，到秘书处补办。\n", encoding="utf-8"
    )
    await kb.ingest_paths([tmp_path / "cards.md"])

    # The rebuild is stuck in its thread, yet the member is answered at once, from the old index.
    old = await kb.rulebook()
    await until(lambda: gate.entered == 1)
    assert old.answer("请假由谁审批").found
    assert not old.answer("委员证遗失怎么补办").found
    assert await kb.rulebook() is old

    gate.open.set()
    await until(lambda: kb._index.builds == 2)
    new = await kb.rulebook()
    assert new is not old
    answer = new.answer("委员证遗失怎么补办")
    assert answer.found and answer.citations[0].source == "cards.md"
    assert new.answer("请假由谁审批").found


async def test_a_burst_of_submissions_makes_at_most_two_rebuilds_holding_them_all(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    wang, li, *_ = await add_members(db)
    await submitted_proposal(db, wang, PARKING_PROPOSAL)
    cache = SimilarityCache(db)
    async with db.session() as s:
        first = await cache.index(Proposals(s))
    assert len(first) == 1 and cache.builds == 1

    gate = Gate()
    monkeypatch.setattr(
        bot.proposals.similarity_cache,
        "SimilarityIndex",
        gate.wrap(bot.proposals.similarity_cache.SimilarityIndex),
    )
    last = 0
    for i in range(10):  # the plenary: ten submissions within a second
        text = ProposalText(
            title=f"关于第{i}个街道建设普惠托育机构的提案",
            situation=GOOD_PROPOSAL.situation,
            suggestions=GOOD_PROPOSAL.suggestions,
            field=GOOD_PROPOSAL.field,
        )
        last = await submitted_proposal(db, li, text)
        cache.refresh()
        async with db.session() as s:
            assert await cache.index(Proposals(s)) is first  # previews keep being served
    await until(lambda: gate.entered == 1)
    gate.open.set()
    await cache.settled()

    assert 2 <= cache.builds <= 3  # the first index, then one or two rebuilds
    async with db.session() as s:
        index = await cache.index(Proposals(s))
    assert len(index) == 11
    assert index.query("关于第9个街道建设普惠托育机构的提案", top=1)[0].ref == last
