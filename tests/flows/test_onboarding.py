"""Verification, access and the menu, through the same entry point every channel uses."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.app import App
from bot.types import Incoming
from storage.roster import Roster
from storage.tables import AuditEntry, Identity
from tests.support.chat import Chat, FakeClock, add_member


async def test_stranger_learns_only_how_to_verify(app: App) -> None:
    await add_member(app, name="王委员", phone="13800000001")
    stranger = Chat(app)
    for text in ["你好", "/menu", "/me", "/contact", "/inbox", "提案怎么写？"]:
        await stranger.send(text)
        assert "请先验证身份" in stranger.text, text
        assert stranger.labels == ["📱 分享手机号"]


async def test_verify_by_shared_contact_greets_by_name(app: App) -> None:
    await add_member(app, name="王委员", phone="13800000001")
    chat = Chat(app)
    await chat.share_contact("+86 138-0000-0001")
    assert "验证成功，欢迎您，王委员" in chat.text
    assert "我的信息" in chat.labels
    await chat.send("/me")
    assert "界别：经济界" in chat.text and "138****0001" in chat.text


async def test_someone_elses_contact_card_is_refused(app: App) -> None:
    await add_member(app, name="王委员", phone="13800000001")
    chat = Chat(app)
    await chat.share_contact("13800000001", own=False)
    assert "请分享您本人的手机号" in chat.text
    await chat.send("/me")
    assert "请先验证身份" in chat.text


async def test_wrong_codes_are_slowed_down_and_logged(app: App, clock: FakeClock) -> None:
    await add_member(app, name="王委员", phone="13800000001")
    chat = Chat(app)
    for _ in range(3):
        await chat.send("WRONGCODE1")
        assert "邀请码无效" in chat.text
    await chat.send("WRONGCODE2")  # the 4th try comes too soon
    assert "1 分钟后再试" in chat.text or "2 分钟后再试" in chat.text
    clock.advance(minutes=2)
    await chat.send("WRONGCODE3")  # allowed again, wrong again: the next pause is longer
    assert "邀请码无效" in chat.text
    # a correct phone is also refused while the pause lasts: no guessing around it
    await chat.share_contact("13800000001")
    assert "分钟后再试" in chat.text
    clock.advance(minutes=5)
    await chat.share_contact("13800000001")
    assert "验证成功" in chat.text
    async with app.db.session() as session:
        failures = (
            await session.exec(
                select(AuditEntry).where(AuditEntry.action == "security.verify_failed")
            )
        ).all()
    assert len(failures) == 4


async def test_invite_code_verifies_once_and_expires(app: App, clock: FakeClock) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    async with app.db.session() as session:
        invite = await Roster(session).new_invite(member, ttl=timedelta(hours=72), created_by="t")
        late = await Roster(session).new_invite(member, ttl=timedelta(hours=1), created_by="t")
    first = Chat(app)
    await first.send(f"/start {invite.code}")  # Telegram deep link payload
    assert "验证成功，欢迎您，王委员" in first.text
    second = Chat(app)
    await second.send(invite.code.lower())
    assert "邀请码无效、已使用或已过期" in second.text
    clock.advance(hours=2)
    await second.send(late.code)
    assert "邀请码无效、已使用或已过期" in second.text


async def test_retired_member_loses_access(app: App) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    chat = await Chat.verified(app, member)
    await chat.send("/me")
    assert "王委员" in chat.text
    async with app.db.session() as session:
        row = await Roster(session).get(member.id or 0)
        assert row is not None
        row.status = "retired"
        session.add(row)
    for text in ["/me", "/menu", "你好"]:
        await chat.send(text)
        assert "已不在当前名册中" in chat.text
    # and cannot come back in through the phone either
    again = Chat(app)
    await again.share_contact("13800000001")
    assert "名册中没有找到这个手机号" in again.text


async def test_menu_shows_only_what_roles_allow(member_chat: Chat, staff_chat: Chat) -> None:
    await member_chat.send("/menu")
    assert "留言秘书处" in member_chat.labels
    assert "委员留言" not in member_chat.labels
    await member_chat.send("/inbox")
    assert "没有权限" in member_chat.text
    await staff_chat.send("/menu")
    assert "委员留言" in staff_chat.labels
    await staff_chat.send("/inbox")
    assert "没有待答复的留言" in staff_chat.text


async def test_menu_button_runs_command_with_role_check(member_chat: Chat) -> None:
    await member_chat.send("/menu")
    await member_chat.press("我的信息")
    assert "张委员" in member_chat.text


async def test_photos_and_stickers_get_a_hint(member_chat: Chat) -> None:
    from bot.types import Incoming

    await member_chat.incoming(
        Incoming(
            platform="console",
            user_id=member_chat.user_id,
            chat_id=member_chat.user_id,
            kind="unsupported",
        )
    )
    assert "暂不支持这类消息" in member_chat.text


async def test_duplicate_update_is_handled_once(app: App) -> None:
    await add_member(app, name="王委员", phone="13800000001")
    chat = Chat(app)
    await chat.send("WRONGCODE1", update_id=41)
    assert "邀请码无效" in chat.text
    assert await chat.send("WRONGCODE1", update_id=41) == []
    async with app.db.session() as session:
        attempts = await Roster(session).failed_attempts_since(
            "console", chat.user_id, FakeClock().now - timedelta(days=1)
        )
    assert attempts == 1


async def test_group_chat_points_to_private_chat(app: App) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    chat = await Chat.verified(app, member)
    chat.chat_type = "group"
    await chat.send("/me")
    assert "请在与本机器人的私聊中使用" in chat.text
    assert await chat.send("大家好") == []


async def test_identity_ids_are_64_bit(app: App) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    big = 7_900_000_000_123  # Telegram ids exceed 32 bits
    chat = Chat(app, user_id=big)
    await chat.share_contact("13800000001")
    assert "验证成功" in chat.text
    async with app.db.session() as session:
        identity = (await session.exec(select(Identity).where(Identity.user_id == big))).one()
    assert identity.member_id == member.id


async def test_a_member_who_writes_again_is_reachable_at_the_chat_they_use_now(app: App) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    chat = await Chat.verified(app, member)
    async with app.db.session() as session:
        await Roster(session).mark_unreachable("console", chat.user_id, "bot was blocked")
    moved = Incoming(platform="console", user_id=chat.user_id, chat_id=chat.user_id + 7, text="/me")
    await chat.incoming(moved)
    assert "王委员" in chat.text
    async with app.db.session() as session:
        identity = (await session.exec(select(Identity))).one()
    assert identity.chat_id == chat.user_id + 7
    assert identity.unreachable_at is None and identity.unreachable_reason is None
