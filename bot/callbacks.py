"""Signed button payloads: every button a member can press is checked again on arrival.

Format (at most 64 bytes, Telegram's limit): ``name|arg,arg|rev|sig``. The signature binds
the payload to its recipient (``m<member id>``, or ``u<platform user id>`` before
verification) and, for flow buttons, to the conversation revision it was shown at, so a
button from someone else's chat is *forged* and one from an earlier step is *stale*.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from bot.errors import PayloadError

__all__ = ["MAX_PAYLOAD_BYTES", "Action", "Signer"]

MAX_PAYLOAD_BYTES = 64
_SIG_CHARS = 10  # 60 bits: forging by guessing is hopeless within any rate limit


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    args: tuple[str, ...]
    rev: int | None


class Signer:
    def __init__(self, *, key: bytes) -> None:
        self._key = key

    def sign(
        self, subject: str, name: str, args: Sequence[str | int] = (), rev: int | None = None
    ) -> str:
        parts = [str(a) for a in args]
        for part in [name, *parts]:
            if any(ch in part for ch in "|,") or not part:
                raise ValueError(f"payload part {part!r} is empty or holds a separator")
        body = f"{name}|{','.join(parts)}|{'' if rev is None else rev}"
        payload = f"{body}|{self._mac(subject, body)}"
        if len(payload.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"button payload too long for Telegram: {payload!r}")
        if not payload.isascii() or not payload.isprintable():
            raise ValueError(f"button payload must be printable ASCII: {payload!r}")
        return payload

    def verify(self, subject: str, payload: str) -> Action:
        """The action, or ``PayloadError('core.button_forged')``.

        Anything a client can put in callback data arrives here: non-ASCII text, a
        truncated or overlong payload, a wrong signature. Every such payload is refused the
        same polite way; nothing in it is trusted before the signature matches, and the
        signature is compared as bytes (``compare_digest`` raises on non-ASCII ``str``).
        """
        if (
            not payload
            or len(payload) > MAX_PAYLOAD_BYTES
            or not payload.isascii()
            or not payload.isprintable()
        ):
            raise PayloadError("core.button_forged")
        parts = payload.split("|")
        if len(parts) != 4:
            raise PayloadError("core.button_forged")
        name, args, rev, sig = parts
        body = f"{name}|{args}|{rev}"
        if not hmac.compare_digest(sig.encode(), self._mac(subject, body).encode()):
            raise PayloadError("core.button_forged")
        if not name or (rev and not rev.isdecimal()):
            raise PayloadError("core.button_forged")
        return Action(
            name=name,
            args=tuple(args.split(",")) if args else (),
            rev=int(rev) if rev else None,
        )

    def _mac(self, subject: str, body: str) -> str:
        digest = hmac.new(self._key, f"{subject}|{body}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:_SIG_CHARS]
