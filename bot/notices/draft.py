"""A notice as data: the draft both the guided flow and ``notices send FILE`` produce.

The file is TOML (times without a zone are the committee's local time)::

    kind = "全体会议"            # 全体会议 常委会议 主席会议 双月协商座谈会 专题议政 视察调研 其他
    title = "市政协十四届三次会议"
    start = 2025-03-01T09:00:00   # or "3月1日上午9点", "下周三上午9:00-12:00" (sets end too)
    end = 2025-03-01T12:00:00     # optional
    place = "市政协会议中心"
    agenda = \"\"\"一、听取常委会工作报告 ...\"\"\"
    mode = "必须参加"             # or 报名参加
    deadline = 2025-02-26T18:00:00
    attachment = "议程.pdf"       # optional, relative to this file

    [audience]                    # exactly one of:
    all = true                    # 全体委员
    # standing = true             # 常委
    # sectors = ["经济界", "教育界"]
    # committees = ["提案委员会"]
    # reading_group = "周三读书会"
    # members = ["张三", "#42"]   # names, or #roster id when two share a name

``committee-bot notices template`` prints a commented example (config/notice_template.toml).
Every problem in the file is reported at once, each as a catalogue key with parameters.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.chinese_times import parse_when
from bot.domain.local_times import parse_local_datetime
from bot.errors import CommitteeBotError, UserError
from bot.notices.rules import (
    AttendanceMode,
    Audience,
    AudienceKind,
    MeetingKind,
    parse_kind,
    parse_mode,
)

__all__ = [
    "MAX_AGENDA",
    "MAX_ATTACHMENT_BYTES",
    "MAX_PLACE",
    "MAX_TITLE",
    "NoticeDraft",
    "NoticeFileError",
    "Problem",
    "draft_problems",
    "parse_notice_file",
    "parse_notice_text",
]

MAX_TITLE = 100
MAX_PLACE = 200
# A Telegram message holds 4096 characters; the agenda leaves room for the rest of the notice.
MAX_AGENDA = 3000
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

Problem = tuple[str, dict[str, Any]]

_FIELDS = {"kind", "title", "start", "end", "place", "agenda", "mode", "deadline", "attachment"}
_REQUIRED = ("kind", "title", "start", "place", "mode", "deadline")
_AUDIENCE_KEYS = {
    "all": AudienceKind.ALL,
    "standing": AudienceKind.STANDING,
    "sectors": AudienceKind.SECTORS,
    "committees": AudienceKind.COMMITTEES,
    "reading_group": AudienceKind.READING_GROUP,
    "members": AudienceKind.MEMBERS,
}


class NoticeFileError(CommitteeBotError):
    """A notice file with problems; ``problems`` are catalogue keys with parameters."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(key for key, _ in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    kind: MeetingKind
    title: str
    starts_at: datetime
    place: str
    mode: AttendanceMode
    reply_deadline: datetime
    audience: Audience
    ends_at: datetime | None = None
    agenda: str = ""
    attachment_name: str | None = None
    attachment: bytes | None = None


def draft_problems(draft: NoticeDraft, *, now: datetime) -> list[Problem]:
    """Checks the guided flow and the file share: lengths and the order of the times."""
    problems: list[Problem] = []
    if not draft.title.strip():
        problems.append(("notices.file.missing", {"field": "title"}))
    if len(draft.title) > MAX_TITLE:
        problems.append(("notices.too_long", {"field": "title", "limit": MAX_TITLE}))
    if len(draft.place) > MAX_PLACE:
        problems.append(("notices.too_long", {"field": "place", "limit": MAX_PLACE}))
    if len(draft.agenda) > MAX_AGENDA:
        problems.append(("notices.too_long", {"field": "agenda", "limit": MAX_AGENDA}))
    if draft.starts_at <= now:
        problems.append(("notices.start_in_past", {}))
    if draft.ends_at is not None and draft.ends_at <= draft.starts_at:
        problems.append(("notices.end_before_start", {}))
    if draft.reply_deadline <= now:
        problems.append(("notices.deadline_in_past", {}))
    if draft.reply_deadline > draft.starts_at:
        problems.append(("notices.deadline_after_start", {}))
    return problems


def parse_notice_file(path: Path, *, zone: ZoneInfo, now: datetime) -> NoticeDraft:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NoticeFileError([("notices.file.not_found", {"path": str(path)})]) from None
    except UnicodeDecodeError:
        raise NoticeFileError([("notices.file.not_utf8", {"path": str(path)})]) from None
    return parse_notice_text(raw, zone=zone, now=now, base_dir=path.parent)


