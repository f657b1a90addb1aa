"""`committee-bot notices send FILE`: a good file becomes a draft, a bad one says what is wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.catalogue import catalogue
from bot.notices.draft import NoticeFileError, parse_notice_file, parse_notice_text
from bot.notices.rules import AttendanceMode, AudienceKind, MeetingKind

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 2, 20, 2, 0, tzinfo=UTC)

GOOD = """
kind = "全体会议"
title = "市政协十四届三次会议"
start = 2025-03-01T09:00:00
end = "2025-03-01 12:00"
place = "市政协会议中心"
agenda = \"\"\"一、听取常委会工作报告
二、审议提案工作情况报告\"\"\"
mode = "必须参加"
deadline = "2月26日 下午6点"

[audience]
sectors = ["经济界", "教育界"]
"""


def problems(text: str, **kwargs: object) -> list[str]:
    with pytest.raises(NoticeFileError) as info:
        parse_notice_text(text, zone=ZONE, now=NOW, **kwargs)  # type: ignore[arg-type]
    keys = [key for key, _ in info.value.problems]
    # every problem renders as a Chinese sentence from the catalogue
    for key, params in info.value.problems:
        assert catalogue().s(key, **params)
    return keys


def test_good_file_becomes_a_draft_in_local_time() -> None:
    draft = parse_notice_text(GOOD, zone=ZONE, now=NOW)
    assert draft.kind == MeetingKind.PLENARY and draft.mode == AttendanceMode.REQUIRED
    assert draft.starts_at == datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
    assert draft.ends_at == datetime(2025, 3, 1, 4, 0, tzinfo=UTC)
    assert draft.reply_deadline == datetime(2025, 2, 26, 10, 0, tzinfo=UTC)
    assert draft.audience.kind == AudienceKind.SECTORS
    assert draft.audience.values == ("经济界", "教育界")
    assert draft.agenda.startswith("一、")


def test_every_problem_is_reported_at_once() -> None:
    bad = 'kind = "茶话会"\ntitle = 3\nmode = "看心情"\nstart = "下周"\ncolour = "red"\n'
    keys = problems(bad)
    assert "notices.file.bad_kind" in keys
    assert "notices.file.not_text" in keys
    assert "notices.file.bad_mode" in keys
    assert "notices.file.bad_time" in keys
    assert "notices.file.unknown_field" in keys
    assert keys.count("notices.file.missing") == 3  # place, deadline, audience


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(NoticeFileError) as info:
        parse_notice_text('title = "未闭合\n', zone=ZONE, now=NOW)
    key, params = info.value.problems[0]
    assert key == "notices.file.syntax" and "line 1" in params["detail"]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (
            ('deadline = "2月26日 下午6点"', "deadline = 2025-03-02T09:00:00"),
            "notices.deadline_after_start",
        ),
        (("start = 2025-03-01T09:00:00", "start = 2025-02-01T09:00:00"), "notices.start_in_past"),
        (('end = "2025-03-01 12:00"', 'end = "2025-03-01 08:00"'), "notices.end_before_start"),
        (('title = "市政协十四届三次会议"', f'title = "{"长" * 101}"'), "notices.too_long"),
        (
            ('sectors = ["经济界", "教育界"]', "all = true\nstanding = true"),
            "notices.file.bad_audience",
        ),
        (('sectors = ["经济界", "教育界"]', "sectors = []"), "notices.file.bad_audience"),
        (('sectors = ["经济界", "教育界"]', "everyone = true"), "notices.file.unknown_field"),
        (
            ('sectors = ["经济界", "教育界"]', 'reading_group = ["甲", "乙"]'),
            "notices.audience_one_group",
        ),
    ],
)
def test_bad_values_are_refused(change: tuple[str, str], key: str) -> None:
    assert key in problems(GOOD.replace(*change))


def test_attachment_is_read_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "议程.pdf").write_bytes(b"%PDF-1.4 agenda")
    path = tmp_path / "notice.toml"
    path.write_text(GOOD + "\n", encoding="utf-8")
    text = GOOD.replace("[audience]", 'attachment = "议程.pdf"\n\n[audience]')
    path.write_text(text, encoding="utf-8")
    draft = parse_notice_file(path, zone=ZONE, now=NOW)
    assert (draft.attachment_name, draft.attachment) == ("议程.pdf", b"%PDF-1.4 agenda")
    path.write_text(text.replace("议程.pdf", "没有.pdf"), encoding="utf-8")
    with pytest.raises(NoticeFileError) as info:
        parse_notice_file(path, zone=ZONE, now=NOW)
    assert info.value.problems[0][0] == "notices.file.attachment_missing"


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(NoticeFileError) as info:
        parse_notice_file(tmp_path / "none.toml", zone=ZONE, now=NOW)
    assert info.value.problems[0][0] == "notices.file.not_found"
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(NoticeFileError) as info:
        parse_notice_file(gbk, zone=ZONE, now=NOW)
    assert info.value.problems[0][0] == "notices.file.not_utf8"


def test_deadline_after_now_is_required() -> None:
    later = NOW + timedelta(days=6, hours=12)  # 26 Feb, after 18:00 local
    with pytest.raises(NoticeFileError) as info:
        parse_notice_text(GOOD, zone=ZONE, now=later)
    assert "notices.deadline_in_past" in [k for k, _ in info.value.problems]


def test_natural_chinese_times_and_a_range_in_start() -> None:
    # NOW is Thursday 20 February 2025, 10:00 in Beijing
    text = GOOD.replace("start = 2025-03-01T09:00:00", 'start = "下周三上午9:00-12:00"')
    text = text.replace('end = "2025-03-01 12:00"\n', "")
    text = text.replace('deadline = "2月26日 下午6点"', 'deadline = "下周一下午6点"')
    draft = parse_notice_text(text, zone=ZONE, now=NOW)
    assert draft.starts_at == datetime(2025, 2, 26, 9, 0, tzinfo=ZONE)
    assert draft.ends_at == datetime(2025, 2, 26, 12, 0, tzinfo=ZONE)  # from the range
    assert draft.reply_deadline == datetime(2025, 2, 24, 18, 0, tzinfo=ZONE)
    # an explicit end wins over the range's
    explicit = text.replace("[audience]", 'end = "下周三中午12点半"\n\n[audience]')
    assert parse_notice_text(explicit, zone=ZONE, now=NOW).ends_at == datetime(
        2025, 2, 26, 12, 30, tzinfo=ZONE
    )
    # a weekday that contradicts the date is caught, not guessed
    wrong = GOOD.replace("start = 2025-03-01T09:00:00", 'start = "3月1日（周五）上午9点"')
    assert "notices.file.bad_time" in problems(wrong)


def test_the_template_is_a_valid_notice_as_printed(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bot.cli import main_group

    printed = CliRunner().invoke(main_group, ["notices", "template"]).output
    assert printed.startswith("# 会议通知文件")
    # every field is explained: each key of the format appears in the template
    for key in ("kind", "title", "start", "end", "place", "agenda", "mode", "deadline"):
        assert f"\n{key} = " in printed or f"\n# {key} = " in printed
    for key in ("attachment", "all", "standing", "sectors", "committees", "members"):
        assert f"{key} = " in printed
    # as printed, it parses into a notice for next week, whatever today is
    path = tmp_path / "notice.toml"
    path.write_text(printed, encoding="utf-8")
    for now in (NOW, datetime(2025, 12, 28, 15, 0, tzinfo=UTC)):
        draft = parse_notice_file(path, zone=ZONE, now=now)
        assert draft.kind == MeetingKind.STANDING and draft.audience.kind == AudienceKind.ALL
        assert draft.ends_at is not None and draft.starts_at < draft.ends_at
        assert now < draft.reply_deadline < draft.starts_at
