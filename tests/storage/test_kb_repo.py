"""Knowledge base storage: ingest, re-ingest replacing passages, skip unchanged, forward."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.kb import ingest
from bot.kb.service import KnowledgeBase
from storage.db import Database
from storage.kb import KbRepository
from storage.tables import Member


async def test_reingest_replaces_passages_and_unchanged_is_skipped(
    db: Database, tmp_path: Path
) -> None:
    kb = KnowledgeBase(db=db, sample=None)
    rules = tmp_path / "rules.md"
    rules.write_text(
        "# 请假规定\n\n第一条 请假由秘书长审批。\n\n第二条 请假应当提前两天提出。\n",
        encoding="utf-8",
    )
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 broken")
    first = await kb.ingest_paths([tmp_path])
    assert {r.file_name: (r.outcome, r.error and r.error.reason) for r in first} == {
        "broken.docx": (None, "corrupt"),
        "rules.md": ("added", None),
    }
    assert (await kb.ask("请假由谁审批")).citations[0].locator == "第一条"

    again = await kb.ingest_paths([rules])
    assert again[0].outcome == "unchanged"

    rules.write_text("# 请假规定\n\n第一条 请假由主席审批。\n", encoding="utf-8")
    assert (await kb.ingest_paths([rules]))[0].outcome == "replaced"
    async with db.session() as session:
        stored = await KbRepository(session).passages()
    assert [p.text for p in stored.passages] == ["第一条 请假由主席审批。"]
    answer = await kb.ask("请假由谁审批")
    assert "主席审批" in answer.quote

    assert await kb.remove("rules.md")
    async with db.session() as session:
        assert await KbRepository(session).documents() == []


async def test_a_file_cut_by_an_older_reader_is_cut_again_when_ingested_again(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade that cuts documents differently, `kb ingest` on the same bytes
    replaces the stored passages instead of skipping the file as unchanged."""
    kb = KnowledgeBase(db=db, sample=None)
    rules = tmp_path / "rules.md"
    rules.write_text("# 请假规定\n\n第一条 请假由秘书长审批。\n", encoding="utf-8")
    monkeypatch.setattr(ingest, "STRUCTURE_VERSION", "an older reader")
    assert (await kb.ingest_paths([rules]))[0].outcome == "added"
    assert (await kb.ingest_paths([rules]))[0].outcome == "unchanged"
    monkeypatch.undo()
    assert (await kb.ingest_paths([rules]))[0].outcome == "replaced"
    assert (await kb.ingest_paths([rules]))[0].outcome == "unchanged"


async def test_fresh_database_answers_from_the_sample_rulebook(db: Database) -> None:
    kb = KnowledgeBase(db=db)
    answer = await kb.ask("全体会议提前几天通知")
    assert answer.found and answer.citations[0].source == "meetings.md"


async def test_forwarded_question_is_answered_once(db: Database) -> None:
    async with db.session() as session:
        member = Member(name="张委员")
        session.add(member)
        await session.flush()
        repo = KbRepository(session)
        row = await repo.forward(member_id=member.id or 0, question="委员证丢了怎么补办")
        assert [q.question for q in await repo.pending_questions()] == ["委员证丢了怎么补办"]
        answered = await repo.answer_question(
            row.id or 0, answer="到秘书处补办。", answered_by=None
        )
        assert answered is not None and answered.status == "answered"
        assert await repo.answer_question(row.id or 0, answer="again", answered_by=None) is None
        assert await repo.pending_questions() == []
        assert [q.question for q in await repo.gaps()] == ["委员证丢了怎么补办"]


async def test_two_processes_seeding_the_sample_at_once_store_it_once(db: Database) -> None:
    # Two webhook processes start together on one database and both find it empty.
    first, second = KnowledgeBase(db=db), KnowledgeBase(db=db)
    results = await asyncio.gather(first.ensure_sample(), second.ensure_sample())
    assert sorted(len(r) > 0 for r in results) == [False, True]
    async with db.session() as session:
        names = [d.file_name for d in await KbRepository(session).documents()]
    assert len(names) == len(set(names)) > 0
    assert (await second.ask("全体会议提前几天通知")).found
