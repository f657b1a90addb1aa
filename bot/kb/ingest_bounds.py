"""How much one rulebook file may cost, and who hears how far reading it has got.

A 2 GB PDF or a docx that unzips to gigabytes must not hold an ingest (or the bot) for
hours or exhaust memory: each file is checked against :class:`ReadLimits` before and while
it is read, and refused with a reason naming the limit, so the rest of the batch loads.
The limits and the progress listener travel in context variables, so the readers stay
plain functions and whoever runs an ingest (the CLI, a worker thread started with
``asyncio.to_thread``, which copies the context) sets them once around it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = [
    "Progress",
    "ReadLimits",
    "current_limits",
    "megabytes",
    "report_progress",
    "reporting_progress",
    "using_limits",
]

MB = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadLimits:
    max_file_bytes: int = 50 * MB  # COMMITTEE_BOT_KB_MAX_FILE_MB
    max_pdf_pages: int = 2_000
    max_unzipped_bytes: int = 200 * MB  # a docx is a zip: its declared content, summed
    max_text_chars: int = 10_000_000  # what is segmented and indexed, after extraction


# (file name, stage, done, total): stage "read" (bytes), "pages" (pdf), "passages"
Progress = Callable[[str, str, int, int], None]

_DEFAULT = ReadLimits()
_limits: ContextVar[ReadLimits | None] = ContextVar("kb_read_limits", default=None)
_progress: ContextVar[Progress | None] = ContextVar("kb_ingest_progress", default=None)


def current_limits() -> ReadLimits:
    return _limits.get() or _DEFAULT


@contextmanager
def using_limits(limits: ReadLimits) -> Iterator[None]:
    token = _limits.set(limits)
    try:
        yield
    finally:
        _limits.reset(token)


@contextmanager
def reporting_progress(listener: Progress) -> Iterator[None]:
    token = _progress.set(listener)
    try:
        yield
    finally:
        _progress.reset(token)


def report_progress(file_name: str, stage: str, done: int, total: int) -> None:
    listener = _progress.get()
    if listener is not None:
        listener(file_name, stage, done, total)


def megabytes(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size / 1024:.0f} KB"
