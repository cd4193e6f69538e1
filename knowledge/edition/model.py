"""Frozen records of an edition as read from its document, before it meets the data in use.

Everything here is as printed (after `text.tidy`); curated fields (tags, kinds, desk ids)
are added later by `assemble`. Each record keeps the line it came from, for the review list.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.models import Quantity, Series  # an indicator cell and row read from the text are the data's own records


@dataclass(frozen=True)
class PrintedPhone:
    number: str
    label: str | None = None


@dataclass(frozen=True)
class PrintedDesk:
    """One desk as one program's page prints it."""
    name: str
    phones: tuple[PrintedPhone, ...] = ()
    qualifier: str | None = None
    role: str | None = None
    line: int = 0


@dataclass(frozen=True)
class TocEntry:
    """A row of the table of contents: a pillar, a section or a program."""
    level: str  # "pillar" | "section" | "program" | "indicators"
    number: int
    name: str
    page: int | None
    marked: bool  # the 成果指標 column has ○
    line: int


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator table row: the list's at the end, or the one printed under a program."""
    number: int
    name: str
    former_name: str | None
    series: tuple[Series, ...]
    line: int


@dataclass(frozen=True)
class ParsedIndicator:
    number: int
    name: str
    former_name: str | None
    series: tuple[Series, ...]
    program_id: str | None
    section_id: str | None
    page: int
    line: int
    body: IndicatorRow | None = None  # the table printed in the body, when there is one


@dataclass(frozen=True)
class ParsedProgram:
    id: str
    pillar: int
    section: int
    number: int
    name: str
    toc_name: str | None
    description: str
    page: int
    page_inferred: bool
    desks: tuple[PrintedDesk, ...]
    indicator_number: int | None  # as printed over its table (may be a misprint)
    shared_text_with: str | None
    line: int
    printed_number: int = 0  # the circled number as printed (the id's number may differ)


@dataclass(frozen=True)
class ParsedSection:
    id: str
    pillar: int
    number: int
    title: str
    page: int
    indicator_number: int | None
    line: int


@dataclass(frozen=True)
class ParsedPillar:
    number: int
    title: str
    page: int
    sections: tuple[ParsedSection, ...]
    line: int


@dataclass(frozen=True)
class Finding:
    """A suspected misprint, in the form of an errata.json entry, with the line it came from."""
    kind: str
    target: str
    field: str
    where: str
    original: str
    corrected: str
    reason: str
    line: int = 0
    text: str = ""  # the source line itself

    def as_erratum(self, eid: str) -> dict:
        return {"id": eid, "kind": self.kind, "target": self.target, "field": self.field, "where": self.where,
                "original": self.original, "corrected": self.corrected, "reason": self.reason}


@dataclass(frozen=True)
class Edition:
    """The whole candidate knowledge read from one document."""
    title: str
    issued: str
    publisher: str
    edition: str
    pillars: tuple[ParsedPillar, ...]
    programs: tuple[ParsedProgram, ...]
    indicators: tuple[ParsedIndicator, ...]
    findings: tuple[Finding, ...] = ()
    toc: tuple[TocEntry, ...] = field(default=(), repr=False)
    lines: tuple[str, ...] = field(default=(), repr=False)

    def program(self, pid: str) -> ParsedProgram | None:
        return next((p for p in self.programs if p.id == pid), None)
