"""第一提案人 and 联名 told apart, and 优秀提案 as the secretariat's mark on a proposal: what a
member reads in ``/myproposals`` and ``/record``, what a co-signer may not do, the DOCX
header, and ``committee-bot proposals excellent`` from the terminal (on both databases)."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from sqlmodel import col, select

from bot.app import App, build_app
from bot.errors import UserError
from bot.proposals.excellence import mark_excellent
from bot.proposals.office import Office
from bot.settings import Settings
from storage.record import RecordRepo
from storage.tables import Member, Proposal, ProposalSigner, SubmissionHistory
from tests.flows.test_daily_jobs import _member_id
from tests.flows.test_record_cli import _Out, url  # noqa: F401  (url is a fixture)
from tests.support.chat import Chat, add_member

ANSWERED = datetime(2026, 2, 20, tzinfo=UTC)


def _proposal(author_id: int, name: str, sector: str, number: str, title: str) -> Proposal:
    seq = int(number.rsplit("-", 1)[1])
    return Proposal(
        year=2026,
        author_id=author_id,
        kind="joint",
        status="answered",
        title=title,
        field="城建",
        proposer={"name": name, "sector": sector},
        number=number,
        seq=seq,
        submitted_at=datetime(2026, 1, 10, tzinfo=UTC),
        registered_at=datetime(2026, 1, 20, tzinfo=UTC),
        answered_at=ANSWERED,
        answer_category="A",
        answer_text="已办理",
    )


async def _three_proposals(app: App, me: int) -> tuple[int, int, int]:
    """Mine (2026-001); 李委员's, which I co-signed (2026-002, 重点提案); 王委员's, to which I
    was only invited (2026-003)."""
    li = await add_member(app, name="李委员", phone="13900000002", sector="教育界")
    wang = await add_member(app, name="王委员", phone="13900000003", sector="农业界")
    async with app.db.session() as s:
        mine = _proposal(me, "张委员", "经济界", "2026-001", "关于老旧小区加装电梯的提案")
        theirs = _proposal(li.id or 0, "李委员", "教育界", "2026-002", "关于普惠托育的提案")
        theirs.is_key = True
        invited = _proposal(wang.id or 0, "王委员", "农业界", "2026-003", "关于高标准农田的提案")
        s.add_all([mine, theirs, invited])
        await s.flush()
        s.add(ProposalSigner(proposal_id=theirs.id or 0, member_id=me, status="confirmed"))
        s.add(ProposalSigner(proposal_id=invited.id or 0, member_id=me, status="invited"))
        return mine.id or 0, theirs.id or 0, invited.id or 0


async def _row(app: App, pid: int) -> Proposal:
    async with app.db.session() as s:
        row = await s.get(Proposal, pid)
        assert row is not None
        return row


def _office(app: App, session: object) -> Office:
    return Office(
        session=session,  # type: ignore[arg-type]
        catalogue=app.services.catalogue,
        signer=app.services.signer,
        zone=app.settings.zone,
        actor_label="cli:test",
    )


async def test_my_proposals_lists_led_and_cosigned_apart(app: App, member_chat: Chat) -> None:
    me = await _member_id(app, member_chat)
    _, theirs, _ = await _three_proposals(app, me)
    await member_chat.send("/myproposals")
    text = member_chat.text
    assert "第一提案人（1 件）" in text and "联名（1 件，第一提案人为他人，仅供查看）" in text
    assert text.index("第一提案人（1 件）") < text.index("2026-001") < text.index("联名（1 件")
    assert text.index("联名（1 件") < text.index("2026-002")
    assert "2026-001《关于老旧小区加装电梯的提案》 已答复" in text
    assert "2026-002《关于普惠托育的提案》 已答复（重点提案） 第一提案人：李委员" in text
    assert "高标准农田" not in text  # an invitation not (yet) accepted is no co-signature
    assert member_chat.labels == ["查看 2026-001", "查看联名 2026-002"]

    await member_chat.press("查看 2026-001")
    assert "您的身份：第一提案人" in member_chat.text
    assert {"满意", "基本满意", "不满意"} <= set(member_chat.labels)

    await member_chat.send("/myproposals")
    await member_chat.press("查看联名 2026-002")
    assert "您的身份：联名提案人（第一提案人：李委员）" in member_chat.text
    assert "由第一提案人评价办理结果" in member_chat.text
    assert member_chat.labels == ["下载 Word 文本"]  # read-only: no rating for a co-signer
    await member_chat.press("下载 Word 文本")
    assert member_chat.replies[0].document is not None  # the documents stay readable

    # A rating button made for the co-signer by hand is refused in Chinese; nothing changes.
    forged = app.services.signer.sign(f"m{me}", "proposal.rate", (theirs, "dissatisfied"))
    await member_chat.press_payload(forged)
    assert member_chat.text == (
        "《关于普惠托育的提案》是您联名的提案，办理结果由第一提案人评价；您可以查看办理情况和文档。"
    )
    row = await _row(app, theirs)
    assert (row.status, row.rating) == ("answered", None)


async def test_someone_elses_proposal_stays_closed(app: App, member_chat: Chat) -> None:
    me = await _member_id(app, member_chat)
    _, _, invited = await _three_proposals(app, me)
    # invited but not confirmed: neither the view nor the rating opens
    for action, args in (("proposal.show", (invited,)), ("proposal.rate", (invited, "satisfied"))):
        await member_chat.press_payload(app.services.signer.sign(f"m{me}", action, args))
        assert member_chat.text == "这不是您的提案。"


async def test_an_excellent_proposal_counts_for_lead_and_cosigner(
    app: App, member_chat: Chat
) -> None:
    me = await _member_id(app, member_chat)
    _, theirs, _ = await _three_proposals(app, me)
    li = await Chat.verified(app, await _member(app, "李委员"))
    async with app.db.session() as s:
        marked = await mark_excellent(_office(app, s), "2026-002")
    assert marked.excellent

    await member_chat.send("/record")
    assert "· 优秀提案（联名提案人）：1 件，2 分" in member_chat.text
    assert "优秀提案（第一提案人）" not in member_chat.text
    await li.send("/record")
    assert "· 优秀提案（第一提案人）：1 件，10 分" in li.text
    assert "优秀提案（联名提案人）" not in li.text
    told = await member_chat.outbox_texts()
    assert "您联名的提案 2026-002《关于普惠托育的提案》被评为优秀提案。" in told
    assert "您的提案 2026-002《关于普惠托育的提案》被评为优秀提案。" in await li.outbox_texts()

    await member_chat.send("/myproposals")
    assert "已答复（重点提案）（优秀提案） 第一提案人：李委员" in member_chat.text
    await member_chat.press("查看联名 2026-002")
    assert "评为优秀提案" in member_chat.text  # in the history
    await member_chat.press("下载 Word 文本")
    document = member_chat.replies[0].document
    assert document is not None
    lines = [p.text for p in Document(io.BytesIO(document.content)).paragraphs]
    assert "【重点提案】　【优秀提案】" in lines

    async with app.db.session() as s:
        with pytest.raises(UserError) as again:
            await mark_excellent(_office(app, s), "2026-002")
    assert again.value.key == "proposal_roles.already_excellent"
    async with app.db.session() as s:
        await mark_excellent(_office(app, s), theirs, flag=False)
        history = list(
            await s.exec(
                select(SubmissionHistory.action)
                .where(SubmissionHistory.subject_id == theirs)
                .order_by(col(SubmissionHistory.id))
            )
        )
    assert history == ["excellent", "excellent_undo"]
    await li.send("/record")
    assert "优秀提案" not in li.text
    # a manual entry still corrects the record (e.g. an appraisal before the bot was used)
    async with app.db.session() as s:
        await RecordRepo(s).add_entry(
            member_id=(await _member(app, "李委员")).id or 0,
            year=2026,
            item="proposal_lead_excellent",
            entered_by="cli:test",
        )
    await li.send("/record")
    assert "· 优秀提案（第一提案人）：1 件，10 分" in li.text


async def test_only_a_registered_live_proposal_can_be_excellent(
    app: App, member_chat: Chat
) -> None:
    me = await _member_id(app, member_chat)
    async with app.db.session() as s:
        draft = Proposal(year=2026, author_id=me, status="submitted", title="甲")
        s.add(draft)
        await s.flush()
        with pytest.raises(UserError) as refused:
            await mark_excellent(_office(app, s), draft.id or 0)
    assert app.services.catalogue.s(refused.value.key, **refused.value.params) == (
        "#1《甲》目前状态为“已提交”；只有已立案、交办、答复或评价的提案可以评为优秀提案。"
    )
    assert not (await _row(app, draft.id or 0)).excellent


async def _member(app: App, name: str) -> Member:
    async with app.db.session() as s:
        return (await s.exec(select(Member).where(Member.name == name))).one()


# -- the terminal ----------------------------------------------------------------------------
async def _committee(db_url: str) -> None:
    """Migrated as the CLI does; 王建国 leads 2026-001 which 李秀梅 co-signed, and a submitted
    proposal not yet registered."""
    app = await build_app(
        settings=Settings(database_url=db_url),  # type: ignore[arg-type]
        upgrade=True,
        serving=False,
    )
    try:
        wang = await add_member(app, name="王建国", phone="13800000001")
        li = await add_member(app, name="李秀梅", phone="13800000002", sector="教育界")
        async with app.db.session() as s:
            lead = _proposal(wang.id or 0, "王建国", "经济界", "2026-001", "关于加装电梯的提案")
            s.add(lead)
            s.add(
                Proposal(
                    year=2026,
                    author_id=li.id or 0,
                    status="submitted",
                    title="乙",
                    proposer={"name": "李秀梅", "sector": "教育界"},
                )
            )
            await s.flush()
            s.add(
                ProposalSigner(
                    proposal_id=lead.id or 0,
                    member_id=li.id or 0,
                    status="confirmed",
                    details={"name": "李秀梅", "sector": "教育界"},
                )
            )
    finally:
        await app.db.dispose()


def test_excellent_from_the_terminal(url: str, tmp_path: Path) -> None:  # noqa: F811
    asyncio.run(_committee(url))

    def cli(*args: str) -> _Out:
        return _Out(args, url)

    done = cli("proposals", "excellent", "2026-001")
    assert done.returncode == 0, done.stderr
    assert "2026-001《关于加装电梯的提案》已评为优秀提案。" in done.stdout
    assert (
        "· 优秀提案（第一提案人）：1 件，10 分" in cli("record", "王建国", "--year", "2026").stdout
    )
    assert (
        "· 优秀提案（联名提案人）：1 件，2 分" in cli("record", "李秀梅", "--year", "2026").stdout
    )
    figures = cli("stats", "--year", "2026").stdout
    assert "优秀提案：1 件" in figures
    assert "立案提案按界别（按第一提案人）：经济界 1" in figures
    assert "联名人次按界别（立案提案的联名委员）：教育界 1" in figures
    assert "提出提案的委员：第一提案人 2 人；联名委员 1 人，共 1 人次" in figures
    assert "（第一提案人件数 / 联名件数）：李秀梅 1 / 1，王建国 1 / 0" in figures

    again = cli("proposals", "excellent", "2026-001")
    assert again.returncode == 1 and "已经是优秀提案" in again.stderr
    early = cli("proposals", "excellent", "#2")
    assert early.returncode == 1 and "目前状态为“已提交”" in early.stderr
    undone = cli("proposals", "excellent", "2026-001", "--undo")
    assert "已撤销优秀提案" in undone.stdout, undone.stderr
    assert "优秀提案" not in cli("record", "王建国", "--year", "2026").stdout
    log = cli("audit", "--action", "proposal.excellent").stdout
    assert log.count("proposal.excellent") == 2 and "flag=True" in log and "flag=False" in log


async def test_the_secretariat_marks_excellent_in_chat(
    app: App, member_chat: Chat, staff_chat: Chat
) -> None:
    me = await _member_id(app, member_chat)
    _, theirs, _ = await _three_proposals(app, me)
    async with app.db.session() as s:
        handling = _proposal(me, "张委员", "经济界", "2026-004", "关于夜间经济的提案")
        handling.status, handling.answered_at = "assigned", None  # not answered: listed last
        s.add(handling)

    await member_chat.send("/excellent")
    assert "优秀提案评选" not in member_chat.text  # a member has no such command

    await staff_chat.send("/excellent")
    text = staff_chat.text
    assert "优秀提案评选（已立案 4 件，已答复的在前）" in text
    assert text.index("2026-003") < text.index("2026-004")
    assert "2026-002《关于普惠托育的提案》 李委员 已答复" in text
    await staff_chat.press("评为优秀提案 2026-002")
    assert staff_chat.text == "2026-002《关于普惠托育的提案》已评为优秀提案。"
    assert (await _row(app, theirs)).excellent
    await staff_chat.send("/excellent")
    assert "2026-002《关于普惠托育的提案》 李委员 已答复（优秀提案）" in staff_chat.text
    await staff_chat.press("撤销优秀 2026-002")
    assert staff_chat.text == "2026-002《关于普惠托育的提案》已撤销优秀提案。"
    assert not (await _row(app, theirs)).excellent

    clerk = await _member_id(app, staff_chat)
    stale = app.services.signer.sign(f"m{clerk}", "review.excellent", (theirs, 0))
    await staff_chat.press_payload(stale)  # pressed again after the undo
    assert staff_chat.text == "2026-002《关于普惠托育的提案》不是优秀提案，无需撤销。"
    forged = app.services.signer.sign(f"m{clerk}", "review.excellent", (theirs, 7))
    await staff_chat.press_payload(forged)
    assert staff_chat.text == app.services.catalogue.s("core.button_forged")
    assert not (await _row(app, theirs)).excellent
