"""The application: one place that wires settings, storage, routers and channels.

``App.handle(incoming)`` is the whole core as a channel sees it: it records the update id,
finds the member, routes to a command, a button action, the active flow or a fallback, and
commits before returning the replies, so every step is stored before anything is sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot.callbacks import Action, Signer
from bot.catalogue import Catalogue, catalogue
from bot.context import Context, Services
from bot.domain.roles import parse_roles
from bot.errors import PayloadError, UserError
from bot.flows import FlowEngine, as_replies
from bot.log_redaction import register_secrets, register_settings
from bot.proposals.invitations import deliver_held
from bot.roster.accounts import ROSTER_PLATFORMS, bind_by_platform_account
from bot.router import Router, allowed
from bot.settings import Settings
from bot.types import Incoming, Reply
from storage.app_values import get_or_create
from storage.arrivals import Arrival, arrive, record_update
from storage.columns import utcnow
from storage.db import Database

__all__ = ["App", "build_app", "root_router"]

log = logging.getLogger(__name__)

# How stale an account's "last seen" may get before it is written: not a write per update,
# yet fine enough that a member who moves between platforms is reached where they are now
# (messages go to the account used last, storage.roster.address_of).
_LAST_SEEN_EVERY = timedelta(minutes=5)
# Commands that work the same in every state and need no role beyond being verified.
_CANCEL = {"/cancel", "/取消"}


def root_router() -> Router:
    """Every capability's router, in the order their commands appear in menus."""
    from handlers import all_routers

    root = Router("root")
    root.include(*all_routers())
    return root


