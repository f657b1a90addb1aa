"""Routers: each capability module owns one; the app includes them in an explicit order.

A router holds commands (``/proposal``), button actions (``proposal.cosign``), flows, and
free-text fallbacks. Including the same router twice or in a cycle raises at start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

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
    def __init__(self, name: str) -> None:
        self.name = name
        self.commands: dict[str, CommandSpec] = {}
        self.actions: dict[str, ActionSpec] = {}
        self.flows: dict[str, Flow] = {}
        self.fallbacks: list[FallbackSpec] = []
        self.children: list[Router] = []

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
        return self

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
        return next((r.flows[name] for r in self.walk() if name in r.flows), None)

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
