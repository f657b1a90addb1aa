"""Co-signing (联名) in chat: inviting co-signers while drafting a joint proposal, managing the
invitations from the preview (resend, remove), asking again after the text changed, joining
a similar joint draft instead of writing a duplicate, and the invitee's confirm / decline.

An invitee who has not verified yet cannot be reached: the invitation is held and delivered
when they verify (``bot/proposals/invitations.py``), and the initiator sees so in the
listing and before submitting, where unanswered invitations lapse.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.errors import PayloadError, UserError
from bot.flows import Choice, Goto
from bot.proposals.drafting import id_arg, member_id
from bot.proposals.invitations import reachable_ids, send_invitation
from bot.proposals.proposal_lifecycle import Kind, Status
from bot.router import Router
from bot.text import Text
from bot.types import Reply
from handlers.proposals.findings import PARTS, findings, similar_ids
from storage.proposals import Proposals, SignerStatus
from storage.tables import Proposal, ProposalSigner

__all__ = [
    "apply_join",
    "apply_signer",
    "confirm_prompt",
    "cosigner_prompt",
    "join_prompt",
    "parse_cosigner",
    "route_join",
    "router",
    "signer_choices",
    "signers_prompt",
    "sync",
]

router = Router("proposal_cosign")

TEXT_PARTS = ("title", "situation", "suggestions")  # what co-signers confirmed


def _notify(ctx: Context, to: int, text: Text, *, pid: int | None, what: str) -> Any:
    return ctx.notify(
        to,
        Reply(text=text),
        dedupe_key=f"proposal:{pid}:{what}",
        kind="proposal",
        ref=f"proposal:{pid}",
    )


async def _held(ctx: Context, signers: list[ProposalSigner]) -> set[int]:
    """Invitees still to answer who cannot be reached yet (not verified): held for them."""
    waiting = [s.member_id for s in signers if s.status == SignerStatus.INVITED]
    return set(waiting) - await reachable_ids(ctx, waiting)


async def cosigner_prompt(ctx: Context, data: dict[str, Any]) -> Text:
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


async def parse_cosigner(ctx: Context, data: dict[str, Any], text: str) -> Goto:
    """Finds the member by name, invites them (full text, confirm/decline buttons)."""
    roster = ctx.roster
    found = await roster.by_name(text) or await roster.search(text, limit=5)
    if not found:
        raise UserError("proposals.flow.cosigner_not_found", name=text)
    if len(found) > 1:
        raise UserError("proposals.flow.cosigner_ambiguous", names="、".join(m.name for m in found))
    invitee = found[0]
    repo = Proposals(ctx.session)
    row = await repo.own_draft(member_id(ctx), int(data["proposal_id"]))
    await sync(ctx, repo, row, data, ask_again=False)
    signer = await repo.invite(row, invitee, at=ctx.now())
    await send_invitation(ctx, row, signer)  # held if the invitee is not verified yet
    return Goto("cosigners")


async def sync(
    ctx: Context, repo: Proposals, row: Proposal, data: dict[str, Any], *, ask_again: bool = True
) -> None:
    """Writes the draft; co-signers who confirmed an earlier text are asked again."""
    before = [getattr(row, p) for p in TEXT_PARTS]
    parts = {k: data[k] for k in PARTS if k in data}
    await repo.save_draft(row, kind=data.get("kind", row.kind), **parts)
    changed = before != [getattr(row, p) for p in TEXT_PARTS]
    if not (ask_again and changed and row.kind == Kind.JOINT):
        return
    reset = await repo.reset_confirmations(row)
    for signer in reset:
        await send_invitation(ctx, row, signer, wave=f"again:{row.updated_at.isoformat()}")
    if reset:
        data["_notice"] = {"key": "proposals.flow.asked_again", "params": {"count": len(reset)}}


async def confirm_prompt(ctx: Context, data: dict[str, Any]) -> Text:
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


# -- managing the invitations: resend, remove ------------------------------------------
async def signers_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t("proposals.flow.signers_head") + await _signer_listing(ctx, data)


async def signer_choices(ctx: Context, data: dict[str, Any]) -> list[Choice]:
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


async def apply_signer(ctx: Context, repo: Proposals, row: Proposal, data: dict[str, Any]) -> None:
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
            text = ctx.t(
                "proposals.notice.invitation_withdrawn",
                name=row.proposer.get("name", ""),
                title=row.title,
            )
            what = f"removed:{signer.member_id}:{signer.id}"
            await _notify(ctx, signer.member_id, text, pid=row.id, what=what)
        return {"key": "proposals.flow.removed", "params": {"name": name}}
    if signer.status == SignerStatus.CONFIRMED:
        return {"key": "proposals.flow.resend_confirmed", "params": {"name": name}}
    if signer.status != SignerStatus.INVITED:  # declined: asked once more
        await repo.reinvite(signer, at=ctx.now())
    if await send_invitation(ctx, row, signer, wave=f"resend:{ctx.now().isoformat()}"):
        return {"key": "proposals.flow.resent", "params": {"name": name}}
    return {"key": "proposals.flow.resend_held", "params": {"name": name}}


# -- co-signing a similar proposal instead of duplicating it -----------------------------
async def route_join(ctx: Context, data: dict[str, Any], pid: int) -> str:
    """To the join step if the similar proposal is a joint draft still open, else explain."""
    if pid not in similar_ids(await findings(ctx, data)):
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


async def join_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    other = await Proposals(ctx.session).require(int(data["join_id"]))
    return ctx.t(
        "proposals.flow.join_prompt",
        name=other.proposer.get("name", ""),
        title=other.title,
        field=other.field or "—",
        situation=other.situation,
        suggestions=other.suggestions,
    )


async def apply_join(ctx: Context, data: dict[str, Any]) -> None:
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
    text = ctx.t("proposals.notice.joined", name=ctx.member.name, title=other.title)
    await _notify(ctx, other.author_id, text, pid=pid, what=f"joined:{ctx.member.id}")
    data["_notice"] = {
        "key": "proposals.flow.joined",
        "params": {"title": other.title, "id": str(data["proposal_id"])},
    }


# -- the invitee's answer ------------------------------------------------------------------
@router.action("proposal.cosign")
async def cosign(ctx: Context) -> Reply:
    """The invited member confirms (y) or declines (n); the initiator is told."""
    pid = id_arg(ctx)
    if len(ctx.args) < 2 or ctx.args[1] not in ("y", "n"):
        raise PayloadError("core.button_forged")
    accept = ctx.args[1] == "y"
    repo = Proposals(ctx.session)
    await repo.answer_invitation(pid, member_id(ctx), accept=accept, at=ctx.now())
    row = await repo.require(pid)
    assert ctx.member is not None
    text = ctx.t(
        "proposals.notice.invitation_answered",
        name=ctx.member.name,
        answer=ctx.t("proposals.flow.answer_yes" if accept else "proposals.flow.answer_no"),
        title=row.title,
    )
    await _notify(ctx, row.author_id, text, pid=pid, what=f"invite-answer:{ctx.member.id}")
    key = "proposals.cosign_confirmed" if accept else "proposals.cosign_declined"
    return ctx.reply(key, title=row.title, edit=True)
