"""Fixtures shared by the WeCom channel tests: the emulator, a started service, members."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import App
from bot.channels.wecom import WeComChannel, WeComConfig
from bot.channels.wecom_serve import WeComService
from storage.roster import Roster
from storage.tables import Member
from tests.support.chat import add_member
from tests.support.wecom_emulator import WeComEmulator

__all__ = ["config_for", "emu", "invite_code", "service", "start_service", "verified"]


def config_for(emu: WeComEmulator, *, secret: str | None = None) -> WeComConfig:
    return WeComConfig(
        bot_id=emu.bot_id,
        secret=emu.secret if secret is None else secret,
        ws_url=emu.ws_url,
        max_upload_bytes=1024 * 1024,
        retry_seconds=0.2,
        heartbeat_seconds=1.0,
        reconnect_base_seconds=0.05,
        start_timeout=5.0,
    )


async def start_service(app: App, emu: WeComEmulator) -> WeComService:
    service = WeComService(app=app, channel=WeComChannel(config=config_for(emu)))
    await service.start()
    return service


@pytest.fixture
async def emu() -> AsyncIterator[WeComEmulator]:
    async with WeComEmulator() as emulator:
        yield emulator


@pytest.fixture
async def service(app: App, emu: WeComEmulator) -> AsyncIterator[WeComService]:
    running = await start_service(app, emu)
    yield running
    await running.stop()


async def verified(
    app: App,
    userid: str,
    *,
    name: str = "张委员",
    phone: str = "13900000001",
    roles: str = "member",
) -> Member:
    member = await add_member(app, name=name, phone=phone, roles=roles)
    async with app.db.session() as session:
        await Roster(session).bind(
            member, platform="wecom", user_id=userid, chat_id=userid, via="test"
        )
    return member


async def invite_code(app: App, member: Member) -> str:
    async with app.db.session() as session:
        invite = await Roster(session).new_invite(member, ttl=timedelta(hours=1), created_by="t")
    return invite.code
