from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import UserError
from bot.proposals.proposal_lifecycle import (
    Answer,
    AnswerCategory,
    Assign,
    Decline,
    IllegalTransition,
    Rate,
    Rating,
    Status,
)
from bot.proposals.report_lifecycle import Adopt, AdoptionLevel, SubmitReport
from storage.db import Database
from storage.proposals import Proposals, Reports, SignerStatus
from storage.tables import Member
from tests.support.proposal_texts import GOOD_PROPOSAL, GOOD_REPORT, PARKING_PROPOSAL

T = datetime(2025, 2, 3, 1, 0, tzinfo=UTC)


async def add_members(db: Database) -> list[Member]:
    async with db.session() as s:
        people = [
            Member(name="王芳", phone="13800000001", sector="教育界", unit="市第一中学"),
            Member(name="李强", phone="13800000002", sector="经济界", unit="市工商联"),
            Member(name="张敏", phone="13800000003", sector="医药卫生界", unit="市人民医院"),
            Member(name="赵晓", phone="13800000004", sector="秘书处", roles="secretariat"),
        ]
        s.add_all(people)
        await s.flush()
        return people


async def submitted_proposal(db: Database, author: Member, text=GOOD_PROPOSAL) -> int:  # type: ignore[no-untyped-def]
    async with db.session() as s:
        repo = Proposals(s)
        row = await repo.new_draft(author, at=T)
        await repo.save_draft(
            row,
            title=text.title,
            field=text.field,
            situation=text.situation,
            suggestions=text.suggestions,
        )
        await repo.submit(row, at=T)
        assert row.id is not None
        return row.id


async def test_draft_saved_listed_resumed_and_deleted_by_its_author_only(db: Database) -> None:
    wang, li, *_ = await add_members(db)
    async with db.session() as s:
        repo = Proposals(s)
        draft = await repo.new_draft(wang, at=T)
        await repo.save_draft(draft, title="  关于托育的提案 ", field="教育")
        draft_id = draft.id
    async with db.session() as s:  # days later, a new session
        repo = Proposals(s)
        [resumed] = await repo.drafts_of(wang.id)  # type: ignore[arg-type]
        assert (resumed.id, resumed.title, resumed.proposer["unit"]) == (
            draft_id,
            "关于托育的提案",
            "市第一中学",
        )
        with pytest.raises(UserError) as err:
            await repo.own_draft(li.id, draft_id)  # type: ignore[arg-type]
        assert err.value.key == "proposals.not_yours"
        with pytest.raises(UserError):
            await repo.delete_draft(li.id, draft_id)  # type: ignore[arg-type]
        await repo.delete_draft(wang.id, draft_id)  # type: ignore[arg-type]
        assert await repo.drafts_of(wang.id) == []  # type: ignore[arg-type]
        with pytest.raises(UserError, match="not_found"):
            await repo.own_draft(wang.id, draft_id)  # type: ignore[arg-type]


async def test_joint_proposal_with_a_decline_and_a_lapsed_invitation(db: Database) -> None:
    wang, li, zhang, zhao = await add_members(db)
    async with db.session() as s:
        repo = Proposals(s)
        row = await repo.new_draft(wang, at=T)
        await repo.save_draft(row, title=GOOD_PROPOSAL.title, situation="x", suggestions="y")
        for m in (li, zhang, zhao):
            await repo.invite(row, m)
        with pytest.raises(UserError, match="signer_exists"):
            await repo.invite(row, li)
        with pytest.raises(UserError, match="signer_is_author"):
            await repo.invite(row, wang)
        assert row.kind == "joint"
        pid = row.id
    async with db.session() as s:
        repo = Proposals(s)
        assert [i.proposal_id for i in await repo.invitations_for(li.id)] == [pid]  # type: ignore[arg-type]
        await repo.answer_invitation(pid, zhang.id, accept=False)  # type: ignore[arg-type]
        with pytest.raises(UserError, match="invitation_answered"):
            await repo.answer_invitation(pid, zhang.id, accept=True)  # type: ignore[arg-type]
        with pytest.raises(UserError, match="invitation_missing"):
            await repo.answer_invitation(pid, wang.id, accept=True)  # type: ignore[arg-type]
        row = await repo.require(pid)  # type: ignore[arg-type]
        with pytest.raises(UserError, match="joint_needs_cosigner"):
            await repo.submit(row)
    async with db.session() as s:
        repo = Proposals(s)
        await repo.answer_invitation(pid, li.id, accept=True)  # type: ignore[arg-type]
        row = await repo.require(pid)  # type: ignore[arg-type]
        await repo.submit(row, at=T)
        statuses = {sg.member_id: sg.status for sg in await repo.signers(pid)}  # type: ignore[arg-type]
        assert statuses == {
            li.id: SignerStatus.CONFIRMED,
            zhang.id: SignerStatus.DECLINED,
            zhao.id: SignerStatus.LAPSED,
        }
        # the co-signer sees it among their proposals; the one who declined does not
        assert [p.id for p in await repo.of_member(li.id)] == [pid]  # type: ignore[arg-type]
        assert await repo.of_member(zhang.id) == []  # type: ignore[arg-type]
        with pytest.raises(UserError, match="invitation_closed"):
            await repo.answer_invitation(pid, zhao.id, accept=True)  # type: ignore[arg-type]


