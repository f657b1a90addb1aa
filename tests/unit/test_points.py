"""The points rules and the scoring: each item, caps, deductions, groups, grades, minimums,
recomputation after a rules change, and a bad rules file named by its line (pure logic)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.errors import ConfigError
from bot.notices.rules import CheckInRules
from bot.record.facts import (
    MemberFacts,
    meeting_facts,
    plenary_halfdays,
    proposal_facts,
    report_facts,
)
from bot.record.rules import DEFAULT_PATH, FACTS, PointsRules, load_points, parse_points
from bot.record.scoring import score
from storage.record import MeetingRow, ProposalRow, ReportRow

ZONE = ZoneInfo("Asia/Shanghai")


def sample() -> PointsRules:
    return load_points(DEFAULT_PATH)


def hundred_point_text() -> str:
    """The 百分制 shape documented in the sample's comments, uncommented as the comments say."""
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    block = text.split("# 百分制开始\n")[1].split("# 百分制结束")[0]
    return "\n".join(line.removeprefix("# ").removeprefix("#") for line in block.splitlines())


def hundred() -> PointsRules:
    return parse_points(hundred_point_text())


# -- the district shape (the sample) --------------------------------------------------------
@pytest.mark.parametrize(
    ("counts", "total"),
    [
        ({"plenary_halfdays": 4}, 20),  # 5 per half-day of plenary
        ({"activity_attended": 3}, 15),  # 5 per activity
        ({"standing_attended": 2, "meeting_attended": 1}, 15),
        ({"proposal_lead_submitted": 1, "proposal_lead_registered": 1}, 15),  # lead: 15
        ({"proposal_cosigned_submitted": 1, "proposal_cosigned_registered": 1}, 3),  # co-signer: 3
        ({"proposal_lead_registered": 1, "proposal_lead_key": 1}, 30),  # key: +15
        ({"proposal_cosigned_registered": 1, "proposal_cosigned_key": 1}, 6),  # key: +3
        ({"proposal_lead_registered": 1, "proposal_lead_excellent": 1}, 25),  # excellent: +10
        ({"proposal_cosigned_registered": 1, "proposal_cosigned_excellent": 1}, 5),  # +2
        ({"report_submitted": 1, "report_adopted_city": 1}, 7),
        ({"report_submitted": 1, "report_adopted_province": 1}, 12),
        ({"report_submitted": 1, "report_adopted_national": 1}, 22),
        ({"report_submitted": 1, "report_instruction": 1}, 12),
        ({"reading_checkins": 3, "reading_notes": 2}, 7),
        ({"speech": 2}, 10),
        ({"training_full": 1}, 10),
        ({"plenary_leave": 2, "standing_leave": 1}, 0),  # 请假 costs nothing here
    ],
)
def test_each_item_of_the_sample_scores_its_points(counts: dict[str, int], total: float) -> None:
    assert score(sample(), counts).total == total


def test_caps_limit_an_item_and_say_so() -> None:
    s = score(sample(), {"report_submitted": 15, "reading_checkins": 25})
    reports = s.of("report_submitted")
    assert reports is not None and reports.points == 20 and reports.capped
    reading = s.of("reading_checkins")
    assert reading is not None and reading.points == 10 and reading.capped
    assert s.total == 30


def test_unexcused_absence_is_a_deduction_and_the_total_never_goes_negative() -> None:
    s = score(sample(), {"plenary_halfdays": 2, "plenary_absent": 1, "standing_absent": 1})
    assert (s.total, s.deductions) == (0, 15)  # 10 − 10 − 5, floored at zero
    s = score(sample(), {"plenary_halfdays": 6, "meeting_absent": 2})
    assert (s.total, s.deductions) == (26, 4)


def test_corrections_never_count_below_zero() -> None:
    assert score(sample(), {"plenary_absent": -1, "speech": 1}).total == 5


def test_yearly_minimums_name_what_is_missing() -> None:
    s = score(sample(), {"plenary_halfdays": 2, "activity_attended": 1, "meeting_attended": 1})
    assert [(f.text, f.have) for f in s.shortfalls] == [
        ("至少参加 3 次会议或活动", 2),
        ("至少提交 1 件提案", 0),
        ("至少报送 1 篇社情民意信息", 0),
    ]
    # a co-signed proposal meets the proposal minimum too
    done = {
        "plenary_halfdays": 2,
        "activity_attended": 3,
        "proposal_cosigned_submitted": 1,
        "report_submitted": 1,
    }
    assert score(sample(), done).shortfalls == ()


