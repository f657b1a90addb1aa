"""What every Word document of the bot shares: A4 pages with an official document's
margins, and Chinese fonts declared where Word reads them.

Word picks Chinese glyphs from the ``w:eastAsia`` font, which python-docx's ``font.name``
does not set; the template's defaults name theme fonts (``eastAsiaTheme``), which win over
a plain font name at the same level, so they are replaced too. Digits and Latin letters use
Times New Roman, as committees' templates do.
"""

from __future__ import annotations

from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from bot.proposals.documents import printable

__all__ = [
    "BODY_FONT",
    "DOCX_MIME",
    "HEADING_FONT",
    "LATIN_FONT",
    "TITLE_FONT",
    "a4_document",
    "line",
    "set_font",
    "write_cell",
]

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT = "方正小标宋简体"  # the document's title (提　案, 社情民意信息)
HEADING_FONT = "黑体"  # 一、情况分析 and the like
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_font(
    run_or_style: Any, name: str, size: float | None = None, *, bold: bool = False
) -> None:
    font = run_or_style.font
    font.name = LATIN_FONT
    if size:
        font.size = Pt(size)
    font.bold = bold or None
    run_or_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def a4_document() -> Any:
    """An empty document: A4, 公文 margins, body font 仿宋_GB2312 14 pt."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    if fonts is not None:
        for attr in _THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)
        fonts.set(qn("w:eastAsia"), BODY_FONT)
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if lang is not None:  # Chinese line breaking and punctuation rules
        lang.set(qn("w:eastAsia"), "zh-CN")
    set_font(doc.styles["Normal"], BODY_FONT, 14)
    return doc


def line(
    doc: Any,
    text: str,
    *,
    size: float = 14,
    font: str = BODY_FONT,
    bold: bool = False,
    align: Any = None,
    indent: bool = False,
) -> Paragraph:
    para: Paragraph = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Pt(size * 2)
    set_font(para.add_run(printable(text)), font, size, bold=bold)
    return para


def write_cell(
    cell: _Cell,
    text: str,
    *,
    width: float | None = None,
    size: float = 10.5,
    font: str = BODY_FONT,
    bold: bool = False,
    no_wrap: bool = False,
) -> None:
    """Fill a table cell; ``width`` in cm; ``no_wrap`` keeps a phone number on one line."""
    if width is not None:
        cell.width = Cm(width)
    para = cell.paragraphs[0]
    set_font(para.add_run(printable(text)), font, size, bold=bold)
    if no_wrap:
        props = cell._tc.get_or_add_tcPr()
        if props.find(qn("w:noWrap")) is None:
            # noWrap follows tcW (the width) in the schema's order; nothing else is set here.
            props.append(OxmlElement("w:noWrap"))
