"""Reading a roster file (xlsx or csv) and upserting it: the same rows give the same roster.

A row is matched to a member by phone. What an import changes is reported per member and
field; a row whose phone belongs to someone with another name is refused unless renaming
was asked for (a phone typed into the wrong row must not turn 李秀梅 into someone else).
A column the file does not have leaves that field alone.

Files are read within bounds: a csv or xlsx over ``MAX_FILE_BYTES`` is refused, and an xlsx
(a zip of XML) whose entries would expand beyond ``MAX_UNPACKED_BYTES`` is refused before
anything is parsed, by the entries' declared sizes and by counting what is actually
decompressed (a zip bomb may declare small sizes).
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.roles import format_roles
from bot.errors import UserError
from bot.roster.rows import (
    EXPECTED,
    EXTRA,
    HEADERS,
    REQUIRED,
    HeaderCheck,
    RosterRow,
    RowProblem,
    check_headers,
    validate_rows,
)
from storage.audit import Audit
from storage.roster import Roster
from storage.tables import Member

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "ImportReport",
    "MemberChange",
    "RosterSheet",
    "expected_headers",
    "header_problem",
    "import_roster",
    "read_rows",
]

# A roster of a few thousand people is well under 1 MB either way.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
_MAX_ZIP_ENTRIES = 2_000
_CHUNK = 1 << 16

# Member attributes each roster field sets ("roles" sets both the parsed roles and the
# words as written).
_ATTRIBUTES = {
    "name": ("name",),
    "sector": ("sector",),
    "committee": ("committee",),
    "roles": ("title", "roles"),
    "unit": ("unit",),
    "address": ("address",),
    "wecom_userid": ("wecom_userid",),
}


@dataclass(frozen=True, slots=True)
class RosterSheet:
    """The header row and the data rows (line number, {header: value}) of a roster file."""

    headers: tuple[str, ...]
    rows: list[tuple[int, Mapping[str, object]]]

    def __iter__(self) -> Iterator[tuple[int, Mapping[str, object]]]:
        return iter(self.rows)


@dataclass(frozen=True, slots=True)
class MemberChange:
    """One member added or changed by a row: ``changes`` holds (attribute, old, new)."""

    line: int
    name: str
    phone: str
    changes: tuple[tuple[str, str, str], ...] = ()


@dataclass(slots=True)
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    new_members: list[MemberChange] = field(default_factory=list)
    changed: list[MemberChange] = field(default_factory=list)
    unknown_headers: tuple[str, ...] = ()
    dry_run: bool = False


def read_rows(path: Path) -> RosterSheet:
    """The sheet of a csv (UTF-8 or GBK) or xlsx file; a clear refusal for anything else."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx", ".xlsm"}:
        raise UserError("roster.file_type", file=path.name)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError("roster.file_unreadable", file=path.name) from exc
    if size > MAX_FILE_BYTES:
        raise UserError(
            "roster.file_too_large", file=path.name, size=_mb(size), limit=_mb(MAX_FILE_BYTES)
        )
    if suffix == ".csv":
        return _read_csv(path)
    _check_unpacked_size(path)
    return _read_xlsx(path)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _read_csv(path: Path) -> RosterSheet:
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise UserError("roster.file_unreadable", file=path.name) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise UserError(
            "roster.file_too_large", file=path.name, size=_mb(len(raw)), limit=_mb(MAX_FILE_BYTES)
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserError("roster.file_unreadable", file=path.name)
    if "\x00" in text:  # a binary file renamed .csv
        raise UserError("roster.file_unreadable", file=path.name)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        headers = tuple(next(reader, []))
        rows: list[tuple[int, Mapping[str, object]]] = [
            (line, dict(zip(headers, values, strict=False)))
            for line, values in enumerate(reader, start=2)
        ]
    except csv.Error as exc:
        raise UserError("roster.file_unreadable", file=path.name) from exc
    return RosterSheet(headers=headers, rows=rows)


def _check_unpacked_size(path: Path) -> None:
    """Refuses an xlsx that would expand past the cap, before openpyxl reads any of it."""
    too_big = UserError("roster.file_expands", file=path.name, limit=_mb(MAX_UNPACKED_BYTES))
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > _MAX_ZIP_ENTRIES:
                raise too_big
            if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
                raise too_big
            unpacked = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED_BYTES:
                            raise too_big
    except UserError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError) as exc:
        # not a zip, damaged, encrypted (RuntimeError) or an unsupported compression
        # (NotImplementedError is a RuntimeError)
        raise UserError("roster.file_unreadable", file=path.name) from exc


