"""问规则: questions answered from the committee's rulebook, with article-level citations.

``/ask 问题`` (also in groups), ``/ask`` alone (asks for the question), and any free text
outside a flow in a private chat. An answer quotes 《文件》第N条; when nothing relevant is
found the member is told so and may forward the question to the secretariat, who answer
in chat (a button on the notification, or ``/questions``); the answer reaches the member
through the outbox, and the question stays listed by ``committee-bot kb gaps``.
"""

from __future__ import annotations

from bot.context import Context
from bot.domain.visible_text import visible_text
from bot.errors import PayloadError, UserError
from bot.flows import Flow, Step
from bot.kb.asked_facts import asks_for_own_score
from bot.kb.citations import Answer
from bot.kb.questions import MAX_ANSWER_CHARS, answer_question
from bot.kb.small_talk import small_talk
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Reply
from handlers.record import record_reply
from handlers.secretariat_inbox import secretariat_members
from storage.kb import KbRepository
from storage.tables import Conversation, KbQuestion, Member

__all__ = ["router"]

router = Router("ask")

MAX_QUESTION_CHARS = 300  # a question, not a document: longer text is not searched well
_QUOTE_CHARS = 200  # the cited article shown under a model-written answer, trimmed


# -- answering ---------------------------------------------------------------------
async def _answer(ctx: Context, question: str) -> list[Reply]:
    question = visible_text(question).strip()  # stored and forwarded as the member sees it
    if len(question) > MAX_QUESTION_CHARS:
        raise UserError("ask.too_long", count=len(question), limit=MAX_QUESTION_CHARS)
    if (kind := small_talk(question)) is not None:  # 你好, 谢谢, 在吗: not searched
        name = ctx.member.name if ctx.member is not None else ""
        return [ctx.reply(f"ask.small_{kind}", name=name, committee=ctx.settings.committee_name)]
    if asks_for_own_score(question) and ctx.member is not None:
        # 我现在积分多少: the member's own duty record says, which no rule does; it is
        # personal, so never shown in a group
        if ctx.incoming.chat_type != "private":
            return [ctx.reply("core.private_only")]
        return [await record_reply(ctx)]
    knowledge = ctx.services.knowledge
    assert knowledge is not None, "build_app wires the knowledge base"
    # Our own session: a first-use ingest of the sample rulebook joins this transaction.
    await knowledge.ensure_sample(session=ctx.session)
    rulebook = await knowledge.rulebook(session=ctx.session)
    if knowledge.llm is not None:
        llm = knowledge.llm

        async def written_by_model() -> list[Reply]:
            # Found: the model writes the answer from the cited passages, or finds they do
            # not say (未找到). Refused: it may restate the question or read what it comes
            # close to; either way it cites what was retrieved, or the refusal stands.
            better = await rulebook.answer_with(question, llm=llm)
            if better.found:
                return [Reply(text=_found_text(ctx, better))]
            async with ctx.later() as later:
                return await _not_found(later, question)

        # The model may take seconds: ask it once this update has committed, so no
        # database lock is held meanwhile.
        ctx.defer(written_by_model)
        return []
    answer = rulebook.answer(question)
    if answer.found:
        return [Reply(text=_found_text(ctx, answer))]
    return await _not_found(ctx, question)


async def _not_found(ctx: Context, question: str) -> list[Reply]:
    """Says so, keeps the question for the secretariat's list and offers to forward it."""
    assert ctx.member is not None and ctx.member.id is not None
    held = await KbRepository(ctx.session).record_not_found(
        member_id=ctx.member.id, question=question
    )
    return [
        Reply(
            text=ctx.t("kb.answer.not_found") + ctx.t("ask.offer_forward"),
            buttons=((ctx.button("ask.btn_forward", "ask.forward", held.id or 0),),),
        )
    ]


def _found_text(ctx: Context, answer: Answer) -> Text:
    """Extractive: the sentence that answers under its citation. From the model: its text
    (which numbers its sources) followed by the cited articles' own words to check against."""
    first, others = answer.citations[0], answer.citations[1:]
    if answer.via != "llm":
        text = ctx.t(
            "kb.answer.extractive", title=first.title, locator=first.locator, quote=answer.quote
        )
        if others:
            text += Text.plain("\n") + ctx.t(
                "kb.answer.see_also", others="、".join(c.label for c in others)
            )
        return text
    lines = [
        ctx.t("ask.quote", title=c.title, locator=c.locator, text=_trim(c.text))
        for c in answer.citations
    ]
    return Text.plain(answer.text) + ctx.t("ask.sources_title") + "\n" + Text.join("\n", lines)


def _trim(text: str) -> str:
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1] + "…"


async def _asked(ctx: Context, conversation: Conversation) -> list[Reply]:
    return await _answer(ctx, conversation.data["question"])


