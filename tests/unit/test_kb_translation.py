"""The word translation table re-ranking rulebook passages (bot/kb/translation.py, fitted by
bench/kb_translation.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.kb.citations import SourcePassage
from bot.kb.index import PassageIndex
from bot.kb.qa import Rulebook
from bot.kb.service import SAMPLE_RULEBOOK
from bot.kb.tokenize import shared_tokenizer
from bot.kb.translation import (
    TRANSLATION_FILE,
    TranslationTable,
    fit_translation,
    translation_table,
)
from tests.support.rulebooks import book_of_files, book_of_text


@pytest.fixture(scope="module")
def sample() -> Rulebook:
    return book_of_files(SAMPLE_RULEBOOK)


def test_the_shipped_table_is_read() -> None:
    table = translation_table()
    assert table is not None and len(table.table) > 1000
    assert 0 < table.share < 1 and table.weight > 0 and table.longest > 0
    # members' 打官司 is the rules' 诉讼 and 仲裁, their 钱 the rules' 经费: learned, not listed
    assert {"诉讼", "仲裁"} <= set(table.table["打官司"])
    assert "经费" in table.table["钱"]


@pytest.mark.parametrize(
    ("question", "locator"),
    [
        ("提案没立上 是不是就白写了", "第十二条"),  # 没立上 is 不予立案, and what follows it
        ("正在打官司的事能写提案不", "第十一条"),  # 诉讼 among the grounds not registered
        ("书太厚两个月读不完 能延长吗", "第七条"),
    ],
)
def test_members_words_rank_the_article_that_answers_first(
    sample: Rulebook, question: str, locator: str
) -> None:
    assert sample.checks_alone().retrieve(question, k=1)[0].entry.locator != locator
    assert sample.retrieve(question, k=1)[0].entry.locator == locator


def test_fitting_learns_what_members_words_stand_for() -> None:
    # three committees' rules write 书面请假报告 where members ask for a 假条
    pairs = [
        (["假条", "交", "谁"], ["书面", "请假", "报告", "秘书长"], "a"),
        (["假条", "怎么", "写"], ["书面", "请假", "报告", "写明", "事由"], "b"),
        (["假条", "给", "谁"], ["请假", "报告", "秘书处", "书面"], "c"),
        (["提案", "几个", "人"], ["提案", "联名", "十人", "办公室"], "a"),
        (["提案", "交", "哪里"], ["提案", "办公室", "提交"], "b"),
        (["提案", "谁", "审"], ["提案", "审查", "办公室"], "c"),
        # a word of one committee's answers only (its own office) says nothing general
        (["假条", "交", "哪"], ["请假", "报告", "书面", "联络科"], "a"),
    ]
    table = fit_translation(pairs)
    row = table.table["假条"]
    assert max(row, key=row.__getitem__) in {"请假", "报告", "书面"}
    assert "联络科" not in row and "秘书长" not in row
    assert "提案" in table.table["提案"]


def _index(table: TranslationTable | None) -> PassageIndex[SourcePassage]:
    texts = [
        "第一条 委员请假条由委员联络室统一印制，请假条上注明联络室电话。",
        "第二条 委员不能出席会议的，应当提交书面请假报告，由秘书长审批。",
        "第三条 委员每年参加视察活动不少于两次。",
    ]
    passages = [
        SourcePassage(
            id=n, source="q.md", title="请假", locator=t.split()[0], heading_path=(), text=t
        )
        for n, t in enumerate(texts)
    ]
    index = PassageIndex.from_texts(entries=passages, texts=texts, tokenizer=shared_tokenizer())
    return index.translated_by(table)


def test_the_table_puts_the_passage_saying_the_question_first() -> None:
    question = "请假条 交给 哪个 领导"
    assert _index(None).search(question, k=1)[0].entry.locator == "第一条"  # 请假条 as typed
    table = TranslationTable(
        table={
            # (请假条 is read by its part 请假, as a rule writing 请假 apart says it)
            "请假": {"请假": 0.5, "报告": 0.3, "书面": 0.2},
            "交给": {"提交": 0.6},
            "领导": {"秘书长": 0.5},
        }
    )
    hits = _index(table).search(question, k=3)
    assert hits[0].entry.locator == "第二条"
    assert hits[0].said > hits[1].said
    # relevance, shown beside a citation, falls in the order they are given
    assert [h.relevance for h in hits] == sorted((h.relevance for h in hits), reverse=True)


def test_the_table_leaves_a_question_it_cannot_speak_for_to_bm25() -> None:
    table = TranslationTable(table={"请假": {"请假": 1.0}})
    # two words (请假条 审批) are too few; 审批, 领导 and 秘书长 were never asked with
    for question in ("请假条 审批", "请假条 领导 审批 秘书长"):
        assert [h.entry.id for h in _index(table).search(question, k=3)] == [
            h.entry.id for h in _index(None).search(question, k=3)
        ]


def test_a_rulebook_of_a_few_articles_ranks_without_it() -> None:
    book = book_of_text("q.md", "请假规定\n第一条 委员请假由秘书长审批。\n第二条 每年视察两次。\n")
    assert all(h.said == 0 for h in book.retrieve("请假条交给谁审批", k=2))


def test_the_table_written_is_the_table_read(tmp_path: Path) -> None:
    table = TranslationTable(table={"假条": {"请假": 0.61234, "报告": 0.2}}, weight=0.4)
    table.dump(tmp_path / "t.json", about="test")
    read = TranslationTable.load(tmp_path / "t.json")
    assert (
        read is not None
        and read.weight == 0.4
        and read.table == {"假条": {"请假": 0.6123, "报告": 0.2}}
    )


def test_a_missing_or_corrupt_table_ranks_without_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert TranslationTable.load(tmp_path / "none.json") is None
    corrupt = tmp_path / "kb_translation.json"
    corrupt.write_text('{"table": {"假条": "请假"}', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert TranslationTable.load(corrupt) is None
    assert "could not be read" in caplog.text
    assert TRANSLATION_FILE.name == "kb_translation.json"


def test_the_setting_off_ranks_by_bm25_alone(sample: Rulebook) -> None:
    question = "提案审查看哪些方面"
    off = book_of_files(SAMPLE_RULEBOOK, second_opinion=False)
    assert off.retrieve(question, k=1)[0].entry.locator == (
        sample.checks_alone().retrieve(question, k=1)[0].entry.locator
    )
