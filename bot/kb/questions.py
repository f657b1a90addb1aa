"""The secretariat answers a member's forwarded question (chat ``/questions`` and the web
console's 问答 page): the answer is recorded once, audited with the clerk's name, and
reaches the member through the outbox in the same transaction."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import Catalogue
from bot.delivery_queue import enqueue_for_member
from bot.errors import UserError
from bot.types import Reply
from storage.audit import Audit
from storage.kb import KbRepository
from storage.tables import KbQuestion, Member

__all__ = ["MAX_ANSWER_CHARS", "answer_question", "checked_answer", "dismiss_question"]

MAX_ANSWER_CHARS = 2000


def checked_answer(text: str) -> str:
    """A clerk's answer as it will be sent: not empty, not longer than a message should be."""
    text = text.strip()
    if not text:
        raise UserError("ask.answer_empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise UserError("ask.answer_too_long", limit=MAX_ANSWER_CHARS)
    return text


async def answer_question(
    session: AsyncSession, question_id: int, answer: str, *, clerk: Member, cat: Catalogue
) -> tuple[KbQuestion, int]:
    """Records ``answer`` and queues it for the member; returns the question and how many
    messages were queued (0: the member cannot be reached). A question answered by a
    colleague meanwhile, or dismissed, is refused."""
    answer = checked_answer(answer)
    row = await KbRepository(session).answer_question(
        question_id, answer=answer, answered_by=clerk.id
    )
    if row is None:
        raise await _already_closed(session, question_id)
    await Audit(session).record("ask.answer", actor=clerk, target=f"kbq:{row.id}")
    queued = await enqueue_for_member(
        session,
        row.member_id,
        Reply(text=cat.t("ask.answer_for_member", question=row.question, answer=answer)),
        dedupe_key=f"kbq:{row.id}:answer",
        kind="kb_question",
        ref=f"kbq:{row.id}",
    )
    return row, queued


async def dismiss_question(session: AsyncSession, question_id: int, *, clerk: Member) -> None:
    """Closes a question without an answer (a duplicate, or not a question at all). The row
    is locked, so of two clerks closing it at once the second is told it was handled."""
    if not await KbRepository(session).dismiss_question(question_id):
        raise await _already_closed(session, question_id)
    await Audit(session).record("ask.dismiss", actor=clerk, target=f"kbq:{question_id}")


async def _already_closed(session: AsyncSession, question_id: int) -> UserError:
    """The refusal for a question a colleague closed first, saying how: "answered" would
    mislead a clerk whose colleague dismissed it (the member has heard nothing)."""
    row = await KbRepository(session).question(question_id)
    if row is not None and row.status == "dismissed":
        return UserError("ask.already_dismissed", id=question_id)
    return UserError("ask.already_answered", id=question_id)
