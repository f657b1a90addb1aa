"""The secretariat's review of proposals in chat: queue, register, decline, merge, assign,
key proposals, record answers (``/overdue`` with 催办 / 延期 is in ``overdue.py``). The same
operations exist in the CLI (bot/cli/proposals.py); both go through
``bot.proposals.office.Office``.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.flows import Answer, Choice, Flow, Step
from bot.proposals.config import GROUNDS
from bot.proposals.documents.docx import format_date
from bot.proposals.drafting import begin_afresh, id_arg
from bot.proposals.office import Office, proposal_label
from bot.proposals.proposal_lifecycle import AnswerCategory, Conversion, Rating, Status
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import InDocument, Reply
from storage.proposals import Proposals, SignerStatus
from storage.tables import Conversation, Member, Proposal

__all__ = ["router"]

router = Router("proposal_review")


@router.command("review", "提案审查", roles=SECRETARIAT, menu="proposals.menu_review", order=60)
async def review(ctx: Context) -> Reply:
    """Submitted proposals awaiting review, and registered ones awaiting assignment/answer."""
    repo = Proposals(ctx.session)
    queue = await repo.review_queue()
    handling = [
        p
        for p in await repo.of_year(ctx.local(ctx.now()).year)
        if p.status in (Status.REGISTERED, Status.ASSIGNED)
    ]
    if not queue and not handling:
        return ctx.reply("proposals.review_empty")
    text = ctx.t("proposals.review_head", count=len(queue)) + Text.join(
        "\n",
        [
            ctx.t(
                "proposals.review_line",
                label=proposal_label(p),
                title=p.title,
                name=p.proposer.get("name", ""),
                at=ctx.fmt_time(p.submitted_at),
            )
            for p in queue
        ],
    )
    rows: list[tuple[Any, ...]] = []
    # The clerk reads a proposal's text before the decision buttons are offered.
    for p in queue[:8]:
        rows.append(
            (
                ctx.button(
                    ctx.t("proposals.btn_read", label=proposal_label(p)), "review.read", p.id or 0
                ),
            )
        )
    if handling:
        text = (
            text
            + ctx.t("proposals.handling_head")
            + Text.join(
                "\n",
                [
                    ctx.t(
                        "proposals.handling_line",
                        label=proposal_label(p),
                        title=p.title,
                        status=ctx.t(f"proposals.status.{p.status}"),
                        lead_unit=p.lead_unit or "",
                    )
                    + _dissatisfied_flag(ctx, p)
                    for p in handling
                ],
            )
        )
        for p in handling[:8]:
            label = proposal_label(p)
            if p.status == Status.REGISTERED:
                rows.append(
                    (
                        ctx.button(
                            ctx.t("proposals.btn_assign", label=label), "review.assign", p.id or 0
                        ),
                        ctx.button(
                            ctx.t("proposals.btn_key", label=label), "review.key", p.id or 0
                        ),
                    )
                )
            else:
                rows.append(
                    (
                        ctx.button(
                            ctx.t("proposals.btn_answer", label=label), "review.answer", p.id or 0
                        ),
                    )
                )
    return Reply(text=text, buttons=tuple(rows))


def _dissatisfied_flag(ctx: Context, p: Proposal) -> Text:
    if p.status != Status.ASSIGNED or p.rating != Rating.DISSATISFIED:
        return Text(())
    return ctx.t(
        "proposals.handling_dissatisfied",
        comment=p.rating_comment or "—",
        deadline=format_date(p.deadline_at, ctx.settings.zone),
    )


@router.action("review.read", roles=SECRETARIAT)
async def read(ctx: Context) -> Reply:
    """The proposal's whole text, then 立案 / 不予立案 / 并案 for it."""
    repo = Proposals(ctx.session)
    p = await repo.require(id_arg(ctx))
    names = []
    for signer in await repo.signers(p.id or 0):
        member = await ctx.session.get(Member, signer.member_id)
        if member is not None and signer.status == SignerStatus.CONFIRMED:
            names.append(member.name)
    label = proposal_label(p)
    text = ctx.t(
        "proposals.review_text",
        label=label,
        title=p.title,
        field=p.field,
        kind=ctx.t(f"proposals.kind.{p.kind}"),
        name=p.proposer.get("name", ""),
        cosigners="、".join(names) or ctx.t("proposals.review_no_cosigners"),
        at=ctx.fmt_time(p.submitted_at),
        situation=p.situation,
        suggestions=p.suggestions,
    )
    if p.status not in (Status.SUBMITTED, Status.UNDER_REVIEW):
        return Reply(text=text)
    pid = p.id or 0
    return Reply(
        text=text,
        buttons=(
            (
                ctx.button(ctx.t("proposals.btn_register", label=label), "review.register", pid),
                ctx.button(ctx.t("proposals.btn_decline_it", label=label), "review.decline", pid),
                ctx.button(ctx.t("proposals.btn_merge", label=label), "review.merge", pid),
            ),
        ),
    )


@router.action("review.register", roles=SECRETARIAT)
async def register(ctx: Context) -> Reply:
    p = await Office.of(ctx).register(id_arg(ctx), at=ctx.now())
    return ctx.reply("proposals.done_register", label=proposal_label(p), title=p.title)


@router.action("review.key", roles=SECRETARIAT)
async def mark_key(ctx: Context) -> Reply:
    p = await Office.of(ctx).mark_key(id_arg(ctx))
    return ctx.reply("proposals.done_key", label=proposal_label(p))


