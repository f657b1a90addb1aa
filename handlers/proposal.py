"""写提案: the member drafts a proposal step by step, invites co-signers, checks and submits it.

```mermaid
flowchart LR
    kind --> title --> field --> situation --> suggestions
    suggestions -->|joint| cosigners --> preview
    suggestions -->|individual| preview
    preview -->|edit a part| title & field & situation & suggestions
    preview -->|invite| cosigners
    preview -->|manage invitations| signers -->|resend, remove, back| preview
    preview -->|submit, nothing blocking| confirm
    preview -->|submit, something blocking| preview
    confirm -->|confirm| submitted
    confirm -->|edit| preview
```

The draft is a ``proposal`` row (status draft), written at every step by ``_saved``, so
``/drafts`` lists it and resumes it days later even after the conversation is gone. Every
button carrying a proposal id is checked against the member on arrival. An invitee who has
not verified yet cannot be reached: the invitation is held and delivered when they verify
(``bot/proposal_invitations.py``), and the initiator sees so in the listing and before
submitting, where unanswered invitations lapse.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context, Services
from bot.documents.proposal_docx import proposal_docx, proposal_file_name
from bot.domain.drafting import Finding, explain, has_blocking
from bot.domain.proposal_checks import (
    ProposalText,
    check_proposal,
    comparison_text,
    suggest_title,
)
from bot.domain.proposal_config import rules
from bot.domain.proposal_lifecycle import Kind, Rating, Status
from bot.domain.roles import Role
from bot.domain.similarity import SimilarityIndex
from bot.errors import PayloadError, UserError
from bot.flows import Choice, Flow, Goto, Step
from bot.proposal_assistant import AssistantError, ProposalAssistant
from bot.proposal_invitations import reachable_ids, send_invitation
from bot.proposal_office import Office, proposal_label
from bot.router import Router
from bot.similarity_cache import SimilarityCache
from bot.text import Text
from bot.types import OutDocument, Reply
from handlers.draft_flows import (
    back_to_preview,
    draft_buttons,
    drop_conversation,
    reopen,
    tell_secretariat,
)
from storage.proposals_repo import Proposals, SignerStatus
from storage.tables import Conversation, Proposal, ProposalSigner

__all__ = ["FLOW", "assistant_for", "office_for", "router", "similarity_cache"]

router = Router("proposal")

PARTS = ("title", "field", "situation", "suggestions")
TEXT_PARTS = ("title", "situation", "suggestions")  # what co-signers confirmed
SIMILAR_KEYS = ("proposals.check.similar", "proposals.check.similar_draft")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def office_for(ctx: Context) -> Office:
    return Office(
        session=ctx.session,
        catalogue=ctx.services.catalogue,
        signer=ctx.services.signer,
        zone=ctx.settings.zone,
        actor=ctx.member,
    )


def _me(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id


def _text_of(data: dict[str, Any]) -> ProposalText:
    return ProposalText(**{k: str(data.get(k) or "") for k in PARTS})


def _id_arg(ctx: Context, index: int = 0) -> int:
    if len(ctx.args) <= index or not ctx.args[index].isdigit():
        raise PayloadError("core.button_forged")
    return int(ctx.args[index])


def similarity_cache(services: Services) -> SimilarityCache:
    """One per app (per process): the term's index is built once, not at every preview."""
    cache = services.extras.get("proposal_similarity")
    if cache is None:
        assert services.db is not None, "build_app wires the database"
        cache = services.extras["proposal_similarity"] = SimilarityCache(services.db)
    return cache


def assistant_for(ctx: Context) -> ProposalAssistant | None:
    """The drafting help, or None when no model endpoint is configured."""
    if "proposal_assistant" not in ctx.services.extras:
        ctx.services.extras["proposal_assistant"] = ProposalAssistant.from_settings(ctx.settings)
    return ctx.services.extras["proposal_assistant"]