ASK_FLOW = router.flow(
    Flow(
        name="ask",
        title="ask.title",
        steps=(Step("question", "ask.prompt", max_chars=MAX_QUESTION_CHARS),),
        done=_asked,
    )
)


@router.command("ask", "问", menu="ask.menu", in_groups=True, order=60)
async def ask(ctx: Context) -> list[Reply]:
    """``/ask 问题`` answers at once; ``/ask`` alone asks for the question (not in groups,
    where the bot reads no free text)."""
    if ctx.args:
        return await _answer(ctx, ctx.args[0])
    if ctx.incoming.chat_type != "private":
        return [ctx.reply("ask.usage_group")]
    return await ctx.begin(ASK_FLOW)


@router.fallback()
async def free_text(ctx: Context) -> list[Reply]:
    """Text outside any flow in a private chat is taken as a question."""
    text = (ctx.incoming.text or "").strip()
    if not text:
        return [ctx.reply("core.not_understood")]
    return await _answer(ctx, text)


# -- forwarding to the secretariat -------------------------------------------------
async def _question_from_args(ctx: Context) -> KbQuestion:
    if not ctx.args or not ctx.args[0].isdigit():
        raise PayloadError("core.button_forged")
    row = await KbRepository(ctx.session).question(int(ctx.args[0]))
    if row is None:
        raise PayloadError("core.button_stale")
    return row


@router.action("ask.forward")
async def forward(ctx: Context) -> Reply:
    """Only the member who asked may forward; a second press changes nothing."""
    row = await _question_from_args(ctx)
    assert ctx.member is not None
    if row.member_id != ctx.member.id:
        raise PayloadError("core.button_forged")
    queued = await KbRepository(ctx.session).forward_recorded(row.id or 0)
    if queued is None:
        return ctx.reply("ask.already_forwarded", id=row.id)
    member = ctx.member
    for person in await secretariat_members(ctx):
        assert person.id is not None
        await ctx.notify(
            person.id,
            lambda rid: Reply(
                text=ctx.t(
                    "ask.new_for_staff",
                    id=queued.id,
                    name=member.name,
                    sector=member.sector,
                    question=queued.question,
                ),
                buttons=((ctx.button_for(rid, "ask.btn_answer", "ask.answer", queued.id or 0),),),
            ),
            dedupe_key=f"kbq:{queued.id}:to:{person.id}",
            kind="kb_question",
            ref=f"kbq:{queued.id}",
        )
    await ctx.audit.record("ask.forward", actor=member, target=f"kbq:{queued.id}")
    return ctx.reply("ask.forwarded", edit=True, id=queued.id)


# -- the secretariat answers -------------------------------------------------------
@router.action("ask.answer", roles=SECRETARIAT)
async def start_answer(ctx: Context) -> list[Reply]:
    """The next text the clerk sends becomes the answer to this question."""
    row = await _question_from_args(ctx)
    if row.status != "pending":
        raise UserError("ask.already_answered", id=row.id)
    return await ctx.begin(ANSWER_FLOW, {"question_id": row.id, "question": row.question})


async def _deliver_answer(ctx: Context, conversation: Conversation) -> Reply:
    """The same service as the web console's 问答 page (a colleague's answer wins)."""
    assert ctx.member is not None
    row, queued = await answer_question(
        ctx.session,
        int(conversation.data["question_id"]),
        conversation.data["answer"],
        clerk=ctx.member,
        cat=ctx.services.catalogue,
    )
    if queued:
        ctx.after_commit.append(ctx.services.wake_delivery)
    return ctx.reply("ask.answer_sent", id=row.id)


ANSWER_FLOW = router.flow(
    Flow(
        name="ask_answer",
        title="ask.answer_title",
        steps=(Step("answer", "ask.answer_prompt", max_chars=MAX_ANSWER_CHARS),),
        done=_deliver_answer,
        roles=SECRETARIAT,
    )
)


@router.command("questions", "委员提问", roles=SECRETARIAT, menu="ask.menu_staff", order=82)
async def questions(ctx: Context) -> Reply:
    """Secretariat: forwarded questions still unanswered, oldest first, each with a button."""
    rows = await KbRepository(ctx.session).pending_questions(limit=10)
    if not rows:
        return ctx.reply("ask.list_empty")
    people: dict[int, Member | None] = {}
    for row in rows:
        if row.member_id not in people:
            people[row.member_id] = await ctx.roster.get(row.member_id)
    lines = [
        ctx.t(
            "ask.line",
            id=row.id,
            name=_name(people[row.member_id]),
            at=ctx.fmt_time(row.created_at),
            question=row.question[:60],
        )
        for row in rows
    ]
    buttons = tuple(
        (ctx.button(ctx.t("ask.btn_answer_n", id=row.id), "ask.answer", row.id or 0),)
        for row in rows
    )
    return Reply(text=ctx.t("ask.list_title") + Text.join("\n", lines), buttons=buttons)


def _name(member: Member | None) -> str:
    return member.name if member is not None else ""
