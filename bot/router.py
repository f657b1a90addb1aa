"""Routers: each capability module owns one; the app includes them in an explicit order.

A router holds commands (``/proposal``), button actions (``proposal.cosign``), flows, and
free-text fallbacks. Including the same router twice or in a cycle raises at start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from bot.context import Handler, HandlerResult
from bot.domain.roles import ANYONE, MEMBERS, SECRETARIAT, Role
from bot.flows import Flow

__all__ = [
    "ANYONE",
    "MEMBERS",
    "SECRETARIAT",
    "CommandSpec",
    "Handler",
    "HandlerResult",
    "Router",
]

# The decorators hand the handler back as it was: calling one from another keeps its type.
H = TypeVar("H", bound=Handler)


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    handler: Handler
    roles: frozenset[Role]
    menu: str | None  # catalogue key of the menu label / command description; None = hidden
    in_groups: bool  # answered in group chats (safe: reveals nothing personal)
    order: int
    # Who sees it in the menu and /help: the roles that may use it, or fewer (/reading_admin
    # is open to group owners, who reach it from /reading, but listed for the secretariat).
    menu_roles: frozenset[Role] | None = None


@dataclass(frozen=True, slots=True)
class ActionSpec:
    name: str
    handler: Handler
    roles: frozenset[Role]


@dataclass(frozen=True, slots=True)
class FallbackSpec:
    handler: Handler
    roles: frozenset[Role]
    in_groups: bool


class Router:
    # Bumped by every change that can alter a flow lookup in any tree: a flow registered, a
    # router included. A router may sit in several trees and gain flows or children after it
    # was included, so a cached index compares this one number instead of tracking parents.
    # Registration happens at start, so while serving the indexes are built once and kept.
    _shape: ClassVar[int] = 0

    def __init__(self, name: str) -> None:
        self.name = name
        self.commands: dict[str, CommandSpec] = {}
        self.actions: dict[str, ActionSpec] = {}
        # Register through ``flow()``: writing to this dict directly skips the index reset.
        self.flows: dict[str, Flow] = {}
        self.fallbacks: list[FallbackSpec] = []
        self.children: list[Router] = []
        # Flows of this router's whole tree by name, valid while ``_shape`` is unchanged.
        self._flow_index: dict[str, Flow] = {}
        self._flow_index_shape = -1

    # -- registration ------------------------------------------------------------
    def command(
        self,
        *names: str,
        roles: frozenset[Role] = MEMBERS,
        menu: str | None = None,
        in_groups: bool = False,
        order: int = 100,
        menu_roles: frozenset[Role] | None = None,
    ) -> Callable[[H], H]:
        def register(handler: H) -> H:
            for i, name in enumerate(names):
                key = name if name.startswith("/") else f"/{name}"
                self.commands[key] = CommandSpec(
                    key, handler, roles, menu if i == 0 else None, in_groups, order, menu_roles
                )
            return handler

        return register

    def action(self, name: str, *, roles: frozenset[Role] = MEMBERS) -> Callable[[H], H]:
        def register(handler: H) -> H:
            self.actions[name] = ActionSpec(name, handler, roles)
            return handler

        return register

    def fallback(
        self, *, roles: frozenset[Role] = MEMBERS, in_groups: bool = False
    ) -> Callable[[H], H]:
        """Free text outside any flow (e.g. a question for the rulebook)."""

        def register(handler: H) -> H:
            self.fallbacks.append(FallbackSpec(handler, roles, in_groups))
            return handler

        return register

    def flow(self, flow: Flow) -> Flow:
        self.flows[flow.name] = flow
        Router._reshaped()
        return flow

    def include(self, *routers: Router) -> Router:
        """Add sub-routers. A router may sit in several app trees (tests build many apps),
        but only once within one tree, and never inside itself."""
        for router in routers:
            if any(node is self for node in router.walk()):
                raise ValueError(f"including {router.name!r} would make a cycle")
            mine = {id(node) for node in self.walk()}
            if any(id(node) in mine for node in router.walk()):
                raise ValueError(f"router {router.name!r} is already included")
            self.children.append(router)
            Router._reshaped()
        return self

    @staticmethod
    def _reshaped() -> None:
        Router._shape += 1

    # -- lookup ------------------------------------------------------------------
    def walk(self) -> Iterator[Router]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find_command(self, name: str) -> CommandSpec | None:
        return next((r.commands[name] for r in self.walk() if name in r.commands), None)

    def find_action(self, name: str) -> ActionSpec | None:
        return next((r.actions[name] for r in self.walk() if name in r.actions), None)

    def find_flow(self, name: str) -> Flow | None:
        # The engine looks the flow up on every step; walking the tree each time was ~2% of
        # a /note step (bench/wecom_bench.py --profile), a dict get is next to nothing.
        if self._flow_index_shape != Router._shape:
            self._index_flows()
        return self._flow_index.get(name)

    def _index_flows(self) -> None:
        # Read before walking: a change that lands during the walk makes the next lookup
        # see a newer shape and index again, rather than keep a half-old index.
        shape = Router._shape
        index: dict[str, Flow] = {}
        for router in self.walk():
            for name, flow in router.flows.items():
                index.setdefault(name, flow)  # the first in walk order wins, as a walk found
        self._flow_index = index
        self._flow_index_shape = shape

    def all_fallbacks(self) -> list[FallbackSpec]:
        return [spec for r in self.walk() for spec in r.fallbacks]

    def menu_commands(self, roles: frozenset[Role]) -> list[CommandSpec]:
        """Commands with a menu label that these roles may use, in menu order."""
        specs = [
            spec
            for r in self.walk()
            for spec in r.commands.values()
            if spec.menu
            and allowed(spec.roles, roles)
            and (spec.menu_roles is None or allowed(spec.menu_roles, roles))
        ]
        return sorted(specs, key=lambda s: (s.order, s.name))


def allowed(required: frozenset[Role], roles: frozenset[Role]) -> bool:
    return not required or bool(required & roles)
