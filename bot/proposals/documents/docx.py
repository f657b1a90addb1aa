"""The proposal as a DOCX in the conventional layout a 提案委员会 prints.

On A4: the committee's name and the session line (第×届委员会第×次会议), the "提　案"
heading, number, kind and field, 【重点提案】 when marked; 案由; a table of proposers (first
proposer, then confirmed co-signers) with sector, unit, phone and address; then
"一、情况分析" and "二、具体建议" with the suggestions as numbered items; and, once the
proposal is registered, the 审查意见 / 承办单位 block the office fills in. Fonts as
committees' templates use them (``word.py``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot.catalogue import catalogue
from bot.proposals.checks import preamble, split_items
from bot.proposals.documents import printable
from bot.proposals.documents.word import (
    HEADING_FONT,
    TITLE_FONT,
    a4_document,
    line,
    write_cell,
)

__all__ = ["ProposalLike", "format_date", "proposal_docx", "proposal_file_name"]

PROPOSER_COLUMNS = ("name", "sector", "unit", "phone", "address")
# Column widths in cm over A4's 15.6 cm of text: the phone column holds 11 digits (or a
# landline with its area code) on one line at 10.5 pt.
_WIDTHS = (2.2, 1.8, 1.9, 3.9, 2.8, 3.0)


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
    registered_at: datetime | None
    is_key: bool
    excellent: bool
    lead_unit: str | None
    co_units: list[str]
    deadline_at: datetime | None


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


def proposal_docx(
    p: ProposalLike,
    *,
    cosigners: Sequence[Mapping[str, Any]] = (),
    committee: str,
    zone: ZoneInfo,
    session_line: str = "",
) -> bytes:
    """The formatted proposal; ``cosigners`` are the confirmed co-signers' details in order."""
    cat = catalogue()
    doc = a4_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    line(doc, committee, size=16, font=HEADING_FONT, align=center)
    if session_line:
        line(doc, session_line, size=16, font=HEADING_FONT, align=center)
    line(doc, cat.s("proposals.docx.heading"), size=26, font=TITLE_FONT, align=center)
    number = (
        cat.s("proposals.docx.number", number=p.number)
        if p.number
        else cat.s("proposals.docx.number_pending")
    )
    line(doc, number, size=12)
    marks = [cat.s("documents.proposal.key")] if p.is_key else []
    if p.excellent:  # 优秀提案 beside 重点提案, on the one header line
        marks.append(cat.s("proposal_roles.docx_excellent"))
    if marks:
        line(doc, "　".join(marks), size=12, font=HEADING_FONT, bold=True)
    line(doc, cat.s("proposals.docx.kind", kind=cat.s(f"proposals.kind.{p.kind}")), size=12)
    if p.field:
        line(doc, cat.s("proposals.docx.field", field=p.field), size=12)
    line(doc, cat.s("proposals.docx.title", title=p.title), size=16, font=HEADING_FONT, bold=True)

    line(doc, cat.s("proposals.docx.proposers"), font=HEADING_FONT)
    _proposers(doc, [("first_proposer", p.proposer), *(("cosigner", c) for c in cosigners)])

    line(doc, cat.s("proposals.docx.situation"), font=HEADING_FONT)
    for para in (x.strip() for x in p.situation.splitlines()):
        if para:
            line(doc, para, indent=True)
    line(doc, cat.s("proposals.docx.suggestions"), font=HEADING_FONT)
    items, numbered = split_items(p.suggestions)
    if numbered:
        if lead := preamble(p.suggestions):
            line(doc, lead, indent=True)
        for i, item in enumerate(items, 1):
            line(doc, f"{i}. {item}", indent=True)
    else:
        for para in (x.strip() for x in p.suggestions.splitlines()):
            if para:
                line(doc, para, indent=True)
    if p.submitted_at:
        date = format_date(p.submitted_at, zone)
        line(doc, cat.s("proposals.docx.submitted", date=date), align=WD_ALIGN_PARAGRAPH.RIGHT)
    if p.registered_at:
        _review_block(doc, p, zone)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _proposers(doc: Any, people: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
    cat = catalogue()
    table = doc.add_table(rows=1 + len(people), cols=1 + len(PROPOSER_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    headers = ("col_role", *(f"col_{c}" for c in PROPOSER_COLUMNS))
    for cell, key, width in zip(table.rows[0].cells, headers, _WIDTHS, strict=True):
        write_cell(cell, cat.s(f"proposals.docx.{key}"), width=width, font=HEADING_FONT)
    for row, (role, person) in zip(table.rows[1:], people, strict=True):
        # 工作单位及职务 is what the member wrote on the roster as their unit; the roster's
        # title column is their committee role (委员, 常委), which the form does not ask.
        values = [cat.s(f"proposals.docx.{role}"), *(person.get(c, "") for c in PROPOSER_COLUMNS)]
        columns = ("role", *PROPOSER_COLUMNS)
        for cell, value, width, column in zip(row.cells, values, _WIDTHS, columns, strict=True):
            write_cell(cell, str(value or ""), width=width, no_wrap=column == "phone")


def _review_block(doc: Any, p: ProposalLike, zone: ZoneInfo) -> None:
    """审查意见 once registered; 承办单位 and 办理期限 once assigned."""
    cat = catalogue()
    rows = [
        (
            cat.s("documents.proposal.review"),
            cat.s("documents.proposal.review_text", date=format_date(p.registered_at, zone)),
        )
    ]
    if p.lead_unit:
        units = cat.s("documents.proposal.lead_unit", unit=p.lead_unit)
        if p.co_units:
            units += cat.s("documents.proposal.co_units", units="、".join(p.co_units))
        rows.append((cat.s("documents.proposal.units"), units))
        if p.deadline_at:
            rows.append((cat.s("documents.proposal.deadline"), format_date(p.deadline_at, zone)))
    line(doc, "")
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.autofit = False
    for row, (label, value) in zip(table.rows, rows, strict=True):
        write_cell(row.cells[0], label, width=2.8, size=12, font=HEADING_FONT)
        write_cell(row.cells[1], value, width=12.8, size=12)
