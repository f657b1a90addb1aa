"""催办 and 延期 on overdue proposals: the lifecycle rules, the office service on both
databases, ``/overdue`` in chat with its buttons and the 延期 flow, and the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Connection
from sqlmodel import select

from bot.app import App, build_app
from bot.errors import UserError
from bot.proposals.office import Office, deadline_day
from bot.proposals.proposal_lifecycle import (
    Extend,
    IllegalTransition,
    ProposalState,
    Status,
    Urge,
    apply,
)
from bot.settings import Settings
from storage.db import Database
from storage.migrate import alembic_config
from storage.proposals import Proposals
from storage.roster import Roster
from storage.tables import AuditEntry, Member, SubmissionHistory
from tests.support.chat import Chat, FakeClock, add_member
from tests.web.support import submitted

ZONE = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # the FakeClock's start: Monday 09:00 in Beijing


# -- the lifecycle (pure) ----------------------------------------------------------------
def _assigned(deadline: datetime) -> ProposalState:
    return ProposalState(status=Status.ASSIGNED, lead_unit="市教育局", deadline_at=deadline)


def test_urge_keeps_the_state_and_is_refused_before_assignment() -> None:
    state = _assigned(T0)
    new, entry = apply(state, Urge(), at=T0 + timedelta(days=1), actor_id=7)
    assert new == state and entry.action == "urge" and entry.status_to == "assigned"
    with pytest.raises(IllegalTransition):
        apply(ProposalState(status=Status.REGISTERED), Urge(), at=T0)


def test_extend_needs_a_later_deadline_and_a_reason() -> None:
    state = _assigned(T0)
    later = T0 + timedelta(days=30)
    new, entry = apply(state, Extend(deadline_at=later, reason=" 需跨部门协调 "), at=T0)
    assert new.deadline_at == later and new.status == Status.ASSIGNED
    assert entry.note == "需跨部门协调" and entry.data["deadline_from"] == T0.isoformat()
    for bad, key in (
        (Extend(deadline_at=T0, reason="x"), "proposals.extend_not_later"),
        (Extend(deadline_at=later, reason="  "), "proposals.extend_reason_missing"),
    ):
        with pytest.raises(UserError) as caught:
            apply(state, bad, at=T0)
        assert caught.value.key == key


def test_deadline_day_reads_a_clerks_dates() -> None:
    now = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
    assert deadline_day("2026-07-31", zone=ZONE, now=now) == date(2026, 7, 31)
    assert deadline_day("7月31日", zone=ZONE, now=now) == date(2026, 7, 31)
    assert deadline_day("下个月15号", zone=ZONE, now=now) == date(2026, 7, 15)
    with pytest.raises(UserError) as caught:
        deadline_day("尽快", zone=ZONE, now=now)
    assert caught.value.key == "proposals.extend_date_unreadable"


# -- the service on SQLite and PostgreSQL ------------------------------------------------
async def _assigned_overdue(app: App, clock: FakeClock, author: Member) -> int:
    """A proposal registered and assigned at the clock's start (deadline three months on),
    then the clock moved 100 days, past the deadline."""
    pid = await submitted(app, author)
    async with app.db.session() as s:
        office = _office(app, s, None)
        await office.register(pid)
        await office.assign(pid, lead_unit="市教育局")
    clock.advance(days=100)
    return pid


def _office(app: App, session: object, actor: Member | None) -> Office:
    return Office(
        session=session,  # type: ignore[arg-type]
        catalogue=app.services.catalogue,
        signer=app.services.signer,
        zone=app.settings.zone,
        actor=actor,
    )


async def _rows(app: App, table: type, **where: object) -> list:  # type: ignore[type-arg]
    async with app.db.session() as s:
        stmt = select(table)
        for name, value in where.items():
            stmt = stmt.where(getattr(table, name) == value)
        return list(await s.exec(stmt))


@pytest.fixture
async def people(app: App) -> dict[str, Member]:
    return {
        "author": await add_member(app, name="王芳", phone="13800000001"),
        "clerk": await add_member(app, name="秘书处小李", phone="13900000099", roles="secretariat"),
        "clerk2": await add_member(
            app, name="秘书处小王", phone="13900000098", roles="secretariat"
        ),
    }


async def test_urge_once_a_day_with_history_audit_and_the_proposers_notice(
    app: App, clock: FakeClock, people: dict[str, Member]
) -> None:
    author_chat = await Chat.verified(app, people["author"])
    pid = await _assigned_overdue(app, clock, people["author"])
    async with app.db.session() as s:
        await _office(app, s, people["clerk"]).urge(pid)
    with pytest.raises(UserError) as caught:
        async with app.db.session() as s:
            await _office(app, s, people["clerk2"]).urge(f"#{pid}")
    assert caught.value.key == "proposals.urged_today"
    assert caught.value.params["name"] == "秘书处小李"
    history = await _rows(app, SubmissionHistory, subject_id=pid, action="urge")
    audit = await _rows(app, AuditEntry, action="proposal.urge")
    notices = [t for t in await author_chat.outbox_texts() if "已催办承办单位" in t]
    assert len(history) == 1 and history[0].actor_member_id == people["clerk"].id
    assert [a.actor for a in audit] == ["秘书处小李"]
    assert len(notices) == 1 and "已催办承办单位（市教育局）" in notices[0]
    clock.advance(days=1)  # the next day it may be urged again
    async with app.db.session() as s:
        await _office(app, s, people["clerk2"]).urge(pid)
    assert len(await _rows(app, SubmissionHistory, subject_id=pid, action="urge")) == 2


async def test_two_clerks_urging_at_once_make_one_urge(
    app: App, clock: FakeClock, people: dict[str, Member]
) -> None:
    pid = await _assigned_overdue(app, clock, people["author"])

    async def press(clerk: Member) -> str:
        try:
            async with app.db.session() as s:
                await _office(app, s, clerk).urge(pid)
        except UserError as exc:
            return exc.key
        return "ok"

    results = await asyncio.gather(press(people["clerk"]), press(people["clerk2"]))
    assert sorted(results) == ["ok", "proposals.urged_today"]
    assert len(await _rows(app, SubmissionHistory, subject_id=pid, action="urge")) == 1


async def test_extend_moves_the_deadline_out_of_the_overdue_list(
    app: App, clock: FakeClock, people: dict[str, Member]
) -> None:
    author_chat = await Chat.verified(app, people["author"])
    pid = await _assigned_overdue(app, clock, people["author"])  # deadline 2026-06-02
    for to, key in (
        (date(2026, 6, 2), "proposals.extend_not_later"),  # the same day is not later
        (date(2026, 6, 5), "proposals.extend_past"),  # later, but already gone (now 06-10)
    ):
        with pytest.raises(UserError) as caught:
            async with app.db.session() as s:
                await _office(app, s, people["clerk"]).extend(pid, to=to, reason="协调")
        assert caught.value.key == key
    async with app.db.session() as s:
        p = await _office(app, s, people["clerk"]).extend(
            pid, to=date(2026, 7, 31), reason="涉及三个部门，需联合调研"
        )
        assert p.deadline_at is not None
        assert p.deadline_at.astimezone(ZONE).date() == date(2026, 7, 31)
    async with app.db.session() as s:
        assert await Proposals(s).overdue() == []
    [entry] = await _rows(app, SubmissionHistory, subject_id=pid, action="extend")
    assert entry.note == "涉及三个部门，需联合调研" and entry.status_to == "assigned"
    [audit] = await _rows(app, AuditEntry, action="proposal.extend")
    assert audit.actor == "秘书处小李" and audit.detail["deadline_to"] == "2026年7月31日"
    texts = await author_chat.outbox_texts()
    assert any("由 2026年6月2日 延至 2026年7月31日" in t and "联合调研" in t for t in texts)
    # the last day of the new deadline is still within it; the day after it is overdue
    clock.advance(days=51)  # 2026-07-31 in Beijing
    async with app.db.session() as s:
        assert await Proposals(s).overdue() == []
    clock.advance(days=1)
    async with app.db.session() as s:
        assert [p.id for p in await Proposals(s).overdue()] == [pid]


# -- chat ----------------------------------------------------------------------------------
async def test_overdue_in_chat_urges_once_and_extends_through_a_short_flow(
    app: App, clock: FakeClock, member_chat: Chat, staff_chat: Chat
) -> None:
    async with app.db.session() as s:
        author = await Roster(s).identity("console", member_chat.user_id)
        assert author is not None
        member = await s.get(Member, author.member_id)
    assert member is not None
    pid = await _assigned_overdue(app, clock, member)
    await staff_chat.send("/overdue")
    assert "超期未答复提案（共 1 件）" in staff_chat.text
    [label] = [x.removeprefix("催办 ") for x in staff_chat.labels if x.startswith("催办 ")]
    await staff_chat.press(f"催办 {label}")
    assert f"已催办：{label}" in staff_chat.text and "主办 市教育局" in staff_chat.text
    await staff_chat.send("/overdue")
    assert "（今日已催办）" in staff_chat.text
    await staff_chat.press(f"催办 {label}")
    assert "今天" in staff_chat.text and "已由秘书处小李催办过" in staff_chat.text
    urged = [t for t in await member_chat.outbox_texts() if "已催办承办单位" in t]
    assert len(urged) == 1 and urged[0].startswith("您的提案")

    await staff_chat.send("/overdue")
    await staff_chat.press(f"延期 {label}")
    assert "当前办理期限 2026年6月2日" in staff_chat.text
    await staff_chat.send("尽快吧")
    assert "没能读懂日期“尽快吧”" in staff_chat.text
    await staff_chat.send("2026-06-01")
    assert "应晚于原期限（2026年6月2日）" in staff_chat.text
    await staff_chat.send("2026年7月31日")
    assert "请输入延期理由" in staff_chat.text
    await staff_chat.send("承办单位申请，需与财政部门会商")
    assert f"已延期：{label} 办理期限由 2026年6月2日 延至 2026年7月31日" in staff_chat.text
    await staff_chat.send("/overdue")
    assert "没有超期未答复的提案" in staff_chat.text
    notices = await member_chat.outbox_texts()
    assert any("延至 2026年7月31日" in t and "与财政部门会商" in t for t in notices)
    async with app.db.session() as s:
        p = await Proposals(s).require(pid)
    assert p.status == "assigned"


async def test_a_member_cannot_urge_or_extend_with_a_forged_button(
    app: App, clock: FakeClock, member_chat: Chat
) -> None:
    async with app.db.session() as s:
        identity = await Roster(s).identity("console", member_chat.user_id)
        assert identity is not None
        member = await s.get(Member, identity.member_id)
    assert member is not None
    pid = await _assigned_overdue(app, clock, member)
    for action in ("overdue.urge", "overdue.extend"):
        payload = app.services.signer.sign(f"m{identity.member_id}", action, (pid,))
        await member_chat.press_payload(payload)
        assert "没有权限" in member_chat.text, action
    assert await _rows(app, SubmissionHistory, subject_id=pid, action="urge") == []


# -- CLI -----------------------------------------------------------------------------------
@pytest.fixture
def cli_db(tmp_path: Path) -> Iterator[str]:
    """A SQLite file with the models' schema, stamped at the head revision so the CLI does
    not migrate it, and one overdue assigned proposal."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    def stamp(connection: Connection) -> None:
        from alembic import command

        command.stamp(alembic_config(connection), "head")

    async def seed() -> None:
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
        await database.create_all()
        async with database.engine.begin() as conn:
            await conn.run_sync(stamp)
        app = await build_app(
            settings=Settings(database_url=url),  # type: ignore[arg-type]
            db=database,
            upgrade=False,
            serving=False,
        )
        try:
            author = await add_member(app, name="王芳", phone="13800000001")
            pid = await submitted(app, author, at=datetime(2026, 1, 5, 2, tzinfo=UTC))
            async with app.db.session() as s:
                office = _office(app, s, None)
                await office.register(pid, at=datetime(2026, 1, 6, 2, tzinfo=UTC))
                await office.assign(
                    pid,
                    lead_unit="市教育局",
                    deadline_at=datetime(2026, 2, 6, 2, tzinfo=UTC),
                    at=datetime(2026, 1, 6, 2, tzinfo=UTC),
                )
        finally:
            await app.db.dispose()

    asyncio.run(seed())
    yield url


