from __future__ import annotations

from dataclasses import replace

import pytest

from bot.proposals.checks import explain, has_blocking, split_items
from bot.proposals.proposal_checks import (
    ProposalText,
    check_proposal,
    comparison_text,
    suggest_title,
    title_core,
)
from bot.proposals.similarity import SimilarityIndex
from tests.support.proposal_texts import (
    CHILDCARE_SITUATION,
    GOOD_PROPOSAL,
    PARKING_PROPOSAL,
)


def keys(text: ProposalText, **kw: object) -> list[str]:
    return [f.key.removeprefix("proposals.check.") for f in check_proposal(text, **kw)]


def test_a_good_proposal_draws_no_finding() -> None:
    assert check_proposal(GOOD_PROPOSAL) == []
    assert check_proposal(PARKING_PROPOSAL) == []


@pytest.mark.parametrize(
    ("part", "key"),
    [
        ("title", "missing_title"),
        ("situation", "missing_situation"),
        ("suggestions", "missing_suggestions"),
    ],
)
def test_a_missing_part_blocks_submission(part: str, key: str) -> None:
    findings = check_proposal(replace(GOOD_PROPOSAL, **{part: "  \n "}))
    assert findings[0].key == f"proposals.check.{key}"
    assert findings[0].blocking
    assert has_blocking(findings)


def test_blocking_findings_come_first_and_read_as_chinese() -> None:
    findings = check_proposal(ProposalText(title="托育", field="教育"))
    assert [f.blocking for f in findings] == sorted((f.blocking for f in findings), reverse=True)
    assert "缺少情况分析" in str(explain(findings[0]))


def test_title_is_helped_into_the_conventional_frame() -> None:
    assert suggest_title("加快发展普惠托育服务的建议") == "关于加快发展普惠托育服务的提案"
    assert suggest_title("《关于加快发展普惠托育服务提案》") == "关于加快发展普惠托育服务的提案"
    assert title_core("关于加快发展普惠托育服务的提案") == "加快发展普惠托育服务"
    findings = check_proposal(replace(GOOD_PROPOSAL, title="加快发展普惠托育服务"))
    frame = next(f for f in findings if f.key.endswith("title_frame"))
    assert frame.params["suggested"] == "关于加快发展普惠托育服务的提案"
    assert not frame.blocking


def test_title_length_is_checked_on_the_matter_itself() -> None:
    assert "title_short" in keys(replace(GOOD_PROPOSAL, title="关于托育的提案"))
    long_title = "关于" + "加快发展普惠托育服务" * 5 + "的提案"
    assert "title_long" in keys(replace(GOOD_PROPOSAL, title=long_title))


def test_a_title_about_something_else_than_the_body_is_noticed() -> None:
    assert "title_mismatch" in keys(replace(GOOD_PROPOSAL, title="关于加强黄河滩区湿地保护的提案"))


def test_body_length_against_the_configured_limits() -> None:
    # The sample rulebook: 正文 "最多不超过一千五百字", so a longer body cannot go in.
    long = replace(GOOD_PROPOSAL, situation=CHILDCARE_SITUATION * 8)
    finding = next(f for f in check_proposal(long) if f.key.endswith("too_long_blocking"))
    assert finding.params["max"] == "1500" and int(finding.params["count"]) > 1500
    assert finding.blocking
    shown = str(explain(finding))
    assert f"正文有 {finding.params['count']} 字" in shown and "1500 字以内" in shown
    short = replace(GOOD_PROPOSAL, situation="托位不足。")
    assert "too_short" in keys(short)


def test_several_matters_in_one_proposal() -> None:
    assert "several_matters_title" in keys(
        replace(GOOD_PROPOSAL, title="关于托育服务若干问题的提案")
    )
    scattered = replace(
        GOOD_PROPOSAL,
        suggestions=(
            "1. 在每个街道设立普惠性幼儿园和托育机构，增加学校学位。\n"
            "2. 对社区医院的医生给予每月500元补贴，方便患者就医。\n"
            "3. 划定河道排放口整治清单，治理水质污染。"
        ),
    )
    finding = next(f for f in check_proposal(scattered) if f.key.endswith("several_matters_fields"))
    assert finding.params["fields"] == "教育、医疗卫生、生态环境"


