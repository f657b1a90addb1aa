"""留言秘书处, the secretariat's side: a member's message answered once, audited with the
clerk's name and delivered through the outbox (chat ``/inbox`` and the console's 问答)."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import Catalogue
from bot.delivery_queue import enqueue_for_member
from bot.errors import UserError
from bot.kb.questions import MAX_ANSWER_CHARS, checked_answer
from bot.types import Reply
from storage.audit import Audit
from storage.columns import utcnow
from storage.tables import Member
from storage.tables.inbox import InboxMessage

__all__ = ["MAX_ANSWER_CHARS", "answer_message", "unanswered"]


async def unanswered(session: AsyncSession, *, limit: int) -> list[tuple[InboxMessage, Member]]:
    """Unanswered member messages with their authors, oldest first."""
    stmt = (
        select(InboxMessage, Member)
        .join(Member, col(Member.id) == col(InboxMessage.member_id))
        .where(col(InboxMessage.answered_at).is_(None))
        .order_by(col(InboxMessage.id))
        .limit(limit)
    )
    return list(await session.exec(stmt))


async def answer_message(
    session: AsyncSession, message_id: int, answer: str, *, clerk: Member, cat: Catalogue
) -> tuple[InboxMessage, int]:
    """Records ``answer`` and queues it for the member; returns the message and how many
    messages were queued. A message a colleague answered meanwhile is refused."""
    answer = checked_answer(answer)
    message = await session.get(InboxMessage, message_id, with_for_update=True)
    if message is None or message.answered_at is not None:
        raise UserError("inbox.already_answered", id=message_id)
    message.answer = answer
    message.answered_by = clerk.id
    message.answered_at = utcnow()
    session.add(message)
    await Audit(session).record("inbox.answer", actor=clerk, target=f"inbox:{message.id}")
    queued = await enqueue_for_member(
        session,
        message.member_id,
        Reply(text=cat.t("inbox.answer_for_member", question=message.body, answer=answer)),
        dedupe_key=f"inbox:{message.id}:answer",
        kind="inbox",
        ref=f"inbox:{message.id}",
    )
    return message, queued