async def _findings(ctx: Context, data: dict[str, Any]) -> list[Finding]:
    repo = Proposals(ctx.session)
    text = _text_of(data)
    own = data.get("proposal_id")
    cache = similarity_cache(ctx.services)
    index = await cache.index(repo)
    # The preview's text and its buttons both need the findings: compute them once.
    memo_key = (cache.builds, text, own)
    if cache.memo is not None and cache.memo[0] == memo_key:
        findings = list(cache.memo[1])
    else:
        findings = check_proposal(text, similar=index, exclude=own)
        cache.memo = (memo_key, list(findings))
    if text.title.strip():
        findings += await _similar_drafts(ctx, repo, text, own)
    return findings


async def _similar_drafts(
    ctx: Context, repo: Proposals, text: ProposalText, own: int | None
) -> list[Finding]:
    """Other members' joint drafts on the same matter, still open for co-signing."""
    drafts = await repo.open_joint_drafts(other_than=_me(ctx))
    if not drafts:
        return []
    index = SimilarityIndex(
        (d.id or 0, d.title, comparison_text(ProposalText(d.title, "", d.situation, d.suggestions)))
        for d in drafts
    )
    r = rules().proposal
    names = {d.id: d.proposer.get("name", "") for d in drafts}
    return [
        Finding(
            "warning",
            "proposals.check.similar_draft",
            {"proposal_id": str(m.ref), "title": m.label, "name": names.get(m.ref, "")},
        )
        for m in index.query(
            comparison_text(text),
            threshold=r.similarity_threshold,
            top=r.similar_shown,
            exclude=own,
        )
    ]


def _similar_ids(findings: list[Finding]) -> list[int]:
    return [int(f.params["proposal_id"]) for f in findings if f.key in SIMILAR_KEYS]


def findings_text(ctx: Context, findings: list[Finding]) -> Text:
    if not findings:
        return ctx.t("proposals.flow.checks_clean")
    lines = [
        ctx.t("proposals.flow.check_line_blocking" if f.blocking else "proposals.flow.check_line")
        + explain(f)
        for f in findings
    ]
    return ctx.t("proposals.flow.checks_head") + Text.join("\n", lines)


