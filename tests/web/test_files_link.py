"""Files by signed download link (``/files/{token}``): served without a login to whoever
holds a genuine, unexpired link; forged and expired links get a Chinese page (SQLite and
PostgreSQL); the daily housekeeping deletes a stored file a day after its link expired."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from aiohttp.test_utils import TestClient
from sqlmodel import select

from bot.app import App
from bot.daily_jobs import FileLinkPruning
from bot.scheduling import scheduled_tasks
from bot.types import OutDocument
from bot.web.files import FileLinks, link_token
from storage.outbox import Outbox
from storage.tables import OutboxMessage
from tests.support.chat import FakeClock

DOCX = OutDocument(
    file_name="关于加强托育服务的提案.docx",
    content=b"PK\x03\x04 a proposal",
    mime_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)


def _links(app: App) -> FileLinks:
    return FileLinks(
        db=app.db,
        signer=app.services.signer,
        base_url="https://bot.example.org/",
        clock=app.services.clock,
    )


def _path(url: str) -> str:
    assert url.startswith("https://bot.example.org/files/"), url
    return urlsplit(url).path


async def test_a_link_downloads_the_file_without_a_login(
    client: TestClient,
    app: App,  # type: ignore[type-arg]
) -> None:
    path = _path(await _links(app).publish("wecom", "zhangsan", DOCX))
    r = await client.get(path, allow_redirects=False)
    assert r.status == 200
    assert await r.read() == DOCX.content
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("UTF-8''", 1)[1]) == DOCX.file_name
    # Nothing for the outbox worker to send: the stored file is not a message.
    async with app.db.session() as session:
        assert await Outbox(session).next_due_at(["wecom"]) is None


async def test_a_forged_or_mangled_link_is_refused_with_a_chinese_page(
    client: TestClient,
    app: App,  # type: ignore[type-arg]
) -> None:
    links = _links(app)
    path = _path(await links.publish("wecom", "zhangsan", DOCX))
    other = _path(await links.publish("wecom", "lisi", DOCX))
    row_id, expires, signature = path.removeprefix("/files/").split("-", 2)
    other_id = other.removeprefix("/files/").split("-", 1)[0]
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    forged = [
        f"/files/{row_id}-{expires}-{flipped}",  # a guessed signature
        f"/files/{other_id}-{expires}-{signature}",  # another row under this signature
        f"/files/{row_id}-{int(expires) + 86400}-{signature}",  # a longer life
        f"/files/{row_id}-{expires}",
        "/files/..%2F..%2Fetc%2Fpasswd",
        "/files/" + "9" * 200,
    ]
    for bad in forged:
        r = await client.get(bad, allow_redirects=False)
        text = await r.text()
        assert r.status == 403, bad
        assert "下载链接无效" in text and DOCX.content.decode(errors="ignore") not in text


async def test_an_expired_link_or_one_naming_no_stored_file_is_gone(
    client: TestClient,
    app: App,
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    links = _links(app)
    path = _path(await links.publish("wecom", "zhangsan", DOCX))
    clock.advance(hours=23)
    assert (await client.get(path)).status == 200
    clock.advance(hours=2)
    r = await client.get(path)
    assert r.status == 410 and "下载链接已过期" in await r.text()
    # A genuine signature over a row that is a queued message, not a stored file.
    async with app.db.session() as session:
        row = await Outbox(session).enqueue(
            platform="wecom",
            chat_id="zhangsan",
            payload={},
            document_name="x.docx",
            document=b"queued",
        )
        assert row is not None
        await session.flush()
        assert row.id is not None
        queued_id = row.id
    expires = int(app.services.clock().timestamp()) + 3600
    r = await client.get(f"/files/{link_token(app.services.signer, queued_id, expires)}")
    assert r.status == 410 and b"queued" not in await r.read()


async def test_daily_housekeeping_deletes_documents_whose_link_expired_over_a_day_ago(
    client: TestClient, app: App, clock: FakeClock
) -> None:
    links = _links(app)
    old = _path(await links.publish("wecom", "zhangsan", DOCX))
    clock.advance(hours=20)
    recent = _path(await links.publish("wecom", "lisi", DOCX))  # expired 4 hours before prune
    clock.advance(hours=28)  # old: expired 24 hours + a moment ago
    clock.advance(seconds=1)
    fresh = _path(await links.publish("wecom", "wangwu", DOCX))
    prune = scheduled_tasks(app)["prune_file_links"]
    assert isinstance(prune, FileLinkPruning)
    await prune.daily(clock.now)
    async with app.db.session() as session:
        kept = {
            row.chat_id
            for row in await session.exec(
                select(OutboxMessage).where(OutboxMessage.kind == "file_link")
            )
        }
    assert kept == {"lisi", "wangwu"} and prune.forgotten == 1
    r = await client.get(fresh)
    assert r.status == 200 and await r.read() == DOCX.content
    for gone in (old, recent):  # deleted or not, an expired link says so in Chinese
        r = await client.get(gone)
        assert r.status == 410 and "下载链接已过期" in await r.text()
