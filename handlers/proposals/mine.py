"""The member's proposals after submission: ``/myproposals``, one proposal's history, its
DOCX, the answer letter, and rating the answer (满意 / 基本满意 / 不满意 sends it back).
Proposals the member leads (第一提案人) and those they co-signed (联名) are listed apart; a
co-signed one is read-only (history and documents; rating belongs to the first proposer).
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
    if await _cosigned(ctx, pid):
        return row
    raise UserError("proposals.not_yours")


async def _cosigned(ctx: Context, pid: int) -> bool:
    """Whether the member is a confirmed co-signer (联名) of the proposal."""
    me = member_id(ctx)
    signers = await Proposals(ctx.session).signers(pid)
    return any(s.member_id == me and s.status == SignerStatus.CONFIRMED for s in signers)


def _marks(ctx: Context, r: Proposal) -> tuple[Text, Text]:
    """（重点提案） and （优秀提案） after the status, when they apply."""
    none = Text.of("")
    key = ctx.t("proposals.key_mark") if r.is_key else none
    excellent = ctx.t("proposal_roles.excellent_mark") if r.excellent else none
    return key, excellent


def _line(ctx: Context, r: Proposal, *, lead: bool) -> Text:
    """One proposal in the list; a co-signed one names its first proposer."""
    key, excellent = _marks(ctx, r)
    status = ctx.t(f"proposals.status.{r.status}")
    if lead:
        key = key + excellent
        return ctx.t(
            "proposals.mine_line", label=proposal_label(r), title=r.title, status=status, key=key
        )
    return ctx.t(
        "proposal_roles.mine_cosigned_line",
        label=proposal_label(r),
        title=r.title,
        status=status,
        key=key,
        excellent=excellent,
        name=r.proposer.get("name", ""),
    )


@router.command("myproposals", "我的提案", menu="proposals.menu_mine", order=11)
async def my_proposals(ctx: Context) -> Reply:
    """The proposals the member leads, then those they co-signed; a button opens each."""
    me = member_id(ctx)
    rows = await Proposals(ctx.session).of_member(me)
    if not rows:
        return ctx.reply("proposals.mine_empty")
    led = [r for r in rows if r.author_id == me]
    signed = [r for r in rows if r.author_id != me]
    text = ctx.t("proposals.mine_head")
    for head, group in (("mine_lead_head", led), ("mine_cosigned_head", signed)):
        if group:
            lines = [_line(ctx, r, lead=group is led) for r in group]
            text = text + ctx.t(f"proposal_roles.{head}", count=len(group))
            text = text + Text.join("\n", lines)
    shown = [("proposals.btn_show", r) for r in led]
    shown += [("proposal_roles.btn_show_cosigned", r) for r in signed]
    buttons = tuple(
        (ctx.button(ctx.t(key, label=proposal_label(r)), "proposal.show", r.id or 0),)
        for key, r in shown[:10]
    )
    return Reply(text=text, buttons=buttons)


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
    key, excellent = _marks(ctx, row)
    lead = row.author_id == member_id(ctx)
    role: Text | str = ""  # the secretariat reads anyone's, and has no role in it
    if lead:
        role = ctx.t("proposal_roles.role_lead")
    elif await _cosigned(ctx, row.id):
        role = ctx.t("proposal_roles.role_cosigned", name=row.proposer.get("name", ""))
    text = (
        ctx.t(
            "proposals.detail",
            label=proposal_label(row),
            title=row.title,
            status=ctx.t(f"proposals.status.{row.status}"),
            lead_unit=row.lead_unit or "—",
            deadline=format_date(row.deadline_at, ctx.settings.zone) or "—",
            answer=row.answer_text or row.answer_document_name or "—",
        )
        + Text.join("\n", lines)
        + "\n\n"
        + role
        + key
        + excellent
    )
    buttons = [[ctx.button("proposals.flow.btn_docx", "proposal.docx", row.id)]]
    if row.answer_document:
        buttons[0].append(ctx.button("proposals.btn_answer_file", "proposal.answer_file", row.id))
    if row.status == Status.ANSWERED and lead:
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
        if await _cosigned(ctx, pid):  # a co-signer reads it, but does not rate it
            raise UserError("proposal_roles.rate_lead_only", title=row.title)
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
