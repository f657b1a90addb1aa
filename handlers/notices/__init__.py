"""会议通知 in chat: members answer, check in and see their meetings (answers.py, meetings.py);
the secretariat composes, follows and corrects notices (compose.py, attendance.py, corrections.py).

Services and rules: bot/notices/; storage: storage/notices.py. Member buttons under a notice
(``notice.attend`` / ``notice.leave`` / ``notice.decline`` / ``notice.checkin`` /
``notice.ics``) are signed for that member and that notice and checked again on arrival.
"""

from __future__ import annotations

from bot.router import Router
from handlers.notices import answers, attendance, compose, corrections, meetings

__all__ = ["router"]

router = Router("notices").include(
    answers.router, meetings.router, compose.router, attendance.router, corrections.router
)