@dataclass(slots=True)
class App:
    settings: Settings
    db: Database
    services: Services
    router: Router  # the root router (``services.router`` is the same, as handlers see it)
    engine: FlowEngine  # the conversation engine (``services.flows``)
    _locks: OrderedDict[tuple[str, str], asyncio.Lock] = field(default_factory=OrderedDict)
    # Told of every update: (platform, outcome, seconds) — the console's /metrics reads it.
    # Outcomes: ok, duplicate, refused (a UserError), failed (an unexpected exception).
    timers: list[Callable[[str, str, float], None]] = field(default_factory=list)

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Handle one update; returns the replies for the chat it came from."""
        started, outcome = time.perf_counter(), ["ok"]
        try:
            return await self._handle(incoming, outcome)
        finally:
            elapsed = time.perf_counter() - started
            for timer in self.timers:
                timer(incoming.platform, outcome[-1], elapsed)

    async def _handle(self, incoming: Incoming, outcome: list[str]) -> list[Reply]:
        async with self._lock_for(incoming.platform, incoming.chat_id):
            try:
                async with self.db.session() as session:
                    arrival = await arrive(
                        session,
                        platform=incoming.platform,
                        update_id=incoming.update_id,
                        user_id=incoming.user_id,
                    )
                    if not arrival.first_time:
                        outcome.append("duplicate")
                        return []
                    ctx = Context(incoming=incoming, session=session, services=self.services)
                    try:
                        replies = await self._dispatch(ctx, arrival)
                    except (UserError, PayloadError) as exc:
                        # A refusal undoes what the handler wrote; the update stays recorded.
                        outcome.append("refused")
                        await session.rollback()
                        ctx.after_commit.clear()
                        ctx.deferred.clear()
                        if incoming.update_id is not None:
                            await record_update(
                                session, platform=incoming.platform, update_id=incoming.update_id
                            )
                        replies = [self._refusal(ctx, exc)]
            except IntegrityError:
                # Another process handled the same update id concurrently.
                log.info("update %s handled elsewhere", incoming.update_id)
                outcome.append("duplicate")
                return []
            except Exception:
                log.exception("update failed: %s", incoming)
                outcome.append("failed")
                return [Reply(text=self.services.catalogue.t("core.internal_error"))]
            for hook in ctx.after_commit:
                result = hook()
                if asyncio.iscoroutine(result):
                    await result
            if ctx.deferred and self.services.show_typing is not None:
                try:
                    await self.services.show_typing(incoming)
                except Exception:  # a hint only: the answer still comes
                    log.warning("typing hint failed for %s", incoming.chat_id)
            for job in ctx.deferred:
                try:
                    replies += as_replies(await job())
                except Exception:
                    log.exception("deferred work failed: %s", incoming)
                    outcome.append("failed")
                    replies.append(Reply(text=self.services.catalogue.t("core.internal_error")))
            return replies

    @staticmethod
    def _refusal(ctx: Context, exc: UserError | PayloadError) -> Reply:
        if isinstance(exc, UserError):
            return Reply(text=ctx.t(exc.key, **exc.params))
        return Reply(text=ctx.t(exc.key), toast=ctx.t(exc.key))

    async def _dispatch(self, ctx: Context, arrival: Arrival) -> list[Reply]:
        greeting: list[Reply] = []
        if arrival.identity is None and ctx.incoming.platform in ROSTER_PLATFORMS:
            arrival, greeting = await self._recognise(ctx, arrival)
        return greeting + await self._route(ctx, arrival)

    async def _recognise(self, ctx: Context, arrival: Arrival) -> tuple[Arrival, list[Reply]]:
        """An account the roster names (企业微信账号) is bound on its first private message,
        greeted by name, and the message is then handled as the member's."""
        incoming = ctx.incoming
        if incoming.chat_type != "private":
            return arrival, []
        member = await bind_by_platform_account(
            ctx.session,
            platform=incoming.platform,
            user_id=incoming.user_id,
            chat_id=incoming.chat_id,
            display_name=incoming.display_name or "",
        )
        if member is None:
            return arrival, []
        identity = await ctx.roster.identity(incoming.platform, incoming.user_id)
        ctx.member, ctx.roles = member, parse_roles(member.roles)
        await deliver_held(ctx)  # co-sign invitations held until the member verified
        found = Arrival(first_time=True, identity=identity, member=member)
        return found, [ctx.reply("roster.recognised", name=member.name)]

    async def _route(self, ctx: Context, arrival: Arrival) -> list[Reply]:
        incoming = ctx.incoming
        if incoming.kind == "unsupported":
            return [ctx.reply("core.unsupported_message")]
        conversation = arrival.conversation
        identity, member = arrival.identity, arrival.member
        if identity is not None and member is not None:
            if member.status != "active":
                return [ctx.reply("core.retired")]
            if identity.chat_id != incoming.chat_id and incoming.chat_type == "private":
                identity.chat_id = incoming.chat_id
                ctx.session.add(identity)
            if identity.unreachable_at is not None and incoming.chat_type == "private":
                identity.unreachable_at = None  # they wrote to us: reachable again
                identity.unreachable_reason = None
                ctx.session.add(identity)
            seen = identity.last_seen_at
            if seen is None or ctx.now() - seen >= _LAST_SEEN_EVERY:
                identity.last_seen_at = ctx.now()  # coarse, so not a write per update
                ctx.session.add(identity)
            ctx.member = member
            ctx.roles = parse_roles(member.roles)

        if incoming.kind == "action":
            return await self._on_action(ctx, incoming.action or "")

        command = incoming.command
        if command is not None:
            return await self._on_command(ctx, *command)

        if ctx.member is None:
            return await self._unverified(ctx)
        if incoming.chat_type != "private":
            return []  # in groups the bot speaks only when addressed with a command
        if incoming.kind == "contact":
            return [ctx.reply("core.already_verified", name=ctx.member.name)]

        if conversation is not None:
            if incoming.kind == "document" and incoming.document is not None:
                return await self.engine.on_input(ctx, conversation, incoming.document)
            return await self.engine.on_input(ctx, conversation, incoming.text or "")
        if incoming.kind == "document":
            return [ctx.reply("core.document_outside_flow")]
        if incoming.text and len(incoming.text) > self.settings.max_text_chars:
            return [ctx.reply("core.text_too_long", limit=self.settings.max_text_chars)]
        for spec in self.router.all_fallbacks():
            if allowed(spec.roles, ctx.roles):
                return as_replies(await spec.handler(ctx))
        return [ctx.reply("core.not_understood")]

    async def _on_command(self, ctx: Context, name: str, rest: str) -> list[Reply]:
        if name in _CANCEL and ctx.member is not None:
            return await self.engine.cancel(ctx)
        spec = self.router.find_command(name)
        if spec is None:
            if ctx.member is None:
                return await self._unverified(ctx)
            if ctx.incoming.chat_type != "private":
                return []
            return [ctx.reply("core.unknown_command", command=name)]
        if ctx.incoming.chat_type != "private" and not spec.in_groups:
            return [ctx.reply("core.private_only")]
        if spec.roles and ctx.member is None:
            return await self._unverified(ctx)
        if not allowed(spec.roles, ctx.roles):
            return [ctx.reply("core.access_denied")]
        ctx.args = (rest,) if rest else ()
        return as_replies(await spec.handler(ctx))

    async def _on_action(self, ctx: Context, payload: str) -> list[Reply]:
        action: Action = self.services.signer.verify(ctx.subject, payload)
        if action.name.startswith("flow."):
            if ctx.member is None:
                raise PayloadError("core.button_forged")
            return await self.engine.on_action(ctx, action)
        spec = self.router.find_action(action.name)
        if spec is None:
            raise PayloadError("core.button_stale")
        if spec.roles and ctx.member is None:
            return await self._unverified(ctx)
        if not allowed(spec.roles, ctx.roles):
            return [ctx.reply("core.access_denied")]
        ctx.args = action.args
        return as_replies(await spec.handler(ctx))

    async def _unverified(self, ctx: Context) -> list[Reply]:
        """Strangers learn only how to verify (handlers/onboarding.py)."""
        if ctx.incoming.chat_type != "private":
            return []
        spec = self.router.find_action("onboarding.stranger")
        assert spec is not None, "the onboarding router must be included"
        return as_replies(await spec.handler(ctx))

    def _lock_for(self, platform: str, chat_id: str) -> asyncio.Lock:
        """Per-chat serialisation inside one process; across processes the database
        decides (update ids are unique, the active conversation row is locked)."""
        key = (platform, chat_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
            while len(self._locks) > 10_000:
                oldest, old_lock = next(iter(self._locks.items()))
                if old_lock.locked():
                    break
                del self._locks[oldest]
        return lock


async def build_app(
    *,
    settings: Settings,
    db: Database | None = None,
    router: Router | None = None,
    clock: Callable[[], datetime] | None = None,
    messages: Catalogue | None = None,
    upgrade: bool | None = None,
    serving: bool = True,
) -> App:
    """Wire everything. Tests pass their own ``db`` (already migrated) and ``clock``.

    ``serving=False`` is the app of a command that works on records (``committee-bot members
    list`` and the like) and answers no chat update: it gets no handlers and no rulebook,
    whose modules would only slow its start."""
    db = db or Database(settings.database_url)
    if upgrade if upgrade is not None else db.is_sqlite:
        await db.upgrade()
    key = settings.secret_key.get_secret_value() if settings.secret_key else None
    if key is None:
        async with db.session() as session:
            key = await get_or_create(session, "signing_key")
    register_settings(settings)
    register_secrets(key)  # the generated signing key too: never in a log line
    root = router or (root_router() if serving else Router("records"))
    engine = FlowEngine(root)
    knowledge = None
    if serving:
        from bot.kb.service import KnowledgeBase
        from bot.record.rules import current_points

        current_points(settings.points_file)  # a bad points file stops the start, with its line

        # Cheap to build: jieba's dictionary and the index load on the first question.
        knowledge = KnowledgeBase.from_settings(settings, db=db)
    services = Services(
        settings=settings,
        catalogue=messages or catalogue(),
        signer=Signer(key=key.encode()),
        router=root,
        flows=engine,
        clock=clock or utcnow,
        knowledge=knowledge,
        db=db,
    )
    return App(settings=settings, db=db, services=services, router=root, engine=engine)