# -- the 100-point shape -----------------------------------------------------------------
def test_hundred_point_shape_starts_meetings_at_fifty_and_deducts() -> None:
    rules = hundred()
    assert rules.max_total == 100
    s = score(rules, {})
    assert [(g.label, g.points) for g in s.groups] == [
        ("会议", 50),
        ("提案", 0),
        ("社情民意与其他", 0),
    ]
    s = score(rules, {"meeting_absent": 1, "plenary_absent": 1})
    assert s.groups[0].points == 35 and s.deductions == 15  # −5 and −10
    s = score(rules, {"standing_absent": 20})
    assert s.groups[0].points == 0  # the group's floor


def test_hundred_point_groups_are_capped() -> None:
    s = score(hundred(), {"proposal_lead_submitted": 3, "proposal_lead_registered": 3})
    assert s.groups[1].raw == 60 and s.groups[1].points == 30
    assert s.total == 80


@pytest.mark.parametrize(
    ("others", "grade"),
    [
        # meetings 50 + proposals 30 + others (5 per report)
        (2, "优秀"),  # 90
        (1, "良好"),  # 85
        (0, "良好"),  # 80
    ],
)
def test_hundred_point_grades_at_their_thresholds(others: int, grade: str) -> None:
    counts = {"proposal_lead_submitted": 3, "report_submitted": others}
    assert score(hundred(), counts).grade == grade


def test_hundred_point_grades_below_eighty() -> None:
    rules = hundred()
    assert score(rules, {"plenary_absent": 1, "proposal_lead_submitted": 3}).grade == "称职"  # 70
    assert score(rules, {"proposal_lead_submitted": 1}).grade == "称职"  # 60
    assert score(rules, {"standing_absent": 1, "proposal_lead_submitted": 1}).grade == "不称职"
    assert score(rules, {}).grade == "不称职"  # 50


def test_changing_the_rules_recomputes_from_the_same_facts() -> None:
    facts = {
        "plenary_halfdays": 2,
        "proposal_lead_registered": 1,
        "proposal_cosigned_registered": 2,
    }
    before = score(sample(), facts)
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    richer = text.replace(
        '[items.proposal_cosigned_registered]\nlabel = "提案立案（联名提案人）"\nunit = "件"\npoints = 3',
        '[items.proposal_cosigned_registered]\nlabel = "提案立案（联名提案人）"\nunit = "件"\npoints = 5',
    )
    assert richer != text
    after = score(parse_points(richer), facts)
    assert (before.total, after.total) == (31, 35)


# -- the rules file ----------------------------------------------------------------------
def test_the_sample_is_marked_and_loads() -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert "示例" in text.splitlines()[0]
    rules = sample()
    assert rules.title.startswith("示例")
    assert {i.key for i in rules.items if not i.manual} <= set(FACTS)
    assert [g.name for g in rules.grades] == ["优秀", "良好", "称职", "不称职"]
    assert rules.item("大会发言") is rules.item("speech") is not None


BASE = 'title = "本会"\n\n[items.speech]\nlabel = "大会发言"\nmanual = true\npoints = 5\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            BASE + '\n[items.plenery_attended]\nlabel = "出席"\npoints = 5\n',
            "第 8 行 [items.plenery_attended]：机器人不统计项目 plenery_attended",
        ),
        (
            BASE.replace("points = 5", 'points = "五"'),
            "第 6 行 [items.speech] points：points 应为数字，现为 五",
        ),
        (
            BASE.replace("manual = true", "manual = 1"),
            "第 5 行 [items.speech] manual：manual 只能是 true 或 false",
        ),
        (BASE + "cap = -3\n", "第 7 行 [items.speech] cap：cap 不能小于 0"),
        (
            BASE + 'group = "meetings"\n',
            "第 7 行 [items.speech] group：分组 meetings 没有在 [groups.meetings] 中定义",
        ),
        (BASE + 'colour = "red"\n', "第 7 行 [items.speech] colour：不认识的设置项 colour"),
        (BASE.replace('"本会"', '""'), "第 1 行 title：title 应填写文字"),
        (
            BASE
            + '\n[[grades]]\nname = "优秀"\nmin = 90\n\n[[grades]]\nname = "良好"\nmin = "八十"\n',
            "第 14 行 第 2 个 [[grades]] min：min 应为数字，现为 八十",
        ),
        (
            BASE + '\n[[minimums]]\ntext = "至少 {count} 次"\nitems = ["spech"]\ncount = 1\n',
            "第 10 行 第 1 个 [[minimums]] items：项目 spech 既不在 [items] 中，也不是机器人统计的项目",
        ),
        (BASE + "\n[items.x\n", "第 8 行第 9 列写法有误"),
        ('title = "本会"\n', "items：至少要有一个积分项目"),
    ],
)
def test_a_bad_rules_file_is_named_by_line_in_chinese(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_points(text, source="本会积分.toml")
    assert str(error.value).startswith("积分规则 本会积分.toml")
    assert message in str(error.value)


def test_a_missing_rules_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="找不到积分规则文件"):
        load_points(tmp_path / "nope.toml")


