"""Mainland mobile numbers as rosters write them: spaces, dashes, +86 prefixes."""

from __future__ import annotations

import re

__all__ = ["normalize_phone"]

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(raw: str | None) -> str | None:
    """The bare 11-digit number, or None if it is not a mainland mobile number."""
    if raw is None:
        return None
    digits = str(raw).strip()
    if digits.endswith(".0"):  # spreadsheets turn numbers into floats
        digits = digits[:-2]
    digits = re.sub(r"[\s\-()（）]", "", digits)
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    return digits if _MOBILE.match(digits) else None
