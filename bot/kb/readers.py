"""Reading txt, md, html, docx and pdf files into raw text.

Every failure becomes ``UnreadableDocument`` naming the file and a reason code; the
reason has a Chinese sentence in the catalogue (``kb.unreadable.<reason>``) so the CLI
and the bot can tell a clerk exactly which file failed and why, while the rest ingest.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bot.errors import CommitteeBotError
from bot.kb.docx_numbering import Numbering
from bot.kb.html_text import html_to_text
from bot.kb.ingest_bounds import current_limits, megabytes, report_progress

__all__ = ["SUPPORTED_SUFFIXES", "RawDocument", "UnreadableDocument", "read_bytes", "read_file"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf", ".xlsx")
REASONS = (
    "unsupported",
    "missing",
    "empty",
    "encoding",
    "corrupt",
    "encrypted",
    "no_text",
    "no_body",
    "too_large",
    "too_many_pages",
    "unzipped_too_large",
    "too_much_text",
)


class UnreadableDocument(CommitteeBotError):
    """A file that cannot be ingested; ``reason`` is one of ``REASONS``; ``params`` fill
    the reason's sentence beyond the file name (the limit that was exceeded)."""

    def __init__(self, file_name: str, reason: str, detail: str = "", **params: object) -> None:
        super().__init__(f"{file_name}: {reason}" + (f" ({detail})" if detail else ""))
        self.file_name = file_name
        self.reason = reason
        self.detail = detail
        self.params = params


def _too_large(file_name: str) -> UnreadableDocument:
    return UnreadableDocument(
        file_name, "too_large", limit=megabytes(current_limits().max_file_bytes)
    )


@dataclass(frozen=True, slots=True)
class RawDocument:
    file_name: str
    text: str
    content: bytes
    title_hint: str | None = None


def read_file(path: str | Path) -> RawDocument:
    path = Path(path)
    try:
        size = path.stat().st_size
        # Refused before a byte is read: the cap bounds memory as well as time.
        if size > current_limits().max_file_bytes:
            raise _too_large(path.name)
        report_progress(path.name, "read", 0, size)
        content = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableDocument(path.name, "missing") from None
    except IsADirectoryError:
        raise UnreadableDocument(path.name, "unsupported", "directory") from None
    except OSError as exc:
        raise UnreadableDocument(path.name, "missing", exc.strerror or str(exc)) from exc
    return read_bytes(path.name, content)


