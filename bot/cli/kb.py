"""``committee-bot ask`` and ``committee-bot kb ...``: the rulebook from the command line.

``ask`` keeps a fixed contract (scripts and evaluations depend on it): a question argument
or one question per stdin line; ``--json`` prints one object per question per line.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TypeVar

import click

from bot.catalogue import catalogue
from bot.cli.common import audit_cli, echo, echo_err, open_app, run_async, settings_from
from bot.kb.citations import Answer
from bot.kb.eval import BadEvalLine, evaluate, load_items
from bot.kb.ingest_bounds import ReadLimits, megabytes, reporting_progress, using_limits
from bot.kb.service import FileResult, KnowledgeBase, expand_paths
from storage.kb import DocumentSummary, KbRepository
from storage.tables import KbQuestion

_MODEL_CALLS = 4  # questions put to the model at once by `kb eval`

__all__ = ["ask", "kb"]

R = TypeVar("R")


@click.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="每个问题输出一行 JSON。")
@click.option("-k", "k", type=click.IntRange(1, 20), default=None, help="最多列出 N 处引用。")
@click.pass_context
def ask(ctx: click.Context, question: str | None, as_json: bool, k: int | None) -> None:
    """按本会规则文件回答问题（不带问题时从标准输入逐行读取）。"""
    settings = settings_from(ctx)
    # an empty question given as the argument is answered (with a prompt to ask), not read
    # from stdin: a script passing "" must get its one line back
    typed = (
        [question.strip()]
        if question is not None
        else [line.strip() for line in sys.stdin if line.strip()]
    )
    # bytes that are no UTF-8 (a terminal in GBK) become U+FFFD: the JSON stays valid
    questions = [q.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for q in typed]

    async def go() -> None:
        async with open_app(settings) as app:
            knowledge = KnowledgeBase.from_settings(settings, db=app.db)
            for q in questions:
                answer = await knowledge.ask(q, k=k)
                if as_json:
                    click.echo(json.dumps(answer.to_json(), ensure_ascii=False))
                    continue
                click.echo(answer.text)
                for number, c in enumerate(answer.citations, start=1):
                    echo(
                        "kb.cli.citation",
                        number=number,
                        title=c.title,
                        locator=c.locator,
                        source=c.source,
                        score=f"{c.score:.2f}",
                    )

    run_async(go())


@click.group()
def kb() -> None:
    """管理规则知识库。"""


@kb.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """导入文件或文件夹（txt、md、docx、pdf）。"""
    settings = settings_from(ctx)
    files = expand_paths(paths)
    limits = ReadLimits(max_file_bytes=settings.kb_max_file_mb * 1024 * 1024)
    progress = _IngestProgress(total=len(files))

    def done(result: FileResult) -> None:
        if result.error is not None:
            params = {"name": result.file_name, **result.error.params}
            click.echo(catalogue().s(f"kb.unreadable.{result.error.reason}", **params), err=True)
        else:
            echo(
                "kb.cli.ingest_file",
                name=result.file_name,
                outcome=catalogue().s(f"kb.cli.outcome_{result.outcome}"),
                passages=result.passages,
            )

    async def go() -> list[FileResult]:
        async with open_app(settings) as app:
            knowledge = KnowledgeBase.from_settings(settings, db=app.db, sample=None)
            with using_limits(limits), reporting_progress(progress):
                results = await knowledge.ingest_paths(files, on_file=done)
            for r in results:
                if r.outcome in ("added", "replaced"):
                    await audit_cli(
                        app,
                        "rulebook.ingest",
                        target=f"kb:{r.file_name}",
                        outcome=r.outcome,
                        passages=r.passages,
                    )
            return results

    results = run_async(go())
    counts = {
        o: sum(1 for r in results if r.outcome == o) for o in ("added", "replaced", "unchanged")
    }
    failed = sum(1 for r in results if r.error is not None)
    echo("kb.cli.ingest_done", failed=failed, **counts)
    if failed:
        ctx.exit(1)


class _IngestProgress:
    """Progress on stderr: a line as each file starts, and for a big file a line at most
    once a second while its pages are read and its passages indexed."""

    def __init__(self, *, total: int, every_seconds: float = 1.0) -> None:
        self.total = total
        self.started = 0
        self.every = every_seconds
        self._last = 0.0

    def __call__(self, file_name: str, stage: str, done: int, total: int) -> None:
        if stage == "read":
            self.started += 1
            self._last = time.monotonic()
            echo_err(
                "kb.cli.reading_file",
                n=self.started,
                total=self.total,
                name=file_name,
                size=megabytes(total),
            )
            return
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            echo_err(f"kb.cli.progress_{stage}", name=file_name, done=done, total=total)


@kb.command("list")
@click.pass_context
def list_documents(ctx: click.Context) -> None:
    """列出知识库中的文件。"""

    def line(d: DocumentSummary, zone: tzinfo) -> dict[str, object]:
        when = _minute(d.ingested_at, zone)
        return {"name": d.file_name, "title": d.title, "passages": d.passages, "when": when}

    _print_rows(
        ctx, KbRepository.documents, empty="kb.cli.list_empty", row="kb.cli.list_row", line=line
    )


@kb.command()
@click.argument("file_name")
@click.pass_context
def remove(ctx: click.Context, file_name: str) -> None:
    """从知识库删除一个文件。"""
    settings = settings_from(ctx)

    async def go() -> bool:
        async with open_app(settings) as app:
            knowledge = KnowledgeBase.from_settings(settings, db=app.db)
            # a fresh database holds the sample rulebook from its first use on: removing a
            # sample file (the README's first step) is that use
            await knowledge.ensure_sample()
            removed = await knowledge.remove(file_name)
            if removed:
                await audit_cli(app, "rulebook.remove", target=f"kb:{file_name}")
            return removed

    if run_async(go()):
        echo("kb.cli.removed", name=file_name)
    else:
        echo_err("kb.cli.not_removed", name=file_name)
        ctx.exit(1)


@kb.command("eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--split", default=None, help="只评测这一部分（tune 或 heldout）")
@click.pass_context
def eval_command(ctx: click.Context, file: Path, split: str | None) -> None:
    """按评测集（JSONL）计算 hit@1、hit@3、MRR、拒答准确率和回答率。"""
    settings = settings_from(ctx)
    try:
        items = load_items(file, split=split)
    except BadEvalLine as bad:
        echo_err("kb.cli.eval_bad_line", line=bad.line)
        ctx.exit(2)
    except UnicodeDecodeError:
        echo_err("kb.cli.eval_unreadable", name=file.name)
        ctx.exit(2)
    if not items:
        shown = catalogue().s("kb.cli.eval_split", split=split) if split else ""
        echo_err("kb.cli.eval_empty", split=shown)
        ctx.exit(2)

    async def go() -> dict[str, float | int]:
        async with open_app(settings) as app:
            knowledge = KnowledgeBase.from_settings(settings, db=app.db)
            await knowledge.ensure_sample()
            rulebook = await knowledge.rulebook()
            loaded = {p.source for p in rulebook.index.entries}
            unknown = sorted({i.source for i in items if i.source} - loaded)
            if unknown:  # a typo or a file never ingested: every such question is a miss
                echo_err("kb.cli.eval_unknown_sources", names="、".join(unknown))
            # What a member is shown: with a model configured, its answers and refusals
            # (a few questions at a time), else the extractive ones.
            answers: dict[str, Answer] = {}
            if knowledge.llm is not None:
                llm, gate = knowledge.llm, asyncio.Semaphore(_MODEL_CALLS)

                async def by_model(question: str) -> None:
                    async with gate:
                        answers[question] = await rulebook.answer_with(question, llm=llm, k=3)

                await asyncio.gather(*(by_model(q) for q in {i.question for i in items}))

            def asker(question: str) -> tuple[list[tuple[str, str, str]], bool]:
                answer = answers.get(question) or rulebook.answer(question, k=3)
                return [(c.source, c.locator, c.text) for c in answer.citations], answer.found

            return evaluate(items, asker).figures()

    for name, value in run_async(go()).items():
        echo("kb.cli.eval_line", name=name, value=value)


@kb.command()
@click.pass_context
def gaps(ctx: click.Context) -> None:
    """列出规则文件没能回答、转交秘书处的问题。"""

    def line(q: KbQuestion, zone: tzinfo) -> dict[str, object]:
        when = _minute(q.created_at, zone)
        return {"id": q.id, "status": q.status, "when": when, "question": q.question}

    _print_rows(ctx, KbRepository.gaps, empty="kb.cli.gaps_empty", row="kb.cli.gaps_row", line=line)


def _print_rows(
    ctx: click.Context,
    fetch: Callable[[KbRepository], Awaitable[Sequence[R]]],
    *,
    empty: str,
    row: str,
    line: Callable[[R, tzinfo], dict[str, object]],
) -> None:
    """A listing command: one catalogue line per fetched row (times in the committee's
    zone), or the ``empty`` line when there is none."""
    settings = settings_from(ctx)

    async def go() -> None:
        async with open_app(settings) as app, app.db.session() as session:
            rows = await fetch(KbRepository(session))
            if not rows:
                echo(empty)
            for r in rows:
                echo(row, **line(r, settings.zone))

    run_async(go())


def _minute(at: datetime, zone: tzinfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