def parse_notice_text(
    raw: str, *, zone: ZoneInfo, now: datetime, base_dir: Path | None = None
) -> NoticeDraft:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise NoticeFileError([("notices.file.syntax", {"detail": str(exc)})]) from None
    problems: list[Problem] = []
    for name in sorted(set(data) - _FIELDS - {"audience"}):
        problems.append(("notices.file.unknown_field", {"field": name}))
    for name in _REQUIRED:
        if name not in data:
            problems.append(("notices.file.missing", {"field": name}))

    kind = parse_kind(str(data.get("kind", ""))) if "kind" in data else None
    if "kind" in data and kind is None:
        problems.append(("notices.file.bad_kind", {"value": data["kind"]}))
    mode = parse_mode(str(data.get("mode", ""))) if "mode" in data else None
    if "mode" in data and mode is None:
        problems.append(("notices.file.bad_mode", {"value": data["mode"]}))

    texts: dict[str, str] = {}
    for name in ("title", "place", "agenda"):
        value = data.get(name, "")
        if not isinstance(value, str):
            problems.append(("notices.file.not_text", {"field": name}))
            value = ""
        texts[name] = value.strip()

    times: dict[str, datetime | None] = {}
    for name in ("start", "end", "deadline"):
        times[name] = None
        if name in data:
            times[name] = _when(data[name], zone=zone, now=now)
            if times[name] is None:
                problems.append(("notices.file.bad_time", {"field": name, "value": data[name]}))
    if "end" not in data and isinstance(data.get("start"), str):
        # start = "12月5日上午9:00-12:00" names the end too
        span = parse_when(data["start"], zone=zone, now=now)
        times["end"] = span.end if span is not None and span.timed else None

    audience = _audience(data.get("audience"), problems)
    attachment_name, attachment = _attachment(data.get("attachment"), base_dir, problems)

    if problems or kind is None or mode is None or audience is None:
        raise NoticeFileError(problems)
    starts_at, deadline = times["start"], times["deadline"]
    assert starts_at is not None and deadline is not None
    draft = NoticeDraft(
        kind=kind,
        title=texts["title"],
        starts_at=starts_at,
        ends_at=times["end"],
        place=texts["place"],
        agenda=texts["agenda"],
        mode=mode,
        reply_deadline=deadline,
        audience=audience,
        attachment_name=attachment_name,
        attachment=attachment,
    )
    problems = draft_problems(draft, now=now)
    if problems:
        raise NoticeFileError(problems)
    return draft


def _when(value: Any, *, zone: ZoneInfo, now: datetime) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value
    if isinstance(value, str):
        return parse_local_datetime(value, zone=zone, now=now)
    return None  # a bare TOML date or time says too little


def _audience(table: Any, problems: list[Problem]) -> Audience | None:
    if table is None:
        problems.append(("notices.file.missing", {"field": "audience"}))
        return None
    if not isinstance(table, Mapping):
        problems.append(("notices.file.bad_audience", {}))
        return None
    unknown = sorted(set(table) - set(_AUDIENCE_KEYS))
    for name in unknown:
        problems.append(("notices.file.unknown_field", {"field": f"audience.{name}"}))
    chosen = [k for k in _AUDIENCE_KEYS if k in table and table[k] not in (False, [], "")]
    if len(chosen) != 1:
        if not unknown:
            problems.append(("notices.file.bad_audience", {}))
        return None
    key = chosen[0]
    kind = _AUDIENCE_KEYS[key]
    value = table[key]
    if kind in (AudienceKind.ALL, AudienceKind.STANDING):
        if value is not True:
            problems.append(("notices.file.bad_audience", {}))
            return None
        values: tuple[str, ...] = ()
    elif isinstance(value, str):
        values = (value,)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        values = tuple(value)
    else:
        problems.append(("notices.file.bad_audience", {}))
        return None
    try:
        return Audience(kind, values)
    except UserError as exc:
        problems.append((exc.key, exc.params))
        return None


def _attachment(
    value: Any, base_dir: Path | None, problems: list[Problem]
) -> tuple[str | None, bytes | None]:
    if value is None:
        return None, None
    if not isinstance(value, str) or not value.strip():
        problems.append(("notices.file.not_text", {"field": "attachment"}))
        return None, None
    path = Path(value)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            problems.append(
                ("notices.attachment_too_large", {"limit_mb": MAX_ATTACHMENT_BYTES // 2**20})
            )
            return None, None
        return path.name, path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        problems.append(("notices.file.attachment_missing", {"path": str(path)}))
        return None, None
