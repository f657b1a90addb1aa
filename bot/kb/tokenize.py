"""Chinese segmentation for search, loaded with the committee's vocabulary.

jieba does not know 社情民意 or 有事好商量 and would split them; the words in
``config/kb_vocabulary.txt`` (and any extra file a committee names) are added so they
stay whole. Tokens are folded (full-width -> half-width, lower case), article references
are canonicalised (``第12条`` -> ``第十二条``) and kept as single tokens, counts are
written in digits (三天 -> 3天), question words and punctuation are dropped.

``char_grams`` gives the other view of a text: overlapping character pairs, which match
whatever jieba made of a word (请假条 / 请假 条) and survive a mistyped character.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import threading
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from bot.catalogue import CONFIG_DIR
from bot.kb.normalize import fold
from bot.kb.numerals import REF_RE, canonical_ref, count_digits, int_to_cn, parse_number

__all__ = [
    "ASKING_VERBS",
    "DEFAULT_SYNONYMS",
    "DEFAULT_VOCABULARY",
    "SITUATION_WORDS",
    "STOPWORDS",
    "Tokenizer",
    "char_grams",
    "figures_in_words",
    "load_synonyms",
    "load_vocabulary",
    "shared_tokenizer",
]

DEFAULT_VOCABULARY = CONFIG_DIR / "kb_vocabulary.txt"
DEFAULT_SYNONYMS = CONFIG_DIR / "kb_synonyms.txt"

# Function words and question words: they say nothing about which article answers.
_LONE_HAN = re.compile(r"[\u4e00-\u9fff]")
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "等",
        "之",
        "其",
        "这",
        "那",
        "此",
        "该",
        "把",
        "被",
        "对",
        "向",
        "从",
        "为",
        "以",
        "于",
        "由",
        "将",
        "就",
        "都",
        "也",
        "还",
        "又",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "嘛",
        "哦",
        "请问",
        "请",
        "人家",  # (人家请吃饭: someone, not a thing asked about)
        "归谁",  # (归谁领导, 归谁管: asks who, as 由谁 does)
        "哪些方面",  # (看哪些方面: asks which, as 哪些 does)
        "哪方面",
        "哪些地方",  # (抄送给哪些地方: asks which bodies, as 哪些 does)
        "问",
        "我",
        "我们",
        "你",
        "你们",
        "您",
        "他",
        "她",
        "它",
        "他们",
        "自己",
        "大家",
        "怎么",
        "怎么样",
        "怎样",
        "如何",
        "什么",
        "啥",
        "哪",
        "哪些",
        "哪个",
        "哪里",
        "哪儿",
        "几",
        "多少",
        # the degree asked (多大面积): the figure, not a word a passage holds (多长 is
        # 字数 or 多久 by config/kb_synonyms.txt)
        "多大",
        "第",  # (第2个: the ordinal's mark, which numbers nothing by itself)
        "好",  # (好几次: as many as 几 asks)
        "啥事",  # (管些啥事, 有啥事找谁: asks what, as 啥 does)
        "叫",  # (都叫啥: asks the names)
        "比",  # (比别的专委会多管啥: compares; the things compared are the words)
        "多高",
        "多远",
        "多宽",
        "是否",
        "是不是",
        "有没有",
        "能",
        "能否",
        "能不能",
        "可以",
        "可不可以",
        "需要",
        "要",
        "应该",
        "应当",
        "会",
        "得",
        "想",
        "知道",
        "一下",
        "告诉",
        "有",
        "没有",
        "吗？",
        "个",
        "些",
        "们",  # (副主席们: the office, said of several)
        "一个",
        "一些",
        "哪位",
        "谁",
        "时候",
        "时",
        "后",
        "前",
        "中",
        "上",
        "下",
        "里",
        "内",
        # how members type on a phone
        "咋",
        "咋办",
        "咋样",
        "咋整",
        "咋弄",
        "咋算",
        "啥时候",
        "干啥",
        "干嘛",
        "行不行",
        "行吗",
        "行",
        "算不算",
        "能不能",
        "不能",
        "会不会",
        "要不要",
        "还是",
        "一下子",
        "到底",
        "咱",
        "咱们",
        "俺",
        "帮",
        "给",
        "跟",
        "去",
        "来",
        "说",
        "让",
        "找",
        "搞",
        "弄",
        "吗?",
        "不",
        "没",
        "过",
        "着",
        "最",
        "多",
        "啥意思",
        "什么意思",
        "一共",
        "总共",
        "必须",
        "有人",
        "针对",
        "关于",
        "太",
        "老",
        "才能",
        "没法",
        "某个",
        "某人",
        "某位",
        "某些",
        # only (光写建议, 纯学术讨论): how much, not what
        "光",
        "纯",
        "净",
        "单单",
        "仅仅",
        # asking for it to be told (简单说下, 讲讲): how, not what
        "简单",
        "说说",
        "说下",
        "讲讲",
        "讲下",
        "聊聊",
        "除了",
        "还有",
        "一声",
        "合适",
        "具体",
        "直接",
        "已经",
        "正在",
        "还能",
        "再",
        "关系",
        "区别",
        "差别",
        "不同",
        "不一样",
        # greetings and courtesy around a question
        "你好",
        "您好",
        "谢谢",
        "麻烦",
        "打扰",
        "老师",
        "同志",
        "想问",
        "问下",
        "问一下",
        "请教",
        "多谢",
        "啦",
        # asking why, how and whether, as typed on a phone (issue 13)
        "为什么",
        "为啥",
        "怎么办",
        "怎么回事",
        "回事",
        "什么样",
        "需不需要",
        "用不用",
        "有用吗",
        "搞不清",
        "听说",
        "据说",
        "大概",
        "大约",
        # function words a question leans on that no article is found by
        "才",
        "而",
        "但",
        "但是",
        "如果",
        "要是",
        "的话",
        "因为",
        "所以",
        "呗",
        "哈",
        "嗯",
        "这个",
        "那个",
        "这样",
        "那样",
        "比较",
        "很",
        "非常",
        # whether something counts: asked of every rule, the name of none
        "算数",
        "不算数",
        "算不算数",
        # colloquial fillers around what is asked: how it happened, where, roughly when
        "东西",
        "有点",
        "有些",
        "感觉",
        "觉得",
        "好像",
        "似乎",
        "突然",
        "忽然",
        "正好",
        "刚好",
        "恰好",
        "赶上",
        "碰上",
        "遇到",
        "出来",
        "起来",
        "过去",
        "过来",
        "下来",
        "上去",
        "进来",
        "进去",
        "里面",
        "里头",
        "外面",
        "中间",
        "这边",
        "那边",
        "下周",
        "这周",
        "一直",
        "马上",
        "其实",
        "反正",
        "真的",
        "随便",
        "就是",
        "看到",
        "看见",
        "一点",
        "有点儿",
        "事儿",
        "这事",
        "那事",
    ]
)
# The people and times of a member's own situation (我妈病危 能请假吗, 晚上能回家吗): they set
# the scene of a question about a rule, never the thing asked, unless the rulebook names them.
SITUATION_WORDS = frozenset(
    [
        "妈",
        "爸",
        "我妈",
        "我爸",
        "妈妈",
        "爸爸",
        "老妈",
        "老爸",
        "父母",
        "爹",
        "娘",
        "老人",
        "孩子",
        "小孩",
        "儿子",
        "女儿",
        "闺女",
        "老婆",
        "老公",
        "媳妇",
        "对象",
        "爱人",
        "家里",
        "家里人",
        "家人",
        "朋友",
        "同事",
        "邻居",
        "邻居家",
        "我家",
        "早上",
        "上午",
        "中午",
        "下午",
        "晚上",
        "白天",
        "当天",
        "那天",
        "那几天",
    ]
)
# Verbs members ask with that rules put otherwise (算不算, 算缺席吗, 怎么算: the rules say 视为,
# 计, 按…计算; 会影响档案吗: they say what goes into it): where the rulebook never writes
# them, they name nothing asked about, and weighing them as rare words would refuse the
# question.
ASKING_VERBS = frozenset({"算", "影响"})
# Words a question is put in the rules' terms with (会在哪开: 地点), which the rules asked
# may not use: dropped where no passage holds them, as the asking verbs are.
RULES_TERMS_ADDED = frozenset({"地点"})
# jieba's dictionary counts: 议案 2909, 体检 583, 复义 3.
_COMMON_WORD_FREQ = 100
_NO_PLACE_ENDINGS = tuple("度率性感力量")
_NOUN_TAGS = frozenset({"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "ng", "j", "vn"})
# A verb, a modal (能, 会) or 多 (最多拉) heading a glued phrase; below this frequency a
# dictionary entry may be such glue rather than an everyday noun (补贴 is one).
_VERB_HEAD_TAGS = frozenset({"v", "vn", "d", "m"})
_RARE_ENTRY_FREQ = 200
# What 多 asks the degree of: 多大 (面积), 多长 (篇幅), 多高, 多远, 多久.
_DEGREES = frozenset("大长高远重宽厚久")
# What a count asked (几个人, 多少次) counts, left at the head of the words after it.
_COUNTED_UNITS = frozenset("人名位次天件篇条")
# A count asked (多少, 几成, 3) before its unit, and what may follow the unit (才, 就)
_COUNT_BEFORE = re.compile(r"(?:几|多少|[0-9])[成个]?$")
_AFTER_A_COUNT = frozenset("才就")
_HOUR_ASKED = "几点"
# "几天", "几次", "多少分": the question word goes, the unit asked about stays.
# "几个人": the measure word goes with it (a member asks about 人, not 个人).
_ASKING_PREFIX = re.compile(r"^(?:几|多少)(?:个(?=.))?(?=.)(?!点钟?$)")
# jieba's dictionary glues the question word into a phrase (提前几天, 扣几分, 干几年,
# 进几个专委会): no rule holds the phrase, so its parts are the words of each side
# (提前 + 天), not the sub-words around the question word (几天).
_ASKING_INSIDE = re.compile(r"(?<=.)(?:几|多少)(?:个(?=.))?")
_WORD = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
_MAX_SUBWORD = 5
# Part of the signature: stored tokens made by an older tokens() are made again.
_TOKENS_VERSION = "57"
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+|[0-9]+(?:\.[0-9]+)?|[a-z]+")
# Characters that carry no meaning alone and make pairs that match everywhere.
_GRAM_SKIP = re.compile(
    "[的了是在和与及或等之其这那此该把被对向从为以于由将就都也还又吗呢吧啊呀么嘛哦]"
)


# A share typed in digits (2/3, 15%) is the one a rule writes in words (三分之二, 百分之十五).
_FRACTION = re.compile(r"(?<![0-9/])([0-9]{1,2})\s*/\s*([0-9]{1,2})(?![0-9/])")
_PERCENT = re.compile(r"(?<![0-9.])([0-9]{1,3})\s*%")


def figures_in_words(text: str) -> str:
    """A percentage or fraction written as the words the tokens hold (20% -> 百分之二十)."""
    return _in_words(text) if "/" in text or "%" in text else text


def _in_words(text: str) -> str:
    text = _FRACTION.sub(
        lambda m: f"{int_to_cn(int(m.group(2)))}分之{int_to_cn(int(m.group(1)))}", text
    )
    return _PERCENT.sub(lambda m: f"百分之{int_to_cn(int(m.group(1)))}", text)


def char_grams(text: str) -> list[str]:
    """Character pairs of the Han runs (digits and Latin words whole), counts in digits."""
    text = _GRAM_SKIP.sub("", count_digits(fold(text)))
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        if len(run) == 1 or not "\u3400" <= run[0] <= "\u9fff":
            out.append(run)
        else:
            out += [run[i : i + 2] for i in range(len(run) - 1)]
    return out


def load_vocabulary(paths: Iterable[Path]) -> list[str]:
    words: list[str] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip().split()
            if word:
                words.append(word[0])
    return list(dict.fromkeys(words))


def load_synonyms(path: Path) -> dict[str, tuple[str, ...]]:
    """Each line is a group of words meaning the same for search."""
    groups: dict[str, tuple[str, ...]] = {}
    if not path.is_file():
        return groups
    for line in path.read_text(encoding="utf-8").splitlines():
        words = tuple(dict.fromkeys(line.split("#", 1)[0].split()))
        for word in words:
            groups[word] = tuple(dict.fromkeys((*groups.get(word, ()), *words)))
    return groups


class Tokenizer:
    """A jieba tokenizer of its own (the global one is left alone) plus our vocabulary."""

    def __init__(
        self, *, vocabulary: Sequence[str], synonyms: dict[str, tuple[str, ...]] | None = None
    ) -> None:
        self.vocabulary = tuple(vocabulary)
        self.synonyms = synonyms or {}
        self.signature = hashlib.sha256(
            "\n".join((_TOKENS_VERSION, *self.vocabulary, *sorted(self.synonyms))).encode()
        ).hexdigest()[:16]
        self._jieba: Any = None  # a jieba.Tokenizer, made with the dictionary on first use
        self._lock = threading.Lock()
        self._ready = False
        self._tagger: Any = None  # a jieba.posseg.POSTokenizer, made on first use

    @classmethod
    def from_files(cls, *paths: Path, extra_words: Iterable[str] = ()) -> Tokenizer:
        return cls(
            vocabulary=[*load_vocabulary(paths or (DEFAULT_VOCABULARY,)), *extra_words],
            synonyms=load_synonyms(DEFAULT_SYNONYMS),
        )

    def _ensure_ready(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            # Importing jieba alone takes a tenth of a second: a process that never tokenizes
            # (the command line, most of a bot's life before the first question) never pays.
            import jieba

            jieba.setLogLevel(logging.WARNING)
            self._jieba = jieba.Tokenizer()
            self._jieba.initialize()
            for word in self.vocabulary:
                # A frequency well above the parts of the word keeps it whole.
                self._jieba.add_word(word, freq=max(self._jieba.suggest_freq(word, False), 1000))
            for word in self.synonyms:
                self._jieba.add_word(word, freq=max(self._jieba.suggest_freq(word, False), 100))
            self._ready = True

    def is_word(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (a word, not a typo like 提按)."""
        self._ensure_ready()
        return bool(self._jieba.FREQ.get(word))

    def is_common_word(self, word: str) -> bool:
        """A word of everyday use (议案, 体检), not a rare one an input method may have
        produced for another of the same sound (复义 for 复议)."""
        self._ensure_ready()
        return (self._jieba.FREQ.get(word) or 0) >= _COMMON_WORD_FREQ

    def is_noun(self, word: str) -> bool:
        """Whether ``word`` names a thing (工资, 护照, 人大代表) rather than asks about one.

        A question naming a thing no rulebook passage mentions is most likely about
        something else; a verb or adverb the rulebook never uses (拖, 往后) is just how
        the member put it."""
        self._ensure_ready()
        with self._lock:
            if self._tagger is None:
                import jieba.posseg

                self._tagger = jieba.posseg.POSTokenizer(self._jieba)
            tagged = self._tagger.lcut(word)
        if not tagged:
            return False
        last = tagged[-1]
        if last.flag == "x" and len(last.word) > 2:
            # A committee term of the vocabulary comes untagged: its longest tagged
            # ending says what it is (双月协商座谈会: 座谈会, 委员工作科: 科).
            tags = self._tagger.word_tag_tab
            for i in range(1, len(last.word)):
                if last.word[i:] in tags:
                    return tags[last.word[i:]] in _NOUN_TAGS
        # The last word of a compound carries its part of speech (坐飞机: 飞机).
        return last.flag in _NOUN_TAGS and not self._verb_phrase(last.word)

    def is_place(self, word: str) -> bool:
        """Whether ``word`` is a place's name (威海市, 道里区, 江苏): in a question it says
        which committee's rules are meant, not what a rule must say."""
        self._ensure_ready()
        with self._lock:
            if self._tagger is None:
                import jieba.posseg

                self._tagger = jieba.posseg.POSTokenizer(self._jieba)
            tagged = self._tagger.lcut(word)
        # (jieba's dictionary calls some abstract nouns places: 满意度)
        return (
            len(tagged) == 1
            and tagged[0].flag == "ns"
            and len(word) >= 2
            and not word.endswith(_NO_PLACE_ENDINGS)
        )

    def is_verb(self, word: str) -> bool:
        """Whether jieba reads ``word`` as one verb (推销, 提拔), not as a thing."""
        self._ensure_ready()
        with self._lock:
            if self._tagger is None:
                import jieba.posseg

                self._tagger = jieba.posseg.POSTokenizer(self._jieba)
            tagged = self._tagger.lcut(word)
        return len(tagged) == 1 and tagged[0].flag in ("v", "vd")

    def _verb_phrase(self, word: str) -> bool:
        """A rare entry jieba tags a noun that is a verb and what follows it, glued from
        a member's phrase: 帮别人 (帮 别人), 投一票 (投 一票), 能带 (能 带), 多拉 (最多拉几个人)."""
        freq = self._jieba.FREQ
        if (freq.get(word) or 0) >= _RARE_ENTRY_FREQ:
            return False
        splits = [
            (freq[word[:i]] * freq[word[i:]], word[:i], word[i:])
            for i in range(1, len(word))
            if freq.get(word[:i]) and freq.get(word[i:])
        ]
        if not splits:
            return False
        _, head, rest = max(splits)
        tags = self._tagger.word_tag_tab
        # 转圈, 进场: a verb and its measure-word object, a thing all the same
        return tags.get(head) in _VERB_HEAD_TAGS and tags.get(rest) not in {*_NOUN_TAGS, "q"}

    def segment_all(self, text: str) -> list[str]:
        """Every piece of ``text`` as jieba cuts it (no HMM), spaces included: their
        lengths add up to the text's."""
        self._ensure_ready()
        return list(self._jieba.lcut(text, HMM=False))

    def segment(self, text: str) -> list[str]:
        """Precise segmentation (whitespace dropped), as a member would read the words."""
        self._ensure_ready()
        return [w for w in self._jieba.lcut(text, HMM=True) if w.strip()]

    def tokens(self, text: str) -> list[str]:
        """Search tokens: folded words plus their dictionary sub-words, references whole."""
        self._ensure_ready()
        text = fold(text)
        out: list[str] = []

        def keep_ref(match: re.Match[str]) -> str:
            with contextlib.suppress(ValueError):
                out.append(canonical_ref(parse_number(match.group(1)), match.group(2)))
            return " "

        if "/" in text or "%" in text:
            text = _in_words(text)
        if "俩" in text or "仨" in text:
            text = text.replace("俩", "两个").replace("仨", "三个")  # (as members say two, three)
        text = count_digits(REF_RE.sub(keep_ref, text))
        # No HMM: it glues unknown neighbours into non-words (证要, 分算) that no passage holds.
        words = self._ungrade(self._jieba.lcut(text, HMM=False))
        for at, word in enumerate(words):
            if (counted := self._counted_apart(word)) is not None:
                out.extend(counted)
                continue
            if (
                len(word) == 2
                and word[0] in _COUNTED_UNITS
                and word[1] in _AFTER_A_COUNT
                and at > 0
                and _COUNT_BEFORE.search(words[at - 1])
            ):
                out.append(word[0])  # 多少人才能开: 人 / 才, not 人才; 几天才办完: not 天才
                continue
            if len(word) > 2 and word.startswith(_HOUR_ASKED):
                # 几点上班: the hour asked, then what is done at it
                out.append(_HOUR_ASKED)
                out.extend(self._word_tokens(word[len(_HOUR_ASKED) :]))
                continue
            word = _ASKING_PREFIX.sub("", word.strip())
            if word == "请" and _LONE_HAN.fullmatch(words[at + 1] if at + 1 < len(words) else ""):
                # 请架: a slip for 请假 that jieba left in pieces, kept for the question's
                # reading to put together by sound (it drops a 请 it cannot)
                out.append(word)
                continue
            if not word or word in STOPWORDS or not _WORD.search(word):
                continue
            if "几" in word or "多少" in word:
                out.extend(self._word_tokens(word))
            else:
                out.extend(self._subwords(word))
                out.append(word)
        return out

    def _ungrade(self, words: list[str]) -> list[str]:
        """多 / 大面积 cut back to 多大 / 面积: jieba glues the degree a question asks (多大,
        多长) onto the noun after it, which is then a word no rulebook holds."""
        out: list[str] = []
        for word in words:
            if out and out[-1] == "多" and len(word) > 2 and word[0] in _DEGREES:
                out[-1] += word[0]
                out.extend(self._jieba.lcut(word[1:], HMM=False))
            else:
                out.append(word)
        return out

    def _counted_apart(self, word: str) -> list[str] | None:
        """几个人联名: the unit counted (人), then what is done (联名), not 人联名; None
        when ``word`` is no count glued to a word."""
        asked = _ASKING_PREFIX.sub("", word.strip())
        if asked == word.strip() or len(asked) < 3 or asked[0] not in _COUNTED_UNITS:
            return None
        if not self._jieba.FREQ.get(asked[1:]):
            return None
        return [asked[0], *self._word_tokens(asked[1:])]

    def _word_tokens(self, word: str) -> list[str]:
        if (counted := self._counted_apart(word)) is not None:
            return counted
        word = _ASKING_PREFIX.sub("", word.strip())
        if not word or word in STOPWORDS or not _WORD.search(word):
            return []
        if ("几" in word or "多少" in word) and _ASKING_INSIDE.search(word):
            # the sides stand before the phrase as its parts: one question word still
            return [
                *dict.fromkeys(
                    token
                    for side in _ASKING_INSIDE.split(word)
                    for part in self._jieba.lcut(side, HMM=False)
                    for token in self._word_tokens(part)
                ),
                word,
            ]
        return [*self._subwords(word), word]

    def _subwords(self, word: str) -> list[str]:
        """Dictionary words inside a long word: 社情民意信息 also yields 社情民意, 民意, 信息.

        jieba's search mode stops at three characters, which would lose four-character
        committee terms inside longer ones.
        """
        if len(word) <= 2:
            return []
        known = self._jieba.FREQ
        return [
            word[i : i + n]
            for n in range(2, min(len(word) - 1, _MAX_SUBWORD) + 1)
            for i in range(len(word) - n + 1)
            if known.get(word[i : i + n]) and word[i : i + n] not in STOPWORDS
        ]


@cache
def shared_tokenizer(
    extra_files: tuple[Path, ...] = (), extra_words: tuple[str, ...] = ()
) -> Tokenizer:
    """One tokenizer per vocabulary per process: loading jieba's dictionary takes a second."""
    return Tokenizer.from_files(DEFAULT_VOCABULARY, *extra_files, extra_words=extra_words)