# -- steps -------------------------------------------------------------------------
async def _start(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Creates the draft row the flow writes to."""
    assert ctx.member is not None
    row = await Proposals(ctx.session).new_draft(ctx.member, at=ctx.now())
    return data | {"proposal_id": row.id}


def _parse_title(ctx: Context, data: dict[str, Any], text: str) -> str:
    """Stores the title in the conventional "关于……的提案" frame."""
    framed = suggest_title(text)
    if not framed:
        raise UserError("proposals.flow.title_empty")
    return framed


def _fields(ctx: Context, data: dict[str, Any]) -> list[Choice]:
    return [Choice(f, Text.plain(f)) for f in rules().proposal.fields]


async def _held(ctx: Context, signers: list[ProposalSigner]) -> set[int]:
    """Invitees still to answer who cannot be reached yet (not verified): held for them."""
    waiting = [s.member_id for s in signers if s.status == SignerStatus.INVITED]
    return set(waiting) - await reachable_ids(ctx, waiting)


async def _cosigner_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    """Asks for another name below the invitations so far."""
    return ctx.t("proposals.flow.cosigner_prompt") + await _signer_listing(ctx, data)


async def _signer_listing(ctx: Context, data: dict[str, Any]) -> Text:
    """Who has been invited and how they answered; who cannot be reached yet, said plainly
    (the invitation waits for them to verify)."""
    signers = await Proposals(ctx.session).signers(int(data["proposal_id"]))
    held = await _held(ctx, signers)
    lines = [
        ctx.t(
            "proposals.flow.signer_line",
            name=s.details.get("name", ""),
            status=ctx.t(
                "proposals.flow.signer_held"
                if s.member_id in held
                else f"proposals.signer_status.{s.status}"
            ),
        )
        for s in signers
    ]
    text = Text.join("\n", lines) if lines else ctx.t("proposals.flow.no_signers")
    if held:
        names = "、".join(s.details.get("name", "") for s in signers if s.member_id in held)
        text += ctx.t("proposals.flow.held_note", names=names)
    return text


async def _parse_cosigner(ctx: Context, data: dict[str, Any], text: str) -> Goto:
    """Finds the member by name, invites them (full text, confirm/decline buttons)."""
    roster = ctx.roster
    found = await roster.by_name(text) or await roster.search(text, limit=5)
    if not found:
        raise UserError("proposals.flow.cosigner_not_found", name=text)
    if len(found) > 1:
        raise UserError("proposals.flow.cosigner_ambiguous", names="、".join(m.name for m in found))
    invitee = found[0]
    repo = Proposals(ctx.session)
    row = await repo.own_draft(_me(ctx), int(data["proposal_id"]))
    await _sync(repo, row, data)
    signer = await repo.invite(row, invitee, at=ctx.now())
    await send_invitation(ctx, row, signer)  # held if the invitee is not verified yet
    return Goto("cosigners")


async def _preview_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    """The whole draft, the clerk's checks, and the co-signers' answers."""
    notice = data.get("_notice")
    text = ctx.t(
        "proposals.flow.preview",
        kind=ctx.t(f"proposals.kind.{data.get('kind', 'individual')}"),
        title=data.get("title", ""),
        field=data.get("field", "") or "—",
        situation=data.get("situation", ""),
        suggestions=data.get("suggestions", ""),
    )
    if data.get("kind") == Kind.JOINT:
        text = text + Text.plain("\n\n") + await _cosigner_prompt(ctx, data)
    text = text + Text.plain("\n\n") + findings_text(ctx, await _findings(ctx, data))
    if notice:
        text = ctx.t(notice["key"], **notice.get("params", {})) + Text.plain("\n\n") + text
    return text


async def _preview_choices(ctx: Context, data: dict[str, Any]) -> list[Choice]:
    choices = [Choice("submit", "proposals.flow.btn_submit")]
    choices += [Choice(f"edit_{p}", f"proposals.flow.btn_edit_{p}") for p in PARTS]
    if data.get("kind") == Kind.JOINT:
        choices.append(Choice("invite", "proposals.flow.btn_invite"))
        choices.append(Choice("signers", "proposals.flow.btn_signers"))
    for pid in _similar_ids(await _findings(ctx, data)):
        choices.append(Choice(f"join_{pid}", ctx.t("proposals.flow.btn_join", id=pid)))
    if assistant_for(ctx) is not None:
        choices += [Choice(f"ai_{task}", f"proposals.flow.btn_ai_{task}") for task in AI_TASKS]
    return choices


# -- managing the invitations: resend, remove ------------------------------------------
async def _signers_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t("proposals.flow.signers_head") + await _signer_listing(ctx, data)


async def _signer_choices(ctx: Context, data: dict[str, Any]) -> list[Choice]:
    """返回 first, then 重发邀请 / 移除 for each co-signer in invitation order. Buttons are
    picked by position: an invitee answering changes no position, one joining adds at the
    end, so a press always means the invitee its label names."""
    choices = [Choice("back", "proposals.flow.btn_back_to_preview")]
    for s in await Proposals(ctx.session).signers(int(data["proposal_id"])):
        name = s.details.get("name", "")
        choices.append(
            Choice(f"resend_{s.member_id}", ctx.t("proposals.flow.btn_resend", name=name))
        )
        choices.append(
            Choice(f"remove_{s.member_id}", ctx.t("proposals.flow.btn_remove", name=name))
        )
    return choices


async def _apply_signer(ctx: Context, repo: Proposals, row: Proposal, data: dict[str, Any]) -> None:
    choice = data.pop("signers", None)
    if isinstance(choice, str) and choice.startswith(("resend_", "remove_")):
        data["_notice"] = await _manage_signer(ctx, repo, row, choice)


async def _manage_signer(
    ctx: Context, repo: Proposals, row: Proposal, choice: str
) -> dict[str, Any]:
    """重发邀请 / 移除 from the preview; returns the notice the preview shows."""
    verb, _, member = choice.partition("_")
    signer = next((s for s in await repo.signers(row.id or 0) if str(s.member_id) == member), None)
    if signer is None:
        raise PayloadError("core.button_stale")
    name = signer.details.get("name", "")
    if verb == "remove":
        await repo.remove_signer(row, signer.member_id)
        if signer.status in (SignerStatus.INVITED, SignerStatus.CONFIRMED):
            await ctx.notify(
                signer.member_id,
                Reply(
                    text=ctx.t(
                        "proposals.notice.invitation_withdrawn",
                        name=row.proposer.get("name", ""),
                        title=row.title,
                    )
                ),
                dedupe_key=f"proposal:{row.id}:removed:{signer.member_id}:{signer.id}",
                kind="proposal",
                ref=f"proposal:{row.id}",
            )
        return {"key": "proposals.flow.removed", "params": {"name": name}}
    if signer.status == SignerStatus.CONFIRMED:
        return {"key": "proposals.flow.resend_confirmed", "params": {"name": name}}
    if signer.status != SignerStatus.INVITED:  # declined: asked once more
        await repo.reinvite(signer, at=ctx.now())
    if await send_invitation(ctx, row, signer, wave=f"resend:{ctx.now().isoformat()}"):
        return {"key": "proposals.flow.resent", "params": {"name": name}}
    return {"key": "proposals.flow.resend_held", "params": {"name": name}}


# -- co-signing a similar proposal instead of duplicating it -----------------------------
async def _route_join(ctx: Context, data: dict[str, Any], pid: int) -> str:
    """To the join step if the similar proposal is a joint draft still open, else explain."""
    if pid not in _similar_ids(await _findings(ctx, data)):
        raise PayloadError("core.button_forged")
    other = await Proposals(ctx.session).require(pid)
    if other.status != Status.DRAFT or other.kind != Kind.JOINT:
        data["_notice"] = {
            "key": "proposals.flow.join_impossible",
            "params": {
                "title": other.title,
                "status": str(ctx.t(f"proposals.status.{other.status}")),
            },
        }
        return "preview"
    data["join_id"] = pid
    return "join"


async def _join_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    other = await Proposals(ctx.session).require(int(data["join_id"]))
    return ctx.t(
        "proposals.flow.join_prompt",
        name=other.proposer.get("name", ""),
        title=other.title,
        field=other.field or "—",
        situation=other.situation,
        suggestions=other.suggestions,
    )


async def _apply_join(ctx: Context, data: dict[str, Any]) -> None:
    pid, answer = int(data.pop("join_id", 0)), data.pop("join", None)
    if answer != "yes" or not pid:
        return
    assert ctx.member is not None
    repo = Proposals(ctx.session)
    other = await repo.require(pid)
    try:
        await repo.join(other, ctx.member, at=ctx.now())
    except UserError as exc:
        data["_notice"] = {"key": exc.key, "params": dict(exc.params)}
        return
    await ctx.notify(
        other.author_id,
        Reply(text=ctx.t("proposals.notice.joined", name=ctx.member.name, title=other.title)),
        dedupe_key=f"proposal:{pid}:joined:{ctx.member.id}",
        kind="proposal",
        ref=f"proposal:{pid}",
    )
    data["_notice"] = {
        "key": "proposals.flow.joined",
        "params": {"title": other.title, "id": str(data["proposal_id"])},
    }


# -- optional help from a model ---------------------------------------------------------
AI_TASKS = ("polish", "title", "field")


async def _route_assist(ctx: Context, data: dict[str, Any], task: str) -> str:
    """Asks the model once this update has committed (a model may take seconds, and a
    transaction would hold the database meanwhile); the preview says it is on its way."""
    assistant = assistant_for(ctx)
    if assistant is None or task not in AI_TASKS:
        raise PayloadError("core.button_stale")
    text, draft = _text_of(data), int(data["proposal_id"])

    async def suggest() -> list[Reply]:
        try:
            values = await _ask_model(assistant, task, text)
        except AssistantError:
            values = None
        return await _offer_suggestion(ctx, draft, values)

    ctx.defer(suggest)
    data["_notice"] = {"key": "proposals.flow.ai_working"}
    return "preview"


async def _ask_model(assistant: ProposalAssistant, task: str, text: ProposalText) -> dict[str, str]:
    if task == "polish":
        return await assistant.polish(text)
    if task == "title":
        return {"title": await assistant.title(text)}
    return {"field": await assistant.field(text, rules().proposal.fields)}


async def _offer_suggestion(ctx: Context, draft: int, values: dict[str, str] | None) -> list[Reply]:
    """The model's answer, in a transaction of its own: the assist step with the suggestion,
    or the preview saying it failed. Dropped if the member has meanwhile left the preview."""
    async with ctx.later() as later:
        conversation = await later.conversations.of_flow(_me(later), FLOW.name)
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
        return [await later.services.flows.prompt(later, FLOW, conversation)]


async def _assist_prompt(ctx: Context, data: dict[str, Any]) -> Text:
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


def _apply_assist(data: dict[str, Any]) -> None:
    suggestion, answer = data.pop("_suggestion", {}), data.pop("assist", None)
    if answer == "yes":
        data.update({k: v for k, v in suggestion.items() if k in PARTS})
        data["_notice"] = {"key": "proposals.flow.ai_applied"}


async def _confirm_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    """Asks to confirm; warns of invitations still unanswered, which lapse at submission."""
    text = ctx.t("proposals.flow.confirm_prompt", title=data.get("title", ""))
    signers = await Proposals(ctx.session).signers(int(data["proposal_id"]))
    waiting = [s for s in signers if s.status == SignerStatus.INVITED]
    if not waiting:
        return text
    held = await _held(ctx, signers)
    names = "、".join(
        s.details.get("name", "")
        + (str(ctx.t("proposals.flow.held_mark")) if s.member_id in held else "")
        for s in waiting
    )
    return text + ctx.t("proposals.flow.pending_warning", count=len(waiting), names=names)


async def _sync(repo: Proposals, row: Proposal, data: dict[str, Any]) -> bool:
    """Writes the draft; True when the text co-signers confirmed has changed."""
    before = [getattr(row, p) for p in TEXT_PARTS]
    parts = {k: data[k] for k in PARTS if k in data}
    await repo.save_draft(row, kind=data.get("kind", row.kind), **parts)
    return before != [getattr(row, p) for p in TEXT_PARTS]


async def _ask_again(ctx: Context, repo: Proposals, row: Proposal) -> int:
    """Edited after co-signers confirmed: each is asked again with the new text."""
    reset = await repo.reset_confirmations(row)
    for signer in reset:
        await send_invitation(ctx, row, signer, wave=f"again:{row.updated_at.isoformat()}")
    return len(reset)


async def _saved(ctx: Context, conversation: Conversation) -> None:
    """Writes the draft row at every step, and routes the preview's buttons."""
    data = conversation.data
    data.pop("_notice", None)
    if conversation.step == "preview":
        await _apply_join(ctx, data)
        _apply_assist(data)
    repo = Proposals(ctx.session)
    row = await repo.own_draft(_me(ctx), int(data["proposal_id"]))
    if conversation.step == "preview":
        await _apply_signer(ctx, repo, row, data)
    if await _sync(repo, row, data) and row.kind == Kind.JOINT:
        count = await _ask_again(ctx, repo, row)
        if count:
            data["_notice"] = {"key": "proposals.flow.asked_again", "params": {"count": count}}
    if conversation.step != "confirm" or "preview" not in data:
        if conversation.step == "preview":  # what _apply_* changed is stored, not only shown
            await ctx.conversations.save(conversation)
        return
    choice = data.pop("preview")
    target = None
    if choice.startswith("edit_") and choice[5:] in PARTS:
        target = choice[5:]
    elif choice == "invite":
        target = "cosigners"
    elif choice == "signers" and row.kind == Kind.JOINT:
        target = "signers"
    elif choice.startswith("join_") and choice[5:].isdigit():
        target = await _route_join(ctx, data, int(choice[5:]))
    elif choice.startswith("ai_"):
        target = await _route_assist(ctx, data, choice[3:])
    elif choice == "submit":
        findings = await _findings(ctx, data)
        if has_blocking(findings):
            data["_notice"] = {"key": "proposals.flow.fix_first"}
            target = "preview"
        elif data.get("kind") == Kind.JOINT and not await _confirmed(repo, row):
            data["_notice"] = {"key": "proposals.joint_needs_cosigner"}
            target = "preview"
    if target is not None:
        conversation.step = target
        if target != "preview":
            data["_return_to"] = "preview"
        await ctx.conversations.save(conversation)


async def _confirmed(repo: Proposals, row: Proposal) -> int:
    assert row.id is not None
    return sum(s.status == SignerStatus.CONFIRMED for s in await repo.signers(row.id))


async def _done(ctx: Context, conversation: Conversation) -> list[Reply]:
    """Submits on confirmation; otherwise goes back to the preview."""
    data = conversation.data
    back = await back_to_preview(ctx, FLOW, conversation)
    if back is not None:
        return back
    repo = Proposals(ctx.session)
    row = await repo.own_draft(_me(ctx), int(data["proposal_id"]))
    findings = await _findings(ctx, data)
    await repo.submit(row, blocking_findings=sum(f.blocking for f in findings), at=ctx.now())
    await ctx.conversations.delete(conversation)
    # Rebuilt off the loop once this submission has committed (its own connection reads it).
    ctx.after_commit.append(similarity_cache(ctx.services).refresh)
    await _tell_staff(ctx, row)
    return [
        ctx.reply(
            "proposals.flow.submitted",
            title=row.title,
            id=row.id,
            buttons=[[ctx.button("proposals.flow.btn_docx", "proposal.docx", row.id or 0)]],
        )
    ]


async def _tell_staff(ctx: Context, row: Proposal) -> None:
    assert ctx.member is not None
    text = ctx.t(
        "proposals.notice.submitted_staff",
        label=proposal_label(row),
        title=row.title,
        name=ctx.member.name,
        kind=ctx.t(f"proposals.kind.{row.kind}"),
    )
    await tell_secretariat(ctx, Reply(text=text), kind="proposal", ref=f"proposal:{row.id}")


FLOW = router.flow(
    Flow(
        name="proposal",
        title="proposals.flow.title",
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
                _cosigner_prompt,
                field="",
                parse=_parse_cosigner,
                optional=True,
                max_chars=32,
                when=lambda d: d.get("kind") == Kind.JOINT,
            ),
            Step("preview", _preview_prompt, choices=_preview_choices, columns=2),
            Step(
                "confirm",
                _confirm_prompt,
                choices=(
                    Choice("confirm", "proposals.flow.btn_confirm"),
                    Choice("edit", "proposals.flow.btn_back_to_preview"),
                ),
            ),
            # Reached only from the preview's buttons; all return to the preview.
            Step(
                "join",
                _join_prompt,
                choices=(
                    Choice("yes", "proposals.flow.btn_join_confirm"),
                    Choice("no", "proposals.flow.btn_back_to_preview"),
                ),
                when=lambda d: False,
            ),
            Step(
                "signers",
                _signers_prompt,
                choices=_signer_choices,
                columns=2,
                when=lambda d: False,
            ),
            Step(
                "assist",
                _assist_prompt,
                choices=(
                    Choice("yes", "proposals.flow.btn_ai_accept"),
                    Choice("no", "proposals.flow.btn_ai_keep"),
                ),
                when=lambda d: False,
            ),
        ),
        start=_start,
        saved=_saved,
        done=_done,
        keep_on_done=True,
    )
)


