from __future__ import annotations

from bot.domain.roles import Role, parse_role_words
from bot.roster.phones import normalize_phone
from bot.roster.rows import validate_rows


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


def test_invisible_characters_are_removed_from_cells() -> None:
    from bot.roster.rows import clean_cell

    good, problems = validate_rows(
        [
            (
                2,
                {
                    "\ufeff姓名": "\u202e梅秀李\u200b",
                    " 手机 号": "138\u200b0000 0001",
                    "界别": "经济\n界",
                },
            )
        ]
    )
    assert problems == []
    assert (good[0].name, good[0].phone, good[0].sector) == ("梅秀李", "13800000001", "经济 界")
    assert clean_cell("  张\u2066三\u2069\x07 ") == "张三"


def test_headers_are_checked_once_for_the_file() -> None:
    from bot.roster.rows import check_headers

    english = check_headers(["Name", "Sector", "Phone"])
    assert english.missing == ("name", "phone") and english.unknown == ("Name", "Sector", "Phone")
    ours = check_headers(["姓名", "职务／角色", " 手机号 ", "序号", None])
    assert ours.missing == () and ours.unknown == ("序号",)
    assert ours.fields == {"name", "roles", "phone"}


def test_a_wecom_account_column_is_read_and_checked() -> None:
    rows = [
        (2, {"姓名": "王一", "手机号": "13800000001", "企业微信账号": " ZhangSan01 "}),
        (3, {"姓名": "李二", "手机号": "13800000002", "企业微信账号": ""}),
        (4, {"姓名": "张三", "手机号": "13800000003", "企业微信账号": "zhangsan01"}),
        (5, {"姓名": "赵四", "手机号": "13800000004", "企业微信账号": "赵四"}),
        (6, {"姓名": "钱五", "手机号": "13800000005", "企业微信账号": "-qian"}),
        (7, {"姓名": "孙六", "手机号": "13800000006", "企业微信账号": "s" * 65}),
        (8, {"姓名": "周七", "手机号": "13800000007", "企业微信": "zhou.qi@gov-1_x"}),
    ]
    good, problems = validate_rows(rows)
    assert [(g.name, g.wecom_userid) for g in good] == [
        ("王一", "ZhangSan01"),
        ("李二", ""),
        ("周七", "zhou.qi@gov-1_x"),
    ]
    assert [(p.line, p.reason, p.value) for p in problems] == [
        (4, "roster.reject_duplicate_wecom", "2"),  # userids are case-insensitive
        (5, "roster.reject_bad_wecom_userid", "赵四"),
        (6, "roster.reject_bad_wecom_userid", "-qian"),
        (7, "roster.reject_bad_wecom_userid", "s" * 65),
    ]
