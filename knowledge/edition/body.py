"""The body of the document, read top to bottom: pillars, sections, programs and their pages.

Pages are counted from the running header (the pillar's title) at the top of each page;
a pillar starts on the page the table of contents gives it. Page numbers and form feeds
are furniture. Headings broken over two lines are joined by the table of contents' titles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.edition.contacts import parse_desks, starts_contacts
from knowledge.edition.figures import body_row, table_header
from knowledge.edition.model import IndicatorRow, PrintedDesk, TocEntry
from knowledge.edition.text import CIRCLED_CLASS, circled_value, fold, tidy, unmark

PILLAR_LINE = re.compile(r"^(\d{1,2})\s+(\S.*)$")
SECTION_LINE = re.compile(r"^[(（](\d{1,2})[)）]\s*(\S.*)$")
PROGRAM_LINE = re.compile(rf"^(?:-\s+)?({CIRCLED_CLASS})\s*(\S.*)$")
TABLE_LINE = re.compile(rf"^成果指標\s*({CIRCLED_CLASS})")
PAGE_NUMBER = re.compile(r"^[-–—]?\s*\d{1,3}\s*[-–—]?$|^\d{1,3}\s*/\s*\d{1,3}$")
LIST_TITLE = "成果指標一覧"
BULLET = re.compile(r"^(?:-\s+)?([・･●■◆※<＜]|" + CIRCLED_CLASS + ")")


@dataclass
class BodyProgram:
    pillar: int
    section: int
    printed_number: int
    number: int
    name: str
    page: int
    line: int
    description: list[tuple[int, str]] = field(default_factory=list)
    contact_lines: list[tuple[int, str]] = field(default_factory=list)
    table: IndicatorRow | None = None
    in_contacts: bool = False

    @property
    def id(self) -> str:
        return f"{self.pillar}-{self.section}-{self.number}"

    def desks(self) -> list[PrintedDesk]:
        return parse_desks(self.contact_lines)


@dataclass
class BodySection:
    pillar: int
    number: int
    title: str
    page: int
    line: int
    table: IndicatorRow | None = None


@dataclass
class BodyPillar:
    number: int
    title: str
    page: int
    line: int


@dataclass
class Body:
    pillars: list[BodyPillar] = field(default_factory=list)
    sections: list[BodySection] = field(default_factory=list)
    programs: list[BodyProgram] = field(default_factory=list)
    list_start: int | None = None  # 0-based index of the 成果指標一覧 heading


def body_start(lines: list[str], toc_end: int) -> int:
    return toc_end


def list_heading(lines: list[str], start: int) -> int | None:
    found = [i for i in range(start, len(lines)) if lines[i].strip() == LIST_TITLE]
    return found[-1] if found else None


def paragraphs(lines: list[tuple[int, str]]) -> str:
    """Join description lines into paragraphs: a line continues the one before unless that one
    ended a sentence or this one starts a list item; paragraphs are joined by newlines."""
    out: list[str] = []
    for _, text in lines:
        text = text.strip()
        if text.startswith("- "):
            text = text[2:].lstrip()
        if not text:
            continue
        if out and not out[-1].endswith(("。", "」", ">", "＞", ")", "）")) and not BULLET.match(text):
            out[-1] = tidy(out[-1] + " " + text)
        else:
            out.append(tidy(text))
    return "\n".join(out)


class _Reader:
    """The state of one pass over the body."""

    def __init__(self, lines: list[str], toc: dict[str, TocEntry]):
        self.lines, self.toc = lines, toc
        self.plain = [unmark(line).strip() for line in lines]
        self.body = Body()
        self.pillar = self.section = 0
        self.page = 0
        self.content_on_page = False
        self.program: BodyProgram | None = None

    # titles -----------------------------------------------------------------------------
    def _complete(self, i: int, head: str, title: str | None) -> tuple[str, int]:
        """Join the lines after a heading while they continue the title the table of contents gives."""
        if title is None:
            if head.endswith("、") and i + 1 < len(self.plain):
                j = self._next_text(i)
                if j is not None and not self._is_structure(j):
                    return head + self.plain[j], j
            return head, i
        text, j = head, i
        while fold(text) != fold(title) and fold(title).startswith(fold(text)):
            k = self._next_text(j)
            if k is None or not fold(title).startswith(fold(text + self.plain[k])):
                break
            text, j = text + self.plain[k], k
        return text, j

    def _next_text(self, i: int) -> int | None:
        return next((k for k in range(i + 1, min(i + 4, len(self.plain))) if self.plain[k]), None)

    def _is_structure(self, j: int) -> bool:
        s = self.plain[j]
        return bool(PILLAR_LINE.match(s) or SECTION_LINE.match(s) or PROGRAM_LINE.match(s) or TABLE_LINE.match(s))

    # line kinds -------------------------------------------------------------------------
    def pillar_line(self, i: int) -> tuple[int, str, int] | None:
        m = PILLAR_LINE.match(self.plain[i])
        if not m or "TEL" in m.group(2) or m.group(2).endswith("。"):
            return None
        n = int(m.group(1))
        entry = self.toc.get(str(n))
        if entry is not None:
            if not (fold(entry.name).startswith(fold(m.group(2))) and len(fold(m.group(2))) >= 2):
                return None
        elif n != self.pillar + 1 or len(m.group(2)) > 60:
            return None
        title, end = self._complete(i, m.group(2), entry.name if entry else None)
        return n, title, end

    def section_line(self, i: int) -> tuple[int, str, int] | None:
        m = SECTION_LINE.match(self.plain[i])
        if not m or "TEL" in m.group(2) or not self.pillar:
            return None
        n = int(m.group(1))
        entry = self.toc.get(f"{self.pillar}-{n}")
        if entry is None and n != self.section + 1:
            return None
        title, end = self._complete(i, m.group(2), entry.name if entry else None)
        return n, title, end

    def program_line(self, i: int) -> tuple[int, str, int] | None:
        m = PROGRAM_LINE.match(self.plain[i])
        if not m or not self.section:
            return None
        name = m.group(2)
        if "TEL" in name or "…" in name or name.endswith("。") or len(name) > 90:
            return None
        n = circled_value(m.group(1))
        toc_entry = self._toc_program(name)
        expected = (self.program.number + 1) if self.program and self._in_section(self.program) else 1
        if toc_entry is None and n < expected:
            return None  # a numbered list inside a description
        full, end = self._complete(i, name, toc_entry.name if toc_entry else None)
        return n, full, end

    def _in_section(self, p: BodyProgram) -> bool:
        return (p.pillar, p.section) == (self.pillar, self.section)

    def _toc_program(self, name: str) -> TocEntry | None:
        prefix = f"{self.pillar}-{self.section}-"
        key = fold(name)
        for pid, e in self.toc.items():
            if pid.startswith(prefix) and pid.count("-") == 2 and key and fold(e.name).startswith(key):
                if fold(e.name) == key or len(key) >= 8:
                    return e
        return None

    # the pass ---------------------------------------------------------------------------
    def run(self, start: int, end: int) -> Body:
        i = start
        while i < end:
            s = self.plain[i]
            if not s or PAGE_NUMBER.match(s):
                i += 1
                continue
            i = self.step(i, end) + 1
        self._close_program()
        return self.body

    def step(self, i: int, end: int) -> int:
        """Read the line at i (and any it continues onto); return the last line used."""
        if found := self.pillar_line(i):
            return self.on_pillar(i, *found)
        if m := TABLE_LINE.match(self.plain[i]):
            return self.on_table(i, circled_value(m.group(1)), end)
        if found := self.section_line(i):
            return self.on_section(i, *found)
        if found := self.program_line(i):
            return self.on_program(i, *found)
        self.content_on_page = True
        p = self.program
        if p is not None and self._in_section(p):
            if p.in_contacts or starts_contacts(self.lines[i]):
                p.in_contacts = True
                p.contact_lines.append((i + 1, self.lines[i]))
            else:
                p.description.append((i + 1, self.plain[i]))
        return i

    def on_pillar(self, i: int, n: int, title: str, end: int) -> int:
        if n == self.pillar:  # the running header at the top of a page
            if self.content_on_page:
                self.page += 1
                self.content_on_page = False
            return end
        entry = self.toc.get(str(n))
        self.page = entry.page if entry and entry.page else self.page + 1
        self.pillar, self.section, self.content_on_page = n, 0, False
        self.body.pillars.append(BodyPillar(n, tidy(title), self.page, i + 1))
        return end

    def on_section(self, i: int, n: int, title: str, end: int) -> int:
        self.section, self.content_on_page = n, True
        self.body.sections.append(BodySection(self.pillar, n, tidy(title), self.page, i + 1))
        return end

    def on_program(self, i: int, printed: int, name: str, end: int) -> int:
        self._close_program()
        used = {p.number for p in self.body.programs if (p.pillar, p.section) == (self.pillar, self.section)}
        number = printed
        if number in used:
            entry = self._toc_program(name)
            number = entry.number if entry and entry.number not in used else max(used) + 1
        self.content_on_page = True
        self.program = BodyProgram(self.pillar, self.section, printed, number, tidy(name), self.page, i + 1)
        return end

    def on_table(self, i: int, printed: int, end: int) -> int:
        """An indicator table: its header rows, then the row of figures."""
        rows = [k for k in range(i + 1, min(i + 6, end)) if self.plain[k]]
        if len(rows) < 2:
            return i
        years_row = rows[0] if "年度" in self.plain[rows[0]] and not re.search(r"\d[件人%]", self.plain[rows[0]]) else None
        data = rows[1] if years_row is not None else rows[0]
        baseline_year, years = table_header(self.lines[i], self.lines[years_row] if years_row is not None else "")
        row = body_row(printed, self.lines[data], baseline_year, years, i + 1)
        self.content_on_page = True
        p = self.program
        if p is not None and self._in_section(p):
            p.table = row
        elif self.body.sections:
            self.body.sections[-1].table = row
        return data

    def _close_program(self) -> None:
        if self.program is not None:
            self.body.programs.append(self.program)
            self.program = None


def read_body(lines: list[str], toc: dict[str, TocEntry], start: int) -> Body:
    """Read the body from lines[start] to the 成果指標一覧 heading."""
    end = list_heading(lines, start)
    reader = _Reader(lines, toc)
    body = reader.run(start, end if end is not None else len(lines))
    body.list_start = end
    return body
