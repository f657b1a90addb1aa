"""A saved web page (a regulation copied from a committee's site) as plain text.

Blocks (paragraphs, headings, list items, table rows) become lines, so the structure parser
sees 第一条 and （一） at the starts of lines as in any text file; what a page wraps around
the text (scripts, styles, navigation, header and footer) is left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bot.kb.web_furniture import is_furniture, is_page_note, without_footer_contacts

__all__ = ["html_to_text"]

_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "nav", "header", "footer", "aside"}
)
_BLOCKS = frozenset(
    {
        "p", "div", "br", "li", "tr", "table", "section", "article", "blockquote", "pre",
        "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "ul", "ol", "hr", "title", "form",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_CODE = frozenset({"script", "style", "noscript", "template"})
# A page title names the site after the document: "提案工作条例_中国政协网".
_SITE_SUFFIX = re.compile(r"\s*[_|｜—–-]+\s*[^_|｜—–-]*$")


# Blocks a site names for its bars rather than marking them <nav> or <footer>:
# <div class="breadcrumb">, <ul id="menu">, <div class="footer">.
_CHROME_TAGS = frozenset({"div", "ul", "ol", "section", "table", "p", "span", "td"})
_CHROME_NAME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|header|head|top|topbar|banner|footer|foot|bottom|copyright"
    r"|breadcrumbs?|crumbs?|position|location|share|sidebar|toolbar)(?:$|[\s_-])",
    re.IGNORECASE,
)


def _names_chrome(attrs: list[tuple[str, str | None]]) -> bool:
    return any(
        name in ("class", "id") and value and _CHROME_NAME.search(value) for name, value in attrs
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        # the text of the bars and the footer, read apart: what the page says of itself
        # (its date, the site's address) is kept from it as the page's notes
        self.bars: list[str] = []
        self.code = 0  # inside <script>, <style>: nobody reads it
        self.skipping = 0
        # the block a site's bars sit in (<div class="nav">): its tag, and how deep inside
        self.chrome_tag: str | None = None
        self.chrome_depth = 0
        self.in_title = False
        self.in_h1 = False
        self.title = ""
        self.h1 = ""
        # the lists open around the text: an <ol>'s count so far, None for an <ul>
        self.lists: list[int | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.chrome_tag:
            self.chrome_depth += 1  # the same tag nested inside the skipped block
        elif self.chrome_tag is None and tag in _CHROME_TAGS and _names_chrome(attrs):
            self.chrome_tag, self.chrome_depth = tag, 1
        if tag in _BLOCKS or tag in _SKIPPED:
            self.bars.append("\n")
        if tag in _CODE:
            self.code += 1
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _CELLS:
            self.parts.append(" | ")
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag in ("ol", "ul"):
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li" and self.lists and self.lists[-1] is not None and not self.skipping:
            # the number a browser draws before an item of an <ol>, which the markup lacks
            self.lists[-1] += 1
            self.parts.append(f"{_DRAWN}{self.lists[-1]}.")
        self.in_title = self.in_title or tag == "title"
        self.in_h1 = self.in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == self.chrome_tag:
            self.chrome_depth -= 1
            if not self.chrome_depth:
                self.chrome_tag = None
        if tag in _BLOCKS or tag in _SKIPPED:
            self.bars.append("\n")
        if tag in _CODE:
            self.code = max(0, self.code - 1)
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return  # the page title is the hint, not a line of the text
        if self.skipping or self.chrome_tag is not None:
            if not self.code:
                self.bars.append(data)
            return
        if self.in_h1:
            self.h1 += data
        self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """The page's text, a line per block, and its title (the first h1, else <title>)."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    raw = [
        _drawn_number(re.sub(r"[ \t\u00a0]+", " ", line).strip(" |"))
        for line in "".join(parser.parts).split("\n")
    ]
    kept = ["" if is_furniture(line) else line.strip() for line in raw]
    # (the footer's address and phone go with the ICP line they stand by, as in a text file;
    # what the page says of itself stays, for the text's reading to keep apart as its notes)
    lines = [
        line.strip() if is_page_note(line) else out
        for line, out in zip(raw, without_footer_contacts(raw, kept), strict=True)
    ]
    bars = [
        re.sub(r"[ \t\u00a0]+", " ", line).strip(" |") for line in "".join(parser.bars).split("\n")
    ]
    notes = [line for line in bars if is_page_note(line)]
    if any(is_furniture(line) for line in notes):
        # (after the text, where the reading keeps them apart as the page's notes: an
        # address or a phone only beside the footer's copyright line it goes with)
        lines += ["", *notes]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, parser.h1.strip() or _without_site_names(parser.title.strip()) or None


_DRAWN = "\u0001"  # (before a number the page's <ol> draws: dropped if the item types one)
_TYPED_NUMBER = re.compile(
    r"^\s*(?:[0-9]{1,3}\s*[.．、]|[（(][0-9一二三四五六七八九十]+[)）]|第|[一二三四五六七八九十]+、)"
)


def _drawn_number(line: str) -> str:
    """An <ol> item's line with the number the browser draws, unless it types its own."""
    if not line.startswith(_DRAWN):
        return line.replace(_DRAWN, "")
    number, _, rest = line[1:].partition(".")
    return rest.strip() if _TYPED_NUMBER.match(rest) else f"{number}.{rest}"


def _without_site_names(title: str) -> str:
    """A page title without the column and site after it (…规定-政协规章-海南政协网)."""
    for _ in range(3):
        shorter = _SITE_SUFFIX.sub("", title)
        if shorter == title or len(shorter) < 6:
            break
        title = shorter
    return title
