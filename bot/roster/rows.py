"""Validating roster rows (姓名, 界别, 专委会, 职务/角色, 手机号) before they touch the database.

An optional 企业微信账号 column names the member's WeCom userid, by which they are
recognised on their first WeCom message (bot/roster/accounts.py).

Cell text is cleaned on the way in (bidi overrides, zero-width and control characters
removed, see visible_text), so listings and exports show what a reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.domain.roles import Role, parse_role_words
from bot.domain.visible_text import visible_text
from bot.roster.phones import normalize_phone

__all__ = [
    "EXPECTED",
    "EXTRA",
    "HEADERS",
    "OPTIONAL",
    "REQUIRED",
    "HeaderCheck",
    "RosterRow",
    "RowProblem",
    "check_headers",
    "clean_cell",
    "normalize_header",
    "validate_rows",
]

# Accepted spellings of each column; the first is what exports write.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字"),
    "sector": ("界别",),
    "committee": ("专委会", "专门委员会"),
    "roles": ("职务/角色", "职务", "角色", "职务／角色"),
    "phone": ("手机号", "手机", "手机号码", "电话"),
    "unit": ("工作单位", "单位"),
    "address": ("通讯地址", "地址"),
    "wecom_userid": ("企业微信账号", "企业微信", "企业微信号"),
}
# Without these a row cannot be matched or named; the others may be left out of a file.
REQUIRED = ("name", "phone")
OPTIONAL = ("sector", "committee", "roles", "unit", "address", "wecom_userid")
# What a roster's header row should hold, as the README asks for it (then the extras).
EXPECTED = ("name", "sector", "committee", "roles", "phone")
EXTRA = ("unit", "address", "wecom_userid")
_HEADER_FIELD = {spelling: field for field, names in HEADERS.items() for spelling in names}
_SPACES = re.compile(r"\s+")
# WeCom's rule for a userid: 1-64 of letters, digits and _-@., starting with a letter or digit.
_WECOM_USERID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-@.]{0,63}")


@dataclass(frozen=True, slots=True)
class RosterRow:
    line: int
    name: str
    phone: str
    sector: str
    committee: str
    roles: frozenset[Role]
    title: str
    unit: str
    address: str
    wecom_userid: str = ""


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    reason: str  # catalogue key under roster.*
    value: str = ""
    params: tuple[tuple[str, str], ...] = ()  # further values the reason's text names


@dataclass(frozen=True, slots=True)
class HeaderCheck:
    """What a file's header row holds: the fields found (each by one column), the required
    fields missing, and columns that name no field (ignored, reported once)."""

    fields: frozenset[str]
    missing: tuple[str, ...]
    unknown: tuple[str, ...]


def clean_cell(value: object) -> str:
    """A cell as text a reader sees: invisible characters gone; a roster cell is one line,
    so a line break or tab inside it becomes a space."""
    if value is None:
        return ""
    return _SPACES.sub(" ", visible_text(str(value))).strip()


def normalize_header(header: object) -> str:
    """``" 手机 号"``, ``"职务／角色"`` and a BOM-prefixed ``姓名`` read as the headers they are."""
    return _SPACES.sub("", clean_cell(header)).replace("／", "/")


def check_headers(headers: Sequence[object]) -> HeaderCheck:
    found: set[str] = set()
    unknown: list[str] = []
    for raw in headers:
        header = normalize_header(raw)
        if not header:
            continue  # an unnamed column (often empty trailing cells)
        field = _HEADER_FIELD.get(header)
        if field is None:
            unknown.append(header)
        else:
            found.add(field)
    missing = tuple(f for f in REQUIRED if f not in found)
    return HeaderCheck(fields=frozenset(found), missing=missing, unknown=tuple(unknown))


def _column(row: Mapping[str, object], field: str) -> str:
    for header in HEADERS[field]:
        if header in row and row[header] is not None:
            return clean_cell(row[header])
    return ""


def validate_rows(
    rows: Iterable[tuple[int, Mapping[str, object]]],
) -> tuple[list[RosterRow], list[RowProblem]]:
    """Good rows and every rejected row with its reason; a phone seen twice rejects the second."""
    good: list[RosterRow] = []
    problems: list[RowProblem] = []
    seen_phones: dict[str, int] = {}
    seen_wecom: dict[str, int] = {}  # WeCom userids are case-insensitive
    for line, cells in rows:
        raw = {normalize_header(k): v for k, v in cells.items()}
        if not any(clean_cell(v) for v in raw.values()):
            continue  # blank line in the sheet
        name = _column(raw, "name")
        phone_raw = _column(raw, "phone")
        role_text = _column(raw, "roles")
        if not name:
            problems.append(RowProblem(line, "roster.reject_missing_name"))
            continue
        phone = normalize_phone(phone_raw)
        if phone is None:
            problems.append(RowProblem(line, "roster.reject_bad_phone", phone_raw))
            continue
        if phone in seen_phones:
            problems.append(RowProblem(line, "roster.reject_duplicate", str(seen_phones[phone])))
            continue
        roles = parse_role_words(role_text)
        if roles is None:
            problems.append(RowProblem(line, "roster.reject_unknown_role", role_text))
            continue
        wecom = _column(raw, "wecom_userid")
        if wecom and not _WECOM_USERID.fullmatch(wecom):
            problems.append(RowProblem(line, "roster.reject_bad_wecom_userid", wecom))
            continue
        if wecom and wecom.lower() in seen_wecom:
            line_before = str(seen_wecom[wecom.lower()])
            problems.append(RowProblem(line, "roster.reject_duplicate_wecom", line_before))
            continue
        seen_phones[phone] = line
        if wecom:
            seen_wecom[wecom.lower()] = line
        good.append(
            RosterRow(
                line=line,
                name=name,
                phone=phone,
                sector=_column(raw, "sector"),
                committee=_column(raw, "committee"),
                roles=roles,
                title=role_text,
                unit=_column(raw, "unit"),
                address=_column(raw, "address"),
                wecom_userid=wecom,
            )
        )
    return good, problems
