"""The text layer of a PDF edition, laid out like the extracted text the parser reads.

pdfminer.six gives each character with its box. Characters on one baseline make a row; a
wide gap inside a row becomes a tab (a table cell, or the page number of a contents row), a
narrow one a space. A row that runs to the right margin and is followed closely by the next
continues the same paragraph. Pages are separated by form feeds. Kangxi radicals some fonts
map kanji to (⼩ for 小) are restored by the parser, not here.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

TAB_GAP = 1.8      # a gap wider than this many character widths separates cells
SPACE_GAP = 0.12   # … wider than this is a space (full-width characters sit edge to edge)
ROW_TOLERANCE = 0.35  # characters whose baselines differ by less than this (× size) share a row
PARAGRAPH_PITCH = 1.6  # a row this close (× size) under a full row continues its paragraph


@dataclass
class _Row:
    top: float
    size: float
    chars: list = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    def ordered(self) -> list:
        """The characters in reading order: the PDF's own order when it runs left to right (punctuation
        kerned into its neighbour included), else by position."""
        stream = self.chars
        if all(b.x0 > a.x0 - 0.6 * max(a.size, b.size) for a, b in zip(stream, stream[1:])):
            return stream
        return sorted(stream, key=lambda c: c.x0)

    def text(self) -> str:
        out, last = [], None
        for c in self.ordered():
            if last is not None:
                gap = c.x0 - last.x1
                width = max(min(c.width, last.width), 0.1)
                if gap > TAB_GAP * width:
                    out.append("\t")
                elif gap > SPACE_GAP * width:
                    out.append(" ")
            out.append(c.get_text())
            last = c
        return "".join(out)


def _chars(node) -> list:
    from pdfminer.layout import LTAnno, LTChar
    if isinstance(node, LTChar):
        return [node]
    if isinstance(node, LTAnno) or not hasattr(node, "__iter__"):
        return []
    return [c for child in node for c in _chars(child)]


def _rows(page) -> list[_Row]:
    rows: list[_Row] = []
    for c in _chars(page):  # content order, which is reading order within a line
        if not c.get_text().strip():
            continue
        size = c.size or (c.y1 - c.y0)
        row = next((r for r in rows if abs(r.top - c.y1) < ROW_TOLERANCE * max(size, r.size)), None)
        if row is None:
            row = _Row(c.y1, size)
            rows.append(row)
        row.chars.append(c)
    return sorted(rows, key=lambda r: -r.top)


def page_text(page) -> str:
    """One page as lines: rows joined into paragraphs where a row wraps onto the next."""
    rows = _rows(page)
    if not rows:
        return ""
    right = max(r.x1 for r in rows)
    lines: list[str] = []
    previous = None
    for row in rows:
        text = row.text()
        wraps = (previous is not None and "\t" not in text and "\t" not in lines[-1]
                 and previous.top - row.top < PARAGRAPH_PITCH * row.size
                 and previous.x1 > right - 2.5 * row.size and row.x0 <= previous.x0 + 0.5 * row.size)
        if wraps:
            lines[-1] += text
        else:
            lines.append(text)
        previous = row
    return "\n\n".join(lines)


def pdf_text(raw: bytes) -> str:
    """Every page's text, pages separated by form feeds."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # a warning per glyph otherwise
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    pages = extract_pages(io.BytesIO(raw), laparams=LAParams(all_texts=True))
    return "\x0c".join(page_text(page) for page in pages)
