"""The member's proposals after submission: ``/myproposals``, one proposal's history, its
DOCX, the answer letter, and rating the answer (满意 / 基本满意 / 不满意 sends it back).
Every button carrying a proposal id is checked against the member on arrival.
"""

from __future__ import annotations

from bot.context import Context
from bot.domain.roles import Role
from bot.errors import PayloadError, UserError
from bot.flows import Flow, Step
from bot.proposals.documents.docx import format_date, proposal_docx, proposal_file_name
from bot.proposals.drafting import begin_afresh, id_arg, member_id
from bot.proposals.office import Office, proposal_label
from bot.proposals.proposal_lifecycle import Rating, Status
from bot.router import Router
from bot.text import Text
from bot.types import OutDocument, Reply
from storage.proposals import Proposals, SignerStatus
from storage.tables import Conversation, Proposal

__all__ = ["RATE", "router"]

router = Router("proposal_mine")

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def _visible(ctx: Context, pid: int) -> Proposal:
    """A proposal the member authored or co-signed; anyone else's id is refused."""
    repo = Proposals(ctx.session)
    row = await repo.require(pid)
    me = member_id(ctx)
    if row.author_id == me or Role.SECRETARIAT in ctx.roles:
        return row
    signers = await repo.signers(pid)
    if any(s.member_id == me and s.status == SignerStatus.CONFIRMED for s in signers):
        return row
    raise UserError("proposals.not_yours")


@router.command("myproposals", "我的提案", menu="proposals.menu_mine", order=11)
async def my_proposals(ctx: Context) -> Reply:
    """Each proposal with its status; a button opens its history."""
    rows = await Proposals(ctx.session).of_member(member_id(ctx))
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
    row = await _visible(ctx, id_arg(ctx))
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
        deadline=format_date(row.deadline_at, ctx.settings.zone) or "—",
        answer=row.answer_text or row.answer_document_name or "—",
    ) + Text.join("\n", lines)
    buttons = [[ctx.button("proposals.flow.btn_docx", "proposal.docx", row.id)]]
    if row.answer_document:
        buttons[0].append(ctx.button("proposals.btn_answer_file", "proposal.answer_file", row.id))
    if row.status == Status.ANSWERED and row.author_id == member_id(ctx):
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
    row = await _visible(ctx, id_arg(ctx))
    assert row.id is not None
    repo = Proposals(ctx.session)
    cosigners = [
        s.details for s in await repo.signers(row.id) if s.status == SignerStatus.CONFIRMED
    ]
    content = proposal_docx(
        row,
        cosigners=cosigners,
        committee=ctx.settings.committee_name,
        zone=ctx.settings.zone,
        session_line=ctx.settings.session_line,
    )
    return Reply(
        text=ctx.t("proposals.docx_ready", title=row.title),
        document=OutDocument(proposal_file_name(row), content, DOCX_MIME),
    )


@router.action("proposal.answer_file")
async def answer_file(ctx: Context) -> Reply:
    """The answer letter the secretariat uploaded, as it was uploaded."""
    row = await _visible(ctx, id_arg(ctx))
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
    pid = id_arg(ctx)
    try:
        rating = Rating(ctx.args[1])
    except (IndexError, ValueError):
        raise PayloadError("core.button_forged") from None
    row = await Proposals(ctx.session).require(pid)
    if row.author_id != member_id(ctx):
        raise UserError("proposals.not_yours")
    if row.status != Status.ANSWERED:
        raise UserError("proposals.rate_closed", title=row.title)
    # Another rating left half-done: this press replaces it.
    return await begin_afresh(
        ctx, RATE, {"proposal_id": pid, "rating": rating.value, "title": row.title}
    )


async def _rate_done(ctx: Context, conversation: Conversation) -> Reply:
    d = conversation.data
    rating = Rating(d["rating"])
    row = await Proposals(ctx.session).require(int(d["proposal_id"]))
    await Office.of(ctx).rate(row, member_id(ctx), rating, comment=d.get("comment") or "")
    key = "proposals.rated_again" if rating == Rating.DISSATISFIED else "proposals.rated"
    return ctx.reply(key, title=row.title, rating=ctx.t(f"proposals.rating.{rating.value}"))


async def _rate_prompt(ctx: Context, data: dict[str, object]) -> Text:
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
