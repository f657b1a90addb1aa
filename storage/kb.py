"""Repository for the knowledge base: documents, passages and forwarded questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kb.citations import SourcePassage
from bot.kb.ingest import PreparedDocument
from storage.columns import utcnow
from storage.locks import serialize_writes
from storage.tables import KbDocument, KbPassage, KbQuestion

__all__ = ["DocumentSummary", "KbRepository", "StoreOutcome", "StoredPassages"]

StoreOutcome = Literal["added", "replaced", "unchanged"]
_HEADING_SEPARATOR = "\n"


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: int
    file_name: str
    title: str
    passages: int
    chars: int
    ingested_at: datetime


@dataclass(frozen=True, slots=True)
class StoredPassages:
    passages: list[SourcePassage]
    tokens: list[list[str]]
    tokenizers: list[str]


class KbRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # documents -------------------------------------------------------------
    async def document(self, file_name: str) -> KbDocument | None:
        stmt = select(KbDocument).where(KbDocument.file_name == file_name)
        return (await self.session.exec(stmt)).first()

    async def store(self, prepared: PreparedDocument, *, tokenizer: str) -> StoreOutcome:
        """Adds the document, replaces its passages if its content changed, else does nothing."""
        await self.lock_writes()
        existing = await self.document(prepared.file_name)
        if existing is not None and existing.content_hash == prepared.content_hash:
            return "unchanged"
        if existing is None:
            document = KbDocument(
                file_name=prepared.file_name,
                title=prepared.title,
                content_hash=prepared.content_hash,
                tokenizer=tokenizer,
                chars=prepared.chars,
            )
            self.session.add(document)
            await self.session.flush()
            outcome: StoreOutcome = "added"
        else:
            document = existing
            await self._delete_passages(document.id)
            document.title = prepared.title
            document.content_hash = prepared.content_hash
            document.tokenizer = tokenizer
            document.chars = prepared.chars
            document.ingested_at = utcnow()
            self.session.add(document)
            outcome = "replaced"
        assert document.id is not None
        self.session.add_all(
            KbPassage(
                document_id=document.id,
                ordinal=passage.ordinal,
                locator=passage.locator[:255],
                heading_path=_HEADING_SEPARATOR.join(passage.heading_path),
                text=passage.text,
                tokens=" ".join(tokens),
            )
            for passage, tokens in zip(prepared.passages, prepared.tokens, strict=True)
        )
        await self.session.flush()
        return outcome

    async def _delete_passages(self, document_id: int | None) -> None:
        await self.session.exec(delete(KbPassage).where(col(KbPassage.document_id) == document_id))

    async def lock_writes(self) -> None:
        """Two processes ingesting at once (e.g. both seeding the sample) take turns."""
        await serialize_writes(self.session, "committee-bot:kb")

    async def remove(self, file_name: str) -> bool:
        await self.lock_writes()
        document = await self.document(file_name)
        if document is None:
            return False
        await self._delete_passages(document.id)
        await self.session.delete(document)
        await self.session.flush()
        return True

    async def documents(self) -> list[DocumentSummary]:
        counts = (
            select(KbPassage.document_id, func.count().label("n"))
            .group_by(col(KbPassage.document_id))
            .subquery()
        )
        stmt = (
            select(KbDocument, counts.c.n)
            .join(counts, counts.c.document_id == KbDocument.id, isouter=True)
            .order_by(col(KbDocument.file_name))
        )
        return [
            DocumentSummary(
                id=doc.id or 0,
                file_name=doc.file_name,
                title=doc.title,
                passages=int(n or 0),
                chars=doc.chars,
                ingested_at=doc.ingested_at,
            )
            for doc, n in await self.session.exec(stmt)
        ]

    async def passage_count(self) -> int:
        return int((await self.session.exec(select(func.count()).select_from(KbPassage))).one())

    async def revision(self) -> tuple[int, int, datetime | None]:
        """Changes whenever a document is added, replaced or removed: the index cache key."""
        stmt = select(func.count(), func.max(KbDocument.id), func.max(KbDocument.ingested_at))
        count, max_id, latest = (await self.session.exec(stmt)).one()
        return int(count), int(max_id or 0), latest

    async def passages(self) -> StoredPassages:
        stmt = (
            select(KbPassage, KbDocument.file_name, KbDocument.title, KbDocument.tokenizer)
            .join(KbDocument, col(KbDocument.id) == KbPassage.document_id)
            .order_by(col(KbPassage.document_id), col(KbPassage.ordinal))
        )
        out = StoredPassages(passages=[], tokens=[], tokenizers=[])
        for passage, file_name, title, tokenizer in await self.session.exec(stmt):
            out.passages.append(
                SourcePassage(
                    id=passage.id or 0,
                    source=file_name,
                    title=title,
                    locator=passage.locator,
                    heading_path=tuple(
                        p for p in passage.heading_path.split(_HEADING_SEPARATOR) if p
                    ),
                    text=passage.text,
                )
            )
            out.tokens.append(passage.tokens.split(" ") if passage.tokens else [])
            out.tokenizers.append(tokenizer)
        return out

    async def set_tokens(self, updates: Sequence[tuple[int, list[str]]], *, tokenizer: str) -> None:
        """Stores re-segmented tokens after the vocabulary changed."""
        for passage_id, tokens in updates:
            passage = await self.session.get(KbPassage, passage_id)
            if passage is not None:
                passage.tokens = " ".join(tokens)
                self.session.add(passage)
        docs = await self.session.exec(select(KbDocument).where(KbDocument.tokenizer != tokenizer))
        for doc in docs:
            doc.tokenizer = tokenizer
            self.session.add(doc)
        await self.session.flush()

    # forwarded questions ---------------------------------------------------
    async def forward(self, *, member_id: int, question: str) -> KbQuestion:
        row = KbQuestion(member_id=member_id, question=question)
        self.session.add(row)
        await self.session.flush()
        return row

    async def record_not_found(self, *, member_id: int, question: str) -> KbQuestion:
        """A question the rulebook could not answer, held until the member forwards it
        (a button carries only its id; Telegram payloads are too small for the text)."""
        row = KbQuestion(member_id=member_id, question=question, status="not_found")
        self.session.add(row)
        await self.session.flush()
        return row

    async def forward_recorded(self, question_id: int) -> KbQuestion | None:
        """Queues a held question for the secretariat; None if it is gone or already queued."""
        row = await self.session.get(KbQuestion, question_id, with_for_update=True)
        if row is None or row.status != "not_found":
            return None
        row.status = "pending"
        row.created_at = utcnow()  # queued now: the secretariat's list is oldest first
        self.session.add(row)
        await self.session.flush()
        return row

    async def question(self, question_id: int) -> KbQuestion | None:
        return await self.session.get(KbQuestion, question_id)

    async def pending_questions(self, *, limit: int = 50) -> list[KbQuestion]:
        stmt = (
            select(KbQuestion)
            .where(KbQuestion.status == "pending")
            .order_by(col(KbQuestion.created_at), col(KbQuestion.id))
            .limit(limit)
        )
        return list(await self.session.exec(stmt))

    async def answer_question(
        self, question_id: int, *, answer: str, answered_by: int | None
    ) -> KbQuestion | None:
        """Records the secretariat's answer; None if the question is gone or already closed."""
        row = await self.session.get(KbQuestion, question_id, with_for_update=True)
        if row is None or row.status != "pending":
            return None
        row.status = "answered"
        row.answer = answer
        row.answered_by = answered_by
        row.answered_at = utcnow()
        self.session.add(row)
        await self.session.flush()
        return row

    async def dismiss_question(self, question_id: int) -> bool:
        """Closes a pending question unanswered; False if it is gone or already closed.

        Locked as ``answer_question`` is: without the lock a clerk's dismissal read the row
        as pending while a colleague answered (or dismissed) it, and both succeeded, the
        later one overwriting the other's outcome."""
        row = await self.session.get(KbQuestion, question_id, with_for_update=True)
        if row is None or row.status != "pending":
            return False
        row.status = "dismissed"
        self.session.add(row)
        await self.session.flush()
        return True

    async def gaps(self, *, limit: int = 100) -> list[KbQuestion]:
        """Every forwarded question, newest first: what the rulebook does not cover yet."""
        stmt = (
            select(KbQuestion)
            .where(KbQuestion.status != "not_found")
            .order_by(col(KbQuestion.created_at).desc(), col(KbQuestion.id).desc())
            .limit(limit)
        )
        return list(await self.session.exec(stmt))
