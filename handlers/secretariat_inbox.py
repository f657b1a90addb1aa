"""留言秘书处: a member writes to the secretariat, who reply in chat; both sides are told.

A small flow (topic, message, confirm) that also serves as the reference for declaring
flows as data.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.domain.roles import Role, parse_roles
from bot.errors import UserError
from bot.flows import Choice, Flow, Step
from bot.inbox import MAX_ANSWER_CHARS, answer_message, unanswered
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Reply
from storage.tables import Conversation, Member
from storage.tables.inbox import InboxMessage

__all__ = ["router", "secretariat_members"]

router = Router("secretariat_inbox")

TOPICS = (
    Choice("procedure", "inbox.topic_procedure"),
    Choice("technical", "inbox.topic_technical"),
    Choice("other", "inbox.topic_other"),
)


def _topic_label(ctx: Context, value: str) -> Text:
    return ctx.t(next((c.label for c in TOPICS if c.value == value), "inbox.topic_other"))  # type: ignore[arg-type]


async def _confirm_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    """Shows the message back before it is sent."""
    return ctx.t("inbox.confirm_prompt", topic=_topic_label(ctx, data["topic"]), body=data["body"])


async def _send(ctx: Context, conversation: Conversation) -> list[Reply]:
    """Stores the message and tells every secretariat member."""
    data = conversation.data
    if data.get("confirm") != "send":
        return [ctx.reply("inbox.kept_as_draft")]
    assert ctx.member is not None and ctx.member.id is not None
    message = InboxMessage(member_id=ctx.member.id, topic=data["topic"], body=data["body"])
    ctx.session.add(message)
    await ctx.session.flush()

    def for_staff(rid: int) -> Reply:
        return Reply(
            text=ctx.t(
                "inbox.new_for_staff",
                id=message.id,
                name=ctx.member.name if ctx.member else "",
                sector=ctx.member.sector if ctx.member else "",
                topic=_topic_label(ctx, message.topic),
                body=message.body,
            ),
            buttons=((ctx.button_for(rid, "inbox.btn_answer", "inbox.answer", message.id or 0),),),
        )

    staff = await secretariat_members(ctx)
    for person in staff:
        assert person.id is not None
        await ctx.notify(
            person.id,
            for_staff,
            dedupe_key=f"inbox:{message.id}:to:{person.id}",
            kind="inbox",
            ref=f"inbox:{message.id}",
        )
    return [ctx.reply("inbox.sent", id=message.id, staff=len(staff))]


FLOW = router.flow(
    Flow(
        name="inbox",
        title="inbox.title",
        steps=(
            Step("topic", "inbox.topic_prompt", choices=TOPICS),
            Step("body", "inbox.body_prompt", max_chars=1000),
            Step(
                "confirm",
                _confirm_prompt,
                choices=(Choice("send", "inbox.btn_send"), Choice("keep", "inbox.btn_keep")),
            ),
        ),
        done=_send,
    )
)


@router.command("contact", "留言", menu="inbox.menu", order=80)
async def contact(ctx: Context) -> list[Reply]:
    """Starts (or resumes) a message to the secretariat."""
    return await ctx.begin(FLOW)


async def secretariat_members(ctx: Context) -> list[Member]:
    """Everyone on the roster with the secretariat role (they receive member questions)."""
    people = await ctx.roster.list()
    return [m for m in people if Role.SECRETARIAT in parse_roles(m.roles)]


@router.action("inbox.answer", roles=SECRETARIAT)
async def start_answer(ctx: Context) -> list[Reply]:
    """Secretariat: the next text message becomes the answer to this member message."""
    message = await _message_from_args(ctx)
    return await ctx.begin(ANSWER_FLOW, {"message_id": message.id, "question": message.body})


async def _message_from_args(ctx: Context) -> InboxMessage:
    if not ctx.args or not ctx.args[0].isdigit():
        raise UserError("core.button_forged")
    message = await ctx.session.get(InboxMessage, int(ctx.args[0]))
    if message is None:
        raise UserError("core.button_stale")
    if message.answered_at is not None:
        raise UserError("inbox.already_answered", id=message.id)
    return message


async def _deliver_answer(ctx: Context, conversation: Conversation) -> list[Reply]:
    """The same service as the web console's 问答 page (a colleague's answer wins)."""
    assert ctx.member is not None
    message, queued = await answer_message(
        ctx.session,
        int(conversation.data["message_id"]),
        conversation.data["answer"],
        clerk=ctx.member,
        cat=ctx.services.catalogue,
    )
    if queued:
        ctx.after_commit.append(ctx.services.wake_delivery)
    return [ctx.reply("inbox.answer_sent", id=message.id)]


ANSWER_FLOW = router.flow(
    Flow(
        name="inbox_answer",
        title="inbox.answer_title",
        steps=(Step("answer", "inbox.answer_prompt", max_chars=MAX_ANSWER_CHARS),),
        done=_deliver_answer,
        roles=SECRETARIAT,
    )
)


@router.command("inbox", "留言箱", roles=SECRETARIAT, menu="inbox.menu_staff", order=81)
async def inbox(ctx: Context) -> Reply:
    """Secretariat: unanswered member messages, oldest first, each with an answer button."""
    rows = await unanswered(ctx.session, limit=10)
    if not rows:
        return ctx.reply("inbox.empty")
    lines = [
        ctx.t("inbox.line", id=m.id, name=who.name, at=ctx.fmt_time(m.created_at), body=m.body[:60])
        for m, who in rows
    ]
    buttons = tuple(
        (ctx.button(ctx.t("inbox.btn_answer_n", id=m.id), "inbox.answer", m.id or 0),)
        for m, _ in rows
    )
    return Reply(text=ctx.t("inbox.list_title") + Text.join("\n", lines), buttons=buttons)
