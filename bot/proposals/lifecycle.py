"""What every document's lifecycle shares: the history entry a transition records, the
refusal of an action the present status does not allow, and the one way a transition is
taken (``transition``). Each kind declares its statuses, its table of which action applies
from which status, and what each event changes (``proposal_lifecycle.py``,
``report_lifecycle.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from bot.catalogue import catalogue
from bot.errors import UserError

__all__ = ["HistoryEntry", "IllegalTransition", "transition"]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    action: str
    status_from: str
    status_to: str
    actor_id: int | None = None
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class IllegalTransition(UserError):
    """The action does not apply to a proposal (or report) in its present status."""

    def __init__(self, *, action: str, status: str, namespace: str = "proposals") -> None:
        cat = catalogue()
        super().__init__(
            f"{namespace}.illegal_transition",
            action=cat.s(f"{namespace}.action.{action}"),
            status=cat.s(f"{namespace}.status.{status}"),
        )
        self.action = action
        self.status = status


class _State(Protocol):
    @property
    def status(self) -> StrEnum: ...


class _Event(Protocol):
    @property
    def action(self) -> str: ...


S = TypeVar("S", bound=_State)
E = TypeVar("E", bound=_Event)


def transition(
    state: S,
    event: E,
    *,
    allowed: Mapping[str, frozenset[Any]],
    change: Callable[[S, E], tuple[S, str, dict[str, Any]]],
    at: datetime,
    actor_id: int | None,
    namespace: str,
) -> tuple[S, HistoryEntry]:
    """The state after ``event`` (``change`` says how) and the history entry recording it;
    refused when ``allowed`` does not list the present status for the event's action."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("transition times must be timezone-aware")
    if state.status not in allowed[event.action]:
        raise IllegalTransition(action=event.action, status=state.status, namespace=namespace)
    new, note, data = change(state, event)
    entry = HistoryEntry(
        at=at,
        action=event.action,
        status_from=state.status.value,
        status_to=new.status.value,
        actor_id=actor_id,
        note=note,
        data=dict(data),
    )
    return new, entry
