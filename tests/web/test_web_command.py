"""``/web`` in chat: staff get a working one-time login link; members are refused."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient, TestServer

from bot.app import App
from bot.web.app import build_web
from tests.support.chat import Chat


async def test_staff_get_a_link_that_opens_the_console_once(app: App, staff_chat: Chat) -> None:
    texts = await staff_chat.send("/web")
    found = re.search(r"http://127\.0\.0\.1:8080/login/(\S+)", "\n".join(texts))
    assert found, texts
    async with TestClient(TestServer(build_web(app))) as client:
        r = await client.post("/login", data={"token": found.group(1)}, allow_redirects=False)
        assert r.status == 303
        assert "秘书处小李" in await (await client.get("/proposals")).text()
        again = await client.post("/login", data={"token": found.group(1)})
        assert again.status == 400


async def test_a_member_asking_for_the_console_is_refused(member_chat: Chat) -> None:
    texts = await member_chat.send("/web")
    assert not any("/login/" in t for t in texts)
