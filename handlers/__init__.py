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
        proposals,
        reading,
        record,
        secretariat_inbox,
        web,
    )

    return [
        onboarding.router,
        menu.router,
        *proposals.routers(),
        notices.router,
        reading.router,  # members' reading and /reading_admin
        record.router,
        secretariat_inbox.router,
        web.router,  # /web: the console's login link for staff
        ask.router,  # last: its fallback takes free text outside a flow as a question
    ]
