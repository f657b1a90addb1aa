"""Replies longer than a Telegram message, on both libraries against the strict emulator:
they arrive whole, as several messages cut at natural places, with balanced markup, the
buttons on the last one; long captions and long edits the same (issue 11)."""
# ruff: noqa: F811  (the fixtures imported from test_telegram_e2e are parameters here)

from __future__ import annotations

import pytest

from bot.errors import TransientError
from bot.serve import TelegramService
from bot.text import Text
from bot.types import Button, OutDocument, Reply
from tests.channels.test_telegram_e2e import (  # noqa: F401  (fixtures)
    USER,
    db_kind,
    emu,
    library,
    said,
    service,
    verified,
)
from tests.support.botapi_emulator import BotApiEmulator, BotMessage, utf16_len

CLERK = 4_000_000_078


def assert_whole(full: str, messages: list[BotMessage]) -> None:
    """The messages' texts, in order, are ``full`` apart from whitespace at the cuts."""
    position = 0
    for message in messages:
        found = full.find(message.plain, position)
        assert found >= 0, f"message {message.message_id} is not the next piece of the text"
        assert not full[position:found].strip(), "text between two messages was lost"
        position = found + len(message.plain)
    assert not full[position:].strip(), "the end of the text was lost"


def no_refusals(emu: BotApiEmulator) -> None:
    refused = [(c.method, c.status) for c in emu.calls if c.status == 400]
    assert refused == []


async def test_a_long_proposal_preview_arrives_whole(app, emu, service) -> None:
    """A 情况分析 near the 4000-character cap, written with <, > and & that the HTML
    triples in size, and emoji that count twice: the preview and its checks arrive."""
    await verified(app)

    async def press(label: str) -> None:
        message = emu.last(USER)
        emu.press(USER, message, message.callback_data(label))

    sentence = "全市老旧小区<约两千个>，R&D投入不足😀，老年居民上下楼困难。"
    situation = "\n\n".join(sentence * 10 for _ in range(12))[:3990]
    suggestions = "\n".join(
        f"{n}. 设立市级补贴资金，简化审批流程，明确责任单位。" for n in range(1, 20)
    )
    emu.send_text(USER, "/proposal")
    await said(emu, USER, "个人提案")
    await press("个人提案")
    await said(emu, USER, "案由")
    emu.send_text(USER, "加快老旧小区加装电梯")
    await said(emu, USER, "提案类别")
    await press("城建")
    await said(emu, USER, "情况")
    emu.send_text(USER, situation)
    await said(emu, USER, "建议")
    before = len(emu.messages(USER))
    emu.send_text(USER, suggestions)
    await emu.wait_for(lambda: any(m.buttons for m in emu.messages(USER)[before:]), timeout=10)
    preview = emu.messages(USER)[before:]
    no_refusals(emu)
    assert len(preview) >= 2
    assert all(utf16_len(m.plain) <= 4096 for m in preview)
    full = "\n".join(m.plain for m in preview)
    assert situation.replace("\n\n", "") in full.replace("\n", "")
    assert suggestions.replace("\n", "") in full.replace("\n", "")
    assert "格式检查" in preview[-1].plain  # the check results come last, and arrive
    assert [bool(m.buttons) for m in preview] == [False] * (len(preview) - 1) + [True]
    assert preview[-1].callback_data("提交")


