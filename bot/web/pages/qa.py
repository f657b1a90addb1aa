"""问答: forwarded questions to answer (the same ``answer_question`` as the chat's
``/questions``) and members' 留言 (``answer_message``, as ``/inbox``), the rulebook's documents (upload → the same ingest as ``committee-bot kb
ingest``, within the same size and type bounds; remove), and the questions the rulebook
could not answer (``kb gaps``)."""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import unquote

from aiohttp import web
from aiohttp.web_request import FileField
from sqlmodel import col, select

from bot.errors import UserError
from bot.inbox import answer_message, unanswered
from bot.kb.ingest_bounds import MB, ReadLimits, megabytes, using_limits
from bot.kb.questions import MAX_ANSWER_CHARS, answer_question, dismiss_question
from bot.kb.readers import SUPPORTED_SUFFIXES
from bot.kb.service import KnowledgeBase
from bot.web.render import app_of, clerk_of, render, see_other
from storage.audit import Audit
from storage.kb import KbRepository
from storage.tables import Member

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.get("/ask")
async def ask(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    async with app.db.session() as s:
        repo = KbRepository(s)
        pending = await repo.pending_questions(limit=100)
        gaps = await repo.gaps(limit=200)
        documents = await repo.documents()
        messages = await unanswered(s, limit=100)
        ids = {q.member_id for q in [*pending, *gaps]}
        people = {m.id: m for m in await s.exec(select(Member).where(col(Member.id).in_(ids)))}
    return render(
        request,
        "ask_page.html",
        {
            "pending": pending,
            "messages": messages,
            "gaps": gaps,
            "documents": documents,
            "people": people,
            "max_answer": MAX_ANSWER_CHARS,
            "types": " ".join(SUPPORTED_SUFFIXES),
            "limit": megabytes(_max_bytes(request)),
        },
    )


def _question_id(request: web.Request) -> int:
    return int(request.match_info["qid"])


@routes.post(r"/ask/questions/{qid:\d+}/answer")
async def answer(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    text = str((await request.post()).get("answer", ""))
    async with app.db.session() as s:
        await answer_question(
            s,
            _question_id(request),
            text,
            clerk=clerk_of(request).member,
            cat=app.services.catalogue,
        )
    app.services.wake_delivery()
    return see_other("/ask?done=ask_answer")


@routes.post(r"/ask/inbox/{mid:\d+}/answer")
async def answer_inbox(request: web.Request) -> web.StreamResponse:
    """A member's 留言 to the secretariat, answered as with ``/inbox`` in chat."""
    app = app_of(request)
    text = str((await request.post()).get("answer", ""))
    async with app.db.session() as s:
        await answer_message(
            s,
            int(request.match_info["mid"]),
            text,
            clerk=clerk_of(request).member,
            cat=app.services.catalogue,
        )
    app.services.wake_delivery()
    return see_other("/ask?done=ask_answer")


@routes.post(r"/ask/questions/{qid:\d+}/dismiss")
async def dismiss(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    async with app.db.session() as s:
        await dismiss_question(s, _question_id(request), clerk=clerk_of(request).member)
    return see_other("/ask?done=ask_dismiss")


def _max_bytes(request: web.Request) -> int:
    """The smaller of the console's upload limit and ``kb ingest``'s file limit."""
    settings = app_of(request).settings
    return min(settings.max_upload_bytes, settings.kb_max_file_mb * MB)


@routes.post("/ask/documents")
async def upload(request: web.Request) -> web.StreamResponse:
    """One file at a time; a file of the same name replaces the old one (as ``kb ingest``)."""
    app = app_of(request)
    upload = (await request.post()).get("file")
    if not isinstance(upload, FileField) or not upload.filename:
        raise UserError("web.ask.file_missing")
    # Browsers send the name as UTF-8 with quotes and line breaks %-escaped; some clients
    # (aiohttp's) %-escape all of it: either way the name as the clerk sees it.
    name = PurePath(unquote(upload.filename)).name[:200]
    if PurePath(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UserError("web.upload_wrong_type", name=name, types=" ".join(SUPPORTED_SUFFIXES))
    limit = _max_bytes(request)
    body = upload.file.read(limit + 1)
    if len(body) > limit:
        raise UserError("web.upload_too_large", limit=megabytes(limit))
    knowledge = app.services.knowledge or KnowledgeBase.from_settings(
        app.settings, db=app.db, sample=None
    )
    async with app.db.session() as s:
        with using_limits(ReadLimits(max_file_bytes=limit)):
            result = await knowledge.ingest_bytes(name, body, session=s)
        if result.error is not None:
            raise UserError(
                f"kb.unreadable.{result.error.reason}", name=name, **result.error.params
            )
        await Audit(s).record(
            "rulebook.ingest",
            actor=clerk_of(request).member,
            target=f"kb:{name}",
            outcome=result.outcome,
            passages=result.passages,
        )
    return see_other(f"/ask?done=kb_{result.outcome}")


@routes.post("/ask/documents/remove")
async def remove(request: web.Request) -> web.StreamResponse:
    app = app_of(request)
    name = str((await request.post()).get("file_name", ""))[:255]
    async with app.db.session() as s:
        if not await KbRepository(s).remove(name):
            raise UserError("web.ask.document_gone", name=name)
        await Audit(s).record(
            "rulebook.remove", actor=clerk_of(request).member, target=f"kb:{name}"
        )
    return see_other("/ask?done=kb_removed")
