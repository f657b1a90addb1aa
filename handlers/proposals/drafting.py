"""写提案: the proposal as a kind of the drafting engine (``bot/proposals/drafting.py``).

```mermaid
flowchart LR
    kind --> title --> field --> situation --> suggestions
    suggestions -->|joint| cosigners --> preview
    suggestions -->|individual| preview
    preview -->|edit a part| title & field & situation & suggestions
    preview -->|invite| cosigners
    preview -->|manage invitations| signers -->|resend, remove, back| preview
    preview -->|similar joint draft| join -->|co-sign it, or back| preview
    preview -->|model help| assist -->|accept, keep| preview
    preview -->|submit, nothing blocking| confirm
    preview -->|submit, something blocking| preview
    confirm -->|confirm| submitted
    confirm -->|edit| preview
```

What the engine does not know is declared here: the steps, the preview text, the checks
(``findings.py``), co-signing (``cosigning.py``), the model's help (``assist.py``), and the
rule that a joint proposal needs a confirmed co-signer. ``/drafts`` lists the drafts.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.flows import Choice, Step
from bot.proposals.config import rules
from bot.proposals.drafting import DraftKind, draft_buttons, draft_flow, draft_lines, member_id
from bot.proposals.office import proposal_label
from bot.proposals.proposal_checks import suggest_title
from bot.proposals.proposal_lifecycle import Kind
from bot.router import Router
from bot.text import Text
from bot.types import Reply
from handlers.proposals import assist, cosigning
from handlers.proposals.findings import PARTS, findings, similar_ids, similarity_cache
from storage.proposals import Proposals, SignerStatus
from storage.tables import Proposal

__all__ = ["FLOW", "KIND", "router"]

router = Router("proposal")


def _parse_title(ctx: Context, data: dict[str, Any], text: str) -> str:
    """Stores the title in the conventional "关于……的提案" frame."""
    framed = suggest_title(text)
    if not framed:
        raise UserError("proposals.flow.title_empty")
    return framed


def _fields(ctx: Context, data: dict[str, Any]) -> list[Choice]:
    return [Choice(f, Text.plain(f)) for f in rules().proposal.fields]


async def _preview(ctx: Context, data: dict[str, Any]) -> Text:
    """The whole draft and, for a joint one, the co-signers' answers."""
    text = ctx.t(
        "proposals.flow.preview",
        kind=ctx.t(f"proposals.kind.{data.get('kind', 'individual')}"),
        title=data.get("title", ""),
        field=data.get("field", "") or "—",
        situation=data.get("situation", ""),
        suggestions=data.get("suggestions", ""),
    )
    if data.get("kind") == Kind.JOINT:
        text = text + Text.plain("\n\n") + await cosigning.cosigner_prompt(ctx, data)
    return text


async def _extra_choices(ctx: Context, data: dict[str, Any]) -> list[Choice]:
    choices = []
    if data.get("kind") == Kind.JOINT:
        choices.append(Choice("invite", "proposals.flow.btn_invite"))
        choices.append(Choice("signers", "proposals.flow.btn_signers"))
    for pid in similar_ids(await findings(ctx, data)):
        choices.append(Choice(f"join_{pid}", ctx.t("proposals.flow.btn_join", id=pid)))
    if assist.assistant_for(ctx) is not None:
        choices += [
            Choice(f"ai_{task}", f"proposals.flow.btn_ai_{task}") for task in assist.AI_TASKS
        ]
    return choices


async def _before_write(ctx: Context, data: dict[str, Any], step: str) -> None:
    """Back at the preview from a side step: applies its answer."""
    if step == "preview":
        await cosigning.apply_join(ctx, data)
        assist.apply_assist(data)


async def _write(ctx: Context, row: Proposal, data: dict[str, Any], step: str) -> None:
    repo = Proposals(ctx.session)
    if step == "preview":
        await cosigning.apply_signer(ctx, repo, row, data)
    await cosigning.sync(ctx, repo, row, data)


async def _route(ctx: Context, data: dict[str, Any], row: Proposal, choice: str) -> str | None:
    """The proposal's own preview buttons: invite, manage invitations, join, model help."""
    if choice == "invite":
        return "cosigners"
    if choice == "signers" and row.kind == Kind.JOINT:
        return "signers"
    if choice.startswith("join_") and choice[5:].isdigit():
        return await cosigning.route_join(ctx, data, int(choice[5:]))
    if choice.startswith("ai_"):
        return await assist.route_assist(ctx, FLOW, data, choice[3:])
    return None


