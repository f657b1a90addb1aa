"""The knowledge base service: ingest files into storage, keep an index, answer questions.

Wires the pure pieces in ``bot/kb`` to the database (``storage/kb.py``). The index
lives in memory and is rebuilt from stored passages (their tokens are stored too, so no
re-segmentation) whenever the documents' revision changes, which also picks up ingests
made by another process such as the CLI.

Every method that touches the database takes an optional ``session``: a chat handler passes
its own, so a first-use ingest of the sample rulebook (or a re-segmentation after the
vocabulary changed) happens in the update's transaction instead of a second connection
that SQLite would make wait for the first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import String, cast, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.background_index import LARGE_BUILD, BackgroundIndex, drain, off_loop, quiet_collector
from bot.catalogue import CONFIG_DIR
from bot.kb.answer import AnswerPolicy
from bot.kb.citations import Answer, SourcePassage
from bot.kb.ingest import PreparedDocument, prepare
from bot.kb.llm import LlmAnswerer
from bot.kb.qa import Rulebook
from bot.kb.readers import SUPPORTED_SUFFIXES, UnreadableDocument, read_bytes, read_file
from bot.kb.thesaurus import thesaurus
from bot.kb.tokenize import Tokenizer, shared_tokenizer
from bot.kb.translation import translation_table
from bot.kb.verdict import verdict_model
from bot.llm import LlmClient
from bot.settings import Settings
from storage.db import Database
from storage.kb import KbRepository, StoreOutcome
from storage.snapshot import read_snapshot
from storage.tables import KbDocument, KbPassage

log = logging.getLogger(__name__)

__all__ = ["SAMPLE_RULEBOOK", "FileResult", "KnowledgeBase", "expand_paths"]

SAMPLE_RULEBOOK = CONFIG_DIR / "rulebook"
_TOKEN_WRITES = 200
_HEADING_SEPARATOR = "\n"  # as storage/kb.py stores heading paths


@dataclass(frozen=True, slots=True)
class FileResult:
    file_name: str
    outcome: StoreOutcome | None = None
    passages: int = 0
    chars: int = 0
    error: UnreadableDocument | None = None


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders walked for supported files (sorted, hidden files skipped)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            out.append(path)
    return list(dict.fromkeys(out))


class KnowledgeBase:
    def __init__(
        self,
        *,
        db: Database,
        tokenizer: Tokenizer | None = None,
        llm: LlmAnswerer | None = None,
        policy: AnswerPolicy | None = None,
        sample: Path | None = SAMPLE_RULEBOOK,
        second_opinion: bool = True,
    ) -> None:
        self.db = db
        self.tokenizer = tokenizer or shared_tokenizer()
        self.llm = llm
        self.policy = policy
        self.second_opinion = second_opinion
        self.sample = sample
        self._index: BackgroundIndex[Rulebook] = BackgroundIndex(self._build, name="rulebook")
        self._seeded_in: AsyncSession | None = None
        self._writes: set[asyncio.Task[None]] = set()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, db: Database, sample: Path | None = SAMPLE_RULEBOOK
    ) -> KnowledgeBase:
        """The committee's vocabulary file and, when configured, the LLM endpoint."""
        extra = (settings.kb_vocabulary_file,) if settings.kb_vocabulary_file else ()
        client = LlmClient.from_settings(settings)
        llm = LlmAnswerer(client=client) if client else None
        return cls(
            db=db,
            tokenizer=shared_tokenizer(extra),
            llm=llm,
            sample=sample,
            second_opinion=settings.kb_verdict,
        )

    @asynccontextmanager
    async def _session(self, session: AsyncSession | None) -> AsyncIterator[AsyncSession]:
        """The caller's session, or one of our own committed on exit."""
        if session is not None:
            yield session
            return
        async with self.db.session() as own:
            yield own

    # ingest ----------------------------------------------------------------
    async def ingest_paths(
        self,
        paths: Sequence[str | Path],
        *,
        on_file: Callable[[FileResult], None] | None = None,
        session: AsyncSession | None = None,
    ) -> list[FileResult]:
        results = []
        for path in expand_paths(paths):
            try:
                raw = read_file(path)
            except UnreadableDocument as exc:
                result = FileResult(file_name=exc.file_name, error=exc)
            else:
                result = await self.ingest_bytes(raw.file_name, raw.content, session=session)
            results.append(result)
            if on_file is not None:
                on_file(result)
        return results

    async def ingest_bytes(
        self, file_name: str, content: bytes, *, session: AsyncSession | None = None
    ) -> FileResult:
        """One file; an unreadable one is reported, never raised, so a batch goes on."""

        def read() -> PreparedDocument:
            return prepare(read_bytes(file_name, content), tokenizer=self.tokenizer)

        try:
            # Off the event loop: a big PDF must not stall the bot or the console meanwhile
            # (the thread inherits the context, so the read limits and progress still apply).
            prepared = await asyncio.to_thread(read)
        except UnreadableDocument as exc:
            return FileResult(file_name=file_name, error=exc)
        async with self._session(session) as use:
            outcome = await KbRepository(use).store(prepared, tokenizer=self.tokenizer.signature)
        return FileResult(
            file_name=file_name,
            outcome=outcome,
            passages=len(prepared.passages),
            chars=prepared.chars,
        )

    async def remove(self, file_name: str) -> bool:
        async with self.db.session() as session:
            return await KbRepository(session).remove(file_name)

    async def ensure_sample(self, *, session: AsyncSession | None = None) -> list[FileResult]:
        """A fresh database answers out of the box: the sample rulebook goes in when empty."""
        if self.sample is None or not self.sample.is_dir():
            return []
        async with self._session(session) as use:
            repo = KbRepository(use)
            count, _, _ = await repo.revision()
            if count:
                return []
            # Another process may be seeding right now: wait for it, then look again.
            await repo.lock_writes()
            count, _, _ = await repo.revision()
            if count:
                return []
            results = await self.ingest_paths([self.sample], session=use)
            if session is not None:
                self._seeded_in = session  # see rulebook()
            return results

    async def _store_tokens(self, stale: list[tuple[int, list[str]]]) -> None:
        """The vocabulary changed since ingest: store the passages segmented again, a few
        hundred per transaction so no member waits behind one long write."""
        try:
            for start in range(0, len(stale), _TOKEN_WRITES):
                async with self.db.session() as session:
                    await KbRepository(session).set_tokens(
                        stale[start : start + _TOKEN_WRITES], tokenizer=self.tokenizer.signature
                    )
                await asyncio.sleep(0)
        except Exception:  # the next rebuild segments them again
            log.exception("storing re-segmented rulebook passages failed")

    # answer ----------------------------------------------------------------
    async def rulebook(
        self, *, session: AsyncSession | None = None, fresh: bool = False
    ) -> Rulebook:
        """The index in place. When documents changed, a rebuild starts off the event loop
        and questions are answered from this one until it is done; ``fresh`` waits for it
        (the CLI). Only the very first index is always waited for."""
        async with self._session(session) as use:
            revision = tuple((await use.exec(_revision())).one())
            if session is not None and session is self._seeded_in:
                # The sample went in within this very transaction, which the rebuild's own
                # connection cannot see yet: index it from here (five short files).
                self._seeded_in = None
                rows = list(await use.exec(_passage_rows()))
                await off_loop(_load_learned)  # (files of a megabyte: not on the loop)
                rulebook, stale = _assemble(rows, self.tokenizer, self.policy, self.second_opinion)
                if stale:
                    await KbRepository(use).set_tokens(stale, tokenizer=self.tokenizer.signature)
                self._index.install(revision, rulebook)
                return rulebook
        if self._index.current is None:
            return await self._index.ready()
        self._index.request(revision, known=True)
        if fresh:
            await self._index.settled()
        return self._index.current

    async def _build(self) -> tuple[tuple[Any, ...], Rulebook]:
        """Reads the stored passages off the loop and indexes them in the worker thread."""
        # No session here: the caller waiting for a first index may hold SQLite's write lock.
        [revision], rows = await read_snapshot(self.db, [_revision(), _passage_rows()])

        def build() -> tuple[Rulebook, list[tuple[int, list[str]]]]:
            # jieba's dictionary, its part-of-speech table, the thesaurus, the answer model
            # and the word translation table load here, not at a member's question
            self.tokenizer.tokens("")
            self.tokenizer.is_noun("委员")
            thesaurus()
            _load_learned()
            with quiet_collector(len(rows) >= LARGE_BUILD):
                built = _assemble(rows, self.tokenizer, self.policy, self.second_opinion)
            built[0].index.warm()
            drain(rows)  # freed here, not on the loop
            return built

        rulebook, stale = await off_loop(build)
        if stale:
            # Not awaited: whoever waits for this index may hold the write lock.
            task = asyncio.create_task(self._store_tokens(stale))
            self._writes.add(task)
            task.add_done_callback(self._writes.discard)
        return revision, rulebook

    async def ask(
        self, question: str, *, k: int | None = None, session: AsyncSession | None = None
    ) -> Answer:
        await self.ensure_sample(session=session)
        rulebook = await self.rulebook(session=session, fresh=True)
        return await rulebook.answer_with(question, llm=self.llm, k=k)