def read_bytes(file_name: str, content: bytes) -> RawDocument:
    """Decodes ``content`` by the suffix of ``file_name`` (uploads arrive as bytes)."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(file_name, "unsupported", suffix or "no suffix")
    if not content.strip():
        raise UnreadableDocument(file_name, "empty")
    limits = current_limits()
    if len(content) > limits.max_file_bytes:
        raise _too_large(file_name)
    title: str | None = None
    suffix = _suffix_by_content(suffix, content)
    if suffix == ".docx":
        text, title = _docx(file_name, content)
    elif suffix == ".xlsx":
        text, title = _xlsx(file_name, content)
    elif suffix == ".pdf":
        text, title = _pdf(file_name, content)
    else:
        text = _decode(file_name, content)
        if suffix in (".md", ".markdown"):
            text = _strip_markdown(text)
        elif suffix in (".html", ".htm"):
            text, title = html_to_text(text)
    if not text.strip():
        raise UnreadableDocument(file_name, "no_text")
    if len(text) > limits.max_text_chars:
        raise UnreadableDocument(
            file_name, "too_much_text", limit=f"{limits.max_text_chars:,}", chars=f"{len(text):,}"
        )
    return RawDocument(file_name=file_name, text=text, content=content, title_hint=title)


def _suffix_by_content(suffix: str, content: bytes) -> str:
    """A Word file or a PDF saved under a text suffix (规定.docx renamed 规定.txt) is read as
    what it is; it was reported as text in an unknown encoding."""
    if suffix in (".docx", ".pdf", ".xlsx"):
        return suffix
    if content.startswith(b"%PDF-"):
        return ".pdf"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return suffix
        if "word/document.xml" in names:
            return ".docx"
    return suffix


def _decode(file_name: str, content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Notepad's "Unicode": UTF-16 says so in its first two bytes
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary file with a text suffix
        return text
    raise UnreadableDocument(file_name, "encoding", "not UTF-8 or GB18030 text")


_EMPHASIS = re.compile(r"(\*\*|__|~~|`)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


# A line that is only bold words is a heading written without # (**打卡要求**).
_BOLD_HEADING = re.compile(
    r"^[ \t]*(?:\*\*|__)([^*_\n。；;！!？?]{1,30})(?:\*\*|__)[ \t]*$", re.MULTILINE
)


def _strip_markdown(text: str) -> str:
    """Emphasis and links out; headings, lists and paragraphs stay (they carry structure)."""
    text = _BOLD_HEADING.sub(r"### \1", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return re.sub(r"^\s{0,3}>\s?", "", text, flags=re.MULTILINE)


def _docx(file_name: str, content: bytes) -> tuple[str, str | None]:

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_unzipped_size(file_name, content)
    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(file_name, "corrupt", type(exc).__name__) from exc
    except Exception as exc:  # python-docx raises lxml and zip errors of many kinds
        raise UnreadableDocument(file_name, "corrupt", type(exc).__name__) from exc
    from docx.table import Table

    numbering = Numbering(document)
    lines: list[str] = []
    title: str | None = None
    # Paragraphs and tables in the order of the document: a points table stays under the
    # item that introduces it (四、（二）积分表：), not after the last article.
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells if cell.text.strip()]
                if cells:
                    lines.append(" | ".join(dict.fromkeys(cells)))
            continue
        text = block.text.strip()
        marker = numbering.marker(block)  # an empty numbered paragraph still takes a number
        if not text:
            continue
        if marker and not text.startswith(marker):
            # Word sets a tab after 第一条 as drawn; typed rules have a space there
            text = marker + (" " if marker[-1] in "条章节编" else "") + text
        style = (block.style.name if block.style is not None else "") or ""
        if style == "Title" and title is None:
            title = text
            continue
        level = re.match(r"Heading (\d)", style)
        if level:
            lines.append("#" * min(6, int(level.group(1)) + 1) + " " + text)
        else:
            lines.append(text)
    # Word paragraphs are real paragraphs: keep them apart.
    return "\n\n".join(lines), title


# A sheet Excel names by default (Sheet1, 工作表1) names nothing of the rules.
_DEFAULT_SHEET = re.compile(r"^(?:Sheet|工作表|表)\s*\d*$", re.IGNORECASE)


def _xlsx(file_name: str, content: bytes) -> tuple[str, str | None]:
    """A points table kept as a spreadsheet: each sheet under its name as a heading, each
    row a table row (cells apart by bars), a row of one cell (a title, a note) a line."""
    import openpyxl

    _check_unzipped_size(file_name, content)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors of many kinds
        raise UnreadableDocument(file_name, "corrupt", type(exc).__name__) from exc
    lines: list[str] = []
    try:
        for sheet in book.worksheets:
            cells = (
                [_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
            )
            rows = [row for row in ([c for c in texts if c] for texts in cells) if row]
            if not rows:
                continue
            if len(book.worksheets) > 1 and not _DEFAULT_SHEET.match(sheet.title.strip()):
                lines.append(f"## {sheet.title.strip()}")
            lines += [" | ".join(row) for row in rows]
    finally:
        book.close()
    return "\n\n".join(lines), None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # (3.0 points is 3分 as typed)
    return str(value).strip()


def _check_unzipped_size(file_name: str, content: bytes) -> None:
    """A docx is a zip: refuse one whose parts would unzip past the limit (a zip bomb)
    before any part is inflated. zipfile stops reading a part at its declared size, so the
    declared sizes bound what a reader can be made to inflate."""

    limit = current_limits().max_unzipped_bytes
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableDocument(file_name, "corrupt", type(exc).__name__) from exc
    if total > limit:
        raise UnreadableDocument(file_name, "unzipped_too_large", limit=megabytes(limit))


# A PDF's Title field often names the program and the file it was printed from
# ("Microsoft Word - jiebie.docx"), or nothing Chinese at all: then the first line is the title.
_HAN = re.compile(r"[\u4e00-\u9fff]")
_TOOL_TITLE = re.compile(
    r"^(?:Microsoft\s*Word|WPS|Word|Excel|PowerPoint)\s*-|\.(?:docx?|wps|pdf|txt|xlsx?)\s*$",
    re.IGNORECASE,
)


def _pdf(file_name: str, content: bytes) -> tuple[str, str | None]:

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise UnreadableDocument(file_name, "encrypted")
            except UnreadableDocument:
                raise
            except Exception as exc:
                raise UnreadableDocument(file_name, "encrypted", type(exc).__name__) from exc
        count = len(reader.pages)
        limit = current_limits().max_pdf_pages
        if count > limit:
            raise UnreadableDocument(file_name, "too_many_pages", pages=count, limit=limit)
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            pages.append(page.extract_text() or "")
            report_progress(file_name, "pages", number, count)
        title = reader.metadata.title if reader.metadata else None
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableDocument(file_name, "corrupt", type(exc).__name__) from exc
    except Exception as exc:  # pypdf surfaces many internal errors on broken files
        raise UnreadableDocument(file_name, "corrupt", type(exc).__name__) from exc
    text = "\n".join(pages)
    if not text.strip():
        # a scan without a text layer: nothing to search
        raise UnreadableDocument(file_name, "no_text")
    title = title.strip() if isinstance(title, str) else ""
    return text, (title if _HAN.search(title) and not _TOOL_TITLE.search(title) else None)
