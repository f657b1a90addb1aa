"""A member's answer under a notice: 参加, 不参加 (报名参加 only), 请假 with a reason (a
one-step flow; for 必须参加 meetings the secretariat approves or refuses with buttons)."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.domain.local_times import format_local
from bot.errors import UserError
from bot.flows import Flow, Step
from bot.notices.rules import MAX_LEAVE_REASON, Answer, rsvp
from bot.notices.service import decide_leave_request
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Reply
from handlers.notices.common import member_id, notice_from_args, staff_members
from storage.notices import NoticesRepo, answer_state, notice_facts
from storage.tables import Conversation

__all__ = ["LEAVE_FLOW", "router"]

router = Router("notices/answers")


async def _answer(ctx: Context, answer: Answer) -> Reply:
    notice = await notice_from_args(ctx)
    await NoticesRepo(ctx.session).answer(notice, member_id(ctx), answer, now=ctx.now())
    return ctx.reply(
        f"notices.answered_{answer.value}",
        title=notice.title,
        deadline=format_local(notice.reply_deadline, ctx.settings.zone),
    )


@router.action("notice.attend")
async def attend(ctx: Context) -> Reply:
    """参加."""
    return await _answer(ctx, Answer.ATTEND)


@router.action("notice.decline")
async def decline(ctx: Context) -> Reply:
    """不参加 (refused for 必须参加 meetings)."""
    return await _answer(ctx, Answer.DECLINE)


@router.action("notice.leave")
async def leave(ctx: Context) -> list[Reply]:
    """请假: checks the notice still takes answers, then asks for the reason."""
    notice = await notice_from_args(ctx)
    repo = NoticesRepo(ctx.session)
    row = await repo.recipient(int(notice.id or 0), member_id(ctx))
    if row is None:
        raise UserError("notices.not_recipient")
    # Refuse a closed or cancelled notice now rather than after the member wrote a reason.
    rsvp(notice_facts(notice), answer_state(row), Answer.LEAVE, reason="-", now=ctx.now())
    return await ctx.begin(LEAVE_FLOW, {"notice_id": notice.id, "title": notice.title})


async def _leave_done(ctx: Context, conversation: Conversation) -> Reply:
    """Stores the request; a 必须参加 meeting's request goes to the secretariat."""
    repo = NoticesRepo(ctx.session)
    notice = await repo.require(int(conversation.data["notice_id"]))
    member = ctx.member
    assert member is not None and member.id is not None
    outcome = await repo.answer(
        notice, member.id, Answer.LEAVE, reason=conversation.data["reason"], now=ctx.now()
    )
    if not outcome.needs_approval:
        return ctx.reply("notices.leave_noted")

    def for_staff(rid: int) -> Reply:
        ids = (notice.id or 0, member.id or 0)
        return Reply(
            text=ctx.t(
                "notices.leave_for_staff",
                title=notice.title,
                when=format_local(notice.starts_at, ctx.settings.zone),
                name=member.name,
                sector=member.sector,
                reason=outcome.leave_reason,
            ),
            buttons=(
                (
                    ctx.button_for(rid, "notices.btn_approve", "notice.leave_ok", *ids),
                    ctx.button_for(rid, "notices.btn_reject", "notice.leave_no", *ids),
                ),
            ),
        )

    for person in await staff_members(ctx):
        assert person.id is not None
        await ctx.notify(
            person.id,
            for_staff,
            dedupe_key=f"notice:{notice.id}:leave:{member.id}:{ctx.now().timestamp():.0f}:to:{person.id}",
            kind="notice_leave",
            ref=f"notice:{notice.id}:leave",
        )
    return ctx.reply("notices.leave_sent_for_approval")


async def _leave_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t("notices.leave_prompt", title=data["title"], limit=MAX_LEAVE_REASON)


LEAVE_FLOW = router.flow(
    Flow(
        name="notice_leave",
        title="notices.leave_title",
        steps=(Step("reason", _leave_prompt, max_chars=MAX_LEAVE_REASON),),
        done=_leave_done,
    )
)


async def _decide(ctx: Context, approve: bool) -> Reply:
    if len(ctx.args) != 2 or not all(a.isdigit() for a in ctx.args):
        raise UserError("core.button_forged")
    repo = NoticesRepo(ctx.session)
    notice = await repo.require(int(ctx.args[0]))
    member = await ctx.roster.get(int(ctx.args[1]))
    if member is None:
        raise UserError("core.button_stale")
    assert ctx.member is not None
    decision = await decide_leave_request(
        ctx.session,
        notice,
        member.id or 0,
        approve=approve,
        clerk=ctx.member,
        catalogue=ctx.services.catalogue,
        at=ctx.now(),
    )
    ctx.after_commit.append(ctx.services.wake_delivery)
    return ctx.reply(
        "notices.leave_decided_staff",
        edit=True,
        name=member.name,
        decision=ctx.t(f"notices.decision.{decision.value}"),
    )


@router.action("notice.leave_ok", roles=SECRETARIAT)
async def approve_leave(ctx: Context) -> Reply:
    return await _decide(ctx, True)


@router.action("notice.leave_no", roles=SECRETARIAT)
async def reject_leave(ctx: Context) -> Reply:
    return await _decide(ctx, False)
