"""A third kind of document is a declaration plus its own checks.

大会发言 (a plenary speech) is declared here, in the test only: two parts, its own checks
built from the shared clerk's checks, an in-memory store for its drafts (the engine needs
only ``DraftRepository``), and its own catalogue entries. It is drafted through the same
engine as proposals and reports: preview with the checks, an edit from the preview, a
blocked submission, confirmation, the secretariat told, and the draft list's resume and
delete buttons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from bot.app import App, build_app
from bot.catalogue import Catalogue, catalogue
from bot.context import Context
from bot.errors import UserError
from bot.flows import Step
from bot.proposals.checks import Finding, check_body_length, missing
from bot.proposals.drafting import DraftKind, draft_buttons, draft_flow, member_id
from bot.router import Router
from bot.settings import Settings
from bot.text import Text
from bot.types import Reply
from handlers import all_routers
from storage.db import Database
from storage.tables import Member
from tests.support.chat import Chat, FakeClock, add_member

MESSAGES = {
    "speeches.flow.title": "大会发言",
    "speeches.flow.title_prompt": "发言题目是什么？",
    "speeches.flow.body_prompt": "请写发言稿正文。",
    "speeches.flow.preview": "发言题目：{title}\n{body}",
    "speeches.flow.btn_submit": "提交发言",
    "speeches.flow.btn_edit_title": "改题目",
    "speeches.flow.btn_edit_body": "改正文",
    "speeches.flow.confirm_prompt": "确认提交《{title}》？",
    "speeches.flow.btn_confirm": "确认提交",
    "speeches.flow.btn_back_to_preview": "返回预览",
    "speeches.flow.fix_first": "请先改正标为必须修改的问题。",
    "speeches.flow.submitted": "发言稿《{title}》已提交。",
    "speeches.notice_staff": "{name} 提交了大会发言《{title}》。",
    "speeches.check.missing_title": "缺少发言题目。",
    "speeches.check.missing_body": "缺少发言正文。",
    "speeches.check.placeholder": "发言稿里还有“待补充”的地方。",
    "speeches.check.too_short": "正文只有 {count} 字，发言稿至少 {min} 字。",
    "speeches.check.too_long": "正文有 {count} 字，超过 {max} 字。",
    "speeches.btn_resume": "继续 #{id}",
    "speeches.btn_delete": "删除 #{id}",
    "speeches.draft_deleted": "发言草稿 #{id} 已删除。",
    "speeches.drafts_head": "发言草稿：\n",
}


@dataclass
class Speech:
    id: int
    author_id: int
    title: str = ""
    body: str = ""
    status: str = "draft"
    submitted_at: datetime | None = None


@dataclass
class Speeches:
    """The kind's storage, in memory: what ``DraftRepository`` asks for."""

    rows: dict[int, Speech] = field(default_factory=dict)

    async def new_draft(self, author: Member, *, at: datetime | None = None) -> Speech:
        assert author.id is not None
        row = self.rows[len(self.rows) + 1] = Speech(id=len(self.rows) + 1, author_id=author.id)
        return row

    async def own_draft(self, member_id: int, draft_id: int) -> Speech:
        row = self.rows.get(draft_id)
        if row is None or row.author_id != member_id or row.status != "draft":
            raise UserError("proposals.not_yours")
        return row

    async def delete_draft(self, member_id: int, draft_id: int) -> None:
        del self.rows[(await self.own_draft(member_id, draft_id)).id]

    async def submit(
        self, row: Speech, *, blocking_findings: int = 0, at: datetime | None = None
    ) -> None:
        assert not blocking_findings
        row.status, row.submitted_at = "submitted", at


def speech_kind(store: Speeches) -> DraftKind:
    """The whole declaration of a third kind."""

    async def findings(ctx: Context, data: dict[str, Any]) -> list[Finding]:
        body = str(data.get("body") or "")
        out = [
            f
            for f in (
                missing("speeches.check.missing_title", data.get("title")),
                missing("speeches.check.missing_body", body),
            )
            if f is not None
        ]
        if "待补充" in body:
            out.append(Finding("blocking", "speeches.check.placeholder"))
        return out + check_body_length(body, low=20, high=200, key_prefix="speeches.check.")

    async def preview(ctx: Context, data: dict[str, Any]) -> Text:
        return ctx.t(
            "speeches.flow.preview", title=data.get("title", ""), body=data.get("body", "")
        )

    async def write(ctx: Context, row: Speech, data: dict[str, Any], step: str) -> None:
        row.title, row.body = data.get("title", ""), data.get("body", "")

    return DraftKind(
        name="speech",
        namespace="speeches",
        steps=(
            Step("title", "speeches.flow.title_prompt", max_chars=60),
            Step("body", "speeches.flow.body_prompt", max_chars=2000),
        ),
        parts=("title", "body"),
        repository=lambda session: store,
        findings=findings,
        preview=preview,
        write=write,
        staff_notice=lambda ctx, row: ctx.t(
            "speeches.notice_staff", name=ctx.member.name if ctx.member else "", title=row.title
        ),
        submitted=lambda ctx, row: ctx.reply("speeches.flow.submitted", title=row.title),
    )


