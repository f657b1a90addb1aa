"""Files on WeCom without the WeCom application: a signed download link served by the bot's
own web console, over real WebSockets (the emulator) and real HTTP (the console)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import App
from bot.catalogue import catalogue
from bot.channels.wecom import WeComChannel
from bot.channels.wecom_serve import WeComService, file_links
from bot.notices.buttons import answer_buttons
from bot.notices.draft import NoticeDraft
from bot.notices.rules import AttendanceMode, Audience, AudienceKind, MeetingKind
from bot.notices.service import create_notice, notice_rules, send_notice
from bot.types import OutDocument
from bot.web.app import build_web
from bot.web.files import FileLinks
from storage.columns import utcnow
from tests.channels import wecom_support
from tests.channels.test_wecom_flows import step
from tests.channels.wecom_support import verified
from tests.support.wecom_emulator import WeComEmulator

emu = wecom_support.emu  # fixtures
DOCUMENT = OutDocument(
    file_name="会议通知.ics", content=b"BEGIN:VCALENDAR", mime_type="text/calendar"
)
LINK = re.compile(r"\]\((https?://[^)\s]+/files/[^)\s]+)\)")


@pytest.fixture
def db_kind() -> str:
    return "sqlite"


@pytest.fixture
async def console(app: App) -> AsyncIterator[TestServer]:
    async with TestServer(build_web(app)) as server:
        yield server


async def _notice(app: App) -> None:
    now = utcnow()
    draft = NoticeDraft(
        kind=MeetingKind.PLENARY,
        title="市政协全体会议",
        starts_at=now + timedelta(days=10),
        place="市政协会议中心",
        mode=AttendanceMode.REQUIRED,
        reply_deadline=now + timedelta(days=7),
        audience=Audience(AudienceKind.ALL),
    )
    nid = await create_notice(app.db.session, draft, rules=notice_rules(), created_by="t")
    buttons = answer_buttons(app.services.signer, catalogue())
    await send_notice(app.db.session, nid, zone=app.settings.zone, buttons=buttons)


async def test_a_calendar_file_arrives_as_a_link_that_downloads_it(
    app: App, emu: WeComEmulator, console: TestServer
) -> None:
    await verified(app, "weiyuan0", name="委员0", phone="13900000100")
    links = FileLinks(
        db=app.db,
        signer=app.services.signer,
        base_url=str(console.make_url("/")),
        clock=app.services.clock,
    )
    channel = WeComChannel(config=wecom_support.config_for(emu), file_links=links)
    running = WeComService(app=app, channel=channel)
    await running.start()
    try:
        await _notice(app)
        running.worker.wake()
        await step(emu, "weiyuan0", press="加入日历", then="点击即可下载")
    finally:
        await running.stop()
    said = next(t for t in reversed(emu.texts("weiyuan0")) if "点击即可下载" in t)
    assert "24 小时内有效" in said and not emu.app_files
    [url] = LINK.findall(said)
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as r:
            assert r.status == 200
            body = await r.read()
            assert b"BEGIN:VCALENDAR" in body and "市政协全体会议".encode() in body
        mangled = url[:-1] + ("A" if url[-1] != "A" else "B")
        async with http.get(mangled) as r:
            assert r.status == 403 and "下载链接无效" in await r.text()


async def test_file_links_are_on_exactly_when_public_url_is_set(app: App) -> None:
    assert file_links(app) is None
    app.settings = app.settings.model_copy(update={"public_url": "https://zx.example.gov.cn/"})
    links = file_links(app)
    assert isinstance(links, FileLinks)
    url = await links.publish("wecom", "weiyuan0", DOCUMENT)
    assert url.startswith("https://zx.example.gov.cn/files/") and "//files" not in url
