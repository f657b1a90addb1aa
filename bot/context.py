"""What a handler receives: the update, the member, a database session and the services.

Handlers take one argument, ``ctx: Context``. Everything they may use is listed here once;
there are no module-level singletons.

This module is the bottom of the runtime core: ``bot.types`` → ``bot.context`` →
``bot.flows`` → ``bot.router`` → ``bot.app``, each importing only those before it. The
router and the flow engine are seen here through the small protocols below (``Commands``,
``FlowRunner``), which ``bot.router.Router`` and ``bot.flows.FlowEngine`` satisfy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.callbacks import Signer
from bot.catalogue import Catalogue
from bot.domain.roles import Role
from bot.settings import Settings
from bot.text import Text
from bot.types import Button, Incoming, OutDocument, Reply
from storage.audit import Audit
from storage.columns import utcnow
from storage.conversations import Conversations
from storage.outbox import Outbox
from storage.roster import Roster
from storage.tables import Conversation, Member

if TYPE_CHECKING:
    from bot.kb.service import KnowledgeBase
    from storage.db import Database

__all__ = [
    "CommandEntry",
    "Commands",
    "Context",
    "FlowRunner",
    "Handler",
    "HandlerResult",
    "Services",
]

HandlerResult = Reply | Sequence[Reply] | None
Handler = Callable[["Context"], Awaitable[HandlerResult]]


class CommandEntry(Protocol):
    """A command as menus and /help see it (``bot.router.CommandSpec``)."""

    @property
    def name(self) -> str: ...
    @property
    def handler(self) -> Handler: ...
    @property
    def roles(self) -> frozenset[Role]: ...
    @property
    def menu(self) -> str | None: ...


class Commands(Protocol):
    """What a handler may read of the root router (``bot.router.Router``)."""

    def menu_commands(self, roles: frozenset[Role]) -> Sequence[CommandEntry]: ...
    def find_command(self, name: str) -> CommandEntry | None: ...


class FlowRunner(Protocol):
    """What a handler may ask of the conversation engine (``bot.flows.FlowEngine``).

    ``flow`` is a ``bot.flows.Flow``; it is typed loosely so that this module stays below
    ``bot.flows`` (whose steps take a ``Context``).
    """

    async def begin(
        self, ctx: Context, flow: Any, initial: dict[str, Any] | None = None
    ) -> list[Reply]: ...
    async def prompt(
        self, ctx: Context, flow: Any, conversation: Conversation, *, prefix: Text | None = None
    ) -> Reply: ...


@dataclass(slots=True)
class Services:
    """Long-lived parts shared by every update; built once by ``bot.app.build_app``.

    settings   effective configuration
    catalogue  the zh-CN message catalogue
    signer     signs and verifies button payloads
    router     the root router, as menus see it (menus list what it holds)
    flows      the conversation engine
    clock      aware-UTC "now"; tests may replace it
    wake_delivery  called after a commit that enqueued outbox rows
    show_typing  called before deferred slow work (an LLM answer): the channel's typing hint
    knowledge  the rulebook Q&A (its index is built on first use, not here)
    db         the database, for deferred work that needs a transaction of its own
    extras     capability services by name (e.g. "kb"), added by their modules at build time
    """

    settings: Settings
    catalogue: Catalogue
    signer: Signer
    router: Commands
    flows: FlowRunner
    clock: Callable[[], datetime] = utcnow
    wake_delivery: Callable[[], None] = lambda: None
    show_typing: Callable[[Incoming], Awaitable[None]] | None = None
    knowledge: KnowledgeBase | None = None
    db: Database | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Context:
    incoming: Incoming
    session: AsyncSession
    services: Services
    member: Member | None = None
    roles: frozenset[Role] = frozenset()
    args: tuple[str, ...] = ()
    after_commit: list[Callable[[], Awaitable[None] | None]] = field(default_factory=list)
    deferred: list[Callable[[], Awaitable[Reply | Sequence[Reply] | None]]] = field(
        default_factory=list
    )

    # -- repositories over this update's session ---------------------------------
    @property
    def roster(self) -> Roster:
        return Roster(self.session)

    @property
    def audit(self) -> Audit:
        return Audit(self.session)

    @property
    def conversations(self) -> Conversations:
        return Conversations(self.session)

    @property
    def outbox(self) -> Outbox:
        return Outbox(self.session)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @asynccontextmanager
    async def later(self) -> AsyncIterator[Context]:
        """For deferred work: the same member in a transaction of its own, committed on exit.
        What the update read may have changed meanwhile; look again before writing."""
        assert self.services.db is not None, "build_app wires the database"
        async with self.services.db.session() as session:
            yield Context(
                incoming=self.incoming,
                session=session,
                services=self.services,
                member=self.member,
                roles=self.roles,
            )

    def defer(self, job: Callable[[], Awaitable[Reply | Sequence[Reply] | None]]) -> None:
        """Run ``job`` after this update's transaction has committed; its replies follow.

        For slow work that needs no database lock (an LLM call): on SQLite a transaction
        holds the one write lock, and every other member would wait for the model.
        The job must not use ``ctx.session``.
        """
        self.deferred.append(job)

    async def begin(self, flow: Any, initial: dict[str, Any] | None = None) -> list[Reply]:
        """Start a guided flow, a ``bot.flows.Flow`` (or offer to resume the member's
        unfinished one)."""
        return await self.services.flows.begin(self, flow, initial)

    # -- building replies ----------------------------------------------------------
    def t(self, key: str, /, **params: Any) -> Text:
        return self.services.catalogue.t(key, **params)

    def reply(
        self,
        key: str,
        /,
        *,
        buttons: Sequence[Sequence[Button]] = (),
        edit: bool = False,
        document: OutDocument | None = None,
        **params: Any,
    ) -> Reply:
        return Reply(
            text=self.t(key, **params),
            buttons=tuple(tuple(row) for row in buttons),
            edit=edit,
            document=document,
        )

    @property
    def subject(self) -> str:
        """Whom this chat's buttons are signed for."""
        if self.member is not None and self.member.id is not None:
            return f"m{self.member.id}"
        return f"u{self.incoming.user_id}"

    def button(
        self,
        label: Text | str,
        action: str,
        *args: str | int,
        rev: int | None = None,
    ) -> Button:
        """An inline button for this member. A str label is a catalogue key."""
        text = self.t(label) if isinstance(label, str) else label
        return Button(label=text, action=self.services.signer.sign(self.subject, action, args, rev))

    def button_for(
        self, member_id: int, label: Text | str, action: str, *args: str | int
    ) -> Button:
        """A button inside a message to another member (notifications, invitations)."""
        text = self.t(label) if isinstance(label, str) else label
        return Button(label=text, action=self.services.signer.sign(f"m{member_id}", action, args))

    # -- time --------------------------------------------------------------------
    def now(self) -> datetime:
        return self.services.clock()

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.settings.zone)

    def fmt_time(self, when: datetime | None) -> str:
        return "" if when is None else self.local(when).strftime("%Y-%m-%d %H:%M")

    # -- role checks ----------------------------------------------------------------
    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    # -- messages to other members (through the outbox) ---------------------------
    async def notify(
        self,
        member_id: int,
        reply: Reply | Callable[[int], Reply],
        *,
        dedupe_key: str | None = None,
        kind: str = "notice",
        ref: str = "",
    ) -> int:
        """Queue ``reply`` for every reachable identity of ``member_id``; returns how many.

        The row is written in this update's transaction, so it exists exactly when the
        change that caused it was committed.
        """
        from bot.delivery_queue import enqueue_for_member

        count = await enqueue_for_member(
            self.session,
            member_id,
            reply,
            dedupe_key=dedupe_key,
            kind=kind,
            ref=ref,
        )
        if count:
            self.after_commit.append(self.services.wake_delivery)
        return count
