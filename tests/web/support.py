"""Helpers for the console tests: a seeded committee, logging in, the CSRF token of a page."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.app import App
from bot.proposals.office import Office
from storage.proposals import Proposals
from storage.tables import Member
from storage.web import WebAuth
from tests.support.chat import add_member
from tests.support.proposal_texts import GOOD_PROPOSAL, PARKING_PROPOSAL

__all__ = ["csrf_of", "login_token", "office_of", "seed_committee", "submitted"]

CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


async def seed_committee(app: App) -> dict[str, Member]:
    people = {
        "clerk": await add_member(app, name="秘书处小李", phone="13900000099", roles="secretariat"),
        "clerk2": await add_member(
            app, name="秘书处小王", phone="13900000098", roles="secretariat"
        ),
        "member": await add_member(app, name="王芳", phone="13800000001", sector="教育界"),
        "other": await add_member(app, name="李强", phone="13800000002", sector="经济界"),
    }
    return people


async def submitted(
    app: App, author: Member, *, parking: bool = False, at: datetime | None = None
) -> int:
    text = PARKING_PROPOSAL if parking else GOOD_PROPOSAL
    async with app.db.session() as s:
        repo = Proposals(s)
        row = await repo.new_draft(author, at=at)
        await repo.save_draft(
            row,
            title=text.title,
            field=text.field,
            situation=text.situation,
            suggestions=text.suggestions,
        )
        await repo.submit(row, at=at)
        assert row.id is not None
        return row.id


def office_of(app: App, session: AsyncSession, *, actor: Member | None = None) -> Office:
    """The secretariat's Office over ``session``, as chat, console and CLI build it."""
    return Office(
        session=session,
        catalogue=app.services.catalogue,
        signer=app.services.signer,
        zone=app.settings.zone,
        actor=actor,
    )


async def login_token(app: App, member: Member) -> str:
    async with app.db.session() as s:
        return await WebAuth(s).new_login_token(member, created_by="test")
