"""Issue 11: whatever a client puts in a button's callback data, the member gets the polite
"按钮无效或已过期" answer (never the internal-error message claiming their content was
saved) and nothing changes."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from bot.app import App
from bot.catalogue import catalogue
from storage.tables import AuditEntry, Conversation, OutboxMessage
from tests.support.chat import Chat

INVALID = "按钮无效或已过期"
INTERNAL = catalogue().s("core.internal_error")


async def _state(app: App) -> tuple[object, ...]:
    async with app.db.session() as session:
        conversations = [
            (c.flow, c.step, c.status, c.rev, dict(c.data))
            for c in await session.exec(select(Conversation).order_by(Conversation.id))
        ]
        outbox = (await session.exec(select(func.count()).select_from(OutboxMessage))).one()
        audit = (await session.exec(select(func.count()).select_from(AuditEntry))).one()
    return conversations, outbox, audit


async def test_malformed_payloads_are_refused_politely(app: App, member_chat: Chat) -> None:
    await member_chat.send("/contact")
    payload = member_chat.button("履职咨询").action or ""
    name, args, rev, sig = payload.split("|")
    before = await _state(app)
    forged = [
        f"{name}|{args}|{rev}|签名签名签名签名签名",  # non-ASCII signature
        f"{name}|{args}|{rev}|{sig[:-2]}é€",  # a valid prefix, non-ASCII tail
        "投票|1|2|签名",  # non-ASCII everywhere
        payload[:-3],  # truncated signature
        payload[: len(payload) // 2],  # truncated anywhere
        payload + "0" * 70,  # longer than Telegram allows
        f"{name}|{args}|{rev}|{sig}|extra",  # wrong arity of parts
        f"flow.nope|{args}|{rev}|{sig}",  # another action name under the same signature
        f"{name}|{args},9|{rev}|{sig}",  # another argument count under the same signature
        f"{name}|{args}|x{rev}|{sig}",  # a non-numeric revision
        f"{name}|{args}|{rev}|{sig}\x00",  # a control character
        "\u202e" + payload,  # a bidi override in front
    ]
    for data in forged:
        await member_chat.press_payload(data)
        assert INVALID in member_chat.text, data
        assert INTERNAL not in member_chat.text, data
        assert member_chat.replies[0].toast is not None  # the tapped button says why too
    assert await _state(app) == before
    # The genuine button still works afterwards.
    await member_chat.press_payload(payload)
    assert "已选择「履职咨询」" in member_chat.text


@pytest.mark.parametrize(
    "args", [(), ("x",), ("99999999",), ("1", "x", "2", "zz"), ("-1",), ("0",)]
)
async def test_signed_payloads_of_the_wrong_shape_never_reach_the_error_handler(
    app: App, member_chat: Chat, staff_chat: Chat, args: tuple[str, ...]
) -> None:
    """A genuinely signed payload with arguments of the wrong number or type (an older
    release's button, a bug) is refused like a forged one, for every action there is."""
    signer = app.services.signer
    names = sorted({n for r in app.router.walk() for n in r.actions} | {"flow.pick", "no.such"})
    for chat in (staff_chat, member_chat):
        subject = f"m{(await _member_id(app, chat))}"
        for action in names:
            payload = signer.sign(subject, action, args)
            await chat.press_payload(payload)
            assert INTERNAL not in chat.text, (action, args, chat.text)


async def _member_id(app: App, chat: Chat) -> int:
    from storage.tables import Identity

    async with app.db.session() as session:
        identity = (
            await session.exec(select(Identity).where(Identity.user_id == chat.user_id))
        ).one()
    return identity.member_id