def speech_router(store: Speeches) -> Router:
    router = Router("speech")
    kind = speech_kind(store)
    flow = draft_flow(kind, router)

    @router.command("speech")
    async def speech(ctx: Context) -> list[Reply]:
        return await ctx.begin(flow)

    @router.command("speechdrafts")
    async def drafts(ctx: Context) -> Reply:
        ids = [r.id for r in store.rows.values() if r.author_id == member_id(ctx)]
        return Reply(text=ctx.t("speeches.drafts_head"), buttons=draft_buttons(ctx, ids, kind))

    return router


@pytest.fixture
async def speech_app(settings: Settings, db: Database, clock: FakeClock) -> tuple[App, Speeches]:
    store = Speeches()
    root = Router("root").include(*all_routers(), speech_router(store))
    base = catalogue()
    messages = Catalogue({**{k: base.raw(k) for k in base}, **MESSAGES})
    app = await build_app(
        settings=settings, db=db, clock=clock, upgrade=False, router=root, messages=messages
    )
    return app, store


BODY = "各位委员：围绕县域养老服务，我们走访了十二个乡镇，发现农村互助养老点运营经费缺口较大。"


async def test_a_third_kind_is_drafted_through_the_same_engine(
    speech_app: tuple[App, Speeches],
) -> None:
    app, store = speech_app
    member = await add_member(app, name="王委员", phone="13900000011")
    clerk = await add_member(app, name="秘书处小赵", phone="13900000098", roles="secretariat")
    chat, staff = await Chat.verified(app, member), await Chat.verified(app, clerk)

    await chat.send("/speech")
    assert "发言题目是什么" in chat.text
    await chat.send("关于发展农村互助养老的建议")
    await chat.send("太短")
    # The preview shows the draft and the kind's own checks, with the engine's buttons.
    assert "发言题目：关于发展农村互助养老的建议" in chat.text
    assert "正文只有 2 字，发言稿至少 20 字" in chat.text
    assert {"提交发言", "改题目", "改正文"} <= set(chat.labels)
    assert store.rows[1].body == "太短"  # written to the draft at every step

    # An edit from the preview returns to the preview.
    await chat.press("改正文")
    await chat.send(BODY)
    assert "发言题目：关于发展农村互助养老的建议" in chat.text
    assert "正文只有" not in chat.text

    # Something blocking stops submission and says so on the preview.
    await chat.press("改题目")
    await chat.send("   ")
    assert store.rows[1].title == "关于发展农村互助养老的建议"  # empty answers are refused
    await chat.send("农村互助养老")
    await chat.press("提交发言")
    assert "确认提交《农村互助养老》" in chat.text
    await chat.press("确认提交")
    assert "发言稿《农村互助养老》已提交" in chat.text
    assert store.rows[1].status == "submitted"
    assert any("王委员 提交了大会发言《农村互助养老》" in t for t in await staff.outbox_texts())


async def test_a_blocking_check_stops_a_third_kind_and_its_drafts_resume_and_delete(
    speech_app: tuple[App, Speeches],
) -> None:
    app, store = speech_app
    member = await add_member(app, name="王委员", phone="13900000011")
    chat = await Chat.verified(app, member)

    await chat.send("/speech")
    await chat.send("关于发展农村互助养老的建议")
    await chat.send(BODY + "具体数字（待补充）")
    assert "发言稿里还有“待补充”" in chat.text
    await chat.press("提交发言")
    assert "请先改正标为必须修改的问题" in chat.text
    assert "提交发言" in chat.labels  # still the preview
    assert store.rows[1].status == "draft"

    # The draft list's buttons resume the draft at the preview, and delete it.
    await chat.send("/cancel")
    await chat.send("/speechdrafts")
    await chat.press("继续 #1")
    assert "发言题目：关于发展农村互助养老的建议" in chat.text
    await chat.send("/cancel")
    await chat.send("/speechdrafts")
    await chat.press("删除 #1")
    assert "发言草稿 #1 已删除" in chat.text
    assert store.rows == {}
