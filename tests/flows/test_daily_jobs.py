"""Once-a-day work: the overdue-proposals digest reaches each clerk once each morning, and
old processed-update ids are forgotten; the terminal bot runs the scheduler too."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.app import App
from bot.cli.core import _chat
from bot.daily_jobs import OverdueDigest, UpdatePruning
from bot.scheduler import _RUNNING
from bot.scheduling import scheduled_tasks
from bot.settings import Settings
from storage.db import Database
from storage.locks import DeploymentLock
from storage.tables import ProcessedUpdate, Proposal
from tests.support.chat import Chat, FakeClock

# FakeClock starts Monday 2 March 2026, 09:00 Beijing (01:00 UTC).
MORNING = datetime(2026, 3, 3, 0, 30, tzinfo=UTC)  # Tuesday 08:30 Beijing


async def overdue_proposal(app: App, author_id: int, *, days_late: int = 3) -> None:
    async with app.db.session() as s:
        s.add(
            Proposal(
                year=2026,
                author_id=author_id,
                status="assigned",
                title="关于优化公交线路的建议",
                number="2026-017",
                lead_unit="市交通运输局",
                deadline_at=MORNING - timedelta(days=days_late),
            )
        )


async def test_overdue_digest_once_each_morning_to_clerks_only(
    app: App, staff_chat: Chat, member_chat: Chat, clock: FakeClock
) -> None:
    digest = scheduled_tasks(app)["overdue_digest"]
    assert isinstance(digest, OverdueDigest)
    before = MORNING - timedelta(hours=2)
    assert await digest.run(before) == MORNING  # nothing overdue yet, and not time yet
    assert await digest.run(MORNING) == MORNING + timedelta(days=1)
    assert await staff_chat.outbox_texts() == []  # a day with nothing overdue: silence

    member_id = await _member_id(app, member_chat)
    await overdue_proposal(app, member_id)
    assert await digest.run(before + timedelta(days=1)) == MORNING + timedelta(days=1)
    assert await staff_chat.outbox_texts() == []  # 06:30: not yet
    for minutes in (0, 1, 30):  # the minute sweep and a restart come by again
        await digest.run(MORNING + timedelta(days=1, minutes=minutes))
    texts = await staff_chat.outbox_texts()
    assert len(texts) == 1
    assert "【每日提醒】" in texts[0] and "2026-017《关于优化公交线路的建议》" in texts[0]
    assert "市交通运输局" in texts[0]
    assert await member_chat.outbox_texts() == []
    await digest.run(MORNING + timedelta(days=2))  # the next morning: once more
    assert len(await staff_chat.outbox_texts()) == 2


async def _member_id(app: App, chat: Chat) -> int:
    from storage.roster import Roster

    async with app.db.session() as s:
        identity = await Roster(s).identity("console", chat.user_id)
    assert identity is not None
    return identity.member_id


async def test_processed_updates_older_than_a_week_are_forgotten(
    app: App, member_chat: Chat, clock: FakeClock
) -> None:
    await member_chat.send("/start", update_id=1)
    clock.advance(days=8)
    await member_chat.send("/start", update_id=2)
    prune = scheduled_tasks(app)["prune_updates"]
    assert isinstance(prune, UpdatePruning)
    await prune.daily(clock.now)
    async with app.db.session() as s:
        kept = [r.update_id for r in await s.exec(select(ProcessedUpdate))]
    assert kept == [2]
    assert await member_chat.send("/start", update_id=2) == []  # still deduplicated


async def test_terminal_chat_runs_the_scheduler_and_stops_it_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}"
    settings = Settings(database_url=url, secret_key="k")  # type: ignore[arg-type]
    db = Database(url)
    await db.upgrade()
    async with db.session() as s:  # an update id seen long ago, to be forgotten at start
        s.add(ProcessedUpdate(platform="console", update_id=7, at=datetime(2020, 1, 1, tzinfo=UTC)))
    monkeypatch.setattr(sys, "stdin", io.StringIO("/help\n"))
    await _chat(settings, as_who=None, scripted=True)
    assert "/help" in capsys.readouterr().out
    async with db.session() as s:
        assert (
            list(await s.exec(select(ProcessedUpdate).where(ProcessedUpdate.update_id == 7))) == []
        )
    assert _RUNNING == {}  # stopped with the chat
    lock = DeploymentLock(db)
    assert await lock.acquire()  # and the deployment lock released
    await lock.release()
    await db.dispose()
