"""Validating roster rows (姓名, 界别, 专委会, 职务/角色, 手机号) before they touch the database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.phones import normalize_phone
from bot.domain.roles import Role, parse_role_words

__all__ = ["HEADERS", "RosterRow", "RowProblem", "validate_rows"]

# Accepted spellings of each column; the first is what exports write.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字"),
    "sector": ("界别",),
    "committee": ("专委会", "专门委员会"),
    "roles": ("职务/角色", "职务", "角色", "职务／角色"),
    "phone": ("手机号", "手机", "手机号码", "电话"),
    "unit": ("工作单位", "单位"),
    "address": ("通讯地址", "地址"),
}


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


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    reason: str  # catalogue key under roster.*
    value: str = ""


def _column(row: Mapping[str, object], field: str) -> str:
    for header in HEADERS[field]:
        if header in row and row[header] is not None:
            return str(row[header]).strip()
    return ""


def validate_rows(
    rows: Iterable[tuple[int, Mapping[str, object]]],
) -> tuple[list[RosterRow], list[RowProblem]]:
    """Good rows and every rejected row with its reason; a phone seen twice rejects the second."""
    good: list[RosterRow] = []
    problems: list[RowProblem] = []
    seen_phones: dict[str, int] = {}
    for line, raw in rows:
        if not any(str(v).strip() for v in raw.values() if v is not None):
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
        seen_phones[phone] = line
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
            )
        )
    return good, problems
