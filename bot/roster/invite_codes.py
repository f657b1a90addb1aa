"""Invite codes: how they are made and what a stranger's text must look like to be one.

Only text shaped like a generated code is checked against the invites (and counted as a
failed attempt when wrong): a stranger's greeting ("你好，我是委员", "hello123") is not a guess
at a code and must not slow anyone down or feed the burst alarm.
"""

from __future__ import annotations

import re
import secrets
from typing import Literal

__all__ = ["CODE_LENGTH", "INVITE_ALPHABET", "CodeShape", "code_shape", "new_code"]

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_DIGITS = "23456789"
_LETTERS = "".join(c for c in INVITE_ALPHABET if c not in _DIGITS)
_IN_ALPHABET = re.compile(f"^[{INVITE_ALPHABET}]{{{CODE_LENGTH}}}$")
_CODE_LIKE = re.compile(f"^[A-Z0-9]{{{CODE_LENGTH}}}$")
_SEPARATORS = re.compile(r"[\s\-]")

# "code": may be an invite, check it; "miss": shaped like one but outside the alphabet, so it
# cannot be one (a typo such as O for 0) and needs no lookup; "text": ordinary text.
CodeShape = Literal["code", "miss", "text"]


def new_code() -> str:
    """A fresh code with at least one digit and one letter, so it never reads as a word."""
    while True:
        code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(CODE_LENGTH))
        if any(c in _DIGITS for c in code) and any(c in _LETTERS for c in code):
            return code


def code_shape(text: str, *, explicit: bool = False) -> tuple[CodeShape, str]:
    """What ``text`` is, with the normalised code (upper case, spaces and dashes dropped).

    ``explicit``: the text came as a code for sure (a ``/start CODE`` deep link), so a code
    without a digit (issued before codes always had one) is still a code.
    """
    raw = text.strip()
    if not raw.isascii():
        return "text", raw
    candidate = _SEPARATORS.sub("", raw).upper()
    if len(candidate) != CODE_LENGTH or len(raw) > CODE_LENGTH + 2:
        return "text", raw
    has_digit = any(c.isdigit() for c in candidate)
    has_letter = any(c.isalpha() for c in candidate)
    if not explicit and not (has_digit and has_letter):
        return "text", raw  # a plain word or a number, not a code
    if _IN_ALPHABET.match(candidate):
        return "code", candidate
    if _CODE_LIKE.match(candidate):
        return "miss", candidate
    return "text", raw
