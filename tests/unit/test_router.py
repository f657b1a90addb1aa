from __future__ import annotations

import pytest

from bot.context import Context
from bot.flows import Flow
from bot.router import Router
from storage.tables import Conversation


def test_a_router_is_included_once_per_tree_and_never_in_itself() -> None:
    root, child = Router("root"), Router("child")
    root.include(child)
    with pytest.raises(ValueError, match="already included"):
        root.include(child)
    with pytest.raises(ValueError, match="cycle"):
        child.include(root)
    # another app may include the same capability router in its own tree
    Router("other-root").include(child)


def _flow(name: str) -> Flow:
    async def done(_ctx: Context, _conversation: Conversation) -> None:
        return None

    return Flow(name=name, title=f"{name}.title", steps=(), done=done)


def _walked(root: Router, name: str) -> Flow | None:
    """The lookup as it was before the index: the first router in walk order that has it."""
    return next((r.flows[name] for r in root.walk() if name in r.flows), None)


def test_flows_are_found_in_nested_routers_as_a_walk_finds_them() -> None:
    root, child, grandchild, sibling = (Router(n) for n in ("root", "child", "grand", "sib"))
    grandchild.flow(_flow("deep"))
    first, later = _flow("shared"), _flow("shared")
    grandchild.flow(first)  # earlier in walk order than the sibling: it wins, as before
    sibling.flow(later)
    root.flow(_flow("top"))
    child.include(grandchild)
    root.include(child, sibling)
    for name in ("deep", "shared", "top", "nowhere"):
        assert root.find_flow(name) is _walked(root, name)
    assert root.find_flow("shared") is first
    assert child.find_flow("top") is None  # a subtree sees only its own routers


def test_a_flow_or_router_added_after_a_lookup_is_still_found() -> None:
    root, child = Router("root"), Router("child")
    root.include(child)
    other = Router("other-root").include(child)  # the same router in a second tree
    assert root.find_flow("late") is None
    assert other.find_flow("late") is None
    late = child.flow(_flow("late"))
    assert root.find_flow("late") is late
    assert other.find_flow("late") is late
    # a router included below an already indexed one after the lookup
    below = Router("below")
    below.flow(_flow("below"))
    assert root.find_flow("below") is None
    child.include(below)
    assert root.find_flow("below") is below.flows["below"]
    # a later flow of the same name in an earlier router shadows, as a walk would find
    again = root.flow(_flow("late"))
    assert root.find_flow("late") is again
    assert other.find_flow("late") is late
