"""Ranking and the refusal bar: which passage a member's question is answered from."""

from __future__ import annotations

import pytest

from bot.kb.ingest import prepare
from bot.kb.qa import Rulebook
from bot.kb.readers import read_bytes, read_file
from bot.kb.service import SAMPLE_RULEBOOK
from bot.kb.tokenize import shared_tokenizer

_RULES = """信息报送办法

第一条 委员每年至少报送两篇社情民意信息。
第二条 信息采用按采用单位由低到高分为市级采用、省级采用和全国级采用。
第三条 获得市级以上领导同志批示的信息，算作批示件，另行登记。
第四条 秘书处每半年统计一次报送情况。
"""


@pytest.fixture(scope="module")
def sample() -> Rulebook:
    tokenizer = shared_tokenizer()
    docs = [
        prepare(read_file(p), tokenizer=tokenizer) for p in sorted(SAMPLE_RULEBOOK.glob("*.md"))
    ]
    return Rulebook.from_prepared(docs, tokenizer=tokenizer)


def test_a_question_asking_which_kind_is_answered() -> None:
    """哪种 asks for a kind: 种 is no word the passage must hold (it was refused)."""
    tokenizer = shared_tokenizer()
    rulebook = Rulebook.from_prepared(
        [prepare(read_bytes("rules.txt", _RULES.encode()), tokenizer=tokenizer)],
        tokenizer=tokenizer,
    )
    answer = rulebook.answer("领导批示算哪种")
    assert answer.found
    assert answer.citations[0].locator == "第三条"
    assert "批示件" in answer.text


def test_the_article_holding_most_of_the_question_goes_first(sample: Rulebook) -> None:
    """Character pairs rank beside words without outvoting how much of the question a
    passage holds: 请假需要提前多久 is 第六条 (两天前), not the notice or approval article."""
    answer = sample.answer("请假需要提前多久")
    assert answer.citations[0].locator == "第六条"
    assert "两天前" in answer.citations[0].text


@pytest.mark.parametrize(
    "question",
    ["政协委员的工资谁发", "明天天气怎么样", "委员一个月工资多少", "王委员的手机号是多少"],
)
def test_near_misses_stay_refused(sample: Rulebook, question: str) -> None:
    assert not sample.answer(question).found
