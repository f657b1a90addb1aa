"""The scheduler task for meeting reminders (see bot.scheduler.Task).

The notices are the truth: each pass asks ``send_due_reminders`` to queue what is due (to
members who have not answered, ``unanswered_hours_before_deadline`` before the deadline;
to those attending, the day before the meeting) and returns the next reminder's moment as
the next wake. Dedupe keys per notice, reminder kind and member make a repeated or late
pass harmless; after a restart the start-up pass catches up on what fell due meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.notices.rules import NoticeRules
from bot.notices.service import Buttons, next_reminder_at, no_buttons, send_due_reminders
from storage.db import Database

__all__ = ["MeetingReminders"]


class MeetingReminders:
    def __init__(
        self,
        *,
        db: Database,
        rules: NoticeRules,
        zone: ZoneInfo,
        buttons: Buttons = no_buttons,
        on_enqueued: Callable[[], None] = lambda: None,
    ) -> None:
        self.db = db
        self.rules = rules
        self.zone = zone
        self.buttons = buttons
        self.on_enqueued = on_enqueued
        self.queued = 0

    async def start(self, now: datetime) -> None:
        return None

    async def daily(self, now: datetime) -> None:
        return None

    async def run(self, now: datetime) -> datetime | None:
        added = await send_due_reminders(
            self.db.session, rules=self.rules, zone=self.zone, now=now, buttons=self.buttons
        )
        if added:
            self.queued += added
            self.on_enqueued()
        return await next_reminder_at(self.db.session, rules=self.rules, zone=self.zone, now=now)
