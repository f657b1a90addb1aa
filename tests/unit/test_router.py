from __future__ import annotations

import pytest

from bot.router import Router


def test_a_router_is_included_once_per_tree_and_never_in_itself() -> None:
    root, child = Router("root"), Router("child")
    root.include(child)
    with pytest.raises(ValueError, match="already included"):
        root.include(child)
    with pytest.raises(ValueError, match="cycle"):
        child.include(root)
    # another app may include the same capability router in its own tree
    Router("other-root").include(child)
