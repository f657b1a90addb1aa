"""Optional drafting help from an OpenAI-compatible model: polish, a title, a field.

Only suggestions: the handler shows each beside the original and applies it only when the
member confirms. Anything unusable (an error, a timeout, a reply that is not what was asked)
raises ``AssistantError``; the draft is never touched here. Calls go through the shared
``bot.llm.LlmClient`` (``openai`` is imported only when an endpoint is configured).
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.catalogue import catalogue
from bot.llm import LlmClient, LlmUnavailable
from bot.proposals.proposal_checks import ProposalText, suggest_title
from bot.settings import Settings

__all__ = ["AssistantError", "ProposalAssistant"]

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


class AssistantError(Exception):
    """The model gave nothing usable; the member is told and the draft stays as it was."""


class ProposalAssistant:
    def __init__(self, *, client: LlmClient) -> None:
        self.client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> ProposalAssistant | None:
        client = LlmClient.from_settings(settings)
        return cls(client=client) if client else None

    async def _ask(self, task: str, text: ProposalText, **params: Any) -> str:
        cat = catalogue()
        user = cat.s(
            f"proposals.llm.{task}",
            title=text.title,
            field=text.field,
            situation=text.situation,
            suggestions=text.suggestions,
            **params,
        )
        messages = [
            {"role": "system", "content": cat.s("proposals.llm.system")},
            {"role": "user", "content": user},
        ]
        try:
            content = await self.client.complete(messages, temperature=0.2)
        except LlmUnavailable as exc:
            raise AssistantError(str(exc)) from exc
        content = _FENCE.sub("", content.strip()).strip()
        if not content:
            raise AssistantError("empty reply")
        return content

    async def polish(self, text: ProposalText) -> dict[str, str]:
        """Polished situation and suggestions (only the parts the model returned changed)."""
        reply = await self._ask("polish", text)
        try:
            data = json.loads(reply)
        except json.JSONDecodeError as exc:
            raise AssistantError("not JSON") from exc
        if not isinstance(data, dict):
            raise AssistantError("not an object")
        out = {
            part: value.strip()
            for part in ("situation", "suggestions")
            if isinstance(value := data.get(part), str) and value.strip()
        }
        out = {k: v for k, v in out.items() if v != getattr(text, k).strip()}
        if not out:
            raise AssistantError("nothing to polish")
        return out

    async def title(self, text: ProposalText) -> str:
        reply = await self._ask("title", text)
        framed = suggest_title(reply.splitlines()[0].strip('《》"“” '))
        if not framed or framed == text.title.strip():
            raise AssistantError("no new title")
        return framed

    async def field(self, text: ProposalText, fields: tuple[str, ...]) -> str:
        reply = await self._ask("field", text, fields="、".join(fields))
        found = [f for f in fields if f in reply]
        if len(found) != 1:  # none, or an answer naming several: not a choice
            raise AssistantError(f"no single field in {reply!r}")
        return found[0]