def _cli(url: str, *args: str) -> tuple[int, str]:
    from bot.catalogue import catalogue
    from bot.cli import main_group

    result = CliRunner().invoke(main_group, list(args), env={"COMMITTEE_BOT_DATABASE_URL": url})
    if isinstance(result.exception, UserError):
        return 1, catalogue().s(result.exception.key, **result.exception.params)
    return result.exit_code, result.stdout


def test_cli_urges_once_and_extends_with_chinese_dates(cli_db: str) -> None:
    code, out = _cli(cli_db, "proposals", "urge", "2026-001")
    assert code == 0 and "已催办：2026-001" in out, out
    code, out = _cli(cli_db, "proposals", "urge", "2026-001")
    assert code == 1 and "已由秘书处（命令行）催办过" in out
    far = date.today().replace(year=date.today().year + 1).isoformat()
    code, out = _cli(cli_db, "proposals", "extend", "2026-001", "--to", "明天", "--reason", "")
    assert code == 1 and "请填写延期理由" in out
    code, out = _cli(cli_db, "proposals", "extend", "#1", "--to", "大约下周", "--reason", "协调")
    assert code == 1 and "没能读懂日期" in out
    code, out = _cli(cli_db, "proposals", "extend", "2026-001", "--to", far, "--reason", "会商")
    assert code == 0 and "由 2026年2月6日 延至" in out, out
    code, out = _cli(cli_db, "proposals", "overdue")
    assert "没有超期未答复的提案" in out


def test_cli_help_is_chinese() -> None:
    from bot.cli import main_group

    out = CliRunner().invoke(main_group, ["proposals", "extend", "--help"]).stdout
    assert "延期" in out and "新的办理期限" in out
