"""Answers written by an OpenAI-compatible model, from the retrieved passages only.

The model sees the passages numbered [1]..[n] and must tie every claim to one of them.
When a member's wording finds nothing, the model may first restate the question in the
rulebook's own language (``rewrite``); what is found for the restated question is still
answered from the passages only, and a failing endpoint just leaves the refusal.
Its answer is kept only if it cites at least one retrieved passage and cites nothing
else (a made-up number, or a 《document》 article that was not retrieved); otherwise,
and on any error or timeout, the extractive answer is returned instead. A model that
reads the passages and says they do not answer (未找到) is believed: a near miss that
shares every word with a rule (社情民意最少写多少字) is refused, not quoted the rule. The model is
never asked when retrieval found nothing close: no answer from the model's own memory.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from bot.catalogue import catalogue
from bot.kb.answer import not_found
from bot.kb.citations import Answer, Citation, SourcePassage
from bot.kb.index import Hit
from bot.kb.numerals import canonicalize_refs
from bot.llm import LlmClient, LlmUnavailable

__all__ = ["LlmAnswerer", "check_citations"]

log = logging.getLogger(__name__)

_NUMBER_REF = re.compile(r"[\[【［]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】］]")
_DOC_REF = re.compile(r"《([^》]{1,60})》\s*(第[零一二三四五六七八九十百千0-9]+[条章节款])?")


def check_citations(text: str, passages: Sequence[SourcePassage]) -> list[int] | None:
    """Indexes (0-based) of the passages ``text`` cites, in order; None if it invents one."""
    cited: list[int] = []
    for match in _NUMBER_REF.finditer(text):
        for number in re.split(r"\s*[,，、]\s*", match.group(1)):
            i = int(number) - 1
            if not 0 <= i < len(passages):
                return None
            if i not in cited:
                cited.append(i)
    titles = {p.title for p in passages}
    for match in _DOC_REF.finditer(canonicalize_refs(text)):
        title, locator = match.group(1), match.group(2)
        if title not in titles:
            return None
        if locator and not any(
            p.title == title and p.locator.startswith(locator) for p in passages
        ):
            return None
    return cited


class LlmAnswerer:
    """Writes an answer from retrieved passages only, through the shared ``LlmClient``."""

    def __init__(self, *, client: LlmClient) -> None:
        self.client = client

    @classmethod
    def connect(
        cls, *, base_url: str, model: str, api_key: str | None = None, timeout: float = 30.0
    ) -> LlmAnswerer:
        return cls(
            client=LlmClient.connect(
                base_url=base_url, model=model, api_key=api_key, timeout=timeout
            )
        )

    def messages(self, question: str, passages: Sequence[SourcePassage]) -> list[dict[str, str]]:
        cat = catalogue()
        listed = "\n".join(
            cat.s("kb.llm.passage", number=i, title=p.title, locator=p.locator, text=p.text)
            for i, p in enumerate(passages, start=1)
        )
        return [
            {"role": "system", "content": cat.s("kb.llm.system")},
            {"role": "user", "content": cat.s("kb.llm.user", question=question, passages=listed)},
        ]

    async def rewrite(self, question: str) -> str | None:
        """The question in rulebook language, or None (unrelated, or the model failed)."""
        cat = catalogue()
        messages = [
            {"role": "system", "content": cat.s("kb.llm.rewrite_system")},
            {"role": "user", "content": cat.s("kb.llm.rewrite_user", question=question)},
        ]
        try:
            content = await self.client.complete(messages)
        except LlmUnavailable:
            return None
        line = content.strip().splitlines()[0].strip() if content.strip() else ""
        if not line or cat.s("kb.llm.rewrite_unrelated") in line or len(line) > 200:
            return None
        return line

    async def answer(
        self, question: str, hits: Sequence[Hit[SourcePassage]], *, fallback: Answer
    ) -> Answer:
        """``hits`` are the passages the policy chose, or those a refused question comes
        close to; ``fallback`` the extractive answer (a refusal in the second case)."""
        if not hits:
            return fallback
        passages = [h.entry for h in hits]
        try:
            content = await self.client.complete(self.messages(question, passages))
        except LlmUnavailable:
            return _with_note(fallback, "llm_error")
        cited = check_citations(content, passages) if content else None
        if cited == [] and _declines(content):
            log.info("LLM finds the retrieved passages do not answer; refused")
            return _with_note(not_found(question), "llm_declined")
        if not cited:
            log.info("LLM answer cites nothing retrieved (or invents a source); extractive used")
            return _with_note(fallback, "llm_uncited")
        citations = tuple(Citation.of(hits[i].entry, hits[i].relevance) for i in sorted(cited))
        sources = "\n".join(
            f"[{i + 1}] 《{passages[i].title}》{passages[i].locator}" for i in sorted(cited)
        )
        text = f"{content}\n{catalogue().s('kb.answer.sources')}\n{sources}"
        return Answer(
            question=question,
            found=True,
            text=text,
            citations=citations,
            quote=fallback.quote,
            via="llm",
        )


# What a model says, in its own words, when told to reply 未找到: 没有找到相关规定, 给出的条文
# 没有规定…, 条文中未提及…, 无法根据条文回答. Only a short reply citing nothing counts.
_DECLINE = re.compile(
    r"^(?:抱歉[，,]?\s*)?(?:(?:没有|未能?|无法)找到|找不到|(?:给出的|所给|提供的|以上)?条文(?:中|里)?"
    r"(?:没有|未|并未|并没有|不能|无法)|(?:无法|不能)(?:根据|从|依据)"
    r"|(?:根据|依据)(?:给出的|所给|提供的|以上)?条文[，,]?(?:无法|不能|没有|未))"
)
_DECLINE_MAX = 80


def _declines(content: str) -> bool:
    """The model says the passages do not answer: the marker (未找到, 未找到相关规定。) or a
    short reply to that effect, nothing more."""
    first = content.strip().splitlines()[0].strip() if content.strip() else ""
    if first.startswith(catalogue().s("kb.llm.not_found_marker")) and len(first) <= 20:
        return True
    return len(content.strip()) <= _DECLINE_MAX and bool(_DECLINE.search(first))


def _with_note(answer: Answer, note: str) -> Answer:
    return replace(answer, notes=(*answer.notes, note))
