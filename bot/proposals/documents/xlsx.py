"""The year's proposals (and reports) as an XLSX workbook with every column a clerk wants.

Member text is written as text, never as a formula: a title starting with "=" stays a
title (spreadsheet formula injection), and control characters Excel refuses are dropped.
Dates are real dates in the committee's timezone, so the sheet sorts and filters.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.catalogue import catalogue
from bot.proposals.documents import printable

__all__ = ["ExportProposal", "ExportReport", "proposals_xlsx"]


class ExportProposal(Protocol):
    id: int | None
    number: str | None
    title: str
    kind: str
    field: str
    proposer: dict[str, Any]
    status: str
    submitted_at: datetime | None
    registered_at: datetime | None
    is_key: bool
    lead_unit: str | None
    co_units: list[str]
    assigned_at: datetime | None
    deadline_at: datetime | None
    answer_category: str | None
    answered_at: datetime | None
    rating: str | None
    rating_comment: str
    round: int
    ground: str | None
    decline_note: str
    converted_to: str | None
    merged_into: int | None
    situation: str
    suggestions: str


class ExportReport(Protocol):
    title: str
    category: str
    reporter: dict[str, Any]
    urgency: str
    public: bool
    private_reason: str
    status: str
    levels: list[str]
    submitted_at: datetime | None
    decided_at: datetime | None
    decision_note: str
    situation: str
    cause: str
    suggestions: str


Column = tuple[str, Callable[[Any], Any], int]  # catalogue key, value, width


def _name(namespace: str, value: str | None) -> str:
    return catalogue().s(f"{namespace}{value}") if value else ""


def _write(
    ws: Worksheet, columns: Sequence[Column], rows: Sequence[Any], prefix: str, zone: ZoneInfo
) -> None:
    cat = catalogue()
    ws.append([cat.s(f"{prefix}{key}") for key, _, _ in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for item in rows:
        values = []
        for _, get, _ in columns:
            value = get(item)
            if isinstance(value, datetime):
                value = value.astimezone(zone).date()
            elif isinstance(value, str):
                value = printable(value)
            values.append(value)
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the member typed
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str))
    for i, (_, _, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions


def proposals_xlsx(
    proposals: Sequence[ExportProposal],
    *,
    year: int,
    zone: ZoneInfo,
    now: datetime,
    cosigners: Mapping[int, Sequence[Mapping[str, Any]]] | None = None,
    reports: Sequence[ExportReport] = (),
) -> bytes:
    """``cosigners``: confirmed co-signers' details by proposal id, in order."""
    cat = catalogue()
    yes, no = cat.s("proposals.xlsx.yes"), cat.s("proposals.xlsx.no")
    signers = cosigners or {}
    numbers = {p.id: p.number for p in proposals}

    def overdue(p: ExportProposal) -> str:
        if p.status != "assigned" or p.deadline_at is None:
            return ""
        return yes if p.deadline_at < now else no

    columns: list[Column] = [
        ("number", lambda p: p.number or "", 11),
        ("title", lambda p: p.title, 40),
        ("kind", lambda p: _name("proposals.kind.", p.kind), 10),
        ("field", lambda p: p.field, 10),
        ("first_proposer", lambda p: p.proposer.get("name", ""), 10),
        ("sector", lambda p: p.proposer.get("sector", ""), 12),
        ("unit", lambda p: p.proposer.get("unit", ""), 20),
        ("phone", lambda p: p.proposer.get("phone", ""), 13),
        (
            "cosigners",
            lambda p: "、".join(s.get("name", "") for s in signers.get(p.id or 0, ())),
            20,
        ),
        ("status", lambda p: _name("proposals.status.", p.status), 10),
        ("submitted_at", lambda p: p.submitted_at, 12),
        ("registered_at", lambda p: p.registered_at, 12),
        ("key", lambda p: yes if p.is_key else no, 8),
        ("lead_unit", lambda p: p.lead_unit or "", 16),
        ("co_units", lambda p: "、".join(p.co_units or ()), 20),
        ("assigned_at", lambda p: p.assigned_at, 12),
        ("deadline", lambda p: p.deadline_at, 12),
        ("overdue", overdue, 8),
        ("answer_category", lambda p: p.answer_category or "", 8),
        ("answered_at", lambda p: p.answered_at, 12),
        ("rating", lambda p: _name("proposals.rating.", p.rating), 10),
        ("rating_comment", lambda p: p.rating_comment, 20),
        ("round", lambda p: p.round, 8),
        ("ground", lambda p: _name("proposals.ground.", p.ground), 20),
        ("decline_note", lambda p: p.decline_note, 20),
        ("converted_to", lambda p: _name("proposals.conversion.", p.converted_to), 14),
        (
            "merged_into",
            lambda p: (numbers.get(p.merged_into) or f"#{p.merged_into}") if p.merged_into else "",
            11,
        ),
        ("situation", lambda p: p.situation, 60),
        ("suggestions", lambda p: p.suggestions, 60),
    ]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = cat.s("proposals.xlsx.sheet", year=year)
    _write(ws, columns, proposals, "proposals.xlsx.", zone)

    if reports:
        report_columns: list[Column] = [
            ("title", lambda r: r.title, 40),
            ("category", lambda r: r.category, 10),
            ("reporter", lambda r: r.reporter.get("name", ""), 10),
            ("unit", lambda r: r.reporter.get("unit", ""), 20),
            ("urgency", lambda r: _name("reports.urgency.", r.urgency), 8),
            ("public", lambda r: yes if r.public else no, 8),
            ("private_reason", lambda r: r.private_reason, 20),
            ("status", lambda r: _name("reports.status.", r.status), 10),
            ("levels", lambda r: "、".join(_name("reports.level.", lv) for lv in r.levels), 20),
            ("submitted_at", lambda r: r.submitted_at, 12),
            ("decided_at", lambda r: r.decided_at, 12),
            ("decision_note", lambda r: r.decision_note, 20),
            ("situation", lambda r: r.situation, 60),
            ("cause", lambda r: r.cause, 40),
            ("suggestions", lambda r: r.suggestions, 60),
        ]
        sheet = wb.create_sheet(cat.s("proposals.xlsx_report.sheet", year=year))
        _write(sheet, report_columns, reports, "proposals.xlsx_report.", zone)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
