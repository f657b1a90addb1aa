from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length
from openpyxl import load_workbook

from bot.proposals.documents.docx import proposal_docx, proposal_file_name
from bot.proposals.documents.report_docx import report_docx, report_file_name
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
    table = doc.tables[0]  # the proposers; the office block follows once registered
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["身份", "姓名", "界别", "工作单位及职务", "联系电话", "通讯地址"]
    assert rows[1] == [
        "第一提案人",
        "王芳",
        "教育界",
        "市第一中学",  # the roster's unit; its title (委员, 常委) is not asked
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


def _mm(*lengths: Length | None) -> tuple[int, ...]:
    return tuple(round(x.mm) if x is not None else 0 for x in lengths)


def _east_asia(run: object) -> str:
    return str(run.element.rPr.rFonts.get(qn("w:eastAsia")))  # type: ignore[attr-defined]


def test_docx_is_a4_with_the_session_line_and_chinese_fonts() -> None:
    data = proposal_docx(
        proposal(status="submitted", registered_at=None, number=None),
        committee="政协郑州市委员会",
        session_line="第十四届委员会第三次会议",
        zone=ZONE,
    )
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert _mm(section.page_width, section.page_height) == (210, 297)  # A4, not US Letter
    text = paragraphs(data)
    assert text[:3] == ["政协郑州市委员会", "第十四届委员会第三次会议", "提　案"]
    by_text = {p.text: p for p in doc.paragraphs}
    assert _east_asia(by_text["提　案"].runs[0]) == "方正小标宋简体"
    assert _east_asia(by_text["一、情况分析"].runs[0]) == "黑体"
    body = next(p for p in doc.paragraphs if p.text.startswith("近年来"))
    assert _east_asia(body.runs[0]) == "仿宋_GB2312"
    # table cells and anything without its own font fall back to the document defaults,
    # which name 仿宋_GB2312 instead of the template's theme font
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:eastAsiaTheme")) is None
    cell = doc.tables[0].rows[1].cells[1]
    assert _east_asia(cell.paragraphs[0].runs[0]) == "仿宋_GB2312"
    # a draft has no office block yet
    assert "审查意见" not in "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "【重点提案】" not in text


def test_phone_numbers_do_not_wrap() -> None:
    doc = Document(io.BytesIO(proposal_docx(proposal(), committee="示例市政协", zone=ZONE)))
    table = doc.tables[0]
    column = [c.text for c in table.rows[0].cells].index("联系电话")
    for row in table.rows[1:]:
        cell = row.cells[column]
        assert cell.text == "13800000001"
        assert cell._tc.tcPr.find(qn("w:noWrap")) is not None
        # wide enough for 11 digits at 10.5 pt with the cell's margins
        assert cell.width is not None and cell.width.cm >= 2.6
    widths = [c.width.cm for c in table.rows[0].cells]
    assert sum(widths) <= 15.6 + 0.01  # fits A4's text width


def test_registered_key_proposal_carries_the_office_block() -> None:
    registered = proposal(is_key=True)
    doc = Document(io.BytesIO(proposal_docx(registered, committee="示例市政协", zone=ZONE)))
    assert "【重点提案】" in [p.text for p in doc.paragraphs]
    office = [[c.text for c in r.cells] for r in doc.tables[-1].rows]
    assert office == [["审查意见", "经审查，同意立案。（2025年3月7日）"]]

    assigned = proposal(
        status="assigned",
        lead_unit="市教育局",
        co_units=["市财政局", "市住建局"],
        deadline_at=datetime(2025, 6, 30, 16, 0, tzinfo=UTC),  # 1 July in Zhengzhou
    )
    doc = Document(io.BytesIO(proposal_docx(assigned, committee="示例市政协", zone=ZONE)))
    office = [[c.text for c in r.cells] for r in doc.tables[-1].rows]
    assert office == [
        ["审查意见", "经审查，同意立案。（2025年3月7日）"],
        ["承办单位", "主办：市教育局；会办：市财政局、市住建局"],
        ["办理期限", "2025年7月1日"],
    ]


def _report(**kw: object) -> Report:
    values: dict[str, object] = {
        "id": 7,
        "year": 2025,
        "author_id": 1,
        "status": "submitted",
        "category": GOOD_REPORT.category,
        "title": GOOD_REPORT.title,
        "situation": GOOD_REPORT.situation,
        "cause": GOOD_REPORT.cause,
        "suggestions": GOOD_REPORT.suggestions,
        "reporter": WANG,
        "submitted_at": SUBMITTED,
    }
    return Report(**(values | kw))


def test_report_docx_in_the_usual_layout() -> None:
    data = report_docx(_report(), committee="政协郑州市委员会", zone=ZONE)
    doc = Document(io.BytesIO(data))
    assert _mm(doc.sections[0].page_width, doc.sections[0].page_height) == (210, 297)
    text = paragraphs(data)
    assert text[:3] == ["政协郑州市委员会", "社情民意信息", f"标题：{GOOD_REPORT.title}"]
    heads = [text.index(h) for h in ("一、基本情况", "二、原因分析", "三、意见建议")]
    assert heads == sorted(heads)
    assert text[heads[0] + 1] == GOOD_REPORT.situation.splitlines()[0].strip()
    assert text[-2:] == ["是否同意公开：是", "报送日期：2025年3月4日"]
    grid = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert grid[0] == ["反映人", "王芳", "界别", "教育界"]
    assert grid[1][:2] == ["单位", "市第一中学"]
    assert grid[2] == ["联系方式", "13800000001", "类别", GOOD_REPORT.category]
    assert grid[3][:2] == ["紧急程度", "一般"]
    assert doc.tables[0].rows[2].cells[1]._tc.tcPr.find(qn("w:noWrap")) is not None
    assert _east_asia(doc.paragraphs[1].runs[0]) == "方正小标宋简体"
    assert report_file_name(_report(title="a/b")) == "社情民意信息-7_ab.docx"


def test_report_docx_says_why_not_public() -> None:
    private = _report(public=False, private_reason="涉及举报人隐私", urgency="urgent")
    text = paragraphs(report_docx(private, committee="示例市政协", zone=ZONE))
    assert "是否同意公开：否（涉及举报人隐私）" in text
