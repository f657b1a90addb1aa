"""问规则 in chat: cited answers, honest refusals, forwarding to the secretariat and back."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlmodel import select

from bot.app import App, build_app
from bot.settings import Settings
from bot.text import render
from bot.types import Incoming
from storage.db import Database
from storage.kb import KbRepository
from storage.roster import Roster
from storage.tables import KbQuestion
from tests.support.chat import Chat, FakeClock, add_member
from tests.support.openai_stub import OpenAIStub

UNRELATED = "红烧肉怎么做好吃"


async def _questions(app: App) -> list[KbQuestion]:
    async with app.db.session() as session:
        return list(await session.exec(select(KbQuestion).order_by(KbQuestion.id)))  # type: ignore[arg-type]


async def _subject(app: App, chat: Chat) -> str:
    """Whom buttons in ``chat`` are signed for (as if the key had leaked)."""
    async with app.db.session() as session:
        identity = await Roster(session).identity(chat.platform, chat.user_id)
    assert identity is not None
    return f"m{identity.member_id}"


async def test_question_is_answered_with_a_citation_from_the_sample_rulebook(
    member_chat: Chat,
) -> None:
    await member_chat.send("/ask 提案办理的期限是多长时间？", update_id=7001)
    assert "根据《" in member_chat.text and "第" in member_chat.text
    assert "三个月内办结" in member_chat.text
    assert member_chat.labels == []  # found: nothing to forward
    # free text outside a flow is a question too
    await member_chat.send("承办单位最长可以拖多久答复提案")
    assert "最长不超过六个月" in member_chat.text


async def test_ask_alone_asks_for_the_question(member_chat: Chat) -> None:
    await member_chat.send("/ask")
    assert "请直接输入您的问题" in member_chat.text
    # The answer step has just saved the conversation when the empty knowledge base takes
    # in the sample rulebook: in the same transaction, or SQLite would wait on itself.
    await member_chat.send("提案办理的期限是多长时间？")
    assert "三个月内办结" in member_chat.text
    await member_chat.send("/cancel")  # the one-step flow is over: nothing left to leave
    assert "根据《" not in member_chat.text


async def test_small_talk_is_greeted_not_searched(member_chat: Chat, app: App) -> None:
    """你好, 谢谢, 在吗, a bare number: a greeting and the menu hint, never an article, never
    a "not found" offering to bother the secretariat; a question after a greeting is searched."""
    for text, expected in (
        ("你好", "您好"),
        ("谢谢老师！", "不客气"),
        ("在吗？", "在的"),
        ("3", "没有看懂"),
        ("😀😀", "没有看懂"),
        ("好的", "好的"),
    ):
        await member_chat.send(text)
        assert expected in member_chat.text, text
        assert "/menu" in member_chat.text
        assert "根据《" not in member_chat.text and "没有找到" not in member_chat.text
        assert member_chat.labels == []
    await member_chat.send("你好，请问提案办理的期限是多长时间？")
    assert "三个月内办结" in member_chat.text
    async with app.db.session() as session:
        assert await KbRepository(session).gaps() == []


async def test_questions_as_members_ask_them_cite_the_unit_that_answers(
    member_chat: Chat,
) -> None:
    """Issue 13: the sample rulebook asked the way members type."""
    await member_chat.send("/ask 哪些情况提案不予立案")
    first = member_chat.text.split("另见")[0]
    assert "第十一条" in first and "（五）已经进入诉讼、仲裁程序的" in first  # the list itself
    await member_chat.send("请假需要提前多久")
    first = member_chat.text.split("另见")[0]
    assert "第六条" in first and "两天前" in first  # not 第四条 on notices
    await member_chat.send("联名提案最多可以有几个人")
    assert "没有找到" not in member_chat.text and "联名" in member_chat.text
    # one ground of a list is cited by its item, quoted with the sentence introducing it
    await member_chat.send("中共党员能不能就党的人事问题提提案")
    assert "第十一条（三）" in member_chat.text and "不予立案" in member_chat.text
    assert "（七）" not in member_chat.text
    # pay is not in the rulebook however well 政协委员 matches
    await member_chat.send("政协委员的工资谁发")
    assert "没有找到" in member_chat.text


async def test_unrelated_question_is_refused_and_only_forwarded_on_request(
    member_chat: Chat, app: App
) -> None:
    await member_chat.send(UNRELATED)
    assert "没有找到" in member_chat.text
    assert "根据《" not in member_chat.text
    assert member_chat.labels == ["转交秘书处"]
    # held for the button, not queued for the secretariat or listed as a gap yet
    async with app.db.session() as session:
        repo = KbRepository(session)
        assert await repo.pending_questions() == [] and await repo.gaps() == []


async def test_forwarded_question_reaches_staff_and_the_answer_reaches_the_member(
    member_chat: Chat, staff_chat: Chat, app: App
) -> None:
    await member_chat.send(UNRELATED)
    forward = member_chat.button("转交秘书处")
    await member_chat.press_payload(forward.action or "")
    assert "已把您的问题转交秘书处" in member_chat.text
    await member_chat.press_payload(forward.action or "")  # pressed twice: queued once
    assert "已经转交过" in member_chat.text

    notices = await staff_chat.outbox_texts()
    assert len(notices) == 1
    assert "委员提问" in notices[0] and UNRELATED in notices[0] and "张委员" in notices[0]
    await staff_chat.send("/questions")
    assert UNRELATED in staff_chat.text
    # the staff member answers from the notification's button
    (note,) = await staff_chat.outbox_replies()
    await staff_chat.press_payload(note.buttons[0][0].action or "")
    assert UNRELATED in staff_chat.text
    await staff_chat.send("按菜谱做，本会规则不涉及烹饪。")
    assert "答复已发给委员" in staff_chat.text

    (answer,) = await member_chat.outbox_texts()
    assert "秘书处答复了您的提问" in answer and "按菜谱做" in answer and UNRELATED in answer
    # answering twice is refused, and the member is not told twice
    await staff_chat.press_payload(note.buttons[0][0].action or "")
    assert "已经答复过了" in staff_chat.text
    assert len(await member_chat.outbox_texts()) == 1
    await staff_chat.send("/questions")
    assert "没有待答复" in staff_chat.text
    async with app.db.session() as session:
        gaps = await KbRepository(session).gaps()
    assert [(g.question, g.status) for g in gaps] == [(UNRELATED, "answered")]


async def test_forward_button_for_someone_elses_question_is_refused(
    member_chat: Chat, app: App
) -> None:
    other = await add_member(app, name="李委员", phone="13900000002")
    other_chat = await Chat.verified(app, other)
    await other_chat.send(UNRELATED)
    theirs = other_chat.button("转交秘书处").action or ""

    # their own button, pressed in my chat: the signature is not mine
    await member_chat.press_payload(theirs)
    assert "这个按钮无效" in member_chat.text
    # correctly signed for me but naming their question id
    (question,) = await _questions(app)
    forged = app.services.signer.sign(
        await _subject(app, member_chat), "ask.forward", [question.id or 0]
    )
    await member_chat.press_payload(forged)
    assert "这个按钮无效" in member_chat.text
    assert [q.status for q in await _questions(app)] == ["not_found"]


async def test_ask_in_a_group_answers_there_and_free_text_is_ignored(
    app: App, member_chat: Chat
) -> None:
    group = Chat(app, user_id=member_chat.user_id, chat_type="group")
    await group.send("/ask 提案办理的期限是多长时间？")
    assert "三个月内办结" in group.text
    await group.send("/ask")
    assert "请把问题写在命令后面" in group.text
    await group.send("提案办理的期限是多长时间？")
    assert group.replies == []


async def test_markup_in_a_question_is_shown_as_typed(member_chat: Chat, staff_chat: Chat) -> None:
    question = '<b>红烧肉</b> <a href="x">怎么做</a>'
    await member_chat.send(question)
    await member_chat.press("转交秘书处")
    (note,) = await staff_chat.outbox_replies()
    assert question in render(note.text, "plain")
    shown = render(note.text, "html")
    assert "&lt;b&gt;红烧肉&lt;/b&gt;" in shown and '<a href="x">' not in shown
    assert "<b>委员提问" in shown  # the catalogue's own markup stays


async def test_oversized_question_gets_a_clear_message(member_chat: Chat, app: App) -> None:
    await member_chat.send("提案" * 200)
    assert "问题太长了" in member_chat.text and "上限 300 字" in member_chat.text
    assert await _questions(app) == []


async def _chat_with_model(
    db: Database, clock: FakeClock, stub: OpenAIStub, *, second_opinion: bool = True
) -> tuple[App, Chat, list[int]]:
    settings = Settings(
        database_url=db.url,  # type: ignore[arg-type]
        secret_key="test-signing-key",  # type: ignore[arg-type]
        llm_base_url=stub.base_url,
        llm_model="stub",
        kb_verdict=second_opinion,
    )
    app = await build_app(settings=settings, db=db, clock=clock, upgrade=False)
    typing_shown: list[int] = []

    async def show_typing(incoming: Incoming) -> None:
        typing_shown.append(incoming.chat_id)

    app.services.show_typing = show_typing
    member = await add_member(app, name="张委员", phone="13900000001")
    return app, await Chat.verified(app, member), typing_shown


async def test_answer_written_by_the_model_keeps_the_quoted_articles(
    db: Database, clock: FakeClock
) -> None:
    def reply(messages: list[dict[str, Any]]) -> str:
        return "提案应在交办之日起三个月内办结[1]。"

    async with OpenAIStub(reply=reply) as stub:
        _, chat, typing_shown = await _chat_with_model(db, clock, stub)
        await chat.send("提案办理的期限是多长时间？")
    assert len(stub.requests) == 1
    assert typing_shown == [chat.user_id]  # the member sees "typing…" while the model writes
    assert "三个月内办结[1]" in chat.text
    assert "条文原文" in chat.text and "《" in chat.text and "三个月内办结" in chat.text


async def test_model_that_finds_the_rule_does_not_say_leads_to_the_forward_offer(
    db: Database, clock: FakeClock
) -> None:
    """The words match an article, but the model reads it and finds it does not answer:
    the member is told nothing was found and may forward the question, as for any refusal."""
    async with OpenAIStub(reply=lambda messages: "未找到") as stub:
        app, chat, _ = await _chat_with_model(db, clock, stub)
        await chat.send("提案办理的期限是多长时间？")
    assert "没有找到" in chat.text and "根据《" not in chat.text
    assert chat.labels == ["转交秘书处"]
    assert [q.question for q in await _questions(app)] == ["提案办理的期限是多长时间？"]


async def test_refused_question_close_to_a_rule_is_answered_by_the_model_from_it(
    db: Database, clock: FakeClock
) -> None:
    """请假条交给谁 holds too little of the leave article for the checks (with the learned second
    opinion off); the model restates nothing, reads the article the question comes close to and
    answers from it."""

    def reply(messages: list[dict[str, Any]]) -> str:
        if "改写" in messages[0]["content"]:
            return "无关"
        return "请假报告交秘书长审批[1]。"

    async with OpenAIStub(reply=reply) as stub:
        app, chat, _ = await _chat_with_model(db, clock, stub, second_opinion=False)
        await chat.send("请假条交给谁")
    assert "秘书长审批[1]" in chat.text and "条文原文" in chat.text
    assert await _questions(app) == []


async def test_kb_eval_measures_the_model_s_answers_when_one_is_configured(
    tmp_path: Path,
) -> None:
    """With a model configured, `kb eval` scores what members are shown: here a model that
    finds nothing answered (未找到) turns a question the words answer into a refusal."""
    from bot.cli import main_group

    questions = tmp_path / "q.jsonl"
    row = {"question": "提案办理的期限是多长时间？", "source": "proposals.md", "locator": "第七条"}
    questions.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    env = {"COMMITTEE_BOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"}

    def figures(extra: dict[str, str]) -> str:
        result = CliRunner().invoke(main_group, ["kb", "eval", str(questions)], env=env | extra)
        assert result.exit_code == 0, result.output
        return result.stdout

    assert "answer_rate：1.0" in await asyncio.to_thread(figures, {})
    async with OpenAIStub(reply=lambda messages: "未找到") as stub:
        with_model = {"COMMITTEE_BOT_LLM_BASE_URL": stub.base_url, "COMMITTEE_BOT_LLM_MODEL": "m"}
        assert "answer_rate：0.0" in await asyncio.to_thread(figures, with_model)
        assert len(stub.requests) == 1


async def test_refused_question_still_reaches_the_member_when_the_model_fails(
    db: Database, clock: FakeClock
) -> None:
    """The endpoint answers 500: the model can neither restate nor read, and the member
    still gets the refusal and the forward offer, the question kept for the secretariat (the
    checks alone refuse 请假条交给谁)."""
    async with OpenAIStub(reply=lambda messages: "x", status=500) as stub:
        app, chat, _ = await _chat_with_model(db, clock, stub, second_opinion=False)
        await chat.send("请假条交给谁")
    assert "没有找到" in chat.text and chat.labels == ["转交秘书处"]
    assert [q.question for q in await _questions(app)] == ["请假条交给谁"]


async def test_asking_for_ones_own_score_shows_ones_duty_record(
    member_chat: Chat, app: App
) -> None:
    """我现在积分多少: the member's own record answers, not an article and not a refusal
    offered to the secretariat; how the points are counted is still the rulebook's."""
    await member_chat.send("我现在积分是多少")
    assert "的履职档案（" in member_chat.text and "合计 0 分" in member_chat.text
    assert "根据《" not in member_chat.text and member_chat.labels == []
    async with app.db.session() as session:
        assert await KbRepository(session).gaps() == []
    await member_chat.send("/ask 我今年的履职得分是多少？")
    assert "的履职档案（" in member_chat.text
    # ... and never in a group, where others would read it
    group = Chat(app, user_id=member_chat.user_id, chat_type="group")
    await group.send("/ask 我现在积分是多少")
    assert "私聊" in group.text and "履职档案" not in group.text
