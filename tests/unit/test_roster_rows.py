from __future__ import annotations

from bot.domain.phones import normalize_phone
from bot.domain.roles import Role, parse_role_words
from bot.domain.roster_rows import validate_rows


def test_phone_forms_from_real_rosters() -> None:
    assert normalize_phone("138 0000 0001") == "13800000001"
    assert normalize_phone("+86-138-0000-0001") == "13800000001"
    assert normalize_phone("13800000001.0") == "13800000001"  # spreadsheet float
    assert normalize_phone("0371-66666666") is None
    assert normalize_phone("1380000001") is None


def test_role_words() -> None:
    assert parse_role_words("常委、秘书处") == {Role.STANDING, Role.SECRETARIAT}
    assert parse_role_words("") == {Role.MEMBER}
    assert parse_role_words("主任") is None


def test_every_bad_row_is_reported_with_its_reason() -> None:
    rows = [
        (2, {"姓名": "王一", "手机号": "13800000001", "职务/角色": "委员"}),
        (3, {"姓名": "", "手机号": "13800000002"}),
        (4, {"姓名": "李二", "手机号": "12345"}),
        (5, {"姓名": "张三", "手机号": "138 0000 0001"}),
        (6, {"姓名": "赵四", "手机号": "13800000004", "职务/角色": "队长"}),
        (7, {"姓名": None, "手机号": None}),  # blank line: ignored
    ]
    good, problems = validate_rows(rows)
    assert [g.name for g in good] == ["王一"]
    assert [(p.line, p.reason) for p in problems] == [
        (3, "roster.reject_missing_name"),
        (4, "roster.reject_bad_phone"),
        (5, "roster.reject_duplicate"),
        (6, "roster.reject_unknown_role"),
    ]