@router.command("proposal", "写提案", menu="proposals.menu", order=10)
async def proposal(ctx: Context) -> list[Reply]:
    """Starts a new proposal (or offers to resume the unfinished one)."""
    return await ctx.begin(FLOW)


# -- drafts ------------------------------------------------------------------------
@router.command("drafts", "草稿", menu="proposals.menu_drafts", order=12)
async def drafts(ctx: Context) -> Reply:
    """The member's proposal drafts, each with resume and delete buttons."""
    rows = await Proposals(ctx.session).drafts_of(_me(ctx))
    if not rows:
        return ctx.reply("proposals.drafts_empty")
    lines = [
        ctx.t(
            "proposals.draft_line",
            id=r.id,
            title=r.title or ctx.t("proposals.untitled"),
            saved=ctx.fmt_time(r.updated_at),
        )
        for r in rows
    ]
    buttons = draft_buttons(ctx, [r.id for r in rows], "proposals", "proposal")
    return Reply(text=ctx.t("proposals.drafts_head") + Text.join("\n", lines), buttons=buttons)


@router.action("proposal.resume")
async def resume(ctx: Context) -> list[Reply]:
    """Continues a draft at its first missing part, or at the preview."""
    repo = Proposals(ctx.session)
    row = await repo.own_draft(_me(ctx), _id_arg(ctx))
    data: dict[str, Any] = {"proposal_id": row.id, "kind": row.kind}
    data |= {p: getattr(row, p) for p in PARTS if getattr(row, p)}
    return await reopen(ctx, FLOW, data, next((p for p in PARTS if p not in data), "preview"))


