"""Read the source document's text as printed: table of contents, program blocks, indicator list.

A reading independent of the curated data, so the data can be compared with what the city
printed (knowledge/fidelity.py). It knows the layout of the 中小企業振興プログラム as extracted
from the PDF: tab-separated table rows, markdown-ish desk lines, repeated page headers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PILLAR = re.compile(r"^([1-8]) \S")
_SECTION = re.compile(r"^\((\d)\)")
_HEADING = re.compile(f"^([{CIRCLED}])\\s*(.+)$")
_LINK = re.compile(r"\[([^\]]*)\]\(#\)")


@dataclass(frozen=True)
class PrintedProgram:
    """One program's block of the body, and its line in the table of contents."""
    id: str
    heading: str               # the body heading, without its circled number
    toc_name: str | None       # None when the table of contents leaves the program out
    toc_page: int | None
    text: str                  # the description lines, one per line, list marks removed
    desks: str                 # the desk lines, links and escapes removed
    indicator: str             # the indicator row printed in the block, or ""


@dataclass(frozen=True)
class PrintedDocument:
    programs: Mapping[str, PrintedProgram]
    indicator_rows: tuple[str, ...]   # 成果指標一覧, row n-1 for indicator n: name (former name) and figures


def compact(text: str) -> str:
    """Drop whitespace: the PDF's extraction puts spaces between scripts that print does not show."""
    return re.sub(r"\s+", "", text)


def _clean(line: str) -> str:
    """A line without markdown list marks, links and escapes the extraction added."""
    line = re.sub(r"^\s*-\s+(?=\S)", "", line)
    return _LINK.sub(r"\1", line).replace("\\(", "(").replace("\\)", ")")


def _is_desk_line(line: str) -> bool:
    s = line.strip()
    return "TEL" in s or s.startswith(("○", "|", "- [", "- |", "[", "問合せ"))


def read_toc(lines: list[str]) -> dict[str, tuple[str, int | None]]:
    """Program names and pages of the table of contents, by program id."""
    start = next(i for i, l in enumerate(lines) if "目次" in l)
    end = next(i for i, l in enumerate(lines) if i > start and l.strip().startswith("成果指標一覧"))
    entries: dict[str, tuple[str, int | None]] = {}
    pillar = section = 0
    for line in lines[start + 1:end]:
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if not cells or cells[0] == "施策体系":
            continue
        first, page = cells[0], next((int(c) for c in reversed(cells) if c.isdigit()), None)
        if (m := _PILLAR.match(first)) and not _HEADING.match(first):
            pillar, section = int(m.group(1)), 0
        elif m := _SECTION.match(first):
            section = int(m.group(1))
        elif m := _HEADING.match(first):
            entries[f"{pillar}-{section}-{CIRCLED.index(m.group(1)) + 1}"] = (m.group(2).strip(), page)
    return entries


def _body_range(lines: list[str]) -> tuple[int, int]:
    toc_end = next(i for i, l in enumerate(lines) if "目次" in l)
    toc_end = next(i for i, l in enumerate(lines) if i > toc_end and l.strip().startswith("成果指標一覧"))
    start = next(i for i, l in enumerate(lines) if i > toc_end and _PILLAR.match(l.strip()))
    end = max(i for i, l in enumerate(lines) if l.strip() == "成果指標一覧")
    return start, end


@dataclass
class _Block:
    id: str
    heading: str
    text: list[str] = field(default_factory=list)
    desks: list[str] = field(default_factory=list)
    indicator: str = ""


def read_blocks(lines: list[str]) -> list[_Block]:
    """Each program heading of the body with the lines that follow it, split into text and desks.

    Headings are found by their circled numbers in sequence inside a section, so a list
    inside a description (①保育の受け皿の拡大…) is not taken for a program.
    """
    start, end = _body_range(lines)
    blocks: list[_Block] = []
    current: _Block | None = None
    pillar = section = 0
    expected, skip = 1, 0
    for line in lines[start:end]:
        s = line.strip()
        if skip:
            skip -= 1
            if skip == 0 and current is not None:
                current.indicator = s.split("\t")[0]  # the values row opens with the indicator's name
            continue
        if not s:
            continue
        if (m := _PILLAR.match(s)) and "TEL" not in s:
            if int(m.group(1)) != pillar:
                pillar, section, current = int(m.group(1)), 0, None
            continue  # a pillar title, or the page header repeating it
        if m := _SECTION.match(s):
            section, expected, current = int(m.group(1)), 1, None
            continue
        if s.startswith("成果指標"):
            skip = 2  # the table's year row and its values row
            continue
        m = _HEADING.match(s)
        if m and CIRCLED.index(m.group(1)) + 1 == expected:
            current = _Block(f"{pillar}-{section}-{expected}", m.group(2).strip())
            blocks.append(current)
            expected += 1
            continue
        if current is None:
            continue  # a pillar title's second line, a section's own indicator
        (current.desks if current.desks or _is_desk_line(s) else current.text).append(_clean(line).strip())
    return blocks


def read_indicator_rows(lines: list[str]) -> tuple[str, ...]:
    _, end = _body_range(lines)
    return tuple(l.split("\t")[1] for l in lines[end:] if l[:1] and l[:1] in CIRCLED)


def read_document(source: str) -> PrintedDocument:
    """Read the whole document's text as extracted from the PDF."""
    lines = source.split("\n")
    toc = read_toc(lines)
    programs = {}
    for b in read_blocks(lines):
        toc_name, toc_page = toc.get(b.id, (None, None))
        programs[b.id] = PrintedProgram(b.id, b.heading, toc_name, toc_page, "\n".join(b.text), "\n".join(b.desks),
                                        b.indicator)
    return PrintedDocument(MappingProxyType(programs), read_indicator_rows(lines))
