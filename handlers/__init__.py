"""What the bot does, one module per capability, each exposing ``router``.

The order here is the order of the menu and of free-text fallbacks.
"""

from __future__ import annotations

from bot.router import Router

__all__ = ["all_routers"]


def all_routers() -> list[Router]:
    from handlers import (
        ask,
        menu,
        notices,
        onboarding,
        proposal,
        proposal_review,
        reading,
        reading_admin,
        record,
        report,
        secretariat_inbox,
    )

    return [
        onboarding.router,
        menu.router,
        proposal.router,
        proposal_review.router,
        report.router,
        notices.router,
        reading.router,
        reading_admin.router,
        record.router,
        secretariat_inbox.router,
        ask.router,  # last: its fallback takes free text outside a flow as a question
    ]
