from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from docx import Document
from openpyxl import load_workbook

from bot.proposals.documents.docx import proposal_docx, proposal_file_name
from bot.proposals.documents.xlsx import proposals_xlsx
from storage.tables import Proposal, Report
from tests.support.proposal_texts import GOOD_PROPOSAL, GOOD_REPORT, PARKING_PROPOSAL

ZONE = ZoneInfo("Asia/Shanghai")
# 23:30 UTC on 3 March is 4 March in Zhengzhou: dates are shown in the committee's zone.
SUBMITTED = datetime(2025, 3, 3, 23, 30, tzinfo=UTC)
WANG = {
    "name": "王芳",
    "sector": "教育界",
    "unit": "市第一中学",
    "title": "校长",
    "phone": "13800000001",
    "address": "郑州市中原区建设路1号",
}
LI = {"name": "李强", "sector": "经济界", "unit": "市工商联", "phone": "13800000002"}


def proposal(**kw: object) -> Proposal:
    values: dict[str, object] = {
        "id": 1,
        "year": 2025,
        "author_id": 1,
        "kind": "joint",
        "status": "registered",
        "title": GOOD_PROPOSAL.title,
        "field": GOOD_PROPOSAL.field,
        "situation": GOOD_PROPOSAL.situation,
        "suggestions": GOOD_PROPOSAL.suggestions,
        "proposer": WANG,
        "number": "2025-001",
        "seq": 1,
        "submitted_at": SUBMITTED,
        "registered_at": SUBMITTED + timedelta(days=3),
    }
    return Proposal(**(values | kw))


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def test_docx_has_the_conventional_parts_in_order() -> None:
    data = proposal_docx(proposal(), cosigners=[LI], committee="政协郑州市委员会", zone=ZONE)
    doc = Document(io.BytesIO(data))
    text = paragraphs(data)
    assert text[:3] == ["政协郑州市委员会", "提　案", "提案编号：2025-001"]
    assert "案由：关于加快发展普惠托育服务的提案" in text
    situation, suggestions = text.index("一、情况分析"), text.index("二、具体建议")
    assert situation < suggestions
    assert text[situation + 1].startswith("近年来，我市0至3岁婴幼儿")
    assert text[suggestions + 1 : suggestions + 5] == [
        "为此，建议：",
        "1. 由市住建局牵头，将托育用房纳入新建住宅小区配套设施建设标准，每个街道至少建成一所普惠性托育机构。",
        "2. 市财政对普惠性托育机构按每个托位每年2000元给予运营补贴，并减免场地租金。",
        "3. 依托职业院校开设托育专业，每年培训托育从业人员1000人次，推行持证上岗。",
    ]
    assert text[-1] == "提交日期：2025年3月4日"
    [table] = doc.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["身份", "姓名", "界别", "工作单位及职务", "联系电话", "通讯地址"]
    assert rows[1] == [
        "第一提案人",
        "王芳",
        "教育界",
        "市第一中学 校长",
        "13800000001",
        "郑州市中原区建设路1号",
    ]
    assert rows[2][:3] == ["联名提案人", "李强", "经济界"]
    # Chinese glyphs come from the eastAsia font, which Word reads from rFonts
    run = doc.paragraphs[3].runs[0]
    assert run.element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )


def test_docx_of_an_unregistered_draft_with_markup_and_unnumbered_suggestions() -> None:
    draft = proposal(
        number=None,
        kind="individual",
        submitted_at=None,
        title="关于<b>托育</b>的提案\x0b",
        suggestions="建议加大投入。\n建议增设托位。",
    )
    text = paragraphs(proposal_docx(draft, committee="示例市政协", zone=ZONE))
    assert "提案编号：（立案后填写）" in text and "提案类型：个人提案" in text
    assert "案由：关于<b>托育</b>的提案" in text  # shown as typed, not interpreted
    assert text[-2:] == ["建议加大投入。", "建议增设托位。"]
    assert proposal_file_name(draft) == "draft-1_关于b托育b的提案.docx"


def test_file_name_has_no_path_characters() -> None:
    assert proposal_file_name(proposal(title="关于A/B\\C:的提案")) == "2025-001_关于ABC的提案.docx"
    assert proposal_file_name(proposal(number=None, id=9, title="")) == "draft-9_提案.docx"


def test_xlsx_reads_back_with_every_column() -> None:
    now = datetime(2025, 9, 1, tzinfo=UTC)
    rows = [
        proposal(
            status="assigned",
            is_key=True,
            lead_unit="市教育局",
            co_units=["市财政局", "市住建局"],
            assigned_at=datetime(2025, 4, 1, tzinfo=UTC),
            deadline_at=datetime(2025, 7, 1, tzinfo=UTC),
            round=2,
        ),
        proposal(
            id=2,
            number=None,
            seq=None,
            kind="individual",
            status="merged",
            merged_into=1,
            title='=HYPERLINK("http://evil","点我")',
            situation="含控制字符\x07的文本",
        ),
        proposal(
            id=3,
            number=None,
            seq=None,
            status="not_registered",
            ground="personal",
            decline_note="个人事务",
            converted_to="report",
            title=PARKING_PROPOSAL.title,
        ),
    ]
    report = Report(
        id=1,
        year=2025,
        author_id=1,
        status="adopted",
        category=GOOD_REPORT.category,
        title=GOOD_REPORT.title,
        situation=GOOD_REPORT.situation,
        cause=GOOD_REPORT.cause,
        suggestions=GOOD_REPORT.suggestions,
        reporter=WANG,
        urgency="urgent",
        levels=["city", "national"],
        submitted_at=SUBMITTED,
    )
    data = proposals_xlsx(
        rows, year=2025, zone=ZONE, now=now, cosigners={1: [LI]}, reports=[report]
    )
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["2025年提案", "2025年社情民意信息"]
    ws = wb["2025年提案"]
    table = [[c.value for c in r] for r in ws.iter_rows()]
    header = table[0]
    first = dict(zip(header, table[1], strict=True))
    assert header[:3] == ["提案编号", "案由", "类型"]
    assert first["联名提案人"] == "李强"
    assert first["会办单位"] == "市财政局、市住建局"
    assert first["重点提案"] == "是" and first["是否超期"] == "是" and first["办理轮次"] == 2
    assert first["提交日期"] == datetime(2025, 3, 4)  # a real date, in the committee's zone
    assert first["状态"] == "已交办"
    merged = dict(zip(header, table[2], strict=True))
    assert merged["案由"].startswith("=HYPERLINK") and ws.cell(3, 2).data_type == "s"
    assert merged["并入提案"] == "2025-001" and merged["情况分析"] == "含控制字符的文本"
    declined = dict(zip(header, table[3], strict=True))
    assert declined["不予立案理由"] == "涉及提案者本人及亲属的个人事务"
    assert declined["转办方式"] == "转为社情民意信息"
    reports = [[c.value for c in r] for r in wb["2025年社情民意信息"].iter_rows()]
    got = dict(zip(reports[0], reports[1], strict=True))
    assert got["采用情况"] == "市政协采用、全国政协采用" and got["紧急程度"] == "紧急"
    assert isinstance(got["报送日期"], datetime) and got["报送日期"].date() == date(2025, 3, 4)
