"""The drafting engine: one guided flow for every kind of document a member drafts.

A kind (提案, 社情民意, or a third one such as 大会发言) is a ``DraftKind`` declaration: its
part steps, the clerk's checks (``findings``), the preview of its text, how it is written to
its draft row, what its extra preview buttons do, what stops submission besides a blocking
finding, and what the secretariat is told. ``draft_flow`` turns the declaration into a flow
whose shape is the same for every kind::

    part steps … --> preview --submit, nothing blocking--> confirm --confirm--> submitted
                     preview --edit a part--> that part --> preview
                     preview --a kind's own button--> the kind's side step --> preview

and registers ``<kind>.resume`` / ``<kind>.delete`` for the member's draft list. The draft
is a row (status draft) written at every step, so a draft list resumes it days later even
after the conversation is gone; every button carrying a draft id is checked against the
member on arrival (``own_draft``).

Catalogue keys live under the kind's namespace: ``<ns>.flow.title``, ``<ns>.flow.btn_submit``,
``<ns>.flow.btn_edit_<part>``, ``<ns>.flow.confirm_prompt``, ``<ns>.flow.btn_confirm``,
``<ns>.flow.btn_back_to_preview``, ``<ns>.flow.fix_first``, ``<ns>.draft_deleted``,
``<ns>.btn_resume`` and ``<ns>.btn_delete``. ``tests/flows/test_draft_kinds.py`` declares a
third kind in a few lines and drafts it through this engine.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from bot.domain.roles import Role, parse_roles
from bot.errors import PayloadError
from bot.flows import Choice, Flow, PromptSource, Step
from bot.proposals.checks import Finding, explain, has_blocking
from bot.router import Router
from bot.text import Text
from bot.types import Button, Reply

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.context import Context
    from storage.tables import Conversation, Member

__all__ = [
    "DraftKind",
    "DraftRepository",
    "DraftRow",
    "begin_afresh",
    "draft_buttons",
    "draft_flow",
    "draft_lines",
    "findings_text",
    "id_arg",
    "member_id",
    "row_data",
    "tell_secretariat",
]

Data = dict[str, Any]


class DraftRepository(Protocol):
    """What the engine needs of a kind's storage."""

    async def new_draft(self, author: Member, *, at: datetime | None = None) -> Any: ...
    async def own_draft(self, member_id: int, draft_id: int) -> Any: ...
    async def delete_draft(self, member_id: int, draft_id: int) -> None: ...
    async def submit(
        self, row: Any, *, blocking_findings: int = 0, at: datetime | None = None
    ) -> Any: ...


async def _nothing(*args: Any) -> None:
    return None


async def _no_choices(ctx: Context, data: Data) -> list[Choice]:
    return []


@dataclass(frozen=True, slots=True)
class DraftKind:
    """One kind of document, declared; ``draft_flow`` makes it a flow."""

    name: str  # flow name and action prefix, e.g. "proposal"
    namespace: str  # catalogue namespace, e.g. "proposals"
    steps: tuple[Step, ...]  # the parts, in order, before the preview
    parts: tuple[str, ...]  # what the preview's 修改 buttons reopen
    repository: Callable[[AsyncSession], DraftRepository]
    findings: Callable[[Context, Data], Awaitable[list[Finding]]]
    preview: Callable[[Context, Data], Awaitable[Text]]  # the draft as the member reads it
    write: Callable[[Context, Any, Data, str], Awaitable[None]]  # (ctx, row, data, step)
    staff_notice: Callable[[Context, Any], Text]  # what each secretariat member is told
    submitted: Callable[[Context, Any], Reply]  # the member's confirmation
    # Optional: the kind's own preview buttons, where they lead, and its hidden side steps.
    extra_choices: Callable[[Context, Data], Awaitable[list[Choice]]] = _no_choices
    route: Callable[[Context, Data, Any, str], Awaitable[str | None]] = _nothing
    side_steps: tuple[Step, ...] = ()
    # Runs before the row is loaded at every step (e.g. applying a side step's answer).
    before_write: Callable[[Context, Data, str], Awaitable[None]] = _nothing
    # A step to go to instead of the one reached (e.g. a reason the preview's change needs).
    redirect: Callable[[Data, str], str | None] = lambda data, step: None
    # A notice (catalogue key, params) that stops submission besides blocking findings.
    refusal: Callable[[Context, Data, Any], Awaitable[Data | None]] = _nothing
    after_submit: Callable[[Context, Any], Awaitable[None]] = _nothing
    confirm_prompt: PromptSource | None = None
    # A draft row back into flow data, to resume it; default ``row_data``.
    load: Callable[[Any], Data] | None = None

    @property
    def id_key(self) -> str:
        return f"{self.name}_id"

    def key(self, suffix: str) -> str:
        return f"{self.namespace}.{suffix}"


