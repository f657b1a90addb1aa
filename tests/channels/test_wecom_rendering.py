"""WeCom's renderer, cards and errcode mapping, without a connection."""

from __future__ import annotations

import re

from bot.channels.wecom_cards import BUTTONS_PER_CARD, plan_cards
from bot.channels.wecom_frames import channel_error
from bot.channels.wecom_markdown import MARKDOWN_LIMIT, to_markdown, utf8_len
from bot.errors import ChannelError, RetryAfter, TransientError, Unreachable
from bot.text import Text
from bot.types import Button, Reply


def test_catalogue_markup_becomes_markdown_and_member_text_stays_literal() -> None:
    text = Text.of(
        '<b>{title}</b>\n详见 <a href="https://zx.example.cn/a?b=1">办法</a>',
        {"title": "关于**加粗**与<@all>的[建议](http://evil.cn) #1"},
    )
    [part] = to_markdown(text)
    assert part.startswith("**") and "[办法](https://zx.example.cn/a?b=1)" in part
    assert "<@" not in part and not re.search(r"(?<!\\)\]\(http://evil", part)
    assert r"\*\*加粗\*\*" in part and r"\#1" in part


def test_long_texts_are_cut_within_the_byte_limit_and_nothing_is_lost() -> None:
    paragraphs = [f"第{n}段：" + "委员提出建议。" * 300 for n in range(12)]
    parts = to_markdown(Text.plain("\n\n".join(paragraphs)))
    assert len(parts) > 1
    assert all(utf8_len(p) <= MARKDOWN_LIMIT for p in parts)
    joined = "".join(parts)
    assert all(f"第{n}段" in joined for n in range(12))
    assert joined.count("委员提出建议。") == 12 * 300


def test_buttons_go_six_to_a_card_and_a_long_text_goes_above_them() -> None:
    buttons = tuple((Button(label=Text.plain(f"选项{n}"), action=f"a|{n}||sig"),) for n in range(8))
    contact = (Button(label=Text.plain("分享手机号"), request_contact=True),)
    reply = Reply(text=Text.plain("请选择"), buttons=(*buttons, contact))
    labels = [[f"选项{n}"] for n in range(8)] + [["分享手机号"]]
    plan = plan_cards(reply, "请选择", labels, "请选择：")
    assert [len(g) for g in plan.groups] == [BUTTONS_PER_CARD, 2]  # no contact button
    assert not plan.markdown_first and plan.card_text == "请选择"
    long = plan_cards(reply, "长" * 1000, labels, "请选择：")
    assert long.markdown_first and long.card_text == "请选择："


def test_errcodes_map_to_later_never_and_transient() -> None:
    def error(message: str) -> ChannelError:
        return channel_error(RuntimeError(message), chat_id="zhangsan", pause=30.0)

    later = error("Reply ack error: errcode=45009, errmsg=api freq out of limit")
    assert isinstance(later, RetryAfter) and later.seconds == 30.0
    assert isinstance(error("Reply ack error: errcode=60111, errmsg=userid not found"), Unreachable)
    assert isinstance(error("WebSocket not connected, unable to send data"), TransientError)
    other = error("Reply ack error: errcode=40058, errmsg=invalid parameter")
    assert type(other) is ChannelError and "40058" in str(other)
