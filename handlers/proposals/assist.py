"""Optional help from a model while drafting a proposal: polish the text, suggest a title or
a field. Offered on the preview only when a model endpoint is configured; the member sees
each suggested part beside the original and accepts or keeps their own.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.errors import PayloadError
from bot.flows import Flow
from bot.proposals.assistant import AssistantError, ProposalAssistant
from bot.proposals.config import rules
from bot.proposals.drafting import member_id
from bot.proposals.proposal_checks import ProposalText
from bot.text import Text
from bot.types import Reply
from handlers.proposals.findings import PARTS, text_of

__all__ = ["AI_TASKS", "apply_assist", "assist_prompt", "assistant_for", "route_assist"]

AI_TASKS = ("polish", "title", "field")


def assistant_for(ctx: Context) -> ProposalAssistant | None:
    """The drafting help, or None when no model endpoint is configured."""
    if "proposal_assistant" not in ctx.services.extras:
        ctx.services.extras["proposal_assistant"] = ProposalAssistant.from_settings(ctx.settings)
    return ctx.services.extras["proposal_assistant"]


async def route_assist(ctx: Context, flow: Flow, data: dict[str, Any], task: str) -> str:
    """Asks the model once this update has committed (a model may take seconds, and a
    transaction would hold the database meanwhile); the preview says it is on its way."""
    assistant = assistant_for(ctx)
    if assistant is None or task not in AI_TASKS:
        raise PayloadError("core.button_stale")
    text, draft = text_of(data), int(data["proposal_id"])

    async def suggest() -> list[Reply]:
        try:
            values = await _ask_model(assistant, task, text)
        except AssistantError:
            values = None
        return await _offer_suggestion(ctx, flow, draft, values)

    ctx.defer(suggest)
    data["_notice"] = {"key": "proposals.flow.ai_working"}
    return "preview"


async def _ask_model(assistant: ProposalAssistant, task: str, text: ProposalText) -> dict[str, str]:
    if task == "polish":
        return await assistant.polish(text)
    if task == "title":
        return {"title": await assistant.title(text)}
    return {"field": await assistant.field(text, rules().proposal.fields)}


async def _offer_suggestion(
    ctx: Context, flow: Flow, draft: int, values: dict[str, str] | None
) -> list[Reply]:
    """The model's answer, in a transaction of its own: the assist step with the suggestion,
    or the preview saying it failed. Dropped if the member has meanwhile left the preview."""
    async with ctx.later() as later:
        conversation = await later.conversations.of_flow(member_id(later), flow.name)
        if (
            conversation is None
            or conversation.step != "preview"
            or conversation.data.get("proposal_id") != draft
        ):
            return []
        data = conversation.data
        if values is None:
            data["_notice"] = {"key": "proposals.flow.ai_failed"}
        else:
            data.pop("_notice", None)
            data["_suggestion"] = values
            data["_return_to"] = "preview"
            conversation.step = "assist"
        await later.conversations.save(conversation)
        return [await later.services.flows.prompt(later, flow, conversation)]


async def assist_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    """Each suggested part beside the original, so the member sees what would change."""
    pairs = [
        ctx.t(
            "proposals.flow.ai_pair",
            part=ctx.t(f"proposals.flow.part_{part}"),
            original=data.get(part) or "—",
            suggested=value,
        )
        for part, value in data.get("_suggestion", {}).items()
    ]
    return ctx.t("proposals.flow.ai_head") + Text.join("\n\n", pairs)


def apply_assist(data: dict[str, Any]) -> None:
    suggestion, answer = data.pop("_suggestion", {}), data.pop("assist", None)
    if answer == "yes":
        data.update({k: v for k, v in suggestion.items() if k in PARTS})
        data["_notice"] = {"key": "proposals.flow.ai_applied"}
