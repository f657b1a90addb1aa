"""One error tree for the whole bot.

    CommitteeBotError
    ├── ConfigError            bad or missing settings; the CLI prints one line and exits
    ├── UserError              a member-facing refusal; carries a catalogue key, not a sentence
    │   └── AccessDenied       the member's roles do not allow the action
    ├── PayloadError           a button payload that is forged, foreign or stale
    └── ChannelError           a platform failed to deliver; adapters translate into these
        ├── RetryAfter         the platform asked us to wait (429)
        ├── Unreachable        the member blocked the bot or the chat is gone (403, 400 chat not found)
        └── TransientError     5xx, timeouts, dropped connections: retry with backoff

Adapters (channels, storage, LLM) translate foreign exceptions in one place with
``raise ... from exc`` so nothing foreign leaks across a boundary.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccessDenied",
    "ChannelError",
    "CommitteeBotError",
    "ConfigError",
    "PayloadError",
    "RetryAfter",
    "TransientError",
    "Unreachable",
    "UserError",
]


class CommitteeBotError(Exception):
    """Root of every error this package raises on purpose."""


class ConfigError(CommitteeBotError):
    """Settings are missing, malformed or contradict each other.

    ``key`` names a catalogue entry (``config.*``) filled with ``params``; the IT person
    reads it in Chinese. A raise site not yet moved to the catalogue passes its sentence as
    the key, and that sentence is shown as it is."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        from bot.catalogue import catalogue  # at the moment of showing: errors import nothing

        texts = catalogue()
        return texts.s(self.key, **self.params) if self.key in texts else self.key


class UserError(CommitteeBotError):
    """A refusal the member should read: ``key`` names a catalogue entry."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class AccessDenied(UserError):
    def __init__(self, key: str = "core.access_denied", **params: Any) -> None:
        super().__init__(key, **params)


class PayloadError(CommitteeBotError):
    """A button payload failed verification; ``key`` says which catalogue text to show."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class ChannelError(CommitteeBotError):
    """A platform could not deliver a message."""


class RetryAfter(ChannelError):
    def __init__(self, seconds: float, *, chat_id: str | None = None) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds
        self.chat_id = chat_id


class Unreachable(ChannelError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientError(ChannelError):
    pass
