"""Words typed by sound: 提按 for 提案, 请架 for 请假, 积份 for 积分, 常为会 for 常委会.

Members type on a phone with pinyin input, so a wrong character is most often one that
sounds the same. A question word no passage holds is looked up by its sound (pypinyin,
toneless) among the words the passages do hold; the most common one of that sound is taken
when all but one of its characters are the ones typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

__all__ = ["Homophones", "fuzzy_sound", "sound"]

_MIN_CHARS = 2  # one character has dozens of homophones: never guessed alone


@cache
def _char_sound(char: str) -> str:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(char)[0]


def sound(word: str) -> str:
    """Toneless pinyin of a Han word ("tian" for 提案), "" for anything else."""
    if not word or not all("\u3400" <= c <= "\u9fff" for c in word):
        return ""
    return " ".join(_char_sound(c) for c in word)


def fuzzy_sound(word: str) -> str:
    """The sound as an input method's 模糊音 setting hears it: zh/ch/sh as z/c/s (视擦 for
    视察; -n and -ng kept apart, or 房本 would be 范本)."""
    return " ".join(re.sub(r"^([zcs])h", r"\1", syllable) for syllable in sound(word).split())


class Homophones:
    """The passages' words by sound, the most common first (附议 and 复议 sound alike)."""

    def __init__(self, words: Iterable[tuple[str, float]]) -> None:
        by_sound: dict[str, list[tuple[float, str]]] = {}
        by_fuzzy: dict[str, list[tuple[float, str]]] = {}
        for word, idf in words:
            if len(word) < _MIN_CHARS or len(set(word)) == 1:
                continue  # (会会 of 会会议 is the segmenter's, no word a member means)
            key = sound(word)
            if key:
                by_sound.setdefault(key, []).append((idf, word))
                by_fuzzy.setdefault(fuzzy_sound(word), []).append((idf, word))
        self._by_sound = {key: [w for _, w in sorted(found)] for key, found in by_sound.items()}
        self._by_fuzzy = {key: [w for _, w in sorted(found)] for key, found in by_fuzzy.items()}

    def find(self, word: str) -> str | None:
        """The passages' word that sounds like ``word``, if it is not ``word`` itself: the
        same sound first, then the same as 模糊音 hears it."""
        if len(word) < _MIN_CHARS:
            return None
        for sounds, key in ((self._by_sound, sound(word)), (self._by_fuzzy, fuzzy_sound(word))):
            for found in sounds.get(key, ()):
                if found == word:
                    return None
                # A slip of the input method changes one character, not the word: 俺有 is
                # not 案由, 复义 is 复议 and not 附议.
                if sum(a == b for a, b in zip(word, found, strict=True)) >= len(word) - 1:
                    return found
        return None
