"""Issue 11: callback data a client forged (non-ASCII, truncated, overlong) is answered
with the polite "按钮无效或已过期", never the internal-error message, on both libraries."""

from __future__ import annotations

import pytest

from bot.app import App
from tests.channels.test_telegram_e2e import USER, emu, said, service, verified
from tests.support.botapi_emulator import BotApiEmulator

__all__ = ["emu", "service"]  # fixtures shared with the end-to-end tests


@pytest.fixture
def db_kind() -> str:
    return "sqlite"


@pytest.fixture(params=["ptb", "aiogram"])
def library(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_forged_non_ascii_callback_data_is_refused_politely(
    app: App, emu: BotApiEmulator, service: object
) -> None:
    await verified(app)
    emu.send_text(USER, "/contact")
    await said(emu, USER, "第 1/3 步")
    question = emu.last(USER)
    genuine = question.callback_data("履职咨询")
    name, args, rev, _sig = genuine.split("|")
    forged = [f"{name}|{args}|{rev}|签名签名签名签名", "按钮|1||é", genuine[:-4]]
    for n, data in enumerate(forged, start=1):
        query = emu.press(USER, question, data)
        await emu.wait_for(lambda q=query: q in emu.callback_answers)
        assert "按钮无效或已过期" in (emu.callback_answers[query].get("text") or "")
        await emu.wait_for(lambda n=n: sum("按钮无效或已过期" in t for t in emu.texts(USER)) >= n)
    assert not any("您的内容已保存" in t for t in emu.texts(USER))
    assert not question.history  # the question was never edited: nothing was chosen
    emu.press(USER, question, genuine)  # the real button still works
    await emu.wait_for(lambda: bool(question.history))
    assert "已选择「履职咨询」" in (question.text or "")
