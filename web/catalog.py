"""The desk view's data: programs grouped by pillar and section, filtered by need, kind, level, text.

Pure functions over the knowledge records (no Flask), shared by /programs, /contacts and /memo.
The same filters run in the browser (static/programs.js) for instant filtering; the server
applies them when the form is submitted without JavaScript.

The text filter ranks with the chat's own search (電気代, しょうえね and typos find the
省エネ programs), then adds the programs whose text holds every word literally (an id, a phone
number, 補助金): `ranked_ids` takes the search's ranking, so this module stays pure.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from knowledge.models import Contact, Knowledge, Pillar, Program, Section

LEVELS = ("市", "県", "国", "その他")
LEVEL_CLASSES = {"市": "city", "県": "prefecture", "国": "national", "その他": "other"}  # CSS colours of the badge


@dataclass(frozen=True)
class Filters:
    tag: str = ""
    kind: str = ""
    level: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.tag or self.kind or self.level or self.q)


@dataclass
class SectionGroup:
    section: Section
    programs: list[Program] = field(default_factory=list)


@dataclass
class PillarGroup:
    pillar: Pillar
    sections: list[SectionGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(s.programs) for s in self.sections)


def fold(text: str) -> str:
    """Fold width and case so 'ＩＴ' finds 'IT' (the browser does the same with NFKC)."""
    return unicodedata.normalize("NFKC", text).casefold()


def program_level(program: Program) -> str:
    """The level a card's badge shows: that of the program's first desk (その他 without desks)."""
    return program.contacts[0].contact.level if program.contacts else "その他"


def program_levels(program: Program) -> tuple[str, ...]:
    """The levels (市/県/国/その他) of the desks that handle a program, in LEVELS order."""
    levels = {c.contact.level for c in program.contacts}
    return tuple(level for level in LEVELS if level in levels)


def search_text(program: Program) -> str:
    """Everything the text filter looks at, folded once."""
    desks = " ".join(c.name for c in program.contacts)
    return fold(" ".join((program.id, program.name, *program.short_names, program.description, desks, *program.phones)))


def literal_match(program: Program, q: str) -> bool:
    """Every word of q appears in the program's text, ids, desks or phone numbers."""
    return all(word in search_text(program) for word in fold(q).split())


def matches(program: Program, filters: Filters) -> bool:
    """The select filters (need, kind, level); the text is ranked separately by `filter_programs`."""
    if filters.tag and filters.tag not in program.tags:
        return False
    if filters.kind and filters.kind not in program.kinds:
        return False
    if filters.level and filters.level not in program_levels(program):
        return False
    return True


def group(knowledge: Knowledge, programs: Iterable[Program]) -> list[PillarGroup]:
    """Arrange programs under their pillar and section, in the document's order."""
    wanted = {p.id for p in programs}
    groups = []
    for pillar in knowledge.pillars:
        pg = PillarGroup(pillar)
        for section in pillar.sections:
            members = [p for p in knowledge.programs if p.section_id == section.id and p.id in wanted]
            pg.sections.append(SectionGroup(section, members))
        groups.append(pg)
    return groups


def filter_programs(knowledge: Knowledge, filters: Filters, ranked_ids: Iterable[str] = ()) -> list[Program]:
    """The programs the filters keep: without text in document order; with text, the search's
    ranking (`ranked_ids`, best first) and then the literal matches the search did not rank."""
    kept = [p for p in knowledge.programs if matches(p, filters)]
    if not filters.q.strip():
        return kept
    by_id = {p.id: p for p in kept}
    ranked = [by_id[i] for i in dict.fromkeys(ranked_ids) if i in by_id]
    seen = {p.id for p in ranked}
    return ranked + [p for p in kept if p.id not in seen and literal_match(p, filters.q)]


def desks_by_level(knowledge: Knowledge) -> list[tuple[str, list[Contact]]]:
    """Every desk once, grouped by level (市 first), in data order inside a level."""
    return [(level, [c for c in knowledge.contacts if c.level == level]) for level in LEVELS]


def parse_ids(values: Iterable[str]) -> list[str]:
    """Read ids given as ids=a,b or ids=a&ids=b, keeping order and dropping repeats."""
    seen: dict[str, None] = {}
    for value in values:
        for part in value.split(","):
            if part.strip():
                seen.setdefault(part.strip(), None)
    return list(seen)