async def test_markup_and_entity_heavy_text_around_the_limit(
    emu: BotApiEmulator,
    service: TelegramService,
) -> None:
    channel = service.channel
    template = "<b>{title}</b>\n{body}"
    for visible in (4096, 4097, 9000):
        body = "<&>" * ((visible - 4) // 3) + "😀"[: (visible - 4) % 3]
        text = Text.of(template, {"title": "会议", "body": body})
        before = len(emu.messages(CLERK))
        sent = await channel.send(
            CLERK,
            Reply(text=text, buttons=((Button(label=Text.plain("参加"), action="n:1:yes"),),)),
        )
        messages = emu.messages(CLERK)[before:]
        expected = 1 if visible <= 4096 else (visible + 4095) // 4096
        assert len(messages) == expected
        assert sent.message_id == messages[-1].message_id
        assert_whole("会议\n" + body, messages)
        assert messages[0].entities[0]["type"] == "bold"
        assert [bool(m.buttons) for m in messages] == [False] * (expected - 1) + [True]
    no_refusals(emu)


async def test_a_long_caption_goes_with_the_document_and_the_rest_follows(
    emu: BotApiEmulator,
    service: TelegramService,
) -> None:
    body = "\n".join(f"第{n}条 本条说明会议材料的报送要求和期限。" for n in range(1, 120))
    reply = Reply(
        text=Text.of("<b>会议材料</b>\n{body}", {"body": body}),
        document=OutDocument(file_name="材料.docx", content=b"PK\x03\x04"),
        buttons=((Button(label=Text.plain("收到"), action="n:1:ok"),),),
    )
    await service.channel.send(str(CLERK), reply)
    messages = emu.messages(CLERK)
    assert messages[0].document is not None and len(messages) >= 2
    assert utf16_len(messages[0].plain) <= 1024
    assert_whole("会议材料\n" + body, messages)
    assert [bool(m.buttons) for m in messages] == [False] * (len(messages) - 1) + [True]
    no_refusals(emu)


async def test_a_long_edit_replaces_the_first_part_and_sends_the_rest(
    emu: BotApiEmulator,
    service: TelegramService,
) -> None:
    channel = service.channel
    first = await channel.send(str(CLERK), Reply(text=Text.plain("正在汇总……")))
    body = "各界别反馈意见汇总如下。" * 700  # 8400 characters
    await channel.send(str(CLERK), Reply(text=Text.plain(body), edit_message_id=first.message_id))
    messages = emu.messages(CLERK)
    assert messages[0].message_id == first.message_id
    assert messages[0].history == ["正在汇总……"]
    assert len(messages) == 3
    assert_whole(body, messages)
    no_refusals(emu)


async def test_a_retry_after_a_failed_part_sends_only_what_is_missing(
    emu: BotApiEmulator,
    service: TelegramService,
) -> None:
    """The document went out, the second message failed: sending the same reply again (as
    the outbox does) sends the missing messages, not the document a second time."""
    body = "本次会议的议程和材料说明如下。" * 400
    reply = Reply(text=Text.plain(body), document=OutDocument(file_name="议程.docx", content=b"PK"))
    emu.fail("500", method="sendMessage", chat_id=CLERK)
    with pytest.raises(TransientError):  # the outbox worker would try again later
        await service.channel.send(str(CLERK), reply)
    await service.channel.send(str(CLERK), reply)
    messages = emu.messages(CLERK)
    assert sum(m.document is not None for m in messages) == 1
    assert_whole(body, messages)


async def test_every_part_of_a_long_reply_keeps_the_chats_rate_limit(
    emu: BotApiEmulator,
    service: TelegramService,
) -> None:
    """A reply cut into five messages is five sends for Telegram's per-chat limit (three at
    once, then one a second): the parts after the burst wait their turn instead of drawing
    a 429."""
    burst = service.limiter.limits.chat_burst
    body = "\n\n".join(f"第{n}段：" + "委员意见" * 900 for n in range(5))
    await service.replies.send(str(CLERK), Reply(text=Text.plain(body)))
    sends = [c.at for c in emu.calls if c.method == "sendmessage" and _to(c, CLERK)]
    assert len(sends) >= 5
    for first, later in zip(sends, sends[burst:], strict=False):
        assert later - first >= 0.9, "more parts in one second than the chat's burst"
    no_refusals(emu)


def _to(call, chat_id: int) -> bool:
    return str(call.params.get("chat_id")) == str(chat_id)
