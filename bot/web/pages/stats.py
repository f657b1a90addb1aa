"""统计: the year's work-report figures (the same ``year_stats`` as ``committee-bot stats``)
with server-drawn charts, and the figures as CSV or XLSX."""

from __future__ import annotations

import asyncio
import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from aiohttp import web
from openpyxl import Workbook
from sqlmodel import col, select

from bot.proposals.config import rules
from bot.proposals.stats import YearStats, year_stats
from bot.web.charts import bar_chart
from bot.web.pages.proposals import download
from bot.web.render import app_of, render
from storage.notices import NoticesRepo
from storage.proposals import Proposals, Reports
from storage.tables import Notice, ReadingCheckin

__all__ = ["routes"]

routes = web.RouteTableDef()


async def _figures(request: web.Request, year: int) -> tuple[YearStats, dict[str, object]]:
    app = app_of(request)
    zone = app.settings.zone
    async with app.db.session() as s:
        proposals = await Proposals(s).of_year(year)
        signers = await Proposals(s).signers_of([p.id for p in proposals if p.id is not None])
        reports = await Reports(s).of_year(year)
        start = datetime(year, 1, 1, tzinfo=zone)
        end = datetime(year + 1, 1, 1, tzinfo=zone)
        notices = list(
            await s.exec(
                select(Notice)
                .where(col(Notice.starts_at) >= start, col(Notice.starts_at) < end)
                .where(col(Notice.status).in_(["sent", "corrected"]))
                .order_by(col(Notice.starts_at))
            )
        )
        repo = NoticesRepo(s)
        attendance = []
        for n in notices[-12:]:
            c = await repo.counts(int(n.id or 0))
            attendance.append((n.title, c.answers.get("attend", 0), c.recipients))
        checkins = list(
            await s.exec(
                select(ReadingCheckin.at).where(
                    col(ReadingCheckin.at) >= start, col(ReadingCheckin.at) < end
                )
            )
        )
    figures = year_stats(
        proposals,
        reports,
        year=year,
        now=app.services.clock(),
        fields=rules().proposal.fields,
        cosigners=signers,
    )
    by_month = Counter(at.astimezone(zone).month for at in checkins)
    extra: dict[str, object] = {
        "attendance": attendance,
        "checkins": [(m, by_month.get(m, 0)) for m in range(1, 13)],
    }
    return figures, extra


def _rows(
    request: web.Request, f: YearStats, extra: dict[str, object]
) -> list[tuple[str, str, object]]:
    """(section, item, value): the figures as a table, for the downloads."""
    cat = app_of(request).services.catalogue
    rows: list[tuple[str, str, object]] = [
        (cat.s("web.stats.summary"), cat.s("web.stats.received"), f.received),
        (cat.s("web.stats.summary"), cat.s("web.stats.registered"), f.registered),
        (cat.s("web.stats.summary"), cat.s("web.stats.answered"), f.answered),
        (cat.s("web.stats.summary"), cat.s("web.stats.answered_rate"), _pct(f.answered_rate)),
        (cat.s("web.stats.summary"), cat.s("web.stats.satisfaction"), _pct(f.satisfaction_rate)),
        (cat.s("web.stats.summary"), cat.s("web.stats.reports_adopted"), f.reports_adopted),
    ]
    rows.append((cat.s("web.stats.summary"), cat.s("web.stats.excellent"), f.excellent))
    rows += [(cat.s("web.stats.by_field"), k or "—", v) for k, v in f.by_field.items()]
    rows += [(cat.s("web.stats.by_sector"), k, v) for k, v in f.by_sector.items()]
    rows += [(cat.s("web.stats.cosigned_by_sector"), k, v) for k, v in f.cosigned_by_sector.items()]
    rows += [
        (cat.s("web.stats.by_member_lead"), f"{m.name}（{m.sector}）", m.lead)
        for m in f.by_member
        if m.lead
    ]
    rows += [
        (cat.s("web.stats.by_member_cosigned"), f"{m.name}（{m.sector}）", m.cosigned)
        for m in f.by_member
        if m.cosigned
    ]
    rows += [
        (cat.s("web.stats.by_level"), cat.s(f"reports.level.{k}"), v)
        for k, v in f.reports_by_level.items()
    ]
    return rows


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _year(request: web.Request) -> int:
    text = request.query.get("year", "")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return datetime.now(app_of(request).settings.zone).year


@routes.get("/stats")
async def stats(request: web.Request) -> web.StreamResponse:
    cat = app_of(request).services.catalogue
    year = _year(request)
    f, extra = await _figures(request, year)
    attendance = extra["attendance"]
    checkins = extra["checkins"]
    assert isinstance(attendance, list)
    assert isinstance(checkins, list)
    charts = {
        "by_field": bar_chart(list(f.by_field.items()), title=cat.s("web.stats.by_field")),
        "by_sector": bar_chart(list(f.by_sector.items()), title=cat.s("web.stats.by_sector")),
        "cosigned_by_sector": bar_chart(
            list(f.cosigned_by_sector.items()), title=cat.s("web.stats.cosigned_by_sector")
        ),
        "by_category": bar_chart(
            [(cat.s(f"proposals.answer_category.{k}"), v) for k, v in f.by_category.items()],
            title=cat.s("web.stats.by_category"),
        ),
        "ratings": bar_chart(
            [(cat.s(f"proposals.rating.{k}"), v) for k, v in f.ratings.items()],
            title=cat.s("web.stats.ratings"),
        ),
        "by_level": bar_chart(
            [(cat.s(f"reports.level.{k}"), v) for k, v in f.reports_by_level.items()],
            title=cat.s("web.stats.by_level"),
        ),
        "attendance": bar_chart(
            [(title, round(100 * a / n) if n else 0) for title, a, n in attendance],
            title=cat.s("web.stats.attendance"),
            unit="%",
        ),
        "checkins": bar_chart(
            [(cat.s("web.stats.month", month=m), v) for m, v in checkins if v],
            title=cat.s("web.stats.checkins"),
        ),
    }
    return render(
        request,
        "stats_page.html",
        {"year": year, "f": f, "charts": charts, "pct": _pct},
    )


@routes.get("/stats.csv")
async def stats_csv(request: web.Request) -> web.StreamResponse:
    year = _year(request)
    f, extra = await _figures(request, year)
    out = io.StringIO()
    csv.writer(out).writerows(_rows(request, f, extra))
    name = app_of(request).services.catalogue.s("web.stats.file_name", year=year) + ".csv"
    return download(("\ufeff" + out.getvalue()).encode(), name, "text/csv")


@routes.get("/stats.xlsx")
async def stats_xlsx(request: web.Request) -> web.StreamResponse:
    year = _year(request)
    f, extra = await _figures(request, year)
    body = await asyncio.to_thread(_workbook, list(_rows(request, f, extra)))
    name = app_of(request).services.catalogue.s("web.stats.file_name", year=year) + ".xlsx"
    return download(body, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _workbook(rows: list[Sequence[object]]) -> bytes:
    """The figures as a workbook; built off the loop the bot shares."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
