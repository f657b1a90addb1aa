"""The clerk's checks on a proposal draft in chat: the rules of ``bot/proposals/proposal_checks.py``
against this term's submitted proposals (the per-process similarity index) and against other
members' joint drafts still open for co-signing.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.proposals.checks import Finding
from bot.proposals.config import rules
from bot.proposals.drafting import member_id
from bot.proposals.proposal_checks import ProposalText, check_proposal, comparison_text
from bot.proposals.similarity import SimilarityIndex
from bot.proposals.similarity_cache import app_cache as similarity_cache
from storage.proposals import Proposals

__all__ = ["PARTS", "findings", "similar_ids", "similarity_cache", "text_of"]

PARTS = ("title", "field", "situation", "suggestions")
SIMILAR_KEYS = ("proposals.check.similar", "proposals.check.similar_draft")


def text_of(data: dict[str, Any]) -> ProposalText:
    return ProposalText(**{k: str(data.get(k) or "") for k in PARTS})


async def findings(ctx: Context, data: dict[str, Any]) -> list[Finding]:
    repo = Proposals(ctx.session)
    text = text_of(data)
    own = data.get("proposal_id")
    cache = similarity_cache(ctx.services)
    index = await cache.index(repo)
    # The preview's text and its buttons both need the findings: compute them once.
    memo_key = (cache.builds, text, own)
    if cache.memo is not None and cache.memo[0] == memo_key:
        found = list(cache.memo[1])
    else:
        found = check_proposal(text, similar=index, exclude=own)
        cache.memo = (memo_key, list(found))
    if text.title.strip():
        found += await _similar_drafts(ctx, repo, text, own)
    return found


async def _similar_drafts(
    ctx: Context, repo: Proposals, text: ProposalText, own: int | None
) -> list[Finding]:
    """Other members' joint drafts on the same matter, still open for co-signing."""
    drafts = await repo.open_joint_drafts(other_than=member_id(ctx))
    if not drafts:
        return []
    index = SimilarityIndex(
        (d.id or 0, d.title, comparison_text(ProposalText(d.title, "", d.situation, d.suggestions)))
        for d in drafts
    )
    r = rules().proposal
    names = {d.id: d.proposer.get("name", "") for d in drafts}
    return [
        Finding(
            "warning",
            "proposals.check.similar_draft",
            {"proposal_id": str(m.ref), "title": m.label, "name": names.get(m.ref, "")},
        )
        for m in index.query(
            comparison_text(text),
            threshold=r.similarity_threshold,
            top=r.similar_shown,
            exclude=own,
        )
    ]


def similar_ids(found: list[Finding]) -> list[int]:
    return [int(f.params["proposal_id"]) for f in found if f.key in SIMILAR_KEYS]