async def _refusal(ctx: Context, data: dict[str, Any], row: Proposal) -> dict[str, Any] | None:
    """A joint proposal goes in with at least one confirmed co-signer."""
    if data.get("kind") != Kind.JOINT:
        return None
    assert row.id is not None
    signers = await Proposals(ctx.session).signers(row.id)
    if any(s.status == SignerStatus.CONFIRMED for s in signers):
        return None
    return {"key": "proposals.joint_needs_cosigner"}


async def _after_submit(ctx: Context, row: Proposal) -> None:
    # Rebuilt off the loop once this submission has committed (its own connection reads it).
    ctx.after_commit.append(similarity_cache(ctx.services).refresh)


def _staff_notice(ctx: Context, row: Proposal) -> Text:
    assert ctx.member is not None
    return ctx.t(
        "proposals.notice.submitted_staff",
        label=proposal_label(row),
        title=row.title,
        name=ctx.member.name,
        kind=ctx.t(f"proposals.kind.{row.kind}"),
    )


def _submitted(ctx: Context, row: Proposal) -> Reply:
    return ctx.reply(
        "proposals.flow.submitted",
        title=row.title,
        id=row.id,
        buttons=[[ctx.button("proposals.flow.btn_docx", "proposal.docx", row.id or 0)]],
    )


def _hidden(step: Step) -> Step:
    """A side step, reached only from the preview's buttons."""
    return Step(
        step.name, step.prompt, choices=step.choices, columns=step.columns, when=lambda d: False
    )


KIND = DraftKind(
    name="proposal",
    namespace="proposals",
    steps=(
        Step(
            "kind",
            "proposals.flow.kind_prompt",
            choices=(
                Choice(Kind.INDIVIDUAL.value, "proposals.kind.individual"),
                Choice(Kind.JOINT.value, "proposals.kind.joint"),
            ),
        ),
        Step("title", "proposals.flow.title_prompt", parse=_parse_title, max_chars=120),
        Step("field", "proposals.flow.field_prompt", choices=_fields, columns=3),
        Step("situation", "proposals.flow.situation_prompt", max_chars=4000),
        Step("suggestions", "proposals.flow.suggestions_prompt", max_chars=4000),
        Step(
            "cosigners",
            cosigning.cosigner_prompt,
            field="",
            parse=cosigning.parse_cosigner,
            optional=True,
            max_chars=32,
            when=lambda d: d.get("kind") == Kind.JOINT,
        ),
    ),
    parts=PARTS,
    repository=Proposals,
    findings=findings,
    preview=_preview,
    write=_write,
    staff_notice=_staff_notice,
    submitted=_submitted,
    extra_choices=_extra_choices,
    route=_route,
    side_steps=(
        _hidden(
            Step(
                "join",
                cosigning.join_prompt,
                choices=(
                    Choice("yes", "proposals.flow.btn_join_confirm"),
                    Choice("no", "proposals.flow.btn_back_to_preview"),
                ),
            )
        ),
        _hidden(Step("signers", cosigning.signers_prompt, choices=cosigning.signer_choices)),
        _hidden(
            Step(
                "assist",
                assist.assist_prompt,
                choices=(
                    Choice("yes", "proposals.flow.btn_ai_accept"),
                    Choice("no", "proposals.flow.btn_ai_keep"),
                ),
            )
        ),
    ),
    before_write=_before_write,
    refusal=_refusal,
    after_submit=_after_submit,
    confirm_prompt=cosigning.confirm_prompt,
)

FLOW = draft_flow(KIND, router)


@router.command("proposal", "写提案", menu="proposals.menu", order=10)
async def proposal(ctx: Context) -> list[Reply]:
    """Starts a new proposal (or offers to resume the unfinished one)."""
    return await ctx.begin(FLOW)


@router.command("drafts", "草稿", menu="proposals.menu_drafts", order=12)
async def drafts(ctx: Context) -> Reply:
    """The member's proposal drafts, each with resume and delete buttons."""
    rows = await Proposals(ctx.session).drafts_of(member_id(ctx))
    if not rows:
        return ctx.reply("proposals.drafts_empty")
    lines = draft_lines(ctx, rows, KIND)
    buttons = draft_buttons(ctx, [r.id for r in rows], KIND)
    return Reply(text=ctx.t("proposals.drafts_head") + Text.join("\n", lines), buttons=buttons)
