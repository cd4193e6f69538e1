"""The table of contents (目次): pillars, sections and programs with their pages and ○ marks.

Rows are read by shape, not by tab positions, so a PDF's spaces work like the text's tabs:
`1 <pillar> 7`, `(1) <section> ○ 7`, `①<program> ○ 7`, `成果指標一覧 37`.
"""
from __future__ import annotations

import re

from knowledge.edition.model import TocEntry
from knowledge.edition.text import CIRCLED_CLASS, circled_value, tidy

_TAIL = r"(?:\s+(○))?\s+(\d{1,3})\s*$"
PILLAR_ROW = re.compile(r"^(\d{1,2})\s+(\S.*?)" + _TAIL)
SECTION_ROW = re.compile(r"^[(（](\d{1,2})[)）]\s*(\S.*?)" + _TAIL)
PROGRAM_ROW = re.compile(rf"^({CIRCLED_CLASS})\s*(\S.*?)" + _TAIL)
INDICATORS_ROW = re.compile(r"^成果指標一覧\s+(\d{1,3})\s*$")
HEADER_ROW = re.compile(r"^施策体系\s+主要な事業")


def toc_bounds(lines: list[str]) -> tuple[int, int]:
    """The first line after the 目次 heading and the line of its 成果指標一覧 row (exclusive end)."""
    start = next((i + 1 for i, line in enumerate(lines) if "目次" in line and "第" in line), None)
    if start is None:
        start = next((i + 1 for i, line in enumerate(lines) if line.strip().endswith("目次")), 0)
    for i in range(start, len(lines)):
        if INDICATORS_ROW.match(lines[i].strip()):
            return start, i + 1
    return start, start


def parse_toc(lines: list[str]) -> list[TocEntry]:
    """Every row of the table of contents, in order; lines are 0-based, entries carry 1-based line numbers."""
    start, end = toc_bounds(lines)
    entries = []
    for i in range(start, end):
        row = lines[i].strip()
        if not row or HEADER_ROW.match(row):
            continue
        if m := INDICATORS_ROW.match(row):
            entries.append(TocEntry("indicators", 0, "成果指標一覧", int(m.group(1)), False, i + 1))
        elif m := PROGRAM_ROW.match(row):
            entries.append(TocEntry("program", circled_value(m.group(1)), tidy(m.group(2)), int(m.group(4)),
                                    bool(m.group(3)), i + 1))
        elif m := SECTION_ROW.match(row):
            entries.append(TocEntry("section", int(m.group(1)), tidy(m.group(2)), int(m.group(4)), bool(m.group(3)),
                                    i + 1))
        elif m := PILLAR_ROW.match(row):
            entries.append(TocEntry("pillar", int(m.group(1)), tidy(m.group(2)), int(m.group(4)), bool(m.group(3)),
                                    i + 1))
    return entries


def toc_tree(entries: list[TocEntry]) -> dict[str, TocEntry]:
    """Key each row by the id its position gives it: `1`, `1-2`, `1-2-3`."""
    tree: dict[str, TocEntry] = {}
    pillar = section = 0
    for e in entries:
        if e.level == "pillar":
            pillar, section = e.number, 0
            tree[str(pillar)] = e
        elif e.level == "section":
            section = e.number
            tree[f"{pillar}-{section}"] = e
        elif e.level == "program":
            tree.setdefault(f"{pillar}-{section}-{e.number}", e)
    return tree