# -- small flows for the operations that need a few answers ----------------------------
async def _decline_done(ctx: Context, conversation: Conversation) -> Reply:
    d = conversation.data
    convert = None if d.get("convert") in (None, "none") else Conversion(d["convert"])
    p = await Office.of(ctx).decline(
        int(d["proposal_id"]), ground=d["ground"], note=d.get("note") or "", convert_to=convert
    )
    return ctx.reply("proposals.done_decline", title=p.title)


DECLINE = router.flow(
    Flow(
        name="review_decline",
        title="proposals.staff_title_decline",
        roles=SECRETARIAT,
        steps=(
            Step(
                "ground",
                "proposals.ground_prompt",
                choices=tuple(Choice(g, f"proposals.ground.{g}") for g in GROUNDS),
                columns=1,
            ),
            Step("note", "proposals.note_prompt", optional=True, max_chars=500),
            Step(
                "convert",
                "proposals.convert_prompt",
                choices=(
                    Choice("none", "proposals.convert_none"),
                    *(Choice(c.value, f"proposals.conversion.{c.value}") for c in Conversion),
                ),
                columns=1,
            ),
        ),
        done=_decline_done,
    )
)


async def _merge_done(ctx: Context, conversation: Conversation) -> Reply:
    d = conversation.data
    p = await Office.of(ctx).merge(int(d["proposal_id"]), d["into"])
    return ctx.reply("proposals.done_merge", title=p.title, into=d["into"])


MERGE = router.flow(
    Flow(
        name="review_merge",
        title="proposals.staff_title_merge",
        roles=SECRETARIAT,
        steps=(Step("into", "proposals.into_prompt", max_chars=32),),
        done=_merge_done,
    )
)


def _units(text: str | None) -> list[str]:
    return [u for u in re.split(r"[、,，;；\s]+", text or "") if u]


async def _assign_done(ctx: Context, conversation: Conversation) -> Reply:
    d = conversation.data
    p = await Office.of(ctx).assign(
        int(d["proposal_id"]), lead_unit=d["lead"], co_units=_units(d.get("co")), at=ctx.now()
    )
    return ctx.reply(
        "proposals.done_assign",
        label=proposal_label(p),
        lead_unit=p.lead_unit,
        deadline=format_date(p.deadline_at, ctx.settings.zone),  # a deadline is a day
    )


ASSIGN = router.flow(
    Flow(
        name="review_assign",
        title="proposals.staff_title_assign",
        roles=SECRETARIAT,
        steps=(
            Step("lead", "proposals.lead_prompt", max_chars=128),
            Step("co", "proposals.co_prompt", optional=True, max_chars=500),
        ),
        done=_assign_done,
    )
)


# An answer letter is a few pages; anything far larger is probably the wrong file.
ANSWER_FILE_MAX_BYTES = 10 * 1024 * 1024


def _parse_answer(ctx: Context, data: dict[str, Any], answer: Answer) -> Any:
    """A summary typed in, or the answer document itself (kept until the step completes)."""
    if not isinstance(answer, InDocument):
        return answer
    if answer.content is None or len(answer.content) > ANSWER_FILE_MAX_BYTES:
        raise UserError("proposals.answer_file_too_large", limit=ANSWER_FILE_MAX_BYTES // 2**20)
    if not answer.content:
        raise UserError("proposals.answer_file_empty")
    return {
        "document_name": answer.file_name[:255],
        "document": base64.b64encode(answer.content).decode("ascii"),
    }


async def _answer_done(ctx: Context, conversation: Conversation) -> Reply:
    d = conversation.data
    given = d["text"]
    text, name, content = given, None, None
    if isinstance(given, dict):
        text, name = "", given["document_name"]
        content = base64.b64decode(given["document"])
    answered = await Office.of(ctx).answer(
        int(d["proposal_id"]),
        category=AnswerCategory(d["category"]),
        text=text,
        document_name=name,
        document=content,
        at=ctx.now(),
    )
    label = proposal_label(answered[0])
    if len(answered) == 1:
        return ctx.reply("proposals.done_answer", label=label)
    return ctx.reply("proposals.done_answer_merged", label=label, merged=len(answered) - 1)


ANSWER = router.flow(
    Flow(
        name="review_answer",
        title="proposals.staff_title_answer",
        roles=SECRETARIAT,
        steps=(
            Step(
                "category",
                "proposals.category_prompt",
                choices=tuple(
                    Choice(c.value, f"proposals.answer_category.{c.value}") for c in AnswerCategory
                ),
                columns=1,
            ),
            Step(
                "text",
                "proposals.answer_prompt",
                parse_document=_parse_answer,
                max_chars=3000,
            ),
        ),
        done=_answer_done,
    )
)

_FLOWS = {"decline": DECLINE, "merge": MERGE, "assign": ASSIGN, "answer": ANSWER}


async def _begin(ctx: Context, which: str) -> list[Reply]:
    pid = id_arg(ctx)
    await Proposals(ctx.session).require(pid)
    # A clerk's half-done operation on another proposal: start over.
    return await begin_afresh(ctx, _FLOWS[which], {"proposal_id": pid})


@router.action("review.decline", roles=SECRETARIAT)
async def decline(ctx: Context) -> list[Reply]:
    return await _begin(ctx, "decline")


@router.action("review.merge", roles=SECRETARIAT)
async def merge(ctx: Context) -> list[Reply]:
    return await _begin(ctx, "merge")


@router.action("review.assign", roles=SECRETARIAT)
async def assign(ctx: Context) -> list[Reply]:
    return await _begin(ctx, "assign")


@router.action("review.answer", roles=SECRETARIAT)
async def answer(ctx: Context) -> list[Reply]:
    return await _begin(ctx, "answer")
