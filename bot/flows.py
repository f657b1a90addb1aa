"""The conversation engine: guided flows whose state lives in the database.

A flow is declared as data, a tuple of ``Step`` (prompt, parser/validator, field). The
engine keeps one ``Conversation`` row per member per flow, saves every step before the
reply goes out (the caller commits before sending), lets any step go back, parks a flow on
/cancel or when another starts, and asks "resume or discard?" when the member returns to a
flow left idle, across restarts and processes alike.

Buttons shown by the engine are signed with the conversation's ``rev``; pressing one from
an earlier step is refused as stale and changes nothing.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, Protocol

from bot.callbacks import Action
from bot.context import Context, HandlerResult
from bot.domain.roles import MEMBERS, Role
from bot.domain.visible_text import visible_text
from bot.errors import PayloadError, UserError
from bot.text import Text
from bot.types import Button, InDocument, Reply
from storage.tables import Conversation

__all__ = [
    "Answer",
    "Choice",
    "Flow",
    "FlowEngine",
    "Goto",
    "Step",
    "as_replies",
]

Answer = str | InDocument
# A step's parser receives the typed text; the parser of a step that also takes a file
# (``parse_document``) receives either, and narrows with ``isinstance(answer, InDocument)``.
Parser = Callable[["Context", dict[str, Any], str], Any]
DocumentParser = Callable[["Context", dict[str, Any], Answer], Any]
ChoiceSource = Sequence["Choice"] | Callable[["Context", dict[str, Any]], Any]
PromptSource = str | Callable[["Context", dict[str, Any]], Any]

_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class Choice:
    """A button answer. ``label`` is a catalogue key (str) or ready ``Text``."""

    value: str
    label: str | Text


@dataclass(frozen=True, slots=True)
class Goto:
    """Returned by a parser to jump: store ``value`` (if given), continue at ``step``.

    ``come_back`` returns to the current step once ``step`` is answered (edit from a preview).
    """

    step: str
    value: Any = _UNSET
    come_back: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    prompt: PromptSource
    field: str | None = None  # where the answer goes in the draft; None: the step name; "": nowhere
    parse: Parser | None = None
    choices: ChoiceSource | None = None
    text_allowed: bool | None = None  # free text besides buttons; default: only without choices
    optional: bool = False
    max_chars: int = 1500
    parse_document: DocumentParser | None = None  # set: a document is an answer too
    when: Callable[[dict[str, Any]], bool] | None = None
    columns: int = 2

    @property
    def key(self) -> str:
        return self.name if self.field is None else self.field


@dataclass(frozen=True, slots=True)
class Flow:
    name: str
    title: str  # catalogue key naming the flow, e.g. 写提案
    steps: tuple[Step, ...]
    done: Callable[[Context, Conversation], Awaitable[HandlerResult]]
    roles: frozenset[Role] = MEMBERS
    start: Callable[[Context, dict[str, Any]], Awaitable[dict[str, Any]]] | None = None
    saved: Callable[[Context, Conversation], Awaitable[None]] | None = None
    keep_on_done: bool = False  # done() manages the row itself (e.g. a flow that loops)
    extras: dict[str, Any] = field(default_factory=dict)

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def next_step(self, after: str | None, data: dict[str, Any]) -> Step | None:
        names = [s.name for s in self.steps]
        start = 0 if after is None else names.index(after) + 1
        return next((s for s in self.steps[start:] if s.when is None or s.when(data)), None)

    def position(self, name: str, data: dict[str, Any]) -> tuple[int, int]:
        """The step's number and the flow's total. The total is fixed from the first step:
        a conditional step (a follow-up such as 不公开理由 after 是否公开, or a side step
        reached from the preview) shares the number of the step before it, so a member never
        sees 11/11 become 11/12."""
        total = sum(1 for s in self.steps if s.when is None)
        number = 0
        for step in self.steps:
            number += step.when is None
            if step.name == name:
                return max(number, 1), max(total, 1)
        return 0, max(total, 1)


def as_replies(result: HandlerResult) -> list[Reply]:
    if result is None:
        return []
    if isinstance(result, Reply):
        return [result]
    return list(result)


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


class FlowCatalogue(Protocol):
    """Where the engine looks a flow up by name (``bot.router.Router`` is one)."""

    def find_flow(self, name: str) -> Flow | None: ...


class FlowEngine:
    """Stateless: every call loads and stores what it needs through ``ctx``; flows are
    looked up by name in ``catalogue`` (the root router)."""

    def __init__(self, catalogue: FlowCatalogue) -> None:
        self.catalogue = catalogue

    # -- entry points --------------------------------------------------------------
    async def begin(
        self, ctx: Context, flow: Flow, initial: dict[str, Any] | None = None
    ) -> list[Reply]:
        """Start ``flow``, or offer to resume the member's unfinished one."""
        member_id = _member_id(ctx)
        existing, active = await ctx.conversations.at_start(member_id, flow.name)
        if existing is not None:
            return [self._resume_offer(ctx, flow, existing)]
        replies: list[Reply] = []
        if active is not None:
            await ctx.conversations.park(active)
            replies.append(ctx.reply("core.flow_parked", title=self._title(ctx, active.flow)))
        data = dict(initial or {})
        if flow.start is not None:
            data = await flow.start(ctx, data)
        first = flow.next_step(None, data)
        if first is None:
            raise ValueError(f"flow {flow.name} has no step to start with")
        conversation = await ctx.conversations.start(
            member_id=member_id,
            chat_id=ctx.incoming.chat_id,
            flow=flow.name,
            step=first.name,
            data=data,
        )
        replies.append(await self.prompt(ctx, flow, conversation))
        return replies

    async def on_input(
        self, ctx: Context, conversation: Conversation, answer: Answer
    ) -> list[Reply]:
        """Free text or a document while a flow is active."""
        flow = self._flow_or_none(ctx, conversation.flow)
        if flow is None:
            await ctx.conversations.delete(conversation)
            return [ctx.reply("core.flow_gone")]
        idle = timedelta(minutes=ctx.settings.flow_idle_minutes)
        if ctx.now() - conversation.updated_at > idle:
            # Park and ask; keep what was typed so "resume" can use it.
            conversation.status = "parked"
            if isinstance(answer, str):
                conversation.data["_held"] = answer
            await ctx.conversations.save(conversation)
            return [self._resume_offer(ctx, flow, conversation, returning=True)]
        step = flow.step(conversation.step)
        if step is None:  # the flow changed shape since this draft was saved
            return await self._restart_at_first(ctx, flow, conversation)
        return await self._answer(ctx, flow, conversation, step, answer)

    async def on_action(self, ctx: Context, action: Action) -> list[Reply]:
        """Buttons the engine itself shows: pick, back, skip, exit, resume, discard."""
        if not action.args:
            raise PayloadError("core.button_forged")
        flow = self._flow_or_none(ctx, action.args[0])
        if flow is None:
            raise PayloadError("core.button_stale")
        conversation = await ctx.conversations.of_flow(_member_id(ctx), flow.name)
        if conversation is None or action.rev != conversation.rev:
            raise PayloadError("core.button_stale")
        verb = action.name.removeprefix("flow.")
        if verb == "resume":
            return await self._resume(ctx, flow, conversation)
        if verb == "discard":
            await ctx.conversations.delete(conversation)
            return [ctx.reply("core.flow_discarded", edit=True, title=ctx.t(flow.title))]
        if conversation.status != "active":
            raise PayloadError("core.button_stale")
        step = flow.step(conversation.step)
        if step is None:
            raise PayloadError("core.button_stale")
        if verb == "pick" and len(action.args) == 3 and action.args[1] == step.name:
            choices = await self._choices(ctx, step, conversation.data)
            index = int(action.args[2]) if action.args[2].isdigit() else -1
            if not 0 <= index < len(choices):
                raise PayloadError("core.button_forged")
            chosen = choices[index]
            closing = self._closing(ctx, flow, conversation, step, chosen)
            return [closing, *await self._store(ctx, flow, conversation, step, chosen.value)]
        if verb == "back":
            return await self.back(ctx, flow, conversation)
        if verb == "skip" and step.optional:
            return await self._store(ctx, flow, conversation, step, None)
        if verb == "exit":
            return await self.cancel(ctx)
        raise PayloadError("core.button_forged")

    async def cancel(self, ctx: Context) -> list[Reply]:
        """Leave the active flow, keeping its draft."""
        parked = await ctx.conversations.park_active(_member_id(ctx))
        if parked is None:
            return [ctx.reply("core.nothing_to_cancel")]
        return [ctx.reply("core.cancelled", title=self._title(ctx, parked.flow))]

    async def back(self, ctx: Context, flow: Flow, conversation: Conversation) -> list[Reply]:
        if not conversation.history:
            return [await self.prompt(ctx, flow, conversation, prefix=ctx.t("core.flow_at_start"))]
        conversation.step = conversation.history.pop()
        conversation.data.pop("_return_to", None)
        await ctx.conversations.save(conversation)
        return [await self.prompt(ctx, flow, conversation)]

    # -- prompts ------------------------------------------------------------------
    async def prompt(
        self,
        ctx: Context,
        flow: Flow,
        conversation: Conversation,
        *,
        prefix: Text | None = None,
    ) -> Reply:
        step = flow.step(conversation.step)
        assert step is not None
        body = await self._prompt_text(ctx, step, conversation.data)
        number, total = flow.position(step.name, conversation.data)
        text = ctx.t("core.flow_progress", title=ctx.t(flow.title), n=number, total=total) + body
        if prefix is not None:
            text = prefix + Text.plain("\n") + text
        rows: list[tuple[Button, ...]] = []
        choices = await self._choices(ctx, step, conversation.data)
        row: list[Button] = []
        for i, choice in enumerate(choices):
            label = ctx.t(choice.label) if isinstance(choice.label, str) else choice.label
            row.append(
                ctx.button(label, "flow.pick", flow.name, step.name, i, rev=conversation.rev)
            )
            if len(row) == step.columns:
                rows.append(tuple(row))
                row = []
        if row:
            rows.append(tuple(row))
        nav: list[Button] = []
        if conversation.history:
            nav.append(ctx.button("core.btn_back", "flow.back", flow.name, rev=conversation.rev))
        if step.optional:
            nav.append(ctx.button("core.btn_skip", "flow.skip", flow.name, rev=conversation.rev))
        nav.append(ctx.button("core.btn_exit", "flow.exit", flow.name, rev=conversation.rev))
        rows.append(tuple(nav))
        return Reply(text=text, buttons=tuple(rows))

    # -- internals ----------------------------------------------------------------
    async def _answer(
        self,
        ctx: Context,
        flow: Flow,
        conversation: Conversation,
        step: Step,
        answer: Answer,
    ) -> list[Reply]:
        try:
            value = await self._parse(ctx, step, conversation.data, answer)
        except UserError as exc:
            error = ctx.t(exc.key, **exc.params)
            return [await self.prompt(ctx, flow, conversation, prefix=error)]
        return await self._store(ctx, flow, conversation, step, value)

    async def _parse(self, ctx: Context, step: Step, data: dict[str, Any], answer: Answer) -> Any:
        if isinstance(answer, InDocument):
            if step.parse_document is None:
                raise UserError("core.flow_no_document")
            answer = replace(answer, file_name=visible_text(answer.file_name))
            return await _maybe_await(step.parse_document(ctx, data, answer))
        # What goes into a draft is what the member sees: no bidi overrides, zero-width or
        # control characters that would disguise it later in a listing or an export.
        text = visible_text(answer).strip()
        choices = await self._choices(ctx, step, data)
        if choices:
            for choice in choices:
                label = ctx.t(choice.label) if isinstance(choice.label, str) else choice.label
                if text in (str(label), choice.value):
                    return choice.value
            if not (step.text_allowed or False):
                raise UserError("core.flow_use_buttons")
        if not text:
            raise UserError("core.flow_empty")
        if len(text) > step.max_chars:
            raise UserError("core.flow_too_long", count=len(text), limit=step.max_chars)
        parse = step.parse or step.parse_document
        if parse is None:
            return text
        return await _maybe_await(parse(ctx, data, text))

    async def _store(
        self,
        ctx: Context,
        flow: Flow,
        conversation: Conversation,
        step: Step,
        value: Any,
    ) -> list[Reply]:
        target: str | None = None
        if isinstance(value, Goto):
            if flow.step(value.step) is None:
                raise ValueError(f"flow {flow.name} has no step {value.step}")
            if value.come_back:
                conversation.data["_return_to"] = step.name
            target = value.step
            value = value.value
        if value is not _UNSET and step.key:
            conversation.data[step.key] = value
        conversation.history.append(step.name)
        if target is None:
            target = conversation.data.pop("_return_to", None)
            if target is None:
                following = flow.next_step(step.name, conversation.data)
                target = following.name if following else None
        if target is None:
            await ctx.conversations.save(conversation)
            if flow.saved is not None:
                await flow.saved(ctx, conversation)
            replies = as_replies(await flow.done(ctx, conversation))
            if not flow.keep_on_done:
                await ctx.conversations.delete(conversation)
            return replies
        conversation.step = target
        await ctx.conversations.save(conversation)
        if flow.saved is not None:
            await flow.saved(ctx, conversation)
        return [await self.prompt(ctx, flow, conversation)]

    async def _resume(self, ctx: Context, flow: Flow, conversation: Conversation) -> list[Reply]:
        member_id = _member_id(ctx)
        active = await ctx.conversations.active(member_id)
        if active is not None and active.id != conversation.id:
            await ctx.conversations.park_active(member_id)
        conversation.status = "active"
        held = conversation.data.pop("_held", None)
        await ctx.conversations.save(conversation)
        replies = [ctx.reply("core.flow_resumed", edit=True, title=ctx.t(flow.title))]
        step = flow.step(conversation.step)
        if step is None:
            return replies + await self._restart_at_first(ctx, flow, conversation)
        if held and not (await self._choices(ctx, step, conversation.data)):
            return replies + await self._answer(ctx, flow, conversation, step, held)
        return [*replies, await self.prompt(ctx, flow, conversation)]

    async def _restart_at_first(
        self, ctx: Context, flow: Flow, conversation: Conversation
    ) -> list[Reply]:
        first = flow.next_step(None, conversation.data)
        assert first is not None
        conversation.step = first.name
        conversation.history = []
        await ctx.conversations.save(conversation)
        return [await self.prompt(ctx, flow, conversation)]

    def _resume_offer(
        self, ctx: Context, flow: Flow, conversation: Conversation, *, returning: bool = False
    ) -> Reply:
        number, total = flow.position(conversation.step, conversation.data)
        return ctx.reply(
            "core.flow_resume_offer_idle" if returning else "core.flow_resume_offer",
            title=ctx.t(flow.title),
            saved_at=ctx.fmt_time(conversation.updated_at),
            n=number,
            total=total,
            buttons=[
                [
                    ctx.button("core.btn_resume", "flow.resume", flow.name, rev=conversation.rev),
                    ctx.button("core.btn_discard", "flow.discard", flow.name, rev=conversation.rev),
                ]
            ],
        )

    def _closing(
        self,
        ctx: Context,
        flow: Flow,
        conversation: Conversation,
        step: Step,
        chosen: Choice,
    ) -> Reply:
        """Edits the pressed message: the question stays, the buttons go, the choice shows."""
        label = ctx.t(chosen.label) if isinstance(chosen.label, str) else chosen.label
        return Reply(
            text=ctx.t("core.flow_chosen", title=ctx.t(flow.title), choice=label), edit=True
        )

    async def _prompt_text(self, ctx: Context, step: Step, data: dict[str, Any]) -> Text:
        if callable(step.prompt):
            return await _maybe_await(step.prompt(ctx, data))
        params = {k: v for k, v in data.items() if isinstance(v, str | int | float)}
        return ctx.t(step.prompt, **params)

    async def _choices(self, ctx: Context, step: Step, data: dict[str, Any]) -> list[Choice]:
        if step.choices is None:
            return []
        if callable(step.choices):
            return list(await _maybe_await(step.choices(ctx, data)))
        return list(step.choices)

    def _flow_or_none(self, ctx: Context, name: str) -> Flow | None:
        return self.catalogue.find_flow(name)

    def _title(self, ctx: Context, flow_name: str) -> Text:
        flow = self._flow_or_none(ctx, flow_name)
        return ctx.t(flow.title) if flow else Text.plain(flow_name)


def _member_id(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id
