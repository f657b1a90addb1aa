"""The Bot API emulator itself, driven with plain aiohttp calls (no bot library)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.support.botapi_emulator import BotApiEmulator


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(
    http: aiohttp.ClientSession, emu: BotApiEmulator, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    form = {k: json.dumps(v) if isinstance(v, dict | list) else str(v) for k, v in params.items()}
    async with http.post(f"{emu.api_url}/bot{emu.token}/{method}", data=form) as response:
        return response.status, await response.json()


async def test_unknown_token_and_method_are_refused(emu, http) -> None:
    async with http.get(f"{emu.api_url}/bot1:wrong/getMe") as response:
        assert response.status == 401
        assert (await response.json())["ok"] is False
    status, body = await call(http, emu, "noSuchMethod")
    assert (status, body["error_code"]) == (404, 404)


async def test_get_me_names_the_bot(emu, http) -> None:
    status, body = await call(http, emu, "getMe")
    assert status == 200 and body["result"]["is_bot"] is True
    assert body["result"]["username"] == "committee_test_bot"


async def test_get_updates_confirms_by_offset(emu, http) -> None:
    first = emu.send_text(11, "/start ABC")
    second = emu.send_text(11, "你好")
    _, body = await call(http, emu, "getUpdates")
    updates = body["result"]
    assert [u["update_id"] for u in updates] == [first, second]
    assert updates[0]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    _, body = await call(http, emu, "getUpdates", offset=second)
    assert [u["update_id"] for u in body["result"]] == [second]
    _, body = await call(http, emu, "getUpdates", offset=second + 1)
    assert body["result"] == []
    assert emu.pending_update_count == 0


async def test_long_poll_returns_as_soon_as_an_update_arrives(emu, http) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(call(http, emu, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    update_id = emu.send_text(11, "在吗")
    _, body = await poll
    assert [u["update_id"] for u in body["result"]] == [update_id]
    assert time.monotonic() - started < 2


async def test_long_poll_times_out_empty(emu, http) -> None:
    started = time.monotonic()
    _, body = await call(http, emu, "getUpdates", timeout=0.3)
    assert body["result"] == [] and time.monotonic() - started >= 0.25


async def test_a_second_poller_ends_the_first_with_conflict(emu, http) -> None:
    first = asyncio.create_task(call(http, emu, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(call(http, emu, "getUpdates", timeout=0.2))
    status, body = await first
    assert status == 409 and "terminated by other getUpdates" in body["description"]
    assert (await second)[0] == 200


async def test_redelivered_update_comes_back_once(emu, http) -> None:
    update_id = emu.send_text(11, "一")
    await call(http, emu, "getUpdates", offset=update_id + 1)
    emu.redeliver(update_id)
    _, body = await call(http, emu, "getUpdates", offset=update_id + 1)
    assert [u["update_id"] for u in body["result"]] == [update_id]
    _, body = await call(http, emu, "getUpdates", offset=update_id + 1)
    assert body["result"] == []


async def test_send_edit_and_press_record_the_conversation(emu, http) -> None:
    keyboard = {"inline_keyboard": [[{"text": "参加", "callback_data": "n:1:yes"}]]}
    _, body = await call(
        http, emu, "sendMessage", chat_id=11, text="<b>会议</b>", parse_mode="HTML",
        reply_markup=keyboard,
    )  # fmt: skip
    sent = body["result"]
    assert sent["chat"] == {"id": 11, "type": "private"} and sent["reply_markup"] == keyboard
    message = emu.last(11)
    assert message.callback_data("参加") == "n:1:yes"
    query_id = emu.press(11, message, "n:1:yes")
    _, body = await call(http, emu, "getUpdates")
    assert body["result"][-1]["callback_query"]["message"]["message_id"] == sent["message_id"]
    status, _ = await call(http, emu, "answerCallbackQuery", callback_query_id=query_id)
    assert status == 200 and query_id in emu.callback_answers
    status, body = await call(http, emu, "answerCallbackQuery", callback_query_id=query_id)
    assert status == 400 and "query is too old" in body["description"]
    status, _ = await call(
        http, emu, "editMessageText", chat_id=11, message_id=sent["message_id"], text="已报名"
    )
    assert status == 200
    assert emu.texts(11) == ["已报名"] and message.history == ["<b>会议</b>"]
    status, body = await call(
        http, emu, "editMessageText", chat_id=11, message_id=sent["message_id"], text="已报名"
    )
    assert status == 400 and "not modified" in body["description"]
    emu.forget_message(11, sent["message_id"])
    status, body = await call(
        http, emu, "editMessageText", chat_id=11, message_id=sent["message_id"], text="改"
    )
    assert status == 400 and "can't be edited" in body["description"]


async def test_bad_html_is_refused_like_telegram(emu, http) -> None:
    status, body = await call(
        http, emu, "sendMessage", chat_id=11, text="<script>x</script>", parse_mode="HTML"
    )
    assert status == 400 and "can't parse entities" in body["description"]
    status, _ = await call(http, emu, "sendMessage", chat_id=11, text="&lt;script&gt;")
    assert status == 200


async def test_documents_go_up_by_multipart_and_down_by_get_file(emu, http) -> None:
    form = aiohttp.FormData()
    form.add_field("chat_id", "11")
    form.add_field("caption", "草稿")
    form.add_field("document", b"PK\x03\x04docx", filename="提案.docx")
    async with http.post(f"{emu.api_url}/bot{emu.token}/sendDocument", data=form) as response:
        assert response.status == 200
    assert emu.last(11).document is not None
    assert emu.last(11).document.content == b"PK\x03\x04docx"
    # aiogram names the part at random and points at it with attach://
    form = aiohttp.FormData()
    form.add_field("chat_id", "11")
    form.add_field("document", "attach://x1")
    form.add_field("x1", b"second", filename="b.txt")
    async with http.post(f"{emu.api_url}/bot{emu.token}/sendDocument", data=form) as response:
        assert response.status == 200
    assert emu.last(11).document.file_name == "b.txt"

    emu.send_document(11, "意见.txt", "内容".encode(), mime_type="text/plain")
    _, body = await call(http, emu, "getUpdates")
    file_id = body["result"][-1]["message"]["document"]["file_id"]
    _, body = await call(http, emu, "getFile", file_id=file_id)
    path = body["result"]["file_path"]
    async with http.get(f"{emu.api_url}/file/bot{emu.token}/{path}") as response:
        assert await response.read() == "内容".encode()


async def test_faults_429_500_slow_and_blocked(emu, http) -> None:
    emu.fail("429", chat_id=11, retry_after=7)
    status, body = await call(http, emu, "sendMessage", chat_id=11, text="a")
    assert status == 429 and body["parameters"] == {"retry_after": 7}
    assert (await call(http, emu, "sendMessage", chat_id=11, text="a"))[0] == 200

    emu.fail("500", method="sendMessage", times=2)
    assert [(await call(http, emu, "sendMessage", chat_id=12, text="b"))[0] for _ in range(3)] == [
        500,
        500,
        200,
    ]

    emu.fail("slow", delay=0.3)
    started = time.monotonic()
    assert (await call(http, emu, "getMe"))[0] == 200
    assert time.monotonic() - started >= 0.3

    emu.block(13)
    status, body = await call(http, emu, "sendMessage", chat_id=13, text="c")
    assert status == 403 and body["description"] == "Forbidden: bot was blocked by the user"
    assert emu.texts(13) == [] and emu.texts(12) == ["b"]


async def test_flood_window_counts_requests_that_ignore_retry_after(emu, http) -> None:
    emu.flood(2)
    status, body = await call(http, emu, "sendMessage", chat_id=11, text="a")
    assert status == 429 and body["parameters"]["retry_after"] == 2
    assert emu.flood_violations == 0
    await call(http, emu, "sendMessage", chat_id=12, text="a")
    assert emu.flood_violations == 1
    assert (await call(http, emu, "getMe"))[0] == 200  # only sends are limited


@pytest.mark.parametrize("kind", ["drop", "drop_after"])
async def test_dropped_connection(emu, http, kind) -> None:
    emu.fail(kind, method="sendMessage")
    with pytest.raises(aiohttp.ClientError):
        await call(http, emu, "sendMessage", chat_id=11, text="丢")
    # drop_after: Telegram accepted the message but the answer was lost
    assert emu.texts(11) == (["丢"] if kind == "drop_after" else [])


async def test_commands_per_scope(emu, http) -> None:
    commands = [{"command": "ask", "description": "问答"}]
    await call(http, emu, "setMyCommands", commands=commands)
    await call(
        http, emu, "setMyCommands", commands=commands * 2, scope={"type": "chat", "chat_id": 5}
    )
    assert emu.commands == {"default": commands, "chat:5": commands * 2}
    status, _ = await call(http, emu, "setMyCommands", commands=[{"command": "x"}])
    assert status == 400
    await call(http, emu, "deleteMyCommands", scope={"type": "chat", "chat_id": 5})
    assert list(emu.commands) == ["default"]


async def test_webhook_push_carries_the_secret_and_retries(emu, http) -> None:
    received: list[tuple[str | None, int]] = []
    failures = {"left": 1}

    async def hook(request: web.Request) -> web.Response:
        update = await request.json()
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), update["update_id"])
        )
        if failures["left"]:
            failures["left"] -= 1
            return web.Response(status=500)
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        await call(
            http, emu, "setWebhook", url=f"http://127.0.0.1:{port}/hook", secret_token="s3cret"
        )
        status, body = await call(http, emu, "getUpdates")
        assert status == 409
        update_id = emu.send_text(11, "推送")
        await emu.wait_idle()
        assert received == [("s3cret", update_id), ("s3cret", update_id)]
        _, body = await call(http, emu, "getWebhookInfo")
        assert body["result"]["url"].endswith("/hook")
        assert body["result"]["pending_update_count"] == 0
        await call(http, emu, "deleteWebhook")
        emu.send_text(11, "轮询")
        _, body = await call(http, emu, "getUpdates")
        assert body["result"][0]["message"]["text"] == "轮询"
    finally:
        await runner.cleanup()


# -- as strict as Telegram (issue 11) ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<br>换行", 'Unsupported start tag "br"'),
        ("<b>加粗", 'Can\'t find end tag corresponding to start tag "b"'),
        ("正文</b>", "Unexpected end tag"),
        ("<b><i>错</b></i>", 'expected "</i>", found "</b>"'),
        ("<span>剧透</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("研究&开发", "Unsupported HTML entity"),
        ("&nbsp;空格", 'Unsupported HTML entity "&nbsp;"'),
        ("a < b", "Unclosed start tag"),
        ("<b>x</b", "Unclosed end tag"),
    ],
)
async def test_html_is_parsed_as_strictly_as_telegram(emu, http, text, reason) -> None:
    status, body = await call(http, emu, "sendMessage", chat_id=11, text=text, parse_mode="HTML")
    assert status == 400
    assert body["description"].startswith("Bad Request: can't parse entities: ")
    assert reason in body["description"]
    assert emu.texts(11) == []


async def test_every_tag_telegram_knows_is_accepted_and_entities_come_back(emu, http) -> None:
    text = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        '<strike>k</strike><del>d</del><a href="https://x.org/?a=1&amp;b=2">链接</a>'
        '<code>c</code><pre>p</pre><span class="tg-spoiler">秘</span><tg-spoiler>密</tg-spoiler>'
        "<blockquote>引</blockquote> &lt;&gt;&amp;&quot;&#26032;&#x1F600;"
    )
    status, body = await call(http, emu, "sendMessage", chat_id=11, text=text, parse_mode="HTML")
    assert status == 200
    result = body["result"]
    assert result["text"] == 'bsieunskd链接cp秘密引 <>&"新😀'  # the parsed text, not the HTML
    link = next(e for e in result["entities"] if e["type"] == "text_link")
    assert link == {"type": "text_link", "offset": 9, "length": 2, "url": "https://x.org/?a=1&b=2"}
    assert emu.last(11).text == text and emu.last(11).plain == result["text"]


async def test_the_length_limit_counts_the_parsed_text_in_utf16_units(emu, http) -> None:
    # 4096 visible characters written as 16384 characters of HTML: Telegram accepts it.
    status, _ = await call(
        http, emu, "sendMessage", chat_id=11, text="&lt;" * 4096, parse_mode="HTML"
    )
    assert status == 200
    status, body = await call(
        http, emu, "sendMessage", chat_id=11, text="<b>&lt;</b>" * 4097, parse_mode="HTML"
    )
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    # An emoji outside the BMP is two UTF-16 units: 2048 fit, 2049 do not.
    assert (await call(http, emu, "sendMessage", chat_id=11, text="😀" * 2048))[0] == 200
    status, body = await call(http, emu, "sendMessage", chat_id=11, text="😀" * 2049)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    message_id = emu.last(11).message_id
    status, body = await call(
        http, emu, "editMessageText", chat_id=11, message_id=message_id, text="字" * 4097
    )
    assert (status, body["description"]) == (400, "Bad Request: MESSAGE_TOO_LONG")


async def test_empty_texts_long_captions_and_long_callback_data_are_refused(emu, http) -> None:
    for text in ("", "  \n ", "<b> </b>"):
        status, body = await call(
            http, emu, "sendMessage", chat_id=11, text=text, parse_mode="HTML"
        )
        assert (status, body["description"]) == (400, "Bad Request: message text is empty")

    async def send_document(caption: str) -> tuple[int, dict[str, Any]]:
        form = aiohttp.FormData()
        form.add_field("chat_id", "11")
        form.add_field("caption", caption)
        form.add_field("parse_mode", "HTML")
        form.add_field("document", b"PK", filename="a.docx")
        async with http.post(f"{emu.api_url}/bot{emu.token}/sendDocument", data=form) as resp:
            return resp.status, await resp.json()

    assert (await send_document("&amp;" * 1024))[0] == 200
    status, body = await send_document("&amp;" * 1025)
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")

    def keyboard(data: str) -> dict[str, Any]:
        return {"inline_keyboard": [[{"text": "按钮", "callback_data": data}]]}

    ok = await call(http, emu, "sendMessage", chat_id=11, text="a", reply_markup=keyboard("x" * 64))
    assert ok[0] == 200
    # 22 Chinese characters are 66 bytes: Telegram counts bytes, not characters.
    status, body = await call(
        http, emu, "sendMessage", chat_id=11, text="a", reply_markup=keyboard("提" * 22)
    )
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


async def test_an_edit_that_changes_nothing_the_member_sees_is_refused(emu, http) -> None:
    _, body = await call(
        http, emu, "sendMessage", chat_id=11, text="<b>会议</b>通知", parse_mode="HTML"
    )
    message_id = body["result"]["message_id"]
    status, body = await call(
        http, emu, "editMessageText", chat_id=11, message_id=message_id,
        text="<strong>会议</strong>通知", parse_mode="HTML",
    )  # fmt: skip
    assert status == 400 and "message is not modified" in body["description"]
    status, _ = await call(
        http, emu, "editMessageText", chat_id=11, message_id=message_id,
        text="<i>会议</i>通知", parse_mode="HTML",
    )  # fmt: skip
    assert status == 200


@pytest.mark.parametrize("kind", ["garbled", "malformed"])
async def test_an_accepted_send_can_be_answered_with_an_unreadable_body(emu, http, kind) -> None:
    emu.fail(kind, method="sendMessage")
    form = {"chat_id": "11", "text": "已收到"}
    async with http.post(f"{emu.api_url}/bot{emu.token}/sendMessage", data=form) as response:
        assert response.status == 200
        body = await response.text()
    assert '"chat"' not in body  # no Message a library could read
    assert emu.texts(11) == ["已收到"]  # but Telegram has it


async def test_a_malformed_update_is_served_as_given(emu, http) -> None:
    update_id = emu.push_update({"message": {"message_id": 1, "chat": "oops", "text": "x"}})
    _, body = await call(http, emu, "getUpdates")
    assert body["result"] == [
        {"update_id": update_id, "message": {"message_id": 1, "chat": "oops", "text": "x"}}
    ]
