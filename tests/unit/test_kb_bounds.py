"""Issue 11: a rulebook file is bounded in size, pages, unzipped size and text."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfWriter

from bot.catalogue import catalogue
from bot.kb.ingest_bounds import ReadLimits, reporting_progress, using_limits
from bot.kb.readers import UnreadableDocument, read_bytes


def _message(exc: UnreadableDocument) -> str:
    return catalogue().s(f"kb.unreadable.{exc.reason}", name=exc.file_name, **exc.params)


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_page_cap_names_file_and_limit() -> None:
    with using_limits(ReadLimits(max_pdf_pages=5)), pytest.raises(UnreadableDocument) as caught:
        read_bytes("汇编.pdf", _pdf(6))
    assert _message(caught.value) == (
        "汇编.pdf：PDF 共 6 页，超过 5 页的上限，未导入（请拆分后再导入）"
    )


def test_pdf_pages_report_progress() -> None:
    seen: list[tuple[str, int, int]] = []
    listener = lambda name, stage, done, total: seen.append((stage, done, total))  # noqa: E731
    # Blank pages: no text in the end, but every page was read and reported.
    with reporting_progress(listener), pytest.raises(UnreadableDocument):
        read_bytes("空白.pdf", _pdf(3))
    assert seen == [("pages", 1, 3), ("pages", 2, 3), ("pages", 3, 3)]


def test_docx_that_unzips_past_the_cap_is_refused_before_inflating() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w/>" * (3 * 1024 * 1024))
    with (
        using_limits(ReadLimits(max_unzipped_bytes=1024 * 1024)),
        pytest.raises(UnreadableDocument) as caught,
    ):
        read_bytes("炸弹.docx", out.getvalue())
    assert caught.value.reason == "unzipped_too_large"
    assert "炸弹.docx" in _message(caught.value) and "1 MB" in _message(caught.value)


def test_size_and_text_caps() -> None:
    text = ("第一条 委员应当按时参加会议。\n" * 100).encode()
    with using_limits(ReadLimits(max_file_bytes=1024)), pytest.raises(UnreadableDocument) as big:
        read_bytes("大.txt", text)
    assert _message(big.value).startswith("大.txt：文件超过 1 KB 的上限")
    with using_limits(ReadLimits(max_text_chars=500)), pytest.raises(UnreadableDocument) as long:
        read_bytes("长.txt", text)
    assert long.value.reason == "too_much_text"
    assert read_bytes("长.txt", text).text  # the default limits take it
