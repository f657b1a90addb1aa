"""Small talk is not a question: 你好, 谢谢, 在吗, 好的, a bare number or an emoji.

Searching the rulebook for a greeting finds some article and quotes it as an answer; the
member gets a greeting and a hint at the menu instead. Only a message made entirely of such
words counts: "你好，请问请假要提前几天？" is a question and is searched.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

__all__ = ["SmallTalk", "small_talk"]

SmallTalk = Literal["greeting", "thanks", "presence", "ack", "noise"]

# fmt: off
_KINDS: dict[SmallTalk, tuple[str, ...]] = {
    "greeting": (
        "你好", "您好", "你们好", "大家好", "哈喽", "哈啰", "嗨", "hi", "hello", "hey", "早", "早安", "早上好",
        "上午好", "中午好", "下午好", "晚上好", "晚安", "再见", "拜拜", "bye", "新年好", "过年好", "节日快乐",
        "明天见", "回头见", "下次见", "改天见", "再会", "先这样", "回聊",
    ),
    "thanks": (
        "谢谢", "谢谢你", "谢谢您", "多谢", "感谢", "非常感谢", "谢了", "谢啦", "辛苦了", "辛苦", "thanks", "thankyou",
        "thank", "thx", "麻烦了", "麻烦你了", "麻烦您了",
    ),
    "presence": (
        "在吗", "在么", "在嘛", "在不在", "有人吗", "有人在吗", "在", "喂", "请问", "打扰了", "打扰一下", "你是谁", "你是",
        "机器人", "你能干什么", "你能做什么", "你会什么", "你会干什么", "你能干啥", "你会干啥", "你有什么功能",
        "你有啥功能", "你能帮我干什么", "你能帮我做什么", "怎么用", "你叫啥", "你叫什么", "你叫啥名字",
        "你叫什么名字", "你的名字", "你是人吗", "你是真人吗", "你是机器人吗", "你是ai吗",
        "你是谁开发的", "谁开发的你", "你是谁做的", "谁做的你", "你是哪家公司的", "你是哪个公司的",
    ),
    "ack": (
        "好", "好的", "好滴", "好嘞", "好吧", "嗯", "嗯嗯", "哦", "噢", "收到", "明白", "明白了", "知道了", "了解", "ok",
        "okay", "行", "可以", "没问题", "是的", "对", "哈哈", "呵呵", "嘿嘿", "我知道了", "知道啦", "懂了",
        "我明白了", "明白啦", "没事了", "没事", "不用了",
    ),
}
# Forms of address that may follow a greeting: 你好秘书处, 谢谢老师.
_ADDRESS = (
    "秘书处", "秘书", "老师", "同志", "领导", "小助手", "助手", "机器人", "呀", "啊", "哈", "呢", "啦",
)
# fmt: on

_WORD: dict[str, SmallTalk] = {w: kind for kind, words in _KINDS.items() for w in words}
_ALTERNATION = "|".join(re.escape(w) for w in sorted([*_WORD, *_ADDRESS], key=len, reverse=True))
_ONLY_WORDS = re.compile(f"^(?:{_ALTERNATION})+$")
_FIRST_WORD = re.compile(f"^(?:{_ALTERNATION})")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _core(text: str) -> str:
    """The text without punctuation, spaces, symbols and emoji, lower-cased."""
    kept = [
        ch for ch in text.lower() if not unicodedata.category(ch).startswith(("P", "Z", "S", "C"))
    ]
    return "".join(kept)


# Sums a member tries the bot with (1+1等于几, 三加五是多少): no rule is asked.
_NUMBER = r"[0-9零〇一二三四五六七八九十百两.]+"
_SUM = re.compile(
    rf"^{_NUMBER}\s*(?:[+\-*/×÷]|加|减|乘以?|除以?)\s*{_NUMBER}\s*(?:=|等于|是)?\s*(?:几|多少|啥)?$"
)


def small_talk(text: str) -> SmallTalk | None:
    """What kind of small talk ``text`` is, or None for anything worth searching."""
    normal = unicodedata.normalize("NFKC", text).strip().rstrip("?？!！。 ")
    if _SUM.match(normal):
        return "noise"
    core = _core(normal)
    if not core:
        return "noise"  # punctuation, emoji, stickers rendered as text
    if core.isdigit() or re.fullmatch(r"[零〇一二三四五六七八九十百千万两]+", core):
        return "noise"  # a bare number: a menu choice typed in the wrong place
    if not _HAN.search(core) and core not in _WORD:
        return "noise"  # test, asdfgh, a pasted link: no rule is asked in Latin letters
    if len(core) > 16 or not _ONLY_WORDS.match(core):
        return None
    # The kind of the first word that is not a form of address decides the reply.
    rest = core
    while rest:
        match = _FIRST_WORD.match(rest)
        if match is None:
            break
        word = match.group(0)
        if word in _WORD:
            return _WORD[word]
        rest = rest[len(word) :]
    return "greeting"