def member_id(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id


def id_arg(ctx: Context, index: int = 0) -> int:
    """A numeric id from a button's arguments; anything else was not made by the bot."""
    if len(ctx.args) <= index or not ctx.args[index].isdigit():
        raise PayloadError("core.button_forged")
    return int(ctx.args[index])


async def begin_afresh(ctx: Context, flow: Flow, initial: Data) -> list[Reply]:
    """Starts ``flow`` anew, dropping the member's half-done one (another draft's rating,
    another report's decision): a new press means the member moved on."""
    existing = await ctx.conversations.of_flow(member_id(ctx), flow.name)
    if existing is not None:
        await ctx.conversations.delete(existing)
    return await ctx.begin(flow, initial)


def findings_text(ctx: Context, findings: Sequence[Finding]) -> Text:
    """The clerk's checks under a preview: blocking ones marked, or "nothing to fix"."""
    if not findings:
        return ctx.t("proposals.flow.checks_clean")
    lines = [
        ctx.t("proposals.flow.check_line_blocking" if f.blocking else "proposals.flow.check_line")
        + explain(f, ctx.services.catalogue)
        for f in findings
    ]
    return ctx.t("proposals.flow.checks_head") + Text.join("\n", lines)


class DraftRow(Protocol):
    """What a list of drafts shows of each stored draft (a proposal or a report)."""

    @property
    def id(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def updated_at(self) -> datetime: ...


def draft_lines(ctx: Context, rows: Sequence[DraftRow], kind: DraftKind) -> list[Text]:
    """One line a draft: its id, title (or "untitled") and when it was last saved."""
    return [
        ctx.t(
            kind.key("draft_line"),
            id=r.id,
            title=r.title or ctx.t(kind.key("untitled")),
            saved=ctx.fmt_time(r.updated_at),
        )
        for r in rows
    ]


def draft_buttons(
    ctx: Context, ids: Sequence[int | None], kind: DraftKind
) -> tuple[tuple[Button, ...], ...]:
    """继续 #n / 删除 #n for the first ten drafts."""
    return tuple(
        (
            ctx.button(ctx.t(kind.key("btn_resume"), id=i), f"{kind.name}.resume", i or 0),
            ctx.button(ctx.t(kind.key("btn_delete"), id=i), f"{kind.name}.delete", i or 0),
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


def draft_flow(kind: DraftKind, router: Router) -> Flow:
    """The kind's flow, registered on ``router`` with its resume and delete actions."""
    engine = _Engine(kind)
    flow = router.flow(
        Flow(
            name=kind.name,
            title=kind.key("flow.title"),
            steps=(
                *kind.steps,
                Step("preview", engine.preview_prompt, choices=engine.preview_choices),
                Step(
                    "confirm",
                    kind.confirm_prompt or kind.key("flow.confirm_prompt"),
                    choices=(
                        Choice("confirm", kind.key("flow.btn_confirm")),
                        Choice("edit", kind.key("flow.btn_back_to_preview")),
                    ),
                ),
                # Reached only from the preview's buttons; all return to the preview.
                *kind.side_steps,
            ),
            start=engine.start,
            saved=engine.saved,
            done=engine.done,
            keep_on_done=True,
        )
    )
    engine.flow = flow
    router.action(f"{kind.name}.resume")(engine.resume)
    router.action(f"{kind.name}.delete")(engine.delete)
    return flow


class _Engine:
    def __init__(self, kind: DraftKind) -> None:
        self.kind = kind
        self.flow: Flow | None = None

    def _flow(self) -> Flow:
        assert self.flow is not None
        return self.flow

    async def _row(self, ctx: Context, data: Data) -> Any:
        repo = self.kind.repository(ctx.session)
        return await repo.own_draft(member_id(ctx), int(data[self.kind.id_key]))

    async def start(self, ctx: Context, data: Data) -> Data:
        """Creates the draft row the flow writes to."""
        assert ctx.member is not None
        row = await self.kind.repository(ctx.session).new_draft(ctx.member, at=ctx.now())
        return data | {self.kind.id_key: row.id}

    async def preview_prompt(self, ctx: Context, data: Data) -> Text:
        """The whole draft, then the clerk's checks; a notice on top when there is one."""
        text = await self.kind.preview(ctx, data)
        text = text + Text.plain("\n\n") + findings_text(ctx, await self.kind.findings(ctx, data))
        notice = data.get("_notice")
        if notice:
            text = ctx.t(notice["key"], **notice.get("params", {})) + Text.plain("\n\n") + text
        return text

    async def preview_choices(self, ctx: Context, data: Data) -> list[Choice]:
        choices = [Choice("submit", self.kind.key("flow.btn_submit"))]
        choices += [
            Choice(f"edit_{p}", self.kind.key(f"flow.btn_edit_{p}")) for p in self.kind.parts
        ]
        return choices + await self.kind.extra_choices(ctx, data)

    async def saved(self, ctx: Context, conversation: Conversation) -> None:
        """Writes the draft row at every step, and routes the preview's buttons."""
        kind, data, step = self.kind, conversation.data, conversation.step
        data.pop("_notice", None)
        await kind.before_write(ctx, data, step)
        row = await self._row(ctx, data)
        await kind.write(ctx, row, data, step)
        target = kind.redirect(data, step)
        if target is None and step == "confirm" and "preview" in data:
            target = await self._route(ctx, data, row, data.pop("preview"))
        if target is not None:
            conversation.step = target
            if target != "preview":
                data["_return_to"] = "preview"
        if target is not None or step == "preview":  # what the hooks changed is stored
            await ctx.conversations.save(conversation)

    async def _route(self, ctx: Context, data: Data, row: Any, choice: str) -> str | None:
        """Where a preview button leads: a part to edit, the confirm step, or a kind's own."""
        kind = self.kind
        if choice.startswith("edit_") and choice[5:] in kind.parts:
            return choice[5:]
        if choice != "submit":
            return await kind.route(ctx, data, row, choice)
        if has_blocking(await kind.findings(ctx, data)):
            data["_notice"] = {"key": kind.key("flow.fix_first")}
            return "preview"
        refusal = await kind.refusal(ctx, data, row)
        if refusal is not None:
            data["_notice"] = refusal
            return "preview"
        return None

    async def done(self, ctx: Context, conversation: Conversation) -> list[Reply]:
        """Submits on confirmation; otherwise goes back to the preview."""
        kind, data = self.kind, conversation.data
        if data.pop("confirm", None) != "confirm":
            conversation.step = "preview"
            await ctx.conversations.save(conversation)
            return [await ctx.services.flows.prompt(ctx, self._flow(), conversation)]
        row = await self._row(ctx, data)
        findings = await kind.findings(ctx, data)
        await kind.repository(ctx.session).submit(
            row, blocking_findings=sum(f.blocking for f in findings), at=ctx.now()
        )
        await ctx.conversations.delete(conversation)
        await kind.after_submit(ctx, row)
        ref = f"{kind.name}:{row.id}"
        await tell_secretariat(
            ctx, Reply(text=kind.staff_notice(ctx, row)), kind=kind.name, ref=ref
        )
        return [kind.submitted(ctx, row)]

    # -- the member's draft list ---------------------------------------------------------
    async def resume(self, ctx: Context) -> list[Reply]:
        """Continues a draft at its first unanswered part, or at the preview."""
        kind, flow, me = self.kind, self._flow(), member_id(ctx)
        row = await kind.repository(ctx.session).own_draft(me, id_arg(ctx))
        data = (kind.load or partial(row_data, kind))(row)
        step = next(
            s.name
            for s in flow.steps
            if (s.when is None or s.when(data)) and (s.key not in data) and s.key != ""
        )
        existing = await ctx.conversations.of_flow(me, flow.name)
        if existing is not None:
            await ctx.conversations.delete(existing)  # its draft row is already up to date
        await ctx.conversations.park_active(me)
        conversation = await ctx.conversations.start(
            member_id=me, chat_id=ctx.incoming.chat_id, flow=flow.name, step=step, data=data
        )
        return [await ctx.services.flows.prompt(ctx, flow, conversation)]

    async def delete(self, ctx: Context) -> Reply:
        """Deletes the member's own draft (and the conversation writing it)."""
        kind, me, draft_id = self.kind, member_id(ctx), id_arg(ctx)
        repo = kind.repository(ctx.session)
        await repo.own_draft(me, draft_id)
        existing = await ctx.conversations.of_flow(me, kind.name)
        if existing is not None and existing.data.get(kind.id_key) == draft_id:
            await ctx.conversations.delete(existing)
        await repo.delete_draft(me, draft_id)
        return ctx.reply(kind.key("draft_deleted"), id=draft_id, edit=True)


def row_data(kind: DraftKind, row: Any) -> Data:
    """A draft row back into flow data: every part step's answer the row holds."""
    data: Data = {kind.id_key: row.id}
    for step in kind.steps:
        value = getattr(row, step.key, None) if step.key else None
        if value not in (None, ""):
            data[step.key] = value
    return data
