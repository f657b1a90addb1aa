"""The learned re-ranking of the first passages found (bot/kb/rerank.py, fitted by
bench/kb_rerank.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.kb.qa import Rulebook
from bot.kb.rerank import RERANK_FILE, Candidate, Reranker, candidate_features, passage_reranker
from bot.kb.service import SAMPLE_RULEBOOK
from bot.kb.translation import translation_table
from tests.support.rulebooks import book_of_files, book_of_text


@pytest.fixture(scope="module")
def sample() -> Rulebook:
    return book_of_files(SAMPLE_RULEBOOK)


def test_the_shipped_reranking_is_read() -> None:
    reranker = passage_reranker()
    assert reranker is not None and reranker.depth == 10
    # the question's characters in a passage's title, heading and text count for it
    assert min(reranker.weights[n] for n in ("in_title", "in_heading", "in_body")) > 0


@pytest.mark.parametrize(
    ("question", "source", "locator", "before"),
    [
        # the rights (第三条) before the article on members in general (第二条)
        ("委员享有哪些权利", "member_duties.md", "第三条", "第二条"),
    ],
)
def test_the_learned_order_puts_the_passage_that_answers_first(
    sample: Rulebook, question: str, source: str, locator: str, before: str
) -> None:
    unordered = sample.ranked_with(translation_table()).retrieve(question, k=1)[0]
    assert (unordered.entry.source, unordered.entry.locator) != (source, locator)
    assert unordered.entry.locator == before
    first = sample.retrieve(question, k=1)[0]
    assert (first.entry.source, first.entry.locator) == (source, locator)
    answer = sample.answer(question)
    assert answer.found and (answer.citations[0].source, answer.citations[0].locator) == (
        source,
        locator,
    )


@pytest.mark.parametrize(
    "question",
    ["委员享有哪些权利", "请假需要提前多久", "联名提案最多可以有几个人", "读书会几点开始"],
)
def test_the_scores_shown_fall_in_the_order_given(sample: Rulebook, question: str) -> None:
    relevance = [h.relevance for h in sample.retrieve(question, k=10)]
    assert relevance == sorted(relevance, reverse=True)
    answer = sample.answer(question)
    scores = [c.score for c in answer.citations]
    assert scores == sorted(scores, reverse=True)


def test_a_qa_pages_own_question_line_counts_as_its_heading() -> None:
    body = "什么是社情民意信息？\n答：委员反映的社会情况和意见建议。"
    plain = "社情民意信息由委员报送，每年不少于两篇。"
    feats = candidate_features(
        "社情民意是个啥",
        [
            Candidate(0.9, 0.8, 1.0, 0.9, 0.0, "社情民意问答", "", plain),
            Candidate(0.8, 0.8, 1.0, 0.8, 0.0, "社情民意问答", "", body),
        ],
    )
    assert feats[0]["question_line"] == 0 and feats[1]["question_line"] == 1
    assert feats[1]["in_heading"] > 0 and feats[0]["in_heading"] == 0
    assert feats[0]["inverse_rank"] == 1 and feats[1]["inverse_rank"] == 0.5


def test_a_rulebook_of_a_few_articles_keeps_the_ranking_it_had() -> None:
    text = "请假规定\n第一条 委员请假由秘书长审批。\n第二条 每年视察两次。\n"
    book = book_of_text("q.md", text)
    alone = book.checks_alone()
    question = "请假条交给谁审批"
    assert [h.entry.id for h in book.retrieve(question, k=2)] == [
        h.entry.id for h in alone.retrieve(question, k=2)
    ]


def test_the_weights_written_are_the_weights_read(tmp_path: Path) -> None:
    reranker = Reranker(weights={"in_title": 5.123456, "coverage": 2.0}, depth=7)
    reranker.dump(tmp_path / "r.json", about="test")
    read = Reranker.load(tmp_path / "r.json")
    assert read == Reranker(weights={"coverage": 2.0, "in_title": 5.12346}, depth=7)


def test_a_missing_or_corrupt_file_ranks_without_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert Reranker.load(tmp_path / "none.json") is None
    corrupt = tmp_path / "kb_rerank.json"
    corrupt.write_text('{"depth": "ten", "weights": {}}', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert Reranker.load(corrupt) is None
    assert "could not be read" in caplog.text
    assert RERANK_FILE.name == "kb_rerank.json"


def test_the_setting_off_orders_by_bm25_alone(sample: Rulebook) -> None:
    question = "委员享有哪些权利"
    off = book_of_files(SAMPLE_RULEBOOK, second_opinion=False)
    assert off.retrieve(question, k=1)[0].entry.locator == (
        sample.checks_alone().retrieve(question, k=1)[0].entry.locator
    )
