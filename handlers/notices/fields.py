"""Reading what the clerk types while composing or correcting a notice: title, times,
attachment, audience values; and the draft the answers make."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from bot.context import Context
from bot.domain.chinese_times import parse_when
from bot.domain.local_times import parse_local_datetime
from bot.errors import UserError
from bot.flows import Goto
from bot.notices.draft import MAX_TITLE, NoticeDraft
from bot.notices.rules import AttendanceMode, Audience, AudienceKind, MeetingKind
from bot.text import Text
from bot.types import InDocument
from storage.notices import NoticesRepo

__all__ = [
    "draft_from",
    "parse_attachment",
    "parse_deadline",
    "parse_end",
    "parse_start",
    "parse_start_span",
    "parse_title",
    "parse_values",
    "values_prompt",
]


def _when(ctx: Context, text: str) -> datetime:
    value = parse_local_datetime(text, zone=ctx.settings.zone, now=ctx.now())
    if value is None:
        raise UserError("notices.bad_time")
    return value


def parse_title(ctx: Context, data: dict[str, Any], text: str) -> str:
    if len(text) > MAX_TITLE:
        raise UserError("notices.too_long", field=ctx.t("notices.field.title"), limit=MAX_TITLE)
    return text


def parse_start(ctx: Context, data: dict[str, Any], text: str) -> str:
    value = _when(ctx, text)
    if value <= ctx.now():
        raise UserError("notices.start_in_past")
    return value.isoformat()


def parse_start_span(ctx: Context, data: dict[str, Any], text: str) -> str | Goto:
    """The start; a range ("12月5日上午9:00-12:00") gives the end too, and skips its step."""
    start = parse_start(ctx, data, text)
    span = parse_when(text, zone=ctx.settings.zone, now=ctx.now())
    if span is None or span.end is None:
        return start
    if span.end <= span.start:
        raise UserError("notices.end_before_start")
    data["end"] = span.end.isoformat()
    if "_return_to" in data:  # corrected from the preview: back to it
        return start
    return Goto("place", value=start)


def parse_end(ctx: Context, data: dict[str, Any], text: str) -> str:
    start = datetime.fromisoformat(data["start"]).astimezone(ctx.settings.zone)
    value = parse_local_datetime(f"{start:%Y-%m-%d} {text}", zone=ctx.settings.zone, now=ctx.now())
    value = value or parse_local_datetime(text, zone=ctx.settings.zone, now=ctx.now())
    if value is None:
        raise UserError("notices.bad_end")
    if value <= start:
        raise UserError("notices.end_before_start")
    return value.isoformat()


def parse_deadline(ctx: Context, data: dict[str, Any], text: str) -> str:
    value = _when(ctx, text)
    if value <= ctx.now():
        raise UserError("notices.deadline_in_past")
    if value > datetime.fromisoformat(data["start"]):
        raise UserError("notices.deadline_after_start")
    return value.isoformat()


def parse_attachment(ctx: Context, data: dict[str, Any], doc: InDocument | str) -> Any:
    if not isinstance(doc, InDocument):
        raise UserError("notices.ask_attachment")
    if doc.content is None or len(doc.content) > ctx.settings.max_upload_bytes:
        raise UserError(
            "notices.attachment_too_large", limit_mb=ctx.settings.max_upload_bytes // 2**20
        )
    data["attachment_name"] = doc.file_name[:255]
    return base64.b64encode(doc.content).decode()


async def parse_values(ctx: Context, data: dict[str, Any], text: str) -> list[str]:
    audience = Audience.parse_list(AudienceKind(data["audience"]), text)
    await NoticesRepo(ctx.session).resolve_audience(audience)
    return list(audience.values)


def draft_from(data: dict[str, Any]) -> NoticeDraft:
    attachment = data.get("attachment")
    return NoticeDraft(
        kind=MeetingKind(data["kind"]),
        title=data["title"],
        starts_at=datetime.fromisoformat(data["start"]),
        ends_at=datetime.fromisoformat(data["end"]) if data.get("end") else None,
        place=data["place"],
        agenda=data.get("agenda") or "",
        mode=AttendanceMode(data["mode"]),
        reply_deadline=datetime.fromisoformat(data["deadline"]),
        audience=Audience(AudienceKind(data["audience"]), tuple(data.get("values") or ())),
        attachment_name=data.get("attachment_name") if attachment else None,
        attachment=base64.b64decode(attachment) if attachment else None,
    )


def values_prompt(ctx: Context, data: dict[str, Any]) -> Text:
    return ctx.t(f"notices.ask_values_{data['audience']}")
