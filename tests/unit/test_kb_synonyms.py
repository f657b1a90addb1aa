"""The committee's colloquial vocabulary (config/kb_synonyms.txt): how members type the
rulebook's terms of art finds them, and no line merges two different meanings."""

from __future__ import annotations

import pytest

from bot.kb.ingest import prepare
from bot.kb.qa import Rulebook
from bot.kb.readers import RawDocument
from bot.kb.tokenize import DEFAULT_SYNONYMS, load_synonyms, shared_tokenizer

RULES = """示例政协委员履职规定（示例）

第一条 委员因故不能出席会议的，应当事先书面请假，由秘书长审批。
第二条 委员无故缺席全体会议两次的，由秘书处进行提醒谈话。
第三条 提案内容空泛、没有具体建议的，不予立案；提案人有异议的，可以申请复核。
第四条 立案的提案由提案委员会交有关承办单位办理，涉及多个单位的确定主办单位。
第五条 社情民意信息被全国政协采用的，每篇计二十分。
第六条 委员被依法追究刑事责任的，撤销其委员资格。
第七条 履职积分每年在全体委员范围内公示七天。
"""


@pytest.fixture(scope="module")
def rules() -> Rulebook:
    tokenizer = shared_tokenizer()
    raw = RawDocument(file_name="rules.txt", text=RULES, content=RULES.encode())
    return Rulebook.from_prepared([prepare(raw, tokenizer=tokenizer)], tokenizer=tokenizer)


@pytest.mark.parametrize(
    ("question", "locator"),
    [
        ("开会去不了咋整", "第一条"),  # 去不了 / 不能出席
        ("提案没立上咋回事", "第三条"),  # 没立上 / 不予立案
        ("我的提案谁来办", "第四条"),  # 谁来办 / 承办单位
        ("被判刑了还能当委员吗", "第六条"),  # 判刑 / 刑事责任
        ("积分公式几天", "第七条"),  # 公式: typed for 公示
    ],
)
def test_colloquial_phrasing_finds_the_article(
    rules: Rulebook, question: str, locator: str
) -> None:
    answer = rules.answer(question)
    assert answer.found
    assert answer.citations[0].locator == locator


@pytest.mark.parametrize(
    "question", ["委员每个月工资多少", "这周郑州天气怎么样", "委员证丢了去哪补办"]
)
def test_near_misses_are_still_refused(rules: Rulebook, question: str) -> None:
    assert not rules.answer(question).found


@pytest.mark.parametrize(
    ("word", "other"),
    [("请假", "缺席"), ("立案", "采用"), ("复核", "复议"), ("不予立案", "立案"), ("附议", "复议")],
)
def test_different_meanings_stay_apart(word: str, other: str) -> None:
    groups = load_synonyms(DEFAULT_SYNONYMS)
    assert other not in groups.get(word, ())


def test_a_counts_unit_is_not_glued_to_what_follows_it() -> None:
    # 多少人才能开 asks how many people (人 / 才), not about talent (人才); 几点上班 asks the hour
    tokens = shared_tokenizer().tokens
    assert "人才" not in tokens("常委会到多少人才能开") and "人" in tokens("常委会到多少人才能开")
    assert "人才" in tokens("人才引进")
    assert tokens("委工委几点上班")[-2:] == ["几点", "上班"]