@router.action("proposal.delete")
async def delete(ctx: Context) -> Reply:
    """Deletes the member's own draft (and the conversation writing it)."""
    draft_id = _id_arg(ctx)
    repo = Proposals(ctx.session)
    await repo.own_draft(_me(ctx), draft_id)
    await drop_conversation(ctx, FLOW, "proposal_id", draft_id)
    await repo.delete_draft(_me(ctx), draft_id)
    return ctx.reply("proposals.draft_deleted", id=draft_id, edit=True)


# -- co-signing --------------------------------------------------------------------
@router.action("proposal.cosign")
async def cosign(ctx: Context) -> Reply:
    """The invited member confirms (y) or declines (n); the initiator is told."""
    pid = _id_arg(ctx)
    if len(ctx.args) < 2 or ctx.args[1] not in ("y", "n"):
        raise PayloadError("core.button_forged")
    accept = ctx.args[1] == "y"
    repo = Proposals(ctx.session)
    await repo.answer_invitation(pid, _me(ctx), accept=accept, at=ctx.now())
    row = await repo.require(pid)
    assert ctx.member is not None
    await ctx.notify(
        row.author_id,
        Reply(
            text=ctx.t(
                "proposals.notice.invitation_answered",
                name=ctx.member.name,
                answer=ctx.t("proposals.flow.answer_yes" if accept else "proposals.flow.answer_no"),
                title=row.title,
            )
        ),
        dedupe_key=f"proposal:{pid}:invite-answer:{ctx.member.id}",
        kind="proposal",
        ref=f"proposal:{pid}",
    )
    key = "proposals.cosign_confirmed" if accept else "proposals.cosign_declined"
    return ctx.reply(key, title=row.title, edit=True)


