"""Verification, access and the menu, through the same entry point every channel uses."""

from __future__ import annotations

from datetime import datetime, timedelta

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
    assert "请点击下方按钮分享您本人的手机号" in chat.text
    await chat.send("/me")
    assert "请先验证身份" in chat.text


async def test_a_contact_card_without_user_id_does_not_verify(app: App) -> None:
    """A card that is not a Telegram user (or whose owner hides the number) has no user id:
    it proves nothing about who sends it, even with a member's phone on it."""
    await add_member(app, name="王委员", phone="13800000001")
    chat = Chat(app)
    card = Incoming(
        platform="console",
        user_id=chat.user_id,
        chat_id=chat.user_id,
        kind="contact",
        contact_phone="13800000001",
        contact_user_id=None,
    )
    await chat.incoming(card)
    assert "请点击下方按钮分享您本人的手机号" in chat.text
    assert chat.labels == ["📱 分享手机号"]
    await chat.send("/me")
    assert "请先验证身份" in chat.text
    async with app.db.session() as session:
        assert (await session.exec(select(Identity))).all() == []
        failures = (
            await session.exec(
                select(AuditEntry).where(AuditEntry.action == "security.verify_failed")
            )
        ).all()
    assert [f.detail["detail"] for f in failures] == ["contact_not_own"]
    # the refusals count towards slowing down, like wrong codes
    await chat.incoming(card)
    await chat.incoming(card)
    await chat.incoming(card)
    assert "分钟后再试" in chat.text


async def test_wrong_codes_are_slowed_down_and_logged(app: App, clock: FakeClock) -> None:
    await add_member(app, name="王委员", phone="13800000001")
    chat = Chat(app)
    for _ in range(3):
        await chat.send("WRNGCDE2")
        assert "邀请码无效" in chat.text
    await chat.send("WRNGCDE3")  # the 4th try comes too soon
    assert "1 分钟后再试" in chat.text or "2 分钟后再试" in chat.text
    clock.advance(minutes=2)
    await chat.send("WRNGCDE4")  # allowed again, wrong again: the next pause is longer
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
    await chat.send("WRNGCDE2", update_id=41)
    assert "邀请码无效" in chat.text
    assert await chat.send("WRNGCDE2", update_id=41) == []
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
    big = "7900000000123"  # Telegram ids exceed 32 bits; kept as their decimal strings
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
    new_chat = str(int(chat.user_id) + 7)
    moved = Incoming(platform="console", user_id=chat.user_id, chat_id=new_chat, text="/me")
    await chat.incoming(moved)
    assert "王委员" in chat.text
    async with app.db.session() as session:
        identity = (await session.exec(select(Identity))).one()
    assert identity.chat_id == new_chat
    assert identity.unreachable_at is None and identity.unreachable_reason is None


async def test_ordinary_text_is_not_a_failed_code(app: App, clock: FakeClock) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    chat = Chat(app)
    for text in ["你好，我是委员", "hello123", "thursday", "12345678", "hello", "room 2024"] * 2:
        await chat.send(text)
        assert "分钟后再试" not in chat.text, text
    async with app.db.session() as session:
        roster = Roster(session)
        since = clock.now - timedelta(days=1)
        assert await roster.failed_attempts_since("console", chat.user_id, since) == 0
        invite = await roster.new_invite(member, ttl=timedelta(hours=1), created_by="t")
    await chat.send(invite.code)
    assert "验证成功" in chat.text


async def test_invite_codes_always_look_like_codes(app: App) -> None:
    from bot.roster.invite_codes import code_shape

    member = await add_member(app, name="王委员", phone="13800000001")
    async with app.db.session() as session:
        codes = [
            (await Roster(session).new_invite(member, ttl=timedelta(hours=1), created_by="t")).code
            for _ in range(200)
        ]
    assert all(code_shape(code) == ("code", code) for code in codes)
    assert code_shape("abcd-2345") == ("code", "ABCD2345")  # typed with a dash, lower case


