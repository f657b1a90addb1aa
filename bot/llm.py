"""The one client for an OpenAI-compatible endpoint (any server speaking the chat API).

Every feature works without it. ``openai`` is imported only when an endpoint is configured
(the package takes seconds to import), and its exceptions are translated here into
``LlmUnavailable`` so nothing foreign leaks out.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.errors import CommitteeBotError

if TYPE_CHECKING:
    from openai import AsyncOpenAI

    from bot.settings import Settings

__all__ = ["LlmClient", "LlmUnavailable"]

log = logging.getLogger(__name__)


class LlmUnavailable(CommitteeBotError):
    """The endpoint failed, timed out or answered nothing usable."""


class LlmClient:
    def __init__(self, *, client: AsyncOpenAI, model: str, temperature: float = 0.0) -> None:
        self.client = client
        self.model = model
        self.temperature = temperature

    @classmethod
    def connect(
        cls, *, base_url: str, model: str, api_key: str | None = None, timeout: float = 30.0
    ) -> LlmClient:
        from openai import AsyncOpenAI

        # Local compatible servers accept any key; the client insists on one.
        client = AsyncOpenAI(
            base_url=base_url, api_key=api_key or "unused", timeout=timeout, max_retries=1
        )
        return cls(client=client, model=model)

    @classmethod
    def from_settings(cls, settings: Settings) -> LlmClient | None:
        if not settings.llm_enabled:
            return None
        assert settings.llm_base_url and settings.llm_model
        return cls.connect(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
            timeout=settings.llm_timeout_seconds,
        )

    async def complete(self, messages: list[dict[str, str]], **options: Any) -> str:
        """The model's reply text; ``LlmUnavailable`` on any failure or an empty reply."""
        from openai import OpenAIError

        try:
            response = await self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                temperature=options.pop("temperature", self.temperature),
                **options,
            )
        except OpenAIError as exc:
            log.warning("LLM call failed: %s", exc)
            raise LlmUnavailable(str(exc)) from exc
        content = (response.choices[0].message.content or "").strip() if response.choices else ""
        if not content:
            raise LlmUnavailable("empty reply")
        return content
