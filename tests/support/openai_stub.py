"""A local OpenAI-compatible server (aiohttp on 127.0.0.1) for testing the real client.

``reply`` decides what the "model" says given the request's messages; every request is
kept in ``requests`` so a test can check what was sent (e.g. that the passages were).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

__all__ = ["OpenAIStub"]

Reply = Callable[[list[dict[str, Any]]], str]


class OpenAIStub:
    def __init__(self, *, reply: Reply, status: int = 200, delay: float = 0.0) -> None:
        self.reply = reply
        self.status = status
        self.delay = delay  # seconds the "model" thinks before answering
        self.requests: list[dict[str, Any]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def _completions(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.json_response(
                {"error": {"message": "stub failure", "type": "server_error"}}, status=self.status
            )
        content = self.reply(body["messages"])
        return web.json_response(
            {
                "id": "chatcmpl-stub",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "stub"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )

    async def __aenter__(self) -> OpenAIStub:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
