"""The outbox worker against a real database, a recording channel and a virtual clock."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from bot.delivery import (
    SYSTEM_CLOCK,
    LimitedSender,
    Limits,
    OutboxWorker,
    RateLimiter,
    RetryPolicy,
)
from bot.errors import ChannelError, RetryAfter, TransientError, Unreachable
from bot.text import Text
from bot.types import Reply
from storage.db import Database
from storage.outbox import Outbox
from storage.roster import Roster
from storage.tables import Identity, Member, OutboxMessage
from tests.support.delivery import ManualClock, RecordingSender


@pytest.fixture
def clock() -> ManualClock:
    """Virtual time for the limiter and the outbox (overrides the core's FakeClock)."""
    return ManualClock()


@pytest.fixture
def channel(clock: ManualClock) -> RecordingSender:
    return RecordingSender(clock)


def make_worker(
    db: Database, channel: RecordingSender, clock: ManualClock, **limits: float
) -> OutboxWorker:
    return OutboxWorker(
        db=db,
        senders={"telegram": channel},
        limiter=RateLimiter(Limits(**limits), clock=clock),  # type: ignore[arg-type]
        clock=clock,
        policy=RetryPolicy(base_seconds=2, max_attempts=3, jitter=0),
        worker_id="w1",
    )


async def enqueue(db: Database, chat_id: int, *texts: str, ref: str = "t") -> None:
    async with db.session() as session:
        for text in texts:
            await Outbox(session).enqueue(
                platform="telegram",
                chat_id=str(chat_id),
                payload=Reply(text=Text.plain(text)).to_json(),
                dedupe_key=f"{ref}:{chat_id}:{text}",
                ref=ref,
            )


async def states(db: Database) -> dict[str, int]:
    async with db.session() as session:
        return await Outbox(session).counts("t")


async def test_everything_is_sent_once_in_order_within_limits(db, channel, clock) -> None:
    await enqueue(db, 1, *[f"a{i}" for i in range(6)])
    await enqueue(db, 2, "b0", "b1")
    await enqueue(db, -300, *[f"g{i}" for i in range(5)])
    stats = await make_worker(db, channel, clock, chat_burst=3).drain()
    assert stats.sent == 13 and await states(db) == {"sent": 13}
    assert channel.texts("1") == [f"a{i}" for i in range(6)]
    assert channel.texts("-300") == [f"g{i}" for i in range(5)]
    times_1 = [t for t, chat, _ in channel.sent if chat == "1"]
    assert times_1[-1] >= 3 - 1e-6  # burst of 3, then one a second
    group_times = [t for t, chat, _ in channel.sent if chat == "-300"]
    assert group_times[-1] >= 2 * 3 - 1e-6  # 20 a minute: 3 s apart after the burst
    # a second pass finds nothing to send: no duplicates
    assert (await make_worker(db, channel, clock).drain()).sent == 0
    assert len(channel.sent) == 13


async def test_dedupe_key_enqueues_once(db) -> None:
    await enqueue(db, 1, "提醒")
    await enqueue(db, 1, "提醒")
    assert await states(db) == {"pending": 1}


async def test_retry_after_pauses_the_chat_and_costs_no_attempt(db, channel, clock) -> None:
    await enqueue(db, 1, "一", "二")
    await enqueue(db, 2, "三")
    channel.fail("1", RetryAfter(30, chat_id="1"))
    worker = make_worker(db, channel, clock)
    await worker.drain()
    assert channel.texts("2") == ["三"] and channel.texts("1") == []
    assert await states(db) == {"sent": 1, "failed": 2}
    clock.advance(31)
    await worker.drain()
    assert channel.texts("1") == ["一", "二"]
    async with db.session() as session:
        rows = list(await session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == "1")))
    assert [r.attempts for r in rows] == [1, 1]


async def test_transient_errors_back_off_then_give_up(db, channel, clock) -> None:
    await enqueue(db, 1, "通知", "后续")
    channel.fail("1", TransientError("502"), TransientError("timeout"))
    worker = make_worker(db, channel, clock)
    await worker.drain()
    assert channel.texts("1") == []  # the second message waits behind the first
    clock.advance(2.1)
    await worker.drain()
    assert channel.texts("1") == []
    clock.advance(4.1)
    await worker.drain()
    assert channel.texts("1") == ["通知", "后续"]

    await enqueue(db, 3, "总失败")
    channel.fail("3", *[TransientError("down")] * 5)
    for _ in range(4):
        await worker.drain()
        clock.advance(60)
    assert await states(db) == {"sent": 2, "dead": 1}


