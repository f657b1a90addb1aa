"""A public-opinion report (社情民意信息) as a DOCX in the usual layout on A4.

The committee's name and the heading; 标题; a table with 反映人, 界别, 单位, 联系方式,
类别 and 紧急程度; then 一、基本情况, 二、原因分析, 三、意见建议; whether the member agrees
to publication (是否同意公开, with the reason when not); the date it was sent.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot.catalogue import catalogue
from bot.proposals.documents import printable
from bot.proposals.documents.docx import format_date
from bot.proposals.documents.word import HEADING_FONT, TITLE_FONT, a4_document, line, write_cell

__all__ = ["ReportLike", "report_docx", "report_file_name"]


class ReportLike(Protocol):
    id: int | None
    title: str
    category: str
    situation: str
    cause: str
    suggestions: str
    reporter: dict[str, Any]
    public: bool
    private_reason: str
    urgency: str
    submitted_at: datetime | None


def report_file_name(r: ReportLike) -> str:
    """``社情民意信息-12_标题.docx``: no path characters."""
    forbidden = '\\/:*?"<>|\r\n\t'
    safe = "".join(ch for ch in printable(r.title) if ch not in forbidden)[:40]
    head = catalogue().s("documents.report.file_name_fallback")
    return f"{head}-{r.id}_{safe or head}.docx"


def report_docx(r: ReportLike, *, committee: str, zone: ZoneInfo) -> bytes:
    cat = catalogue()
    doc = a4_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    line(doc, committee, size=16, font=HEADING_FONT, align=center)
    line(doc, cat.s("documents.report.heading"), size=26, font=TITLE_FONT, align=center)
    line(doc, cat.s("documents.report.title", title=r.title), size=16, font=HEADING_FONT)

    who = r.reporter
    # Four columns, label and value twice a row; the unit takes a whole row.
    rows = [
        ("col_reporter", who.get("name", ""), "col_sector", who.get("sector", "")),
        ("col_unit", who.get("unit", ""), None, None),
        ("col_contact", who.get("phone", ""), "col_category", r.category),
        ("col_urgency", cat.s(f"reports.urgency.{r.urgency}"), None, None),
    ]
    table = doc.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    table.autofit = False
    for row, (label1, value1, label2, value2) in zip(table.rows, rows, strict=True):
        cells = row.cells
        write_cell(cells[0], cat.s(f"documents.report.{label1}"), width=2.4, font=HEADING_FONT)
        if label2 is None:
            merged = cells[1].merge(cells[3])
            write_cell(merged, str(value1 or ""), width=13.2)
            continue
        no_wrap = label1 == "col_contact"
        write_cell(cells[1], str(value1 or ""), width=5.4, no_wrap=no_wrap)
        write_cell(cells[2], cat.s(f"documents.report.{label2}"), width=2.4, font=HEADING_FONT)
        write_cell(cells[3], str(value2 or ""), width=5.4)

    for key, text in (
        ("situation", r.situation),
        ("cause", r.cause),
        ("suggestions", r.suggestions),
    ):
        line(doc, cat.s(f"documents.report.{key}"), font=HEADING_FONT)
        for para in (x.strip() for x in text.splitlines()):
            if para:
                line(doc, para, indent=True)
    if r.public:
        answer = cat.s("documents.report.public_yes")
    elif r.private_reason.strip():
        answer = cat.s("documents.report.public_no", reason=r.private_reason.strip())
    else:
        answer = cat.s("documents.report.public_no_reason")
    line(doc, cat.s("documents.report.public", answer=answer))
    if r.submitted_at:
        date = format_date(r.submitted_at, zone)
        line(doc, cat.s("documents.report.submitted", date=date), align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
