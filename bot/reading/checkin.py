"""When a member may check in (打卡) to a reading session: a window around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

__all__ = ["CheckinWindow", "WindowState"]


class WindowState(StrEnum):
    EARLY = "early"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckinWindow:
    """Open from ``before`` the start until ``after`` the end of the occurrence.

    The defaults let a member check in while arriving and, for an online session, a while
    after it ends (people check in from the train home); not the next day.
    """

    before: timedelta = timedelta(minutes=30)
    after: timedelta = timedelta(hours=2)

    def opens(self, start: datetime) -> datetime:
        return start - self.before

    def closes(self, end: datetime) -> datetime:
        return end + self.after

    def state(self, *, start: datetime, end: datetime, now: datetime) -> WindowState:
        if now < self.opens(start):
            return WindowState.EARLY
        if now > self.closes(end):
            return WindowState.CLOSED
        return WindowState.OPEN
