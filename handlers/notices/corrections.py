"""The secretariat corrects a sent notice (time, place, title, deadline or a note) or
cancels it; every recipient is told through the outbox and the calendar entry follows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.context import Context
from bot.errors import UserError
from bot.flows import Choice, Flow, Step
from bot.notices.broadcast import same_session
from bot.notices.draft import MAX_PLACE
from bot.notices.rules import NoticeStatus
from bot.notices.service import cancel_notice, correct_notice
from bot.router import SECRETARIAT, Router
from bot.text import Text
from bot.types import Reply
from handlers.notices.common import after_queuing, answer_buttons_here, notice_from_args
from handlers.notices.fields import parse_deadline, parse_start, parse_title
from storage.notices import NoticesRepo
from storage.tables import Conversation, Notice

__all__ = ["CANCEL_FLOW", "CORRECT_FLOW", "router"]

router = Router("notices/corrections")


MAX_CORRECTION_NOTE = 500
CORRECTABLE = ("starts_at", "place", "title", "reply_deadline", "note")
CORRECT_CHOICES = tuple(Choice(f, f"notices.correct_field.{f}") for f in CORRECTABLE)


async def _live_notice(ctx: Context) -> Notice:
    notice = await notice_from_args(ctx)
    if not NoticeStatus(notice.status).is_live:
        key = "notices.cancelled_already" if notice.status == "cancelled" else "notices.not_sent"
        raise UserError(key)
    return notice


@router.action("notice.correct", roles=SECRETARIAT)
async def correct(ctx: Context) -> list[Reply]:
    notice = await _live_notice(ctx)
    return await ctx.begin(
        CORRECT_FLOW,
        {"notice_id": notice.id, "title": notice.title, "start": notice.starts_at.isoformat()},
    )


def _parse_change(ctx: Context, data: dict[str, Any], text: str) -> str:
    field = data["field"]
    if field == "starts_at":
        value = parse_start(ctx, data, text)
        data["start"] = value  # a new deadline is checked against the new start
        return value
    if field == "reply_deadline":
        return parse_deadline(ctx, data, text)
    if field == "title":
        return parse_title(ctx, data, text)
    if len(text) > MAX_PLACE:
        raise UserError("notices.too_long", field=ctx.t("notices.field.place"), limit=MAX_PLACE)
    return text


def _change_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t(f"notices.correct_ask.{data['field']}")


async def _count_prompt(ctx: Context, data: dict[str, Any], key: str) -> Text:
    repo = NoticesRepo(ctx.session)
    count = len(await repo.recipient_ids(int(data["notice_id"])))
    return ctx.t(key, title=data["title"], count=count)


async def _correct_done(ctx: Context, conversation: Conversation) -> Reply:
    data = conversation.data
    if data.get("confirm") != "yes":
        return ctx.reply("notices.correct_dropped")
    changes: dict[str, Any] = {}
    field = data["field"]
    if field in {"starts_at", "reply_deadline"}:
        changes[field] = datetime.fromisoformat(data["value"])
    elif field != "note":
        changes[field] = data["value"]
    nid = int(data["notice_id"])
    notice = await NoticesRepo(ctx.session).require(nid)
    if "reply_deadline" in changes and changes["reply_deadline"] > notice.starts_at:
        raise UserError("notices.deadline_after_start")
    if "starts_at" in changes and changes["starts_at"] < notice.reply_deadline:
        changes["reply_deadline"] = changes["starts_at"]  # answers close when it starts
    added = await correct_notice(
        same_session(ctx.session),
        nid,
        note=data["note"],
        zone=ctx.settings.zone,
        buttons=answer_buttons_here(ctx),
        **changes,
    )
    await ctx.audit.record(
        "notice.correct", actor=ctx.member, target=f"notice:{nid}", field=field, queued=added
    )
    after_queuing(ctx, "meetings")
    return ctx.reply("notices.cli_corrected", id=nid, count=added)


CORRECT_FLOW = router.flow(
    Flow(
        name="notice_correct",
        title="notices.correct_title",
        roles=SECRETARIAT,
        steps=(
            Step("field", "notices.correct_ask_field", choices=CORRECT_CHOICES),
            Step(
                "value",
                _change_prompt,
                parse=_parse_change,
                when=lambda d: d.get("field") != "note",
                max_chars=MAX_PLACE + 50,
            ),
            Step(
                "note",
                lambda ctx, d: ctx.t("notices.correct_ask_note"),
                max_chars=MAX_CORRECTION_NOTE,
            ),
            Step(
                "confirm",
                lambda ctx, d: _count_prompt(ctx, d, "notices.correct_confirm"),
                choices=(Choice("yes", "notices.btn_send"), Choice("no", "notices.btn_keep")),
            ),
        ),
        done=_correct_done,
    )
)


@router.action("notice.cancel", roles=SECRETARIAT)
async def cancel(ctx: Context) -> list[Reply]:
    notice = await _live_notice(ctx)
    return await ctx.begin(CANCEL_FLOW, {"notice_id": notice.id, "title": notice.title})


async def _cancel_done(ctx: Context, conversation: Conversation) -> Reply:
    data = conversation.data
    if data.get("confirm") != "yes":
        return ctx.reply("notices.cancel_dropped")
    nid = int(data["notice_id"])
    added = await cancel_notice(
        same_session(ctx.session), nid, reason=data["reason"], zone=ctx.settings.zone
    )
    await ctx.audit.record("notice.cancel", actor=ctx.member, target=f"notice:{nid}", queued=added)
    after_queuing(ctx)
    return ctx.reply("notices.cli_cancelled", id=nid, count=added)


CANCEL_FLOW = router.flow(
    Flow(
        name="notice_cancel",
        title="notices.cancel_title",
        roles=SECRETARIAT,
        steps=(
            Step(
                "reason",
                lambda ctx, d: ctx.t("notices.cancel_ask_reason", title=d["title"]),
                max_chars=MAX_CORRECTION_NOTE,
            ),
            Step(
                "confirm",
                lambda ctx, d: _count_prompt(ctx, d, "notices.cancel_confirm"),
                choices=(
                    Choice("yes", "notices.btn_cancel_confirm"),
                    Choice("no", "notices.btn_cancel_keep"),
                ),
            ),
        ),
        done=_cancel_done,
    )
)
