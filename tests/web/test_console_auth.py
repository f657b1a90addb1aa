"""Signing in to the console: one-time links, cookies, CSRF and roles (SQLite and PostgreSQL)."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlmodel import select

from bot.app import App
from bot.daily_jobs import WebLoginPruning
from bot.scheduling import scheduled_tasks
from storage.roster import Roster
from storage.tables import AuditEntry, Member, WebLoginToken, WebSession
from tests.support.chat import FakeClock
from tests.web.conftest import log_in
from tests.web.support import login_token, submitted

PAGES = [
    "/",
    "/proposals",
    "/proposals/1",
    "/notices",
    "/notices/1",
    "/members",
    "/members/1",
    "/stats",
    "/audit",
    "/reports",
    "/reading",
    "/ask",
    "/proposals/export.xlsx",
]


async def test_without_a_session_every_page_goes_to_the_login_page_and_shows_no_member(
    client: TestClient,
    app: App,
    people: dict[str, Member],  # type: ignore[type-arg]
) -> None:
    await submitted(app, people["member"])
    for path in PAGES:
        r = await client.get(path, allow_redirects=False)
        assert r.status == 303 and r.headers["Location"] == "/login", path
        assert "王芳" not in await r.text()
    r = await client.post("/proposals/1/register", allow_redirects=False)
    assert r.status == 303 and r.headers["Location"] == "/login"
    page = await client.get("/login")
    text = await page.text()
    assert "/web" in text and "王芳" not in text and "提案</a>" not in text
    # a forged cookie is no session either
    client.session.cookie_jar.update_cookies({"cb_session": "forged"})
    r = await client.get("/members", allow_redirects=False)
    assert r.status == 303


async def test_a_login_link_works_once_sets_a_safe_cookie_and_is_stored_hashed(
    client: TestClient,
    app: App,
    people: dict[str, Member],  # type: ignore[type-arg]
) -> None:
    token = await login_token(app, people["clerk"])
    async with app.db.session() as s:
        stored = list(await s.exec(select(WebLoginToken)))
    assert len(stored) == 1 and token not in stored[0].token_hash
    shown = await client.get(f"/login/{token}")  # a chat preview fetching it spends nothing
    assert "进入工作台" in await shown.text()
    r = await client.post("/login", data={"token": token}, allow_redirects=False)
    assert r.status == 303 and r.headers["Location"] == "/proposals"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    page = await client.get("/proposals")
    html = await page.text()
    for label in ("提案", "社情民意", "通知", "读书", "委员", "问答", "统计", "日志"):
        assert f">{label}</a>" in html
    assert "秘书处小李" in html
    # the same link again, from another browser
    client.session.cookie_jar.clear()
    again = await client.post("/login", data={"token": token}, allow_redirects=False)
    assert again.status == 400 and "已经用过" in await again.text()
    assert (await client.get("/proposals", allow_redirects=False)).status == 303


async def test_an_expired_or_unknown_link_is_refused_in_chinese(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    token = await login_token(app, people["clerk"])
    clock.advance(minutes=16)
    r = await client.post("/login", data={"token": token})
    assert r.status == 400 and "已过期" in await r.text()
    r = await client.post("/login", data={"token": "not-a-token"})
    assert r.status == 400 and "无效" in await r.text()


async def test_a_member_without_a_secretariat_role_cannot_get_in(
    client: TestClient,
    app: App,
    people: dict[str, Member],  # type: ignore[type-arg]
) -> None:
    from bot.errors import UserError
    from bot.web.links import issue_login_url

    async with app.db.session() as s:
        try:
            await issue_login_url(s, people["member"], base="http://x", created_by="t")
            raise AssertionError("a member got a login link")
        except UserError as exc:
            assert exc.key == "web.cli_not_staff"
    # a link made for them some other way still does not open the console
    token = await login_token(app, people["member"])
    r = await client.post("/login", data={"token": token}, allow_redirects=False)
    assert r.status == 400 and "没有秘书处角色" in await r.text()


async def test_roles_are_checked_on_every_request_and_logout_ends_the_session(
    client: TestClient,
    app: App,
    people: dict[str, Member],  # type: ignore[type-arg]
) -> None:
    csrf = await log_in(client, app, people["clerk"])
    async with app.db.session() as s:
        clerk = await Roster(s).get(int(people["clerk"].id or 0))
        assert clerk is not None
        clerk.roles = "member"
        s.add(clerk)
    r = await client.get("/members")
    assert r.status == 403 and "没有秘书处权限" in await r.text()
    async with app.db.session() as s:
        clerk = await Roster(s).get(int(people["clerk"].id or 0))
        assert clerk is not None
        clerk.roles = "secretariat"
        s.add(clerk)
    assert (await client.get("/members")).status == 200
    r = await client.post("/logout", data={"_csrf": csrf}, allow_redirects=False)
    assert r.status == 303
    assert (await client.get("/members", allow_redirects=False)).status == 303
    async with app.db.session() as s:
        actions = [e.action for e in await s.exec(select(AuditEntry))]
    assert "web.login" in actions and "web.logout" in actions


async def test_a_post_without_or_with_a_forged_csrf_token_changes_nothing(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    staff: str,  # type: ignore[type-arg]
) -> None:
    pid = await submitted(app, people["member"])
    for data in ({}, {"_csrf": "forged"}):
        r = await client.post(f"/proposals/{pid}/register", data=data)
        assert r.status == 403 and "请求来源不明" in await r.text()
    r = await client.post(f"/proposals/{pid}/register", headers={"X-CSRF-Token": "forged"})
    assert r.status == 403
    page = await client.get(f"/proposals/{pid}")
    assert "已提交" in await page.text()
    r = await client.post(
        f"/proposals/{pid}/register", data={"_csrf": staff}, allow_redirects=False
    )
    assert r.status == 303


async def test_daily_housekeeping_deletes_dead_login_links_and_sessions_only(
    client: TestClient,
    app: App,
    people: dict[str, Member],
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    await log_in(client, app, people["clerk"])
    await login_token(app, people["clerk2"])  # never used
    clock.advance(days=40)
    client.session.cookie_jar.clear()
    await log_in(client, app, people["clerk"])  # today's session and its link
    prune = scheduled_tasks(app)["prune_web_logins"]
    assert isinstance(prune, WebLoginPruning)
    await prune.daily(clock.now)
    async with app.db.session() as s:
        links = list(await s.exec(select(WebLoginToken)))
        sessions = list(await s.exec(select(WebSession)))
    assert prune.forgotten == 3 and len(links) == 1 and len(sessions) == 1
    page = await client.get("/proposals", allow_redirects=False)
    assert page.status == 200 and "秘书处小李" in await page.text()