# -- facts ---------------------------------------------------------------------------------
def _meeting(**kw: object) -> MeetingRow:
    values: dict[str, object] = {
        "member_id": 1,
        "notice_id": 1,
        "kind": "plenary",
        "title": "全体会议",
        "mode": "required",
        "starts_at": datetime(2026, 3, 10, 1, 0, tzinfo=UTC),  # 09:00 local
        "ends_at": datetime(2026, 3, 10, 4, 0, tzinfo=UTC),
        "answer": None,
        "leave_decision": None,
        "checked_in_at": None,
    }
    return MeetingRow(**(values | kw))  # type: ignore[arg-type]


LATER = datetime(2026, 4, 1, tzinfo=UTC)


def _items(row: MeetingRow, now: datetime = LATER) -> dict[str, int]:
    facts = MemberFacts()
    for fact in meeting_facts(row, now=now, zone=ZONE, check_in=CheckInRules()):
        facts.add(fact)
    return facts.counts


def test_meetings_count_as_attended_leave_or_absent() -> None:
    at = datetime(2026, 3, 10, 1, 5, tzinfo=UTC)
    assert _items(_meeting(checked_in_at=at)) == {"plenary_attended": 1, "plenary_halfdays": 1}
    assert _items(_meeting(kind="standing", answer="leave", leave_decision="approved")) == {
        "standing_leave": 1
    }
    # leave asked but refused (or never decided) and no sign-in: unexcused
    assert _items(_meeting(answer="leave", leave_decision="declined")) == {"plenary_absent": 1}
    assert _items(_meeting(kind="bimonthly")) == {"meeting_absent": 1}
    # 报名参加: not signing up is no absence; signing up and staying away is
    assert _items(_meeting(kind="inspection", mode="signup")) == {}
    assert _items(
        _meeting(kind="inspection", mode="signup", answer="leave", leave_decision="noted")
    ) == {"activity_leave": 1}
    assert _items(_meeting(kind="other", mode="signup", answer="attend")) == {"activity_absent": 1}
    # before the check-in closes, nothing yet
    assert _items(_meeting(), now=datetime(2026, 3, 10, 2, 0, tzinfo=UTC)) == {}


def test_plenary_half_days_follow_the_local_clock() -> None:
    start = datetime(2026, 3, 10, 0, 30, tzinfo=UTC)  # 08:30 local
    assert plenary_halfdays(start, None, ZONE) == 1
    assert plenary_halfdays(start, start + timedelta(hours=3, minutes=40), ZONE) == 1  # to 12:10
    assert plenary_halfdays(start, start + timedelta(hours=9), ZONE) == 2  # to 17:30
    assert plenary_halfdays(start, start + timedelta(days=2, hours=3, minutes=30), ZONE) == 5


def _proposal(**kw: object) -> ProposalRow:
    values: dict[str, object] = {
        "member_id": 1,
        "lead": True,
        "proposal_id": 7,
        "number": "2026-007",
        "title": "关于……的提案",
        "status": "registered",
        "registered": True,
        "is_key": False,
        "merged": False,
    }
    return ProposalRow(**(values | kw))  # type: ignore[arg-type]


def test_proposals_count_for_the_lead_author_and_the_cosigner_apart() -> None:
    lead = [f.item for f in proposal_facts(_proposal(is_key=True))]
    assert lead == ["proposal_lead_submitted", "proposal_lead_registered", "proposal_lead_key"]
    signed = [f.item for f in proposal_facts(_proposal(lead=False, registered=False, merged=True))]
    assert signed == ["proposal_cosigned_submitted", "proposal_cosigned_merged"]


def test_reports_count_each_adoption_level_once() -> None:
    row = ReportRow(
        member_id=1, report_id=1, title="丙", status="adopted", levels=("city", "province", "city")
    )
    items = [f.item for f in report_facts(row)]
    assert items == ["report_submitted", "report_adopted_city", "report_adopted_province"]
