"""Reading a roster file (xlsx or csv) and upserting it: the same rows give the same roster."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.roles import format_roles
from bot.domain.roster_rows import RowProblem, validate_rows
from bot.errors import UserError
from storage.audit import Audit
from storage.roster import Roster
from storage.tables import Member

__all__ = ["ImportReport", "import_roster", "read_rows"]


@dataclass(slots=True)
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def read_rows(path: Path) -> Iterator[tuple[int, Mapping[str, object]]]:
    """(line number, {header: value}) from a csv (UTF-8 or GBK) or xlsx sheet."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UserError("roster.file_unreadable", file=path.name)
        reader = csv.DictReader(io.StringIO(text))
        for i, row in enumerate(reader, start=2):
            yield i, {(k or "").strip(): v for k, v in row.items()}
    elif suffix in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UserError("roster.file_unreadable", file=path.name) from exc
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, ())]
        for i, values in enumerate(rows, start=2):
            yield i, dict(zip(header, values, strict=False))
        book.close()
    else:
        raise UserError("roster.file_type", file=path.name)


async def import_roster(
    session: AsyncSession,
    rows: Iterator[tuple[int, Mapping[str, object]]],
    *,
    actor: str,
    demo: bool = False,
) -> ImportReport:
    good, problems = validate_rows(rows)
    report = ImportReport(problems=problems)
    roster = Roster(session)
    for row in good:
        member = await roster.by_phone(row.phone)
        fields = {
            "name": row.name,
            "sector": row.sector,
            "committee": row.committee,
            "roles": format_roles(row.roles),
            "title": row.title,
            "unit": row.unit,
            "address": row.address,
        }
        if member is None:
            await roster.add(Member(phone=row.phone, is_demo=demo, **fields))
            report.added += 1
            continue
        changed = {k: v for k, v in fields.items() if getattr(member, k) != v}
        if member.status != "active":
            changed["status"] = "active"
        if not changed:
            report.unchanged += 1
            continue
        for key, value in changed.items():
            setattr(member, key, value)
        member.retired_at = None
        await roster.touch(member)
        report.updated += 1
    await Audit(session).record(
        "members.import",
        actor_label=actor,
        added=report.added,
        updated=report.updated,
        rejected=len(report.problems),
    )
    return report
