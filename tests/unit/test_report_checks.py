from __future__ import annotations

from dataclasses import replace

import pytest

from bot.proposals.checks import explain
from bot.proposals.report_checks import check_report
from tests.support.proposal_texts import GOOD_REPORT


def keys(**changes: object) -> list[str]:
    return [
        f.key.removeprefix("reports.check.") for f in check_report(replace(GOOD_REPORT, **changes))
    ]


def test_a_good_report_draws_no_finding() -> None:
    assert check_report(GOOD_REPORT) == []


@pytest.mark.parametrize("part", ["category", "title", "situation", "cause", "suggestions"])
def test_every_element_is_required(part: str) -> None:
    findings = check_report(replace(GOOD_REPORT, **{part: ""}))
    assert findings[0].key == f"reports.check.missing_{part}" and findings[0].blocking


def test_kept_from_the_public_needs_a_reason() -> None:
    assert keys(public=False) == ["private_needs_reason"]
    assert keys(public=False, private_reason="涉及个别单位，公开后可能引起误读") == []


def test_over_the_length_limit_is_a_warning() -> None:
    finding = check_report(replace(GOOD_REPORT, situation=GOOD_REPORT.situation * 20))[0]
    assert finding.key == "reports.check.too_long" and not finding.blocking
    assert "请精简" in str(explain(finding))


def test_numbering_is_optional_in_a_report_but_slogans_are_not_suggestions() -> None:
    assert keys(suggestions="建议每个街道至少一个社区卫生服务中心开设夜间门诊。") == []
    assert keys(suggestions="建议有关部门高度重视，切实加强。") == ["only_slogans"]
    assert keys(suggestions="希望社区卫生服务中心想想办法。") == ["all_vague"]


def test_suggestions_of_a_few_characters_block_the_report() -> None:
    [finding] = check_report(replace(GOOD_REPORT, suggestions="无"))
    assert finding.key == "reports.check.suggestions_too_short" and finding.blocking
    assert "只有 1 个字" in str(explain(finding))


def test_a_long_report_is_a_warning_not_a_block() -> None:
    # 社情民意: "篇幅一般不超过一千五百字" is a guideline (over_length_blocks = false).
    [finding] = check_report(replace(GOOD_REPORT, situation=GOOD_REPORT.situation * 20))
    assert (finding.key, finding.blocking) == ("reports.check.too_long", False)


def test_routine_work_items_do_not_belong_in_a_report() -> None:
    found = check_report(replace(GOOD_REPORT, title="我委读书活动顺利召开"))
    assert [(f.key, f.params) for f in found] == [("reports.check.routine", {"word": "顺利召开"})]


def test_unknown_category_blocks() -> None:
    assert keys(category="航天") == ["unknown_category"]