async def test_registration_numbers_follow_the_pattern_per_year(db: Database) -> None:
    wang, li, _, clerk = await add_members(db)
    first = await submitted_proposal(db, wang)
    second = await submitted_proposal(db, li, PARKING_PROPOSAL)
    async with db.session() as s:
        repo = Proposals(s)
        for pid in (second, first):
            await repo.register(await repo.require(pid), actor_id=clerk.id, at=T)
        assert (await repo.require(second)).number == "2025-001"
        assert (await repo.require(first)).number == "2025-002"
        with pytest.raises(IllegalTransition):
            await repo.register(await repo.require(first), actor_id=clerk.id)
        history = await repo.history(first)
        assert [(h.action, h.actor_member_id) for h in history] == [
            ("submit", wang.id),
            ("register", clerk.id),
        ]


async def test_merged_proposal_receives_the_host_answer(db: Database) -> None:
    wang, li, _, clerk = await add_members(db)
    host_id = await submitted_proposal(db, wang)
    guest_id = await submitted_proposal(db, li)
    async with db.session() as s:
        repo = Proposals(s)
        host = await repo.require(host_id)
        guest = await repo.require(guest_id)
        with pytest.raises(UserError, match="merge_target_status"):
            await repo.merge(guest, host_id)
        await repo.register(host, actor_id=clerk.id, at=T)
        with pytest.raises(UserError, match="merge_into_self"):
            await repo.merge(host, host_id)
        await repo.merge(guest, host_id, actor_id=clerk.id, at=T)
        await repo.transition(host, Assign(lead_unit="市卫健委", co_units=("市财政局",)), at=T)
        answered = await repo.answer(
            host,
            Answer(category=AnswerCategory.B, document_name="答复函.pdf"),
            document=b"%PDF-1.4 answer",
            at=T + timedelta(days=30),
        )
        assert {p.id for p in answered} == {host_id, guest_id}
    async with db.session() as s:
        guest = await Proposals(s).require(guest_id)
        assert (guest.status, guest.answer_category, guest.lead_unit, guest.co_units) == (
            "answered",
            "B",
            "市卫健委",
            ["市财政局"],
        )
        assert guest.answer_document == b"%PDF-1.4 answer"
        assert guest.merged_into == host_id


async def test_review_queue_overdue_and_rehandling(db: Database) -> None:
    wang, li, zhang, _ = await add_members(db)
    ids = [await submitted_proposal(db, m) for m in (wang, li, zhang)]
    async with db.session() as s:
        repo = Proposals(s)
        assert [p.id for p in await repo.review_queue()] == ids
        declined = await repo.require(ids[2])
        await repo.transition(declined, Decline(ground="personal", note="个人事务"), at=T)
        for pid in ids[:2]:
            row = await repo.require(pid)
            await repo.register(row, at=T)
            await repo.transition(row, Assign(lead_unit="市教育局"), at=T)
        assert await repo.review_queue() == []
        assert await repo.overdue(T + timedelta(days=80)) == []
        late = await repo.overdue(T + timedelta(days=100))
        assert [p.id for p in late] == ids[:2]
        row = await repo.require(ids[0])
        await repo.answer(
            row, Answer(category=AnswerCategory.C, text="留作参考"), at=T + timedelta(days=60)
        )
        await repo.transition(row, Rate(rating=Rating.DISSATISFIED), at=T + timedelta(days=61))
    async with db.session() as s:
        row = await Proposals(s).require(ids[0])
        assert (row.status, row.round, row.rating) == (Status.ASSIGNED, 2, "dissatisfied")
        assert row.deadline_at == datetime(2025, 7, 5, 1, 0, tzinfo=UTC)  # 5 April + 3 months
        assert [p.id for p in await Proposals(s).of_year(2025)] == [ids[0], ids[1], ids[2]]


async def test_similar_proposals_this_term(db: Database) -> None:
    wang, li, *_ = await add_members(db)
    pid = await submitted_proposal(db, wang)
    await submitted_proposal(db, li, PARKING_PROPOSAL)
    async with db.session() as s:
        index = await Proposals(s).similarity_index()
        assert len(index) == 2
        best = index.query("关于增加普惠托育机构托位的提案 托育 托位", top=1)
        assert best[0].ref == pid


async def test_report_adopted_and_history(db: Database) -> None:
    wang, _, _, clerk = await add_members(db)
    async with db.session() as s:
        repo = Reports(s)
        row = await repo.new_draft(wang, at=T)
        await repo.save_draft(
            row,
            category=GOOD_REPORT.category,
            title=GOOD_REPORT.title,
            situation=GOOD_REPORT.situation,
            cause=GOOD_REPORT.cause,
            suggestions=GOOD_REPORT.suggestions,
            urgency="urgent",
        )
        with pytest.raises(ValueError):
            await repo.save_draft(row, status="adopted")
        await repo.transition(row, SubmitReport(), actor_id=wang.id, at=T)
        with pytest.raises(UserError, match="not_a_draft"):
            await repo.save_draft(row, title="改")
        assert [r.id for r in await repo.review_queue()] == [row.id]
        await repo.transition(row, Adopt(level=AdoptionLevel.PROVINCE), actor_id=clerk.id, at=T)
        rid = row.id
    async with db.session() as s:
        repo = Reports(s)
        row = await repo.require(rid)  # type: ignore[arg-type]
        assert (row.status, row.levels, row.reporter["name"]) == ("adopted", ["province"], "王芳")
        assert [h.action for h in await repo.history(rid)] == ["submit", "adopt"]  # type: ignore[arg-type]
        assert [r.id for r in await repo.of_member(wang.id)] == [rid]  # type: ignore[arg-type]
        assert [r.id for r in await repo.of_year(2025)] == [rid]
