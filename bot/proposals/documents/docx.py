"""The proposal as a DOCX in the conventional layout a 提案委员会 prints.

Committee name and "提　案" heading; number, kind and field; 案由; a table of proposers
(first proposer, then confirmed co-signers) with sector, unit, phone and address; then
"一、情况分析" and "二、具体建议" with the suggestions as numbered items. Body text in
仿宋 三号-ish (14 pt), headings in 黑体, as committees' templates use.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from bot.catalogue import catalogue
from bot.proposals.checks import preamble, split_items
from bot.proposals.documents import printable

__all__ = ["ProposalLike", "format_date", "proposal_docx", "proposal_file_name"]

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
PROPOSER_COLUMNS = ("name", "sector", "unit", "phone", "address")


class ProposalLike(Protocol):
    id: int | None
    title: str
    number: str | None
    kind: str
    field: str
    proposer: dict[str, Any]
    situation: str
    suggestions: str
    submitted_at: datetime | None


def format_date(at: datetime | None, zone: ZoneInfo) -> str:
    if at is None:
        return ""
    local = at.astimezone(zone)
    return catalogue().s("proposals.docx.date", year=local.year, month=local.month, day=local.day)


def proposal_file_name(p: ProposalLike) -> str:
    """A file name a clerk can sort: number (or draft id) and the title, no path characters."""
    forbidden = '\\/:*?"<>|\r\n\t'
    safe = "".join(ch for ch in printable(p.title) if ch not in forbidden)[:40]
    safe = safe or catalogue().s("proposals.docx.file_name_fallback")
    return f"{p.number or f'draft-{p.id}'}_{safe}.docx"


def _font(run_or_style: Any, name: str, size: float | None = None, *, bold: bool = False) -> None:
    font = run_or_style.font
    font.name = name
    if size:
        font.size = Pt(size)
    font.bold = bold or None
    # Word picks Chinese glyphs from the eastAsia font, which font.name does not set.
    run_or_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _line(
    doc: Any,
    text: str,
    *,
    size: float = 14,
    font: str = BODY_FONT,
    bold: bool = False,
    align: Any = None,
    indent: bool = False,
) -> Paragraph:
    para: Paragraph = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Pt(size * 2)
    _font(para.add_run(printable(text)), font, size, bold=bold)
    return para


def proposal_docx(
    p: ProposalLike,
    *,
    cosigners: Sequence[Mapping[str, Any]] = (),
    committee: str,
    zone: ZoneInfo,
) -> bytes:
    """The formatted proposal; ``cosigners`` are the confirmed co-signers' details in order."""
    cat = catalogue()
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.8)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    _font(doc.styles["Normal"], BODY_FONT, 14)

    center = WD_ALIGN_PARAGRAPH.CENTER
    _line(doc, committee, size=16, font=HEADING_FONT, align=center)
    _line(doc, cat.s("proposals.docx.heading"), size=26, font=HEADING_FONT, bold=True, align=center)
    number = (
        cat.s("proposals.docx.number", number=p.number)
        if p.number
        else cat.s("proposals.docx.number_pending")
    )
    _line(doc, number, size=12)
    _line(doc, cat.s("proposals.docx.kind", kind=cat.s(f"proposals.kind.{p.kind}")), size=12)
    if p.field:
        _line(doc, cat.s("proposals.docx.field", field=p.field), size=12)
    _line(doc, cat.s("proposals.docx.title", title=p.title), size=16, font=HEADING_FONT, bold=True)

    _line(doc, cat.s("proposals.docx.proposers"), font=HEADING_FONT)
    people = [("first_proposer", p.proposer), *(("cosigner", c) for c in cosigners)]
    table = doc.add_table(rows=1 + len(people), cols=1 + len(PROPOSER_COLUMNS))
    table.style = "Table Grid"
    headers = ("col_role", *(f"col_{c}" for c in PROPOSER_COLUMNS))
    for cell, key in zip(table.rows[0].cells, headers, strict=True):
        cell.text = cat.s(f"proposals.docx.{key}")
    for row, (role, person) in zip(table.rows[1:], people, strict=True):
        unit = " ".join(x for x in (person.get("unit", ""), person.get("title", "")) if x)
        values = [
            cat.s(f"proposals.docx.{role}"),
            person.get("name", ""),
            person.get("sector", ""),
            unit,
            person.get("phone", ""),
            person.get("address", ""),
        ]
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = printable(str(value or ""))

    _line(doc, cat.s("proposals.docx.situation"), font=HEADING_FONT)
    for para in (x.strip() for x in p.situation.splitlines()):
        if para:
            _line(doc, para, indent=True)
    _line(doc, cat.s("proposals.docx.suggestions"), font=HEADING_FONT)
    items, numbered = split_items(p.suggestions)
    if numbered:
        if lead := preamble(p.suggestions):
            _line(doc, lead, indent=True)
        for i, item in enumerate(items, 1):
            _line(doc, f"{i}. {item}", indent=True)
    else:
        for para in (x.strip() for x in p.suggestions.splitlines()):
            if para:
                _line(doc, para, indent=True)
    if p.submitted_at:
        date = format_date(p.submitted_at, zone)
        _line(doc, cat.s("proposals.docx.submitted", date=date), align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
