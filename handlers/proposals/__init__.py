"""Proposals (提案) and public-opinion reports (社情民意) in chat: drafting through the one
drafting engine, co-signing, the member's list and ratings, the secretariat's review.

Handlers here; services and rules in ``bot/proposals/`` (the engine is
``bot/proposals/drafting.py``); storage in ``storage/proposals.py`` (tables in
``storage/tables/proposals.py``).

- ``drafting.py``: the proposal kind (写提案, ``/drafts``), with ``findings.py`` (checks),
  ``cosigning.py`` (联名) and ``assist.py`` (a model's help)
- ``mine.py``: ``/myproposals``, history, DOCX, rating the answer
- ``review.py``: the secretariat's ``/review`` (立案, 不予立案, 并案, 交办, 答复);
  ``overdue.py``: ``/overdue`` with 催办 and 延期; ``excellence.py``: ``/excellent`` (优秀提案)
- ``reports.py``: the report kind (``/report``, ``/myreports``); ``report_review.py``: ``/reports``
"""

from __future__ import annotations

from bot.router import Router

__all__ = ["routers"]


def routers() -> list[Router]:
    """The capability's routers, in menu order."""
    from handlers.proposals import (
        cosigning,
        drafting,
        excellence,
        mine,
        overdue,
        report_review,
        reports,
        review,
    )

    return [
        drafting.router,
        cosigning.router,
        mine.router,
        review.router,
        overdue.router,
        excellence.router,
        reports.router,
        report_review.router,
    ]