def _revision() -> Any:
    """Changes whenever a document is added, replaced or removed: the index's key. The
    time is read as text so that every way of reading it gives the same value."""
    return select(
        func.count(col(KbDocument.id)),
        func.max(KbDocument.id),
        cast(func.max(KbDocument.ingested_at), String),
    )


def _passage_rows() -> Any:
    """Every passage with its document, in reading order, as plain columns."""
    return (
        select(  # type: ignore[call-overload]  # sqlmodel types select() up to 4 columns only
            KbPassage.id,
            KbDocument.file_name,
            KbDocument.title,
            KbPassage.locator,
            KbPassage.heading_path,
            KbPassage.text,
            KbPassage.tokens,
            KbDocument.tokenizer,
        )
        .join(KbDocument, col(KbDocument.id) == KbPassage.document_id)
        .order_by(col(KbPassage.document_id), col(KbPassage.ordinal))
    )


def _load_learned() -> None:
    """The files fitted on the development sets, read once per process."""
    verdict_model()
    translation_table()


def _assemble(
    rows: Sequence[Any],
    tokenizer: Tokenizer,
    policy: AnswerPolicy | None,
    second_opinion: bool = True,
) -> tuple[Rulebook, list[tuple[int, list[str]]]]:
    """The index over stored rows, and the passages segmented again because the vocabulary
    changed since they were stored (to write back)."""
    passages: list[SourcePassage] = []
    token_lists: list[list[str]] = []
    stale: list[tuple[int, list[str]]] = []
    # One string object per distinct token instead of one per occurrence: a large
    # rulebook's tokens then take megabytes, not hundreds, and free quickly.
    words: dict[str, str] = {}
    for pid, file_name, title, locator, heading, text, tokens, signature in rows:
        heading_path = tuple(p for p in heading.split(_HEADING_SEPARATOR) if p)
        passages.append(
            SourcePassage(
                id=pid or 0,
                source=file_name,
                title=title,
                locator=locator,
                heading_path=heading_path,
                text=text,
            )
        )
        if signature != tokenizer.signature:
            fresh_tokens = tokenizer.tokens("\n".join([title, *heading_path, text]))
            stale.append((pid, fresh_tokens))
            token_lists.append(fresh_tokens)
        else:
            token_lists.append(
                [words.setdefault(t, t) for t in tokens.split(" ")] if tokens else []
            )
    rulebook = Rulebook(
        passages=passages,
        token_lists=token_lists,
        tokenizer=tokenizer,
        policy=policy,
        second_opinion=second_opinion,
    )
    drain(token_lists)
    return rulebook, stale
