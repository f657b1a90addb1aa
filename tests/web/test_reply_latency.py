"""/metrics: how long the bot took to answer each update, and the updates that went wrong."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient

from bot.app import App
from storage.tables import Member
from tests.support.chat import Chat


def _value(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} ([0-9.e+-]+)$", text, re.M)
    assert found, f"{name} not in /metrics"
    return float(found.group(1))


async def test_reply_latency_and_refusals_are_in_the_metrics(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    people: dict[str, Member],
) -> None:
    chat = await Chat.verified(app, people["member"])
    assert await chat.send("你好")
    assert "太长" in "".join(await chat.send("/ask " + "委员" * 200))
    text = await (await client.get("/metrics")).text()
    count = 'committee_bot_reply_latency_seconds_count{platform="console"}'
    assert _value(text, count) == 2
    assert 0 < _value(text, 'committee_bot_reply_latency_seconds_sum{platform="console"}') < 30
    assert _value(text, 'committee_bot_update_errors_total{kind="refused"}') == 1
    assert 'committee_bot_update_errors_total{kind="failed"}' not in text
    assert "committee_bot_outbox_backlog" in text  # the database's figures are still there


async def test_a_failing_update_is_counted_as_failed(
    client: TestClient,  # type: ignore[type-arg]
    app: App,
    people: dict[str, Member],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = await Chat.verified(app, people["member"])

    async def broken(*_: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(App, "_dispatch", broken)
    assert "出了点问题" in "".join(await chat.send("提案怎么写？"))
    text = await (await client.get("/metrics")).text()
    assert _value(text, 'committee_bot_update_errors_total{kind="failed"}') == 1