def test_suggestions_that_are_only_slogans_block_submission() -> None:
    slogans = replace(
        GOOD_PROPOSAL,
        suggestions="一是高度重视，提高认识；二是加强领导，形成合力；三是营造良好氛围。",
    )
    [finding] = [f for f in check_proposal(slogans) if f.key.endswith("only_slogans")]
    assert finding.blocking and "not_numbered" not in keys(slogans)
    assert "只有“高度重视”“提高认识”“加强领导”这类套话" in str(explain(finding))
    unnumbered = replace(
        GOOD_PROPOSAL, suggestions="希望有关部门进一步重视托育工作，加大工作力度。"
    )
    found = keys(unnumbered)
    assert "not_numbered" in found and "only_slogans" in found
    # vague but not slogans: explained, left to the member
    vague = replace(GOOD_PROPOSAL, suggestions="托育这件事情很重要，希望大家都来关心关心。")
    found_vague = check_proposal(vague)
    assert "all_vague" in keys(vague) and not has_blocking(found_vague)
    mixed = replace(
        GOOD_PROPOSAL,
        suggestions="1. 市财政对普惠托育机构按每个托位每年2000元给予补贴。\n2. 高度重视，常抓不懈。",
    )
    finding = next(f for f in check_proposal(mixed) if f.key.endswith("some_vague"))
    assert finding.params == {"count": "1", "example": "高度重视，常抓不懈。"}


@pytest.mark.parametrize(
    ("sentence", "ground"),
    [
        ("该纠纷目前已向区法院提起诉讼，尚未判决。", "litigation"),
        ("我父亲退休后养老金一直没有调整。", "personal"),
        ("建议全市学校统一采购我公司生产的护眼灯。", "promotion"),
        ("某镇王镇长贪污扶贫款，我实名举报。", "accusation"),
        ("此事涉及内部文件，不宜公开。", "secrets"),
        ("本文试对托育概念的学术观点作一商榷。", "academic"),
    ],
)
def test_vocabulary_of_the_grounds_for_non_registration(sentence: str, ground: str) -> None:
    text = replace(GOOD_PROPOSAL, situation=CHILDCARE_SITUATION + sentence)
    hits = [f for f in check_proposal(text) if f.key.endswith(".ground")]
    assert [f.params["ground"] for f in hits] == [ground]
    assert "可能属于不予立案的情形" in str(explain(hits[0]))


def test_corruption_in_general_is_no_accusation() -> None:
    text = replace(
        GOOD_PROPOSAL, situation=CHILDCARE_SITUATION + "应畅通举报渠道，严防托育补贴被贪污挪用。"
    )
    assert "ground" not in keys(text)


def test_a_similar_proposal_this_term_is_offered_for_co_signing() -> None:
    index = SimilarityIndex(
        [
            (7, "关于发展普惠性托育服务的提案", comparison_text(GOOD_PROPOSAL)),
            (8, PARKING_PROPOSAL.title, comparison_text(PARKING_PROPOSAL)),
        ]
    )
    similar = [f for f in check_proposal(GOOD_PROPOSAL, similar=index) if f.key.endswith("similar")]
    assert [f.params["proposal_id"] for f in similar] == ["7"]
    assert similar[0].params["score"] == "100%"
    # the draft itself (already in the index once saved) is not its own duplicate
    assert keys(GOOD_PROPOSAL, similar=index, exclude=7) == []


def test_numbered_items_as_members_type_them() -> None:
    assert split_items("建议：\n1、建立机制\n2.设立基金；3）增加投入") == (
        ["建立机制", "设立基金", "增加投入"],
        True,
    )
    assert split_items("（一）建立 （二）完善 ③ 推广")[0] == ["建立", "完善", "推广"]
    assert split_items("增长了3.5万元。第2条规定") == (["增长了3.5万元。第2条规定"], False)


def test_unknown_field_blocks_and_missing_field_warns() -> None:
    unknown = check_proposal(replace(GOOD_PROPOSAL, field="航天"))
    assert unknown[0].key.endswith("unknown_field") and unknown[0].blocking
    missing = check_proposal(replace(GOOD_PROPOSAL, field=""))
    assert [(f.key.rsplit(".", 1)[1], f.severity) for f in missing] == [("no_field", "warning")]