# -- following a proposal ------------------------------------------------------------
async def _visible(ctx: Context, pid: int) -> Proposal:
    """A proposal the member authored or co-signed; anyone else's id is refused."""
    repo = Proposals(ctx.session)
    row = await repo.require(pid)
    me = _me(ctx)
    if row.author_id == me or Role.SECRETARIAT in ctx.roles:
        return row
    signers = await repo.signers(pid)
    if any(s.member_id == me and s.status == SignerStatus.CONFIRMED for s in signers):
        return row
    raise UserError("proposals.not_yours")


@router.command("myproposals", "我的提案", menu="proposals.menu_mine", order=11)
async def my_proposals(ctx: Context) -> Reply:
    """Each proposal with its status; a button opens its history."""
    rows = await Proposals(ctx.session).of_member(_me(ctx))
    if not rows:
        return ctx.reply("proposals.mine_empty")
    lines = [
        ctx.t(
            "proposals.mine_line",
            label=proposal_label(r),
            title=r.title,
            status=ctx.t(f"proposals.status.{r.status}"),
            key=ctx.t("proposals.key_mark") if r.is_key else "",
        )
        for r in rows
    ]
    buttons = tuple(
        (
            ctx.button(
                ctx.t("proposals.btn_show", label=proposal_label(r)), "proposal.show", r.id or 0
            ),
        )
        for r in rows[:10]
    )
    return Reply(text=ctx.t("proposals.mine_head") + Text.join("\n", lines), buttons=buttons)


