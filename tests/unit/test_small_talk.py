"""Which messages are small talk (answered with a greeting) and which are questions."""

from __future__ import annotations

import pytest

from bot.kb.small_talk import small_talk


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你好", "greeting"),
        ("您好！", "greeting"),
        ("你好秘书处", "greeting"),
        ("Hello", "greeting"),
        ("明天见", "greeting"),  # a farewell found a rule holding 明天 and 见
        ("好的，回头见！", "ack"),
        ("哈哈哈", "ack"),
        ("好的我知道了谢谢", "ack"),
        ("没事了", "ack"),
        ("谢谢", "thanks"),
        ("谢谢老师～", "thanks"),
        ("Thank you!", "thanks"),
        ("在吗?", "presence"),
        ("在吗在吗", "presence"),
        ("你能干什么？", "presence"),  # what the bot does: the menu hint, not a rule
        ("你有啥功能", "presence"),
        ("好的", "ack"),
        ("收到，谢谢", "ack"),
        ("你叫啥名字？", "presence"),  # found a rule asking for the sender's 姓名
        ("你是机器人吗", "presence"),
        ("你是谁开发的", "presence"),  # found a rule on the 3. item of a notice
        ("谁开发的你？", "presence"),
        ("1+1等于几？", "noise"),  # trying the bot out: no rule is asked
        ("三加五是多少", "noise"),
        ("12", "noise"),
        ("３", "noise"),
        ("三", "noise"),
        ("😀", "noise"),
        ("。。。", "noise"),
        # no Chinese at all: a test line, a pasted link or code asks no rule
        ("test", "noise"),
        ("asdfghjkl", "noise"),
        ("https://www.example.com/a?b=1", "noise"),
        ("SELECT * FROM users;", "noise"),
    ],
)
def test_small_talk(text: str, kind: str) -> None:
    assert small_talk(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "你好，请问请假要提前几天？",
        "请假",
        "提案",
        "哪些提案不予立案",
        "联名提案最多几个人",
        "12月的会议要请假怎么办",
        "谢谢，另外想问一下社情民意怎么写",
        "第12条",
        "3个人联名加5个人附议算几个人",
        "一年2次加3次是多少分",
        "CPPCC 提案怎么交",
    ],
)
def test_questions_are_not_small_talk(text: str) -> None:
    assert small_talk(text) is None
