"""Optional drafting help through the real ``openai`` client against the local stub server:
suggestions shown beside the original, applied only on confirmation, a clear message and an
unchanged draft when the model fails, and no buttons at all without an endpoint."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import App, build_app
from bot.settings import Settings
from storage.db import Database
from tests.flows.test_proposal_flow import draft_to_preview, proposals
from tests.support.chat import Chat, FakeClock, add_member
from tests.support.openai_stub import OpenAIStub

POLISHED = "1. 每个街道建成至少一所普惠性托育机构。\n2. 市财政按每个托位每年2000元给予运营补贴。"


def model(messages: list[dict[str, Any]]) -> str:
    """Answers as a compliant model would, by the task the prompt names."""
    asked = messages[-1]["content"]
    if "润色" in asked:
        return "```json\n" + json.dumps({"suggestions": POLISHED}, ensure_ascii=False) + "\n```"
    if "拟一个案由" in asked:
        return "《关于扩大普惠托育服务供给的提案》"
    return "医疗卫生"


@pytest.fixture
async def stub() -> AsyncIterator[OpenAIStub]:
    async with OpenAIStub(reply=model) as server:
        yield server


async def chat_with_model(db: Database, clock: FakeClock, base_url: str) -> tuple[App, Chat]:
    settings = Settings(
        database_url=db.url,  # type: ignore[arg-type]
        secret_key="test-signing-key",  # type: ignore[arg-type]
        llm_base_url=base_url,
        llm_model="stub-model",
        llm_timeout_seconds=5,
    )
    app = await build_app(settings=settings, db=db, clock=clock, upgrade=False)
    member = await add_member(app, name="张委员", phone="13900000001")
    return app, await Chat.verified(app, member)


async def test_polish_title_and_field_are_shown_and_applied_only_when_confirmed(
    db: Database, clock: FakeClock, stub: OpenAIStub
) -> None:
    app, chat = await chat_with_model(db, clock, stub.base_url)
    await draft_to_preview(chat)
    await chat.press("润色建议")
    assert "【原文】" in chat.text and "【建议】" in chat.text
    assert "每个街道建成至少一所普惠性托育机构" in chat.text  # the suggestion
    assert "由市住建局牵头" in chat.text  # beside the original
    await chat.press("保留原文")
    [row] = await proposals(app)
    assert row.suggestions.startswith("为此，建议")  # kept
    await chat.press("建议案由")
    assert "关于扩大普惠托育服务供给的提案" in chat.text
    await chat.press("采用建议")
    assert "已采用智能助手的建议" in chat.text
    await chat.press("建议类别")
    await chat.press("采用建议")
    [row] = await proposals(app)
    assert (row.title, row.field) == ("关于扩大普惠托育服务供给的提案", "医疗卫生")
    assert stub.requests[0]["model"] == "stub-model"
    assert "由市住建局牵头" in stub.requests[0]["messages"][-1]["content"]  # the draft was sent


async def test_other_members_are_served_while_the_model_thinks(
    db: Database, clock: FakeClock
) -> None:
    async with OpenAIStub(reply=model, delay=1.0) as slow:
        app, chat = await chat_with_model(db, clock, slow.base_url)
        other = await Chat.verified(app, await add_member(app, name="李委员", phone="13900000002"))
        await draft_to_preview(chat)
        asking = asyncio.create_task(chat.press("润色建议"))
        await asyncio.sleep(0.2)  # the model has the draft and is thinking
        started = time.monotonic()
        await other.send("/proposal")  # a write of its own: it must not wait for the model
        assert time.monotonic() - started < 0.5
        assert "请选择提案类型" in other.text and not asking.done()
        await asking
    assert "正在请智能助手给出建议" in chat.text  # said at once
    assert "【原文】" in chat.text and "每个街道建成至少一所普惠性托育机构" in chat.text
    await chat.press("采用建议")
    first = (await proposals(app))[0]  # drafted before the other member's
    assert first.suggestions == POLISHED


async def test_model_failure_tells_the_member_and_leaves_the_draft(
    db: Database, clock: FakeClock
) -> None:
    async with OpenAIStub(reply=model, status=500) as failing:
        app, chat = await chat_with_model(db, clock, failing.base_url)
        await draft_to_preview(chat)
        before = await proposals(app)
        await chat.press("润色建议")
    assert "智能助手暂时无法给出建议，草稿没有任何改动" in chat.text
    assert "请核对提案" in chat.text  # still at the preview, buttons usable
    assert [(r.title, r.suggestions) for r in await proposals(app)] == [
        (r.title, r.suggestions) for r in before
    ]


async def test_an_unusable_answer_is_a_failure_too(db: Database, clock: FakeClock) -> None:
    async with OpenAIStub(reply=lambda m: "经济、教育都可以") as vague:
        app, chat = await chat_with_model(db, clock, vague.base_url)
        await draft_to_preview(chat)
        await chat.press("建议类别")
    assert "智能助手暂时无法给出建议" in chat.text
    [row] = await proposals(app)
    assert row.field == "教育"


async def test_without_an_endpoint_there_are_no_buttons(app: App, member_chat: Chat) -> None:
    await draft_to_preview(member_chat)
    assert "请核对提案" in member_chat.text
    assert not [label for label in member_chat.labels if "✨" in label]