@router.action("proposal.show")
async def show(ctx: Context) -> Reply:
    """Status and history of one proposal, with the DOCX."""
    row = await _visible(ctx, _id_arg(ctx))
    assert row.id is not None
    history = await Proposals(ctx.session).history(row.id)
    lines = [
        ctx.t(
            "proposals.history_line",
            at=ctx.fmt_time(h.at),
            action=ctx.t(f"proposals.action.{h.action}"),
            note=h.note,
        )
        for h in history
    ]
    text = ctx.t(
        "proposals.detail",
        label=proposal_label(row),
        title=row.title,
        status=ctx.t(f"proposals.status.{row.status}"),
        lead_unit=row.lead_unit or "—",
        deadline=ctx.fmt_time(row.deadline_at) or "—",
        answer=row.answer_text or row.answer_document_name or "—",
    ) + Text.join("\n", lines)
    buttons = [[ctx.button("proposals.flow.btn_docx", "proposal.docx", row.id)]]
    if row.answer_document:
        buttons[0].append(ctx.button("proposals.btn_answer_file", "proposal.answer_file", row.id))
    if row.status == Status.ANSWERED and row.author_id == _me(ctx):
        buttons.append(
            [
                ctx.button(f"proposals.rating.{r.value}", "proposal.rate", row.id, r.value)
                for r in Rating
            ]
        )
    return Reply(text=text, buttons=tuple(tuple(b) for b in buttons))