def guess(n: int) -> str:
    """A wrong code that looks like a real one (the invite alphabet, eight characters)."""
    return "GUES" + "".join("23456789"[(n // 8**k) % 8] for k in range(4))


async def test_a_burst_of_wrong_codes_pauses_codes_for_everyone_and_is_reported_once(
    app: App, clock: FakeClock, staff_chat: Chat
) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    async with app.db.session() as session:
        invite = await Roster(session).new_invite(member, ttl=timedelta(hours=5), created_by="t")
    limit = app.settings.verify_code_burst_failures  # 20 in 10 minutes by default
    guesses = iter(range(4096))
    guessers = [Chat(app) for _ in range(limit // 2 + 1)]
    for guesser in guessers:  # at most two each: no account reaches its own limit
        for _ in range(1 if guesser is guessers[-1] else 2):
            await guesser.send(guess(next(guesses)))
            assert "邀请码无效" in guesser.text
    # more than the limit: now even the right code from a new account is not looked up
    member_chat = Chat(app)
    await member_chat.send(invite.code)
    assert "邀请码验证已暂停" in member_chat.text and "10 分钟后再试" in member_chat.text
    assert member_chat.labels == ["📱 分享手机号"]
    await guessers[0].send(guess(next(guesses)))
    assert "邀请码验证已暂停" in guessers[0].text
    reports = await staff_chat.outbox_texts()
    assert len(reports) == 1, reports
    assert f"{limit + 1} 次错误的邀请码" in reports[0]
    assert f"来自 {len(guessers)} 个账号" in reports[0]
    # the burst goes on (an attempt every few minutes): still one report
    clock.advance(minutes=6)
    await Chat(app).send(guess(next(guesses)))
    clock.advance(minutes=6)  # the first failures aged out: codes are checked again
    await member_chat.send(invite.code)
    assert "验证成功，欢迎您，王委员" in member_chat.text
    for _ in range(limit + 1):
        await Chat(app).send(guess(next(guesses)))
    assert len(await staff_chat.outbox_texts()) == 1
    # a quiet spell ends the burst; the next one is reported again
    clock.advance(minutes=30)
    for _ in range(limit + 1):
        await Chat(app).send(guess(next(guesses)))
    assert len(await staff_chat.outbox_texts()) == 2
    # sharing the phone is never paused
    await add_member(app, name="李委员", phone="13800000002")
    phone_chat = Chat(app)
    await phone_chat.share_contact("13800000002")
    assert "验证成功" in phone_chat.text
    async with app.db.session() as session:
        bursts = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "security.code_burst"))
        ).all()
    assert len(bursts) == 2


async def test_verifying_from_another_account_signs_the_old_one_out(app: App) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    old = Chat(app)
    await old.share_contact("13800000001")
    assert "验证成功" in old.text
    new = Chat(app)
    await new.share_contact("13800000001")
    assert "验证成功，欢迎您，王委员" in new.text
    # the old account gets only the stranger's answer, and was told why
    await old.send("/me")
    assert "请先验证身份" in old.text and "王委员" not in old.text
    assert any("已在另一个账号上验证，本账号已退出" in t for t in await old.outbox_texts())
    await new.send("/me")
    assert "王委员" in new.text
    async with app.db.session() as session:
        accounts = await Roster(session).accounts(member.id or 0)
        replaced = (
            await session.exec(
                select(AuditEntry).where(AuditEntry.action == "member.account_replaced")
            )
        ).one()
    assert [a.user_id for a in accounts] == [new.user_id]
    assert replaced.detail["old_user_id"] == old.user_id
    assert replaced.detail["new_user_id"] == new.user_id
    # an account on another platform is a separate binding and stays
    telegram = Chat(app, platform="telegram")
    await telegram.share_contact("13800000001")
    await new.send("/me")
    assert "王委员" in new.text


async def test_last_seen_is_kept_coarsely(app: App, clock: FakeClock) -> None:
    member = await add_member(app, name="王委员", phone="13800000001")
    chat = Chat(app)
    await chat.share_contact("13800000001")

    async def last_seen() -> datetime:
        async with app.db.session() as session:
            seen = (await Roster(session).accounts(member.id or 0))[0].last_seen_at
        assert seen is not None
        return seen

    first = await last_seen()
    clock.advance(minutes=3)
    await chat.send("/me")  # within five minutes: not written again
    assert await last_seen() == first
    clock.advance(minutes=30)
    await chat.send("/me")
    assert await last_seen() >= first + timedelta(minutes=33)
