"""提案: the queue with its filters, one proposal in full, and the DOCX / XLSX downloads."""

from __future__ import annotations

import asyncio
from datetime import datetime
from urllib.parse import quote

from aiohttp import web

from bot.proposals.config import GROUNDS, rules
from bot.proposals.documents.docx import proposal_docx, proposal_file_name
from bot.proposals.documents.xlsx import proposals_xlsx
from bot.proposals.office import day_start, proposal_label
from bot.proposals.proposal_checks import ProposalText, comparison_text
from bot.proposals.proposal_lifecycle import AnswerCategory, Status
from bot.proposals.similarity import Match
from bot.proposals.similarity_cache import app_cache
from bot.web.render import app_of, render
from storage.proposals import Proposals, Reports, SignerStatus
from storage.tables import Member
from storage.web import QueueFilter, proposal_queue, proposal_sectors

__all__ = ["DOCX", "download", "routes"]

routes = web.RouteTableDef()


def _year(request: web.Request) -> int:
    app = app_of(request)
    text = request.query.get("year", "")
    return int(text) if text.isdigit() else datetime.now(app.settings.zone).year


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(body: bytes, name: str, content_type: str) -> web.Response:
    return web.Response(
        body=body,
        content_type=content_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


@routes.get("/")
async def home(_request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/proposals")


@routes.get("/proposals")
async def queue(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    q = request.query
    year_text = q.get("year", "")
    f = QueueFilter(
        year=int(year_text) if year_text.isdigit() else None,
        status=q.get("status", "") if q.get("status", "") in set(Status) else "",
        sector=q.get("sector", "").strip(),
        field=q.get("field", "").strip(),
        overdue=q.get("overdue") == "1",
        key=q.get("key") == "1",
        search=q.get("q", "").strip()[:100],
    )
    now = app.services.clock()
    async with app.db.session() as s:
        rows, total = await proposal_queue(s, f, now=now)
        sectors = await proposal_sectors(s)
        # The overdue filter offers 催办 / 延期 per row and marks what was urged today.
        urged = await Proposals(s).urges_since(
            [p.id for p in rows if p.id is not None and f.overdue],
            day_start(now, app.settings.zone),
        )
    return render(
        request,
        "proposal_queue.html",
        {
            "rows": rows,
            "total": total,
            "f": f,
            "statuses": [st.value for st in Status if st != Status.DRAFT],
            "sectors": sectors,
            "fields": rules().proposal.fields,
            "now": now,
            "this_year": datetime.now(app.settings.zone).year,
            "urged": set(urged),
            "today": now.astimezone(app.settings.zone).date().isoformat(),
        },
    )


@routes.get(r"/proposals/{pid:\d+}")
async def detail(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    pid = int(request.match_info["pid"])
    async with app.db.session() as s:
        repo = Proposals(s)
        p = await repo.require(pid)
        signers = await repo.signers(pid)
        names = {
            m.id: m.name
            for m in [await s.get(Member, x.member_id) for x in signers]
            if m is not None
        }
        history = await repo.history(pid)
        now = app.services.clock()
        urged = await repo.urges_since([pid], day_start(now, app.settings.zone))
        merged = await repo.merged_into(pid)
        cache = app_cache(app.services)  # the chat's cache when it runs here too
        seen = await repo.similarity_key()
        index = await cache.index(repo)
    text = ProposalText(title=p.title, situation=p.situation, suggestions=p.suggestions)
    # Scoring against every proposal of the term is CPU work: off the event loop, and
    # remembered for this index (a clerk goes back and forth between the queue and a page).
    memo: dict[tuple[tuple[int, int], int], list[Match]] = app.services.extras.setdefault(
        "web_similar", {}
    )
    key = (seen, pid)
    similar = memo.get(key)
    if similar is None:
        similar = await asyncio.to_thread(
            index.query, comparison_text(text), threshold=0.2, top=5, exclude=pid
        )
        if len(memo) > 5000:
            memo.clear()
        memo[key] = similar
    return render(
        request,
        "proposal.html",
        {
            "p": p,
            "label": proposal_label(p),
            "signers": [(names.get(x.member_id, ""), x) for x in signers],
            "confirmed": SignerStatus.CONFIRMED,
            "history": history,
            "merged": merged,
            "similar": similar,
            "grounds": GROUNDS,
            "categories": [c.value for c in AnswerCategory],
            "overdue": p.status == Status.ASSIGNED
            and p.deadline_at is not None
            and p.deadline_at < now,
            "max_upload_mb": app.settings.max_upload_bytes // (1024 * 1024),
            "urged_today": pid in urged,
            "today": now.astimezone(app.settings.zone).date().isoformat(),
        },
    )


@routes.get(r"/proposals/{pid:\d+}/docx")
async def docx(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    pid = int(request.match_info["pid"])
    async with app.db.session() as s:
        repo = Proposals(s)
        p = await repo.require(pid)
        cosigners = [x.details for x in await repo.signers(pid) if x.status == "confirmed"]
    # Built off the loop the bot shares, from what was read (the session stays on the loop).
    body = await asyncio.to_thread(
        proposal_docx,
        p,
        cosigners=cosigners,
        committee=app.settings.committee_name,
        zone=app.settings.zone,
    )
    return download(body, proposal_file_name(p), DOCX)


@routes.get("/proposals/export.xlsx")
async def export(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    year = _year(request)
    async with app.db.session() as s:
        repo = Proposals(s)
        rows = await repo.of_year(year)
        signers = await repo.signers_of([p.id for p in rows if p.id is not None])
        reports = await Reports(s).of_year(year)
    confirmed = {
        pid: [x.details for x in group if x.status == SignerStatus.CONFIRMED]
        for pid, group in signers.items()
    }
    # A year's workbook is seconds of openpyxl: built off the loop the bot shares.
    body = await asyncio.to_thread(
        proposals_xlsx,
        rows,
        year=year,
        zone=app.settings.zone,
        now=datetime.now(app.settings.zone),
        cosigners=confirmed,
        reports=reports,
    )
    name = app.services.catalogue.s("web.proposals.xlsx_name", year=year)
    return download(body, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
