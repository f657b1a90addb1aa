"""The console in a real headless Chromium: a clerk signs in with a one-time link, reviews a
proposal, composes and sends a notice, handles attendance, previews a roster import and
looks at the statistics. Screenshots go to CONSOLE_SCREENSHOTS_DIR when it is set."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.notices.rules import Answer
from storage.notices import NoticesRepo
from tests.support.chat import add_member
from tests.web.browser import ConsoleServer, browser_or_skip, chromium
from tests.web.support import login_token, submitted

pytestmark = pytest.mark.slow
SHOTS = os.environ.get("CONSOLE_SCREENSHOTS_DIR")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ConsoleServer]:
    browser_or_skip()
    console = ConsoleServer(tmp_path)
    console.start()
    yield console
    console.stop()


def _shot(driver: Any, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    driver.save_screenshot(str(path))
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(SHOTS) / path.name)


def _wait_text(driver: Any, text: str, timeout: float = 15) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    # A click starts a navigation: an element handle to the old page's body may go stale (or,
    # in newer Chromium, "not belong to the document") while it is read. One script call reads
    # whichever page is current, and a read caught mid-navigation is simply tried again.
    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(
        lambda d: (
            text in (d.execute_script("return document.body ? document.body.innerText : ''") or "")
        ),
        message=f"page never showed {text!r}",
    )


async def _named(app: Any, name: str) -> int:
    from storage.roster import Roster

    async with app.db.session() as s:
        return len(await Roster(s).by_name(name))


def test_a_clerk_works_through_the_console_in_a_real_browser(
    server: ConsoleServer, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    app = server.app_or_fail
    clerk = server.run(add_member(app, name="秘书处小李", phone="13900000099", roles="secretariat"))
    wang = server.run(add_member(app, name="王芳", phone="13800000001", sector="教育界"))
    li = server.run(add_member(app, name="李强", phone="13800000002", sector="经济界"))
    pid = server.run(submitted(app, wang))
    server.run(submitted(app, li, parking=True))
    token = server.run(login_token(app, clerk))

    with chromium(tmp_path / "profile") as driver:
        # without a session: the login page, no member data
        driver.get(server.url + "/members")
        _wait_text(driver, "登录秘书处工作台")
        assert "王芳" not in driver.page_source
        # the one-time link signs in (its page posts itself)
        driver.get(f"{server.url}/login/{token}")
        _wait_text(driver, "提案队列")
        nav = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "header nav a")]
        assert nav == ["提案", "社情民意", "通知", "读书", "委员", "问答", "统计", "日志"]
        assert "关于缓解老旧小区停车难问题的提案" in driver.page_source
        _shot(driver, tmp_path, "queue")

        # review a proposal: its whole text, then 立案
        driver.find_element(By.LINK_TEXT, "关于加快发展普惠托育服务的提案").click()
        _wait_text(driver, "具体建议")
        assert "托育用房纳入新建住宅小区配套设施建设标准" in driver.page_source
        _shot(driver, tmp_path, "proposal")
        driver.find_element(By.ID, "do-register").click()
        _wait_text(driver, "已立案，提案人已收到通知")
        assert driver.find_element(By.ID, "proposal-status").text.startswith("已立案")
        assert driver.current_url.endswith(f"/proposals/{pid}?done=register")

        # compose and send a notice to 教育界
        driver.find_element(By.LINK_TEXT, "通知").click()
        driver.find_element(By.ID, "compose").click()
        _wait_text(driver, "发送对象")
        driver.find_element(By.ID, "title").send_keys("教育界委员座谈会")
        driver.find_element(By.ID, "place").send_keys("二楼会议室")
        zone = app.settings.zone
        now = app.services.clock().astimezone(zone)
        for field, days in (("starts_at", 10), ("reply_deadline", 7)):
            value = (now + timedelta(days=days)).strftime("%Y-%m-%dT09:00")
            driver.execute_script(
                "document.getElementById(arguments[0]).value = arguments[1];", field, value
            )
        driver.find_element(By.CSS_SELECTOR, "input[name=audience][value=sectors]").click()
        sector = driver.find_element(By.CSS_SELECTOR, "input[name=sectors][value='教育界']")
        assert sector.is_displayed()  # the picker shows the 界别 once 按界别 is chosen
        assert not driver.find_element(By.CSS_SELECTOR, ".pick[data-for=committees]").is_displayed()
        sector.click()
        _shot(driver, tmp_path, "composer")
        driver.find_element(By.ID, "preview").click()
        _wait_text(driver, "将发送给 1 位委员")
        driver.find_element(By.ID, "send").click()
        _wait_text(driver, "通知已开始发送")
        code = driver.find_element(By.ID, "check-in-code").text
        assert code.isdigit()
        unanswered = driver.find_element(By.ID, "answer-none").text
        assert "王芳" in unanswered

        # attendance: 王芳 asks for leave; the clerk approves it
        nid = int(driver.current_url.split("/notices/")[1].split("?")[0])

        async def ask_leave() -> None:
            async with app.db.session() as s:
                repo = NoticesRepo(s)
                notice = await repo.require(nid)
                await repo.answer(notice, int(wang.id or 0), Answer.LEAVE, reason="在外地出差")

        server.run(ask_leave())
        driver.refresh()
        _wait_text(driver, "在外地出差")
        leave = driver.find_element(By.ID, "answer-leave")
        leave.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
        _wait_text(driver, "请假审批已记录")
        assert "已批准" in driver.find_element(By.ID, "answer-leave").text

        # a roster import is previewed before anything is written
        roster = tmp_path / "名册.csv"
        roster.write_text(
            "姓名,界别,专委会,职务/角色,手机号\n"
            "王芳,教育界,提案委员会,委员,13800000001\n"
            "赵新,农业界,,委员,13800000077\n",
            encoding="utf-8",
        )
        driver.find_element(By.LINK_TEXT, "委员").click()
        driver.find_element(By.ID, "import").click()
        driver.find_element(By.ID, "roster-file").send_keys(str(roster))
        driver.find_element(By.ID, "import-preview").click()
        _wait_text(driver, "尚未写入")
        changes = driver.find_element(By.ID, "import-changes").text
        assert "赵新" in changes and "提案委员会" in changes
        _shot(driver, tmp_path, "import")
        assert server.run(_named(app, "赵新")) == 0  # the preview wrote nothing
        driver.find_element(By.ID, "import-apply").click()
        _wait_text(driver, "已导入")
        assert server.run(_named(app, "赵新")) == 1

        # the statistics page draws its charts
        driver.find_element(By.LINK_TEXT, "统计").click()
        _wait_text(driver, "年度工作统计")
        assert driver.find_elements(By.CSS_SELECTOR, "#chart-by_field svg")
        assert "教育" in driver.find_element(By.ID, "chart-by_field").text
        _shot(driver, tmp_path, "stats")

        # 日志 has every step with the clerk's name
        driver.find_element(By.LINK_TEXT, "日志").click()
        log = driver.find_element(By.ID, "audit").text
        for action in ("proposal.register", "notice.create", "notice.leave_approved", "web.login"):
            assert action in log
        assert "秘书处小李" in log
