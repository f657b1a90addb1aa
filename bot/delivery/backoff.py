"""Retry timing for 5xx and network failures: exponential backoff with jitter, capped."""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["RetryPolicy"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    base_seconds: float = 2.0
    factor: float = 2.0
    cap_seconds: float = 300.0
    max_attempts: int = 8
    jitter: float = 0.2  # up to +20%, so many failed rows do not retry in lockstep

    def delay(self, attempt: int) -> float:
        """Seconds to wait after the ``attempt``-th failed try (1-based)."""
        raw = min(self.cap_seconds, self.base_seconds * self.factor ** max(0, attempt - 1))
        return raw * (1 + self.jitter * random.random())

    def gives_up(self, attempt: int) -> bool:
        return attempt >= self.max_attempts
