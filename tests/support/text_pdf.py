"""A PDF with a real Chinese text layer, built by hand: what a committee's printed rules
look like to the reader (a running head and a page number on every page, lines wrapped
by the print column), without a font file or an office suite."""

from __future__ import annotations


def _hex(text: str) -> str:
    return "<" + "".join(f"{ord(c):04X}" for c in text) + ">"


def text_pdf(pages: list[list[str]], *, title: str, running_head: str = "") -> bytes:
    """``pages`` of lines; ``title`` goes into the document's Title field."""
    chars = sorted({c for page in pages for line in page for c in line} | set(running_head))
    chars = sorted(set(chars) | set("— 0123456789"))
    cmap = "\n".join(
        [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
            f"{len(chars)} beginbfchar",
            *(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chars),
            "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end",
        ]
    ).encode()
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog, tree = add(b""), add(b"")
    unicode = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap))
    cid = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light /CIDSystemInfo"
        b" << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H"
        b" /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, unicode)
    )
    kids = []
    for number, lines in enumerate(pages, start=1):
        ops = [f"BT /F1 9 Tf 1 0 0 1 72 800 Tm {_hex(running_head)} Tj ET"] if running_head else []
        for row, line in enumerate(lines):
            ops.append(f"BT /F1 14 Tf 1 0 0 1 72 {760 - 36 * row} Tm {_hex(line)} Tj ET")
        ops.append(f"BT /F1 10 Tf 1 0 0 1 280 40 Tm {_hex(f'— {number} —')} Tj ET")
        stream = "\n".join(ops).encode()
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources"
                b" << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (tree, font, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    refs = " ".join(f"{kid} 0 R" for kid in kids).encode()
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))
    info = add(b"<< /Title (%s) >>" % title.encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info,
        xref,
    )
    return bytes(out)
