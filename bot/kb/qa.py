"""Questions in, answers out: retrieval, the not-found decision, extractive or LLM answer."""

from __future__ import annotations

from collections.abc import Sequence

from bot.kb.answer import AnswerPolicy, extractive_answer, select_hits
from bot.kb.citations import Answer, SourcePassage
from bot.kb.index import Hit, PassageIndex
from bot.kb.ingest import PreparedDocument
from bot.kb.llm import LlmAnswerer
from bot.kb.tokenize import Tokenizer

__all__ = ["Rulebook"]

_RETRIEVE = 10


class Rulebook:
    """An index over stored passages; rebuilt whenever documents change."""

    def __init__(
        self,
        *,
        passages: Sequence[SourcePassage],
        token_lists: Sequence[Sequence[str]],
        tokenizer: Tokenizer,
        policy: AnswerPolicy | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        self.policy = policy or AnswerPolicy()
        self.index: PassageIndex[SourcePassage] = PassageIndex(
            entries=passages, token_lists=token_lists, tokenizer=tokenizer
        )

    @classmethod
    def from_prepared(
        cls,
        documents: Sequence[PreparedDocument],
        *,
        tokenizer: Tokenizer,
        policy: AnswerPolicy | None = None,
    ) -> Rulebook:
        """Without a database: tests, evaluations and benchmarks."""
        passages: list[SourcePassage] = []
        tokens: list[list[str]] = []
        for doc in documents:
            for passage, passage_tokens in zip(doc.passages, doc.tokens, strict=True):
                passages.append(
                    SourcePassage(
                        id=len(passages),
                        source=doc.file_name,
                        title=passage.title,
                        locator=passage.locator,
                        heading_path=passage.heading_path,
                        text=passage.text,
                    )
                )
                tokens.append(passage_tokens)
        return cls(passages=passages, token_lists=tokens, tokenizer=tokenizer, policy=policy)

    def __len__(self) -> int:
        return len(self.index)

    def retrieve(self, question: str, *, k: int = _RETRIEVE) -> list[Hit[SourcePassage]]:
        return self.index.search(question, k=max(k, _RETRIEVE))[:k]

    def _policy(self, k: int | None) -> AnswerPolicy:
        if k is None:
            return self.policy
        return AnswerPolicy(
            min_coverage=self.policy.min_coverage,
            related_share=self.policy.related_share,
            max_citations=max(1, k),
        )

    def answer(self, question: str, *, k: int | None = None) -> Answer:
        """Extractive answer with at most ``k`` citations (policy default when None)."""
        hits = self.index.search(question, k=_RETRIEVE)
        return extractive_answer(
            question,
            hits,
            weights=self.index.query_weight(self.tokenizer.tokens(question)),
            tokenizer=self.tokenizer,
            policy=self._policy(k),
        )

    async def answer_with(
        self, question: str, *, llm: LlmAnswerer | None, k: int | None = None
    ) -> Answer:
        extractive = self.answer(question, k=k)
        if llm is None or not extractive.found:
            return extractive
        hits = select_hits(self.index.search(question, k=_RETRIEVE), self._policy(k))
        return await llm.answer(question, hits, fallback=extractive)
