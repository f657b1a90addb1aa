"""The knowledge base service: ingest files into storage, keep an index, answer questions.

Wires the pure pieces in ``bot/kb`` to the database (``storage/kb_repo.py``). The index
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
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.catalogue import CONFIG_DIR
from bot.kb.answer import AnswerPolicy
from bot.kb.citations import Answer
from bot.kb.ingest import prepare
from bot.kb.llm import LlmAnswerer
from bot.kb.qa import Rulebook
from bot.kb.readers import SUPPORTED_SUFFIXES, UnreadableDocument, read_bytes, read_file
from bot.kb.tokenize import Tokenizer, shared_tokenizer
from bot.llm import LlmClient
from bot.settings import Settings
from storage.db import Database
from storage.kb_repo import KbRepository, StoreOutcome

__all__ = ["SAMPLE_RULEBOOK", "FileResult", "KnowledgeBase", "expand_paths"]

SAMPLE_RULEBOOK = CONFIG_DIR / "rulebook"


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
    ) -> None:
        self.db = db
        self.tokenizer = tokenizer or shared_tokenizer()
        self.llm = llm
        self.policy = policy
        self.sample = sample
        self._rulebook: Rulebook | None = None
        self._revision: object = None
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, db: Database, sample: Path | None = SAMPLE_RULEBOOK
    ) -> KnowledgeBase:
        """The committee's vocabulary file and, when configured, the LLM endpoint."""
        extra = (settings.kb_vocabulary_file,) if settings.kb_vocabulary_file else ()
        client = LlmClient.from_settings(settings)
        llm = LlmAnswerer(client=client) if client else None
        return cls(db=db, tokenizer=shared_tokenizer(extra), llm=llm, sample=sample)

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
        try:
            prepared = prepare(read_bytes(file_name, content), tokenizer=self.tokenizer)
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
            return await self.ingest_paths([self.sample], session=use)

    # answer ----------------------------------------------------------------
    async def rulebook(self, *, session: AsyncSession | None = None) -> Rulebook:
        async with self._lock:
            async with self._session(session) as use:
                repo = KbRepository(use)
                revision = await repo.revision()
                if self._rulebook is not None and revision == self._revision:
                    return self._rulebook
                stored = await repo.passages()
                stale = [
                    i
                    for i, signature in enumerate(stored.tokenizers)
                    if signature != self.tokenizer.signature
                ]
                if stale:
                    # The vocabulary changed since ingest: segment those passages again.
                    updates = []
                    for i in stale:
                        p = stored.passages[i]
                        stored.tokens[i] = self.tokenizer.tokens(
                            "\n".join([p.title, *p.heading_path, p.text])
                        )
                        updates.append((p.id, stored.tokens[i]))
                    await repo.set_tokens(updates, tokenizer=self.tokenizer.signature)
                    revision = await repo.revision()
            self._rulebook = Rulebook(
                passages=stored.passages,
                token_lists=stored.tokens,
                tokenizer=self.tokenizer,
                policy=self.policy,
            )
            self._revision = revision
            return self._rulebook

    async def ask(
        self, question: str, *, k: int | None = None, session: AsyncSession | None = None
    ) -> Answer:
        await self.ensure_sample(session=session)
        rulebook = await self.rulebook(session=session)
        return await rulebook.answer_with(question, llm=self.llm, k=k)
