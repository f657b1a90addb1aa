"""The signed buttons under a notice (a member's answers) and under its status message (the
clerk's progress, counts, correct, cancel); the chat handlers, the CLI and the scheduler
build the same ones."""

from __future__ import annotations

from bot.callbacks import Signer
from bot.catalogue import Catalogue
from bot.notices.progress import StatusButtons
from bot.notices.rules import AttendanceMode, NoticeStatus
from bot.notices.service import Buttons
from bot.types import Button
from storage.tables import Notice

__all__ = ["answer_buttons", "status_buttons"]


def answer_buttons(signer: Signer, cat: Catalogue) -> Buttons:
    """Signed answer buttons for one member under one notice (used by the CLI too)."""

    def build(notice: Notice, member_id: int) -> tuple[tuple[Button, ...], ...]:
        subject = f"m{member_id}"
        nid = int(notice.id or 0)

        def button(label: str, action: str) -> Button:
            return Button(label=cat.t(label), action=signer.sign(subject, action, (nid,)))

        row = [
            button("notices.btn_attend", "notice.attend"),
            button("notices.btn_leave", "notice.leave"),
        ]
        if notice.mode == AttendanceMode.SIGNUP:
            row.append(button("notices.btn_decline", "notice.decline"))
        return (tuple(row), (button("notices.btn_ics", "notice.ics"),))

    return build


def status_buttons(signer: Signer, cat: Catalogue) -> StatusButtons:
    """The buttons under a notice's status message, for the clerk who sent it."""

    def build(notice: Notice) -> tuple[tuple[Button, ...], ...]:
        subject = f"m{notice.created_by_member_id}"
        nid = int(notice.id or 0)

        def button(label: str, action: str) -> Button:
            return Button(label=cat.t(label), action=signer.sign(subject, action, (nid,)))

        rows: list[tuple[Button, ...]] = [(button("notices.btn_progress", "notice.progress"),)]
        rows[0] += (button("notices.btn_counts", "notice.counts"),)
        if NoticeStatus(notice.status).is_live:
            rows.append(
                (
                    button("notices.btn_correct", "notice.correct"),
                    button("notices.btn_cancel", "notice.cancel"),
                )
            )
        return tuple(rows)

    return build
