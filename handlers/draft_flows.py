"""What the draft-writing flows (写提案, 社情民意) share: reopening a saved draft in its flow,
dropping the conversation of a deleted draft, the confirm step's way back to the preview,
the resume/delete buttons of a draft list, and telling the secretariat of a submission.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.context import Context
from bot.domain.roles import Role, parse_roles
from bot.flows import Flow
from bot.types import Button, Reply
from storage.tables import Conversation

__all__ = ["back_to_preview", "draft_buttons", "drop_conversation", "reopen", "tell_secretariat"]


def _me(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id


async def reopen(ctx: Context, flow: Flow, data: dict[str, Any], step: str) -> list[Reply]:
    """The draft's flow again at ``step``, replacing the flow's stale conversation."""
    existing = await ctx.conversations.of_flow(_me(ctx), flow.name)
    if existing is not None:
        await ctx.conversations.delete(existing)  # its draft row is already up to date
    await ctx.conversations.park_active(_me(ctx))
    conversation = await ctx.conversations.start(
        member_id=_me(ctx), chat_id=ctx.incoming.chat_id, flow=flow.name, step=step, data=data
    )
    return [await ctx.services.flows.prompt(ctx, flow, conversation)]


async def drop_conversation(ctx: Context, flow: Flow, key: str, draft_id: int) -> None:
    """The flow's conversation, if it is writing the draft being deleted."""
    existing = await ctx.conversations.of_flow(_me(ctx), flow.name)
    if existing is not None and existing.data.get(key) == draft_id:
        await ctx.conversations.delete(existing)


async def back_to_preview(
    ctx: Context, flow: Flow, conversation: Conversation
) -> list[Reply] | None:
    """At the confirm step: anything but "confirm" returns to the preview."""
    if conversation.data.pop("confirm", None) == "confirm":
        return None
    conversation.step = "preview"
    await ctx.conversations.save(conversation)
    return [await ctx.services.flows.prompt(ctx, flow, conversation)]


def draft_buttons(
    ctx: Context, ids: Sequence[int | None], namespace: str, action: str
) -> tuple[tuple[Button, ...], ...]:
    """继续 #n / 删除 #n for the first ten drafts."""
    return tuple(
        (
            ctx.button(ctx.t(f"{namespace}.btn_resume", id=i), f"{action}.resume", i or 0),
            ctx.button(ctx.t(f"{namespace}.btn_delete", id=i), f"{action}.delete", i or 0),
        )
        for i in ids[:10]
    )


async def tell_secretariat(ctx: Context, reply: Reply, *, kind: str, ref: str) -> None:
    """One notice for every secretariat member (deduplicated per submission and person)."""
    for person in await ctx.roster.list():
        if Role.SECRETARIAT not in parse_roles(person.roles) or person.id is None:
            continue
        await ctx.notify(
            person.id, reply, dedupe_key=f"{ref}:submitted:{person.id}", kind=kind, ref=ref
        )
