"""A co-sign invitation held for a member who has not verified yet, delivered over Telegram
when they verify, and answered there: on both libraries against the Bot API emulator."""

from __future__ import annotations

from tests.channels.test_telegram_e2e import (  # noqa: F401 (fixtures)
    USER,
    db_kind,
    emu,
    library,
    said,
    service,
    verified,
)
from tests.support.botapi_emulator import BotApiEmulator
from tests.support.chat import add_member

WANG = USER + 1


def press(emulator: BotApiEmulator, user: int, label: str) -> None:
    message = emulator.last(user)
    emulator.press(user, message, message.callback_data(label))


async def test_held_invitation_arrives_when_the_invitee_verifies(
    app,
    emu,  # noqa: F811 (the fixtures imported above)
    service,  # noqa: F811
) -> None:
    await verified(app)
    await add_member(app, name="王委员", phone="13900000003")  # on the roster, not verified
    emu.send_text(USER, "/proposal")
    await said(emu, USER, "个人提案")
    press(emu, USER, "联名提案")
    await said(emu, USER, "案由")
    emu.send_text(USER, "加快老旧小区加装电梯")
    await said(emu, USER, "提案类别")
    press(emu, USER, "城建")
    await said(emu, USER, "情况")
    emu.send_text(USER, "全市老旧小区约两千个，多数没有电梯，老年居民上下楼困难，加装进度缓慢。")
    await said(emu, USER, "建议")
    emu.send_text(
        USER, "1. 简化加装电梯审批流程。\n2. 设立市级补贴资金。\n3. 建立低楼层住户补偿机制。"
    )
    await said(emu, USER, "邀请联名")
    emu.send_text(USER, "王委员")
    await said(emu, USER, "王委员：待确认（尚未验证，暂时收不到邀请）")

    emu.send_text(WANG, "/start")
    await said(emu, WANG, "验证身份")
    emu.share_contact(WANG, "13900000003")
    await said(emu, WANG, "验证成功")
    await said(emu, WANG, "联名邀请")  # held until now, sent through the outbox
    invite = next(m for m in emu.messages(WANG) if "联名邀请" in (m.text or ""))
    assert "简化加装电梯审批流程" in (invite.text or "")
    emu.press(WANG, invite, invite.callback_data("同意联名"))
    await said(emu, WANG, "您已同意联名")
    await said(emu, USER, "联名邀请已送达")
    await said(emu, USER, "王委员同意了")
