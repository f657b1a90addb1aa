"""A member on two platforms, and a member the roster names by WeCom account.

Messages that are not replies go to the account the member used last; the same logical
message is not sent twice when they switch platforms in between. A roster row with a
企业微信账号 is recognised on that account's first message, without a code; invite codes
typed as text verify on any platform."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlmodel import col, select

from bot.app import App
from bot.delivery_queue import enqueue_for_member
from bot.roster.accounts import bind_by_platform_account
from bot.roster.importer import import_roster
from bot.text import Text
from bot.types import Reply
from storage.columns import utcnow
from storage.db import Database
from storage.outbox_batch import Draft, enqueue_batch
from storage.roster import Roster
from storage.tables import Identity, Member, OutboxMessage
from tests.support.chat import Chat, FakeClock, add_member


async def _queued(app: App, member_id: int) -> list[tuple[str, str]]:
    async with app.db.session() as session:
        rows = await session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.member_id == member_id)
            .order_by(col(OutboxMessage.id))
        )
        return [(r.platform, r.chat_id) for r in rows]


async def _notify(app: App, member_id: int, key: str) -> int:
    async with app.db.session() as session:
        reply = Reply(text=Text.plain("会议提醒"))
        return await enqueue_for_member(session, member_id, reply, dedupe_key=key)


async def test_messages_follow_the_platform_used_last(app: App, clock: FakeClock) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    telegram = await Chat.verified(app, member, platform="telegram")
    clock.advance(minutes=10)
    wecom = Chat(app, user_id="WangWeiYuan", platform="wecom")
    async with app.db.session() as session:
        await Roster(session).bind(
            member, platform="wecom", user_id=wecom.user_id, chat_id=wecom.user_id, via="invite"
        )
    assert member.id is not None
    assert await _notify(app, member.id, "r1") == 1
    assert await _queued(app, member.id) == [("wecom", "WangWeiYuan")]  # bound last

    clock.advance(minutes=10)
    await telegram.send("/me")  # back on Telegram
    assert "王委员" in telegram.text
    assert await _notify(app, member.id, "r2") == 1
    assert (await _queued(app, member.id))[-1] == ("telegram", telegram.user_id)
    # r1 again (a reminder planned anew after a restart): queued before, on WeCom
    assert await _notify(app, member.id, "r1") == 0

    drafts = [  # the batch path decides the same way
        Draft(member_id=member.id, reply=Reply(text=Text.plain("提醒")), dedupe_key=k)
        for k in ("r1", "r3")
    ]
    async with app.db.session() as session:
        await enqueue_batch(session, drafts)
    assert (await _queued(app, member.id))[-1] == ("telegram", telegram.user_id)
    assert len(await _queued(app, member.id)) == 3  # r1, r2, r3: nothing twice

    # Telegram blocked: the other account, though used earlier, still reaches them.
    async with app.db.session() as session:
        await Roster(session).mark_unreachable("telegram", telegram.user_id, "blocked")
    assert await _notify(app, member.id, "r4") == 1
    assert (await _queued(app, member.id))[-1] == ("wecom", "WangWeiYuan")


async def test_a_roster_wecom_account_is_recognised_on_its_first_message(app: App) -> None:
    rows = [
        (2, {"姓名": "李秀梅", "手机号": "13800000002", "企业微信账号": "LiXiuMei"}),
        (3, {"姓名": "赵四", "手机号": "13800000004", "企业微信账号": ""}),
    ]
    async with app.db.session() as session:
        report = await import_roster(session, rows, actor="cli:test")
    assert report.added == 2 and not report.problems

    stranger = Chat(app, user_id="someone-else", platform="wecom")
    await stranger.send("你好")
    assert "李秀梅" not in stranger.text and "邀请码" in stranger.text

    # WeCom userids are case-insensitive; the first message is answered as the member's
    member_chat = Chat(app, user_id="lixiumei", platform="wecom")
    await member_chat.send("/me")
    assert "李秀梅" in member_chat.texts[0] and "无需再验证" in member_chat.texts[0]
    assert len(member_chat.texts) >= 2  # and /me itself was answered
    await member_chat.send("/me")
    assert "无需再验证" not in member_chat.text  # greeted once
    async with app.db.session() as session:
        identity = (await session.exec(select(Identity).where(Identity.platform == "wecom"))).one()
        assert (identity.user_id, identity.verified_via) == ("lixiumei", "roster")
        # the function the WeCom channel may call: idempotent
        again = await bind_by_platform_account(
            session, platform="wecom", user_id="lixiumei", chat_id="lixiumei"
        )
        assert again is not None and again.name == "李秀梅"
        assert (
            await bind_by_platform_account(
                session, platform="wecom", user_id="nobody", chat_id="nobody"
            )
            is None
        )
        # a Telegram account is never recognised by the WeCom column
        assert (
            await bind_by_platform_account(
                session, platform="telegram", user_id="LiXiuMei", chat_id="1"
            )
            is None
        )


async def test_a_group_message_binds_no_one(app: App) -> None:
    async with app.db.session() as session:
        await import_roster(
            session,
            [(2, {"姓名": "李秀梅", "手机号": "13800000002", "企业微信账号": "LiXiuMei"})],
            actor="cli:test",
        )
    group = Chat(app, user_id="LiXiuMei", platform="wecom", chat_type="group")
    await group.send("/ask 提案怎么写")
    async with app.db.session() as session:
        assert (await session.exec(select(Identity))).first() is None


async def test_a_wecom_account_taken_by_another_member_refuses_the_row(app: App) -> None:
    async with app.db.session() as session:
        await import_roster(
            session,
            [(2, {"姓名": "李秀梅", "手机号": "13800000002", "企业微信账号": "LiXiuMei"})],
            actor="cli:test",
        )
        report = await import_roster(
            session,
            [(2, {"姓名": "王建国", "手机号": "13800000001", "企业微信账号": "lixiumei"})],
            actor="cli:test",
        )
    assert report.added == 0 and [p.reason for p in report.problems] == [
        "roster.reject_wecom_taken"
    ]
    async with app.db.session() as session:
        members = (await session.exec(select(Member))).all()
        assert [m.name for m in members] == ["李秀梅"]
        # clearing the cell clears the account; an empty cell is no account
        report = await import_roster(
            session,
            [(2, {"姓名": "李秀梅", "手机号": "13800000002", "企业微信账号": ""})],
            actor="cli:test",
        )
        assert report.updated == 1
        assert (await Roster(session).by_phone("13800000002")).wecom_userid is None  # type: ignore[union-attr]


async def test_an_invite_code_typed_on_wecom_verifies(app: App, clock: FakeClock) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    async with app.db.session() as session:
        invite = await Roster(session).new_invite(member, ttl=timedelta(hours=1), created_by="t")
    chat = Chat(app, user_id="wangweiyuan", platform="wecom")
    await chat.send(invite.code)
    assert "验证成功" in chat.text
    async with app.db.session() as session:
        used = await Roster(session).invite(invite.code)
        assert used is not None and used.used_by_user_id == "wangweiyuan"


def test_members_accounts_shows_where_messages_go(tmp_path: Path) -> None:
    from tests.flows.test_members_cli import cli

    cli(tmp_path, "members", "add", "--name", "王建国", "--phone", "13800000001")

    async def bind_both() -> None:
        db = Database(f"sqlite:///{tmp_path / 'bot.db'}")
        async with db.session() as session:
            roster = Roster(session)
            member = await roster.by_phone("13800000001")
            assert member is not None
            await roster.bind(
                member, platform="wecom", user_id="WangJG", chat_id="WangJG", via="roster"
            )
            telegram = await roster.bind(
                member, platform="telegram", user_id="5000000001", chat_id="5000000001", via="phone"
            )
            telegram.last_seen_at = utcnow() + timedelta(minutes=10)  # wrote from Telegram since
            session.add(telegram)
        await db.dispose()

    asyncio.run(bind_both())
    lines = cli(tmp_path, "members", "accounts", "王建国").stdout.splitlines()
    assert "王建国 绑定的账号（2 个）" in lines[0]
    telegram, wecom = lines[1], lines[2]  # the account used last first
    assert "Telegram（telegram）" in telegram and "5000000001" in telegram
    assert "通知与提醒发往这里" in telegram
    assert "企业微信（wecom）" in wecom and "WangJG" in wecom and "名册中的企业微信账号" in wecom
    assert "发往这里" not in wecom


def test_members_import_reads_the_wecom_column(tmp_path: Path) -> None:
    from tests.flows.test_members_cli import cli, roster

    header = "姓名,界别,专委会,职务/角色,手机号,企业微信账号\n"
    first = roster(
        tmp_path,
        "名册.csv",
        "王建国,经济界,经济委员会,委员,13800000001,WangJG\n"
        "李秀梅,教育界,教科卫体委员会,委员,13800000002,\n"
        "赵四,教育界,教科卫体委员会,委员,13800000004,赵四\n",
        header=header,
    )
    result = cli(tmp_path, "members", "import", str(first))
    assert "第 2 行：新增 王建国" in result.stdout and "第 3 行：新增 李秀梅" in result.stdout
    assert "第 4 行：企业微信账号无效（赵四）" in result.stdout
    again = roster(
        tmp_path, "名册2.csv", "王建国,经济界,经济委员会,委员,13800000001,wangjianguo\n", header
    )
    changed = cli(tmp_path, "members", "import", str(again)).stdout
    assert "企业微信账号：WangJG → wangjianguo" in changed
