"""The year's duty records as a workbook a secretariat hands to the chair: a summary sheet
(one row per member: each item's points, the total, the grade, what is still missing) and a
sheet per item listing what was counted for whom (the meeting, the proposal, the note).

Text from members and clerks is written as text, never as a formula (see
bot/proposals/documents/xlsx.py for the same care).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.catalogue import catalogue
from bot.proposals.documents import printable
from bot.record.rules import PointsRules
from bot.record.service import MemberRecord

__all__ = ["record_xlsx"]

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)


def _sheet_name(label: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = _SHEET_FORBIDDEN.sub("", label)[:28] or "-"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name)
    return name


def _num(value: float) -> int | float:
    """15.0 is written as 15: the chair's sheet shows whole points as whole numbers."""
    return int(value) if value == int(value) else value


class _Sheet:
    """Rows written with their number counted here: ``ws.append`` followed by ``ws.max_row``
    or ``ws[n]`` walks every cell of the sheet, which made a 556-member export take minutes
    (and a style on every cell cost most of what was left, so only the header has one)."""

    def __init__(self, ws: Worksheet, zone: ZoneInfo) -> None:
        self.ws = ws
        self.zone = zone
        self.rows = 0

    def append(self, values: Sequence[Any], *, bold: bool = False) -> None:
        self.rows += 1
        for column, value in enumerate(values, 1):
            if isinstance(value, datetime):
                value = value.astimezone(self.zone).date()
            elif isinstance(value, str):
                value = printable(value)
            cell = self.ws.cell(row=self.rows, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if bold:
                cell.font = _BOLD

    def finish(self, widths: Sequence[int]) -> None:
        for i, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.freeze_panes = "B2"
        self.ws.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(self.rows, 1)}"


def record_xlsx(
    records: Sequence[MemberRecord], *, rules: PointsRules, year: int, zone: ZoneInfo
) -> bytes:
    cat = catalogue()
    book = Workbook()
    summary = book.active
    assert summary is not None
    taken: set[str] = set()
    summary.title = _sheet_name(cat.s("record.xlsx.summary", year=year), taken)
    header = [cat.s(f"record.xlsx.{k}") for k in ("name", "sector", "committee")]
    header += [cat.s("record.xlsx.points", label=i.label) for i in rules.items]
    header += [g.label for g in rules.groups]
    header += [cat.s(f"record.xlsx.{k}") for k in ("total", "grade", "shortfalls")]
    sheet = _Sheet(summary, zone)
    sheet.append(header, bold=True)
    for rec in records:
        m, s = rec.member, rec.score
        values: list[Any] = [m.name, m.sector, m.committee]
        values += [_num(item.points) for item in s.items]
        values += [_num(g.points) for g in s.groups]
        values += [_num(s.total), s.grade or "", "；".join(f.text for f in s.shortfalls)]
        sheet.append(values)
    sheet.finish([10, 12, 14] + [10] * (len(rules.items) + len(rules.groups)) + [8, 8, 30])

    columns = ("name", "sector", "what", "count", "when", "source")
    sources = {True: cat.s("record.xlsx.source_manual"), False: cat.s("record.xlsx.source_bot")}
    for item in rules.items:
        sheet = _Sheet(book.create_sheet(_sheet_name(item.label, taken)), zone)
        sheet.append([cat.s(f"record.xlsx.{k}") for k in columns], bold=True)
        for rec in records:
            for fact in rec.facts.of(item.key):
                sheet.append(
                    [
                        rec.member.name,
                        rec.member.sector,
                        fact.what,
                        fact.count,
                        fact.when,
                        sources[fact.manual],
                    ]
                )
        sheet.finish([10, 12, 50, 8, 12, 12])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
