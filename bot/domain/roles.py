"""Roles and what they imply. Pure logic: no ORM, no platform."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

__all__ = [
    "ANYONE",
    "MEMBERS",
    "ROLE_WORDS",
    "SECRETARIAT",
    "Role",
    "expand",
    "format_roles",
    "parse_role_words",
    "parse_roles",
]


class Role(StrEnum):
    MEMBER = "member"  # 委员
    STANDING = "standing"  # 常委
    SECRETARIAT = "secretariat"  # 秘书处工作人员
    ADMIN = "admin"  # 管理员


# Who may use a command, an action or a flow (``bot.router`` re-exports these).
MEMBERS = frozenset({Role.MEMBER, Role.SECRETARIAT})  # staff may also use member features
SECRETARIAT = frozenset({Role.SECRETARIAT})
ANYONE = frozenset[Role]()  # no role needed (strangers included)


# Words a roster may use in 职务/角色; several may be combined with 、，, / or spaces.
_M, _S, _SEC, _A = Role.MEMBER, Role.STANDING, Role.SECRETARIAT, Role.ADMIN
ROLE_WORDS: dict[str, tuple[Role, ...]] = {
    "委员": (_M,),
    "member": (_M,),
    "常委": (_S,),
    "常务委员": (_S,),
    "主席": (_S,),
    "副主席": (_S,),
    "standing": (_S,),
    "秘书长": (_S, _SEC),
    "副秘书长": (_S, _SEC),
    "秘书处": (_SEC,),
    "工作人员": (_SEC,),
    "秘书处工作人员": (_SEC,),
    "secretariat": (_SEC,),
    "管理员": (_A,),
    "admin": (_A,),
}


def expand(roles: Iterable[Role]) -> frozenset[Role]:
    """A standing member is also a member; an admin can do what the secretariat does."""
    out = set(roles)
    if Role.STANDING in out:
        out.add(Role.MEMBER)
    if Role.ADMIN in out:
        out.add(Role.SECRETARIAT)
    return frozenset(out)


def parse_roles(stored: str) -> frozenset[Role]:
    """Roles as stored on the member row (comma-separated values)."""
    return expand(Role(part) for part in stored.split(",") if part)


def format_roles(roles: Iterable[Role]) -> str:
    order = list(Role)
    # Sorted apart from the join: inside it mypy would infer ``sorted`` over str, not Role.
    ordered = sorted({Role(r) for r in roles}, key=order.index)
    return ",".join(ordered)


def parse_role_words(text: str) -> frozenset[Role] | None:
    """Roster words to roles; None if any word is unknown. Empty means plain member."""
    words = [w for w in re.split(r"[、,，/／;；\s]+", text.strip()) if w]
    if not words:
        return frozenset({Role.MEMBER})
    roles: set[Role] = set()
    for word in words:
        found = ROLE_WORDS.get(word.lower())
        if found is None:
            return None
        roles.update(found)
    return frozenset(roles)
