"""Attendance exports: the same table as CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX.

Leave reasons are typed by members, so a reason such as ``=HYPERLINK(...)`` must stay text:
XLSX cells are written as strings explicitly, CSV cells that a spreadsheet would evaluate get
a leading apostrophe (the usual guard against formula injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from bot.catalogue import catalogue
from bot.notices.messages import unreachable_reason_key
from storage.notices import AttendanceRow

__all__ = ["COLUMNS", "export_table", "read_csv", "read_xlsx", "to_csv", "to_xlsx"]

COLUMNS = (
    "name",
    "sector",
    "committee",
    "answer",
    "leave_reason",
    "leave_decision",
    "answered_at",
    "checked_in_at",
    "delivery",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _when(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def export_table(
    rows: Sequence[AttendanceRow], *, zone: ZoneInfo
) -> tuple[list[str], list[list[str]]]:
    """Headers and cells in Chinese, times in the committee's zone."""
    cat = catalogue()
    headers = [cat.s(f"notices.export.{c}") for c in COLUMNS]
    body = [
        [
            r.name,
            r.sector,
            r.committee,
            cat.s(f"notices.answer.{r.answer or 'none'}"),
            r.leave_reason or "",
            cat.s(f"notices.decision.{r.leave_decision}") if r.leave_decision else "",
            _when(r.answered_at, zone),
            _when(r.checked_in_at, zone),
            cat.s(f"notices.delivery.{r.delivery_state}")
            + (
                f"（{cat.s(unreachable_reason_key(r.delivery_error))}）"
                if r.delivery_state == "unreachable"
                else ""
            ),
        ]
        for r in rows
    ]
    return headers, body


def to_csv(rows: Sequence[AttendanceRow], *, zone: ZoneInfo) -> bytes:
    headers, body = export_table(rows, zone=zone)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for line in body:
        writer.writerow(["'" + c if c.startswith(_FORMULA_START) else c for c in line])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Sequence[AttendanceRow], *, zone: ZoneInfo, title: str = "") -> bytes:
    headers, body = export_table(rows, zone=zone)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    # Sheet titles are limited to 31 characters and may not contain []:*?/\ .
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "attendance"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, line in enumerate(body, start=2):
        for c, value in enumerate(line, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            cell.data_type = "s"  # never a formula, whatever the member typed
    for c, width in enumerate((10, 14, 16, 8, 30, 10, 17, 17, 14), start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    assert sheet is not None
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