async def test_blocked_member_is_marked_unreachable(db, channel, clock) -> None:
    async with db.session() as session:
        member = await Roster(session).add(Member(name="王委员", phone="13800000001"))
        await Roster(session).bind(
            member, platform="telegram", user_id="9", chat_id="9", via="phone"
        )
    await enqueue(db, 9, "一", "二", "三")
    await enqueue(db, 10, "别人")
    channel.fail("9", Unreachable("Forbidden: bot was blocked by the user"))
    stats = await make_worker(db, channel, clock).drain()
    assert stats.unreachable == 1 and channel.texts("10") == ["别人"]
    assert channel.attempts.count("9") == 1  # the rest of that chat is not tried
    assert await states(db) == {"sent": 1, "dead": 3}
    async with db.session() as session:
        identity = (await session.exec(select(Identity))).one()
    assert identity.unreachable_reason == "Forbidden: bot was blocked by the user"


async def test_a_refused_message_is_dead_and_others_go_on(db, channel, clock) -> None:
    await enqueue(db, 1, "坏", "好")
    channel.fail("1", ChannelError("Bad Request: can't parse entities"))
    await make_worker(db, channel, clock).drain()
    assert channel.texts("1") == ["好"]
    assert await states(db) == {"sent": 1, "dead": 1}


async def test_a_long_wait_hands_rows_back_instead_of_holding_them(db, channel, clock) -> None:
    await enqueue(db, 1, *[f"m{i}" for i in range(3)])
    worker = make_worker(db, channel, clock)
    worker.limiter.on_retry_after(600, None)  # the whole bot told to wait 10 minutes
    await worker.drain()
    assert channel.sent == [] and await states(db) == {"pending": 3}
    clock.advance(601)
    await worker.drain()
    assert channel.texts("1") == ["m0", "m1", "m2"]