@router.action("proposal.docx")
async def docx(ctx: Context) -> Reply:
    """The formatted proposal as a Word document."""
    row = await _visible(ctx, _id_arg(ctx))
    assert row.id is not None
    repo = Proposals(ctx.session)
    cosigners = [
        s.details for s in await repo.signers(row.id) if s.status == SignerStatus.CONFIRMED
    ]
    content = proposal_docx(
        row, cosigners=cosigners, committee=ctx.settings.committee_name, zone=ctx.settings.zone
    )
    return Reply(
        text=ctx.t("proposals.docx_ready", title=row.title),
        document=OutDocument(proposal_file_name(row), content, DOCX_MIME),
    )


@router.action("proposal.answer_file")
async def answer_file(ctx: Context) -> Reply:
    """The answer letter the secretariat uploaded, as it was uploaded."""
    row = await _visible(ctx, _id_arg(ctx))
    if not row.answer_document:
        raise UserError("proposals.not_found")
    name = row.answer_document_name or "answer"
    return Reply(
        text=ctx.t("proposals.answer_file_ready", title=row.title),
        document=OutDocument(name, row.answer_document, "application/octet-stream"),
    )


@router.action("proposal.rate")
async def rate(ctx: Context) -> list[Reply]:
    """满意 / 基本满意 / 不满意 after the answer, then an optional comment (skippable)."""
    pid = _id_arg(ctx)
    try:
        rating = Rating(ctx.args[1])
    except (IndexError, ValueError):
        raise PayloadError("core.button_forged") from None
    row = await Proposals(ctx.session).require(pid)
    if row.author_id != _me(ctx):
        raise UserError("proposals.not_yours")
    if row.status != Status.ANSWERED:
        raise UserError("proposals.rate_closed", title=row.title)
    existing = await ctx.conversations.of_flow(_me(ctx), RATE.name)
    if existing is not None:  # another rating left half-done: this press replaces it
        await ctx.conversations.delete(existing)
    return await ctx.begin(RATE, {"proposal_id": pid, "rating": rating.value, "title": row.title})


async def _rate_done(ctx: Context, conversation: Conversation) -> Reply:
    d = conversation.data
    rating = Rating(d["rating"])
    row = await Proposals(ctx.session).require(int(d["proposal_id"]))
    await office_for(ctx).rate(row, _me(ctx), rating, comment=d.get("comment") or "")
    key = "proposals.rated_again" if rating == Rating.DISSATISFIED else "proposals.rated"
    return ctx.reply(key, title=row.title, rating=ctx.t(f"proposals.rating.{rating.value}"))


async def _rate_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t(
        "proposals.rate_comment_prompt",
        title=data.get("title", ""),
        rating=ctx.t(f"proposals.rating.{data['rating']}"),
    )


RATE = router.flow(
    Flow(
        name="proposal_rate",
        title="proposals.rate_title",
        steps=(Step("comment", _rate_prompt, optional=True, max_chars=500),),
        done=_rate_done,
    )
)