def _read_xlsx(path: Path) -> RosterSheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise UserError("roster.file_unreadable", file=path.name)
            rows_in = book.worksheets[0].iter_rows(values_only=True)
            headers = tuple(str(h if h is not None else "") for h in next(rows_in, ()))
            rows: list[tuple[int, Mapping[str, object]]] = [
                (line, dict(zip(headers, values, strict=False)))
                for line, values in enumerate(rows_in, start=2)
            ]
        finally:
            book.close()
    except UserError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UserError("roster.file_unreadable", file=path.name) from exc
    return RosterSheet(headers=headers, rows=rows)


def expected_headers() -> dict[str, str]:
    """The headers a roster should have, for messages: ``expected`` and ``extra``."""
    return {
        "expected": "、".join(HEADERS[f][0] for f in EXPECTED),
        "extra": "、".join(HEADERS[f][0] for f in EXTRA),
    }


def header_problem(check: HeaderCheck) -> UserError:
    """One refusal for the whole file, naming the headers it should have."""
    return UserError(
        "roster.header_problem",
        missing="、".join(HEADERS[f][0] for f in check.missing),
        found="、".join(check.unknown) or "—",
        **expected_headers(),
    )


async def import_roster(
    session: AsyncSession,
    rows: RosterSheet | Iterable[tuple[int, Mapping[str, object]]],
    *,
    actor: str,
    demo: bool = False,
    allow_rename: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Adds and updates members from the rows; with ``dry_run`` only reports what would."""
    if isinstance(rows, RosterSheet):
        check = check_headers(rows.headers)
        if check.missing:
            raise header_problem(check)
        fields, unknown = check.fields, check.unknown
    else:  # rows without their header row: every column the rows use
        rows = list(rows)
        check = check_headers(sorted({str(k) for _, row in rows for k in row}))
        fields, unknown = check.fields | set(REQUIRED), check.unknown
    good, problems = validate_rows(rows)
    report = ImportReport(problems=problems, unknown_headers=unknown, dry_run=dry_run)
    roster = Roster(session)
    for row in good:
        member = await roster.by_phone(row.phone)
        values = _values(row, fields)
        if problem := await _wecom_taken(roster, row, member):
            report.problems.append(problem)
            continue
        if member is None:
            if not dry_run:
                added = Member(phone=row.phone, name=row.name, is_demo=demo)
                await roster.add(added.sqlmodel_update(_stored(values)))
            report.new_members.append(MemberChange(row.line, row.name, row.phone))
            report.added += 1
            continue
        changes = [
            (attr, str(getattr(member, attr) or ""), new)
            for attr, new in values.items()
            if (getattr(member, attr) or "") != new
        ]
        if member.status != "active":
            changes.append(("status", member.status, "active"))
        if not changes:
            report.unchanged += 1
            continue
        if member.name != row.name and not allow_rename:
            report.problems.append(
                RowProblem(
                    row.line,
                    "roster.reject_rename",
                    member.name,
                    (("name", row.name), ("phone", row.phone)),
                )
            )
            continue
        report.changed.append(MemberChange(row.line, member.name, row.phone, tuple(changes)))
        report.updated += 1
        if dry_run:
            continue
        for attr, _old, new in changes:
            setattr(member, attr, _stored({attr: new})[attr])
        member.retired_at = None
        await roster.touch(member)
    report.problems.sort(key=lambda p: p.line)
    if not dry_run:
        await Audit(session).record(
            "members.import",
            actor_label=actor,
            added=report.added,
            updated=report.updated,
            rejected=len(report.problems),
            renamed=sum(any(c[0] == "name" for c in m.changes) for m in report.changed),
        )
    return report


async def _wecom_taken(roster: Roster, row: RosterRow, member: Member | None) -> RowProblem | None:
    """A WeCom account the roster already gives to someone else refuses the row."""
    if not row.wecom_userid:
        return None
    holder = await roster.by_platform_account("wecom", row.wecom_userid)
    if holder is None or (member is not None and holder.id == member.id):
        return None
    return RowProblem(
        row.line, "roster.reject_wecom_taken", row.wecom_userid, (("holder", holder.name),)
    )


def _stored(values: dict[str, str]) -> dict[str, str | None]:
    """An empty 企业微信账号 cell is no account (NULL: unique only when given)."""
    return {k: (v or None) if k == "wecom_userid" else v for k, v in values.items()}


def _values(row: RosterRow, fields: Iterable[str]) -> dict[str, str]:
    """The member attributes this row sets: only for the columns the file has."""
    present = set(fields)
    every = {
        "name": row.name,
        "sector": row.sector,
        "committee": row.committee,
        "title": row.title,
        "roles": format_roles(row.roles),
        "unit": row.unit,
        "address": row.address,
        "wecom_userid": row.wecom_userid,
    }
    return {attr: every[attr] for f, attrs in _ATTRIBUTES.items() if f in present for attr in attrs}