async def test_stopping_hands_back_unsent_rows(db, channel, clock) -> None:
    await enqueue(db, 1, *[f"m{i}" for i in range(3)])
    worker = make_worker(db, channel, clock, chat_per_second=0.01, chat_burst=1)
    worker.clock = worker.limiter.clock = SYSTEM_CLOCK  # really waits 100 s for m1
    worker.max_hold = 1000
    stop = asyncio.Event()
    runner = asyncio.create_task(worker.run(stop))
    while not channel.sent:
        await asyncio.sleep(0.01)
    stop.set()
    await runner
    assert await states(db) == {"sent": 1, "failed": 2}
    async with db.session() as session:
        rows = list(await session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [r.last_error for r in rows[1:]] == ["worker stopped"] * 2
    assert all(r.next_attempt_at <= clock.now() for r in rows)


async def test_a_corrupt_row_is_dead_not_fatal(db, channel, clock) -> None:
    async with db.session() as session:
        await Outbox(session).enqueue(platform="telegram", chat_id="1", payload={"x": 1}, ref="t")
    await enqueue(db, 1, "正常")
    await make_worker(db, channel, clock).drain()
    assert channel.texts("1") == ["正常"] and await states(db) == {"dead": 1, "sent": 1}


async def test_two_workers_share_the_outbox_without_double_sends(db, channel, clock) -> None:
    """Two workers (as two processes would) drain one outbox concurrently."""
    if db.is_sqlite:
        pytest.skip("several delivering processes need PostgreSQL")
    for chat in range(1, 41):
        await enqueue(db, chat, f"n{chat}-1", f"n{chat}-2")
    first = make_worker(db, channel, clock)
    second = make_worker(db, channel, clock)
    second.worker_id = "w2"
    first.capacity = second.capacity = 10
    await asyncio.gather(first.drain(), second.drain())
    texts = [text for _, _, text in channel.sent]
    assert len(texts) == 80 and len(set(texts)) == 80
    assert first.stats.sent > 0 and second.stats.sent > 0
    assert await states(db) == {"sent": 80}


async def test_immediate_reply_waits_its_turn_or_goes_to_the_outbox(db, channel, clock) -> None:
    limiter = RateLimiter(Limits(chat_burst=1), clock=clock)
    replies = LimitedSender(
        sender=channel, platform="telegram", limiter=limiter, db=db, clock=clock, max_hold=5
    )
    first = await replies.send("1", Reply(text=Text.plain("一")))
    second = await replies.send("1", Reply(text=Text.plain("二")))
    assert first is not None and second is not None
    assert [t for t, _, _ in channel.sent] == [0, 1]  # one a second for one chat

    channel.fail("1", RetryAfter(2, chat_id="1"))
    assert await replies.send("1", Reply(text=Text.plain("三"))) is not None
    assert channel.texts("1")[-1] == "三" and clock.monotonic() >= 4

    channel.fail("1", RetryAfter(60, chat_id="1"))
    assert await replies.send("1", Reply(text=Text.plain("四"))) is None
    async with db.session() as session:
        queued = (await session.exec(select(OutboxMessage))).one()
    assert queued.kind == "reply" and queued.next_attempt_at >= clock.now()
    assert Reply.from_json(queued.payload).text == Text.plain("四")


async def test_immediate_reply_to_a_blocked_member(db, channel, clock) -> None:
    async with db.session() as session:
        member = await Roster(session).add(Member(name="李委员", phone="13800000002"))
        await Roster(session).bind(
            member, platform="telegram", user_id="8", chat_id="8", via="phone"
        )
    replies = LimitedSender(
        sender=channel, platform="telegram", limiter=RateLimiter(clock=clock), db=db, clock=clock
    )
    channel.fail("8", Unreachable("Forbidden: bot was blocked by the user"))
    assert await replies.send("8", Reply(text=Text.plain("你好"))) is None
    async with db.session() as session:
        assert (await session.exec(select(Identity))).one().unreachable_at is not None


async def test_a_reply_goes_before_a_large_outbox_backlog(db, channel, clock) -> None:
    """300 notices going out at the limit (200 msg/s here, in real time): a member's reply
    goes at the next free slot, not after the 100 rows the worker has claimed."""
    async with db.session() as session:
        for chat in range(1, 301):
            await Outbox(session).enqueue(
                platform="telegram",
                chat_id=str(chat),
                payload=Reply(text=Text.plain(f"通知{chat}")).to_json(),
                dedupe_key=f"t:{chat}",
                ref="t",
            )
    worker = make_worker(db, channel, clock, global_per_second=200)
    worker.clock = worker.limiter.clock = SYSTEM_CLOCK
    replies = LimitedSender(
        sender=channel, platform="telegram", limiter=worker.limiter, db=db, clock=SYSTEM_CLOCK
    )
    draining = asyncio.create_task(worker.drain())
    for _ in range(5_000):
        if len(channel.sent) >= 10:
            break
        await asyncio.sleep(0.001)
    asked = len(channel.sent)
    assert asked >= 10  # the broadcast is under way
    assert await replies.send("4242", Reply(text=Text.plain("您的回复"))) is not None
    await draining
    position = [chat for _, chat, _ in channel.sent].index("4242")
    assert position - asked < 10  # before: about 90 notices went first
    assert await states(db) == {"sent": 300}


async def test_a_429_to_some_chats_does_not_hold_up_the_others(db, channel, clock) -> None:
    await enqueue(db, 1, "一")
    await enqueue(db, 2, "二")
    for chat in range(3, 13):
        await enqueue(db, chat, f"n{chat}")
    channel.fail("1", RetryAfter(5, chat_id="1"))
    channel.fail("2", RetryAfter(5, chat_id="2"))
    worker = make_worker(db, channel, clock)
    await worker.drain()
    assert worker.limiter.paused_for() == 0
    others = [t for t, chat, _ in channel.sent if int(chat) >= 3]
    assert len(others) == 10 and max(others) < 1  # before: the second 429 paused the bot 5 s
    assert channel.texts("1") == channel.texts("2") == []
    clock.advance(5.1)
    await worker.drain()
    assert channel.texts("1") == ["一"] and channel.texts("2") == ["二"]
