"""Read a whole edition from its extracted text: `parse_edition(text) -> Edition`.

Pure functions over the text: the cover gives the title and edition, the table of contents
the pages and ○ marks, the body the programs, desks and tables, the list at the end every
indicator figure. `checks.find_misprints` then lists what looks misprinted, for review.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from knowledge.edition.body import Body, BodyProgram, paragraphs, read_body
from knowledge.edition.checks import find_misprints
from knowledge.edition.figures import list_rows
from knowledge.edition.model import (
    Edition, IndicatorRow, ParsedIndicator, ParsedPillar, ParsedProgram, ParsedSection, TocEntry,
)
from knowledge.edition.text import clean_line, fold, tidy
from knowledge.edition.toc import parse_toc, toc_bounds, toc_tree

ISSUED = re.compile(r"(令和|平成)\s*(\d+|元)\s*年\s*(\d+)\s*月")
EDITION = re.compile(r"((?:令和|平成)(?:\d+|元)年度)")


def parse_cover(lines: list[str]) -> tuple[str, str, str, str]:
    """Title, issued (令和7年3月), publisher and edition (令和7年度) from the lines before chapter 1."""
    end = next((i for i, line in enumerate(lines) if re.match(r"^\s*第\s*1\s*章", line)), min(len(lines), 12))
    cover = [line.strip() for line in lines[:end] if line.strip()]
    at = next((i for i, line in enumerate(cover) if ISSUED.search(line)), len(cover))
    title = tidy(" ".join(cover[:at])).replace(" ", "")
    issued = tidy(cover[at]).replace(" ", "") if at < len(cover) else ""
    publisher = tidy(cover[at + 1]).replace(" ", "") if at + 1 < len(cover) else ""
    m = EDITION.search(title)
    return title, issued, publisher, m.group(1) if m else ""


def _toc_name(tree: dict[str, TocEntry], bp: BodyProgram) -> TocEntry | None:
    """The table of contents' row for a body program: same id, else the same name in its section."""
    entry = tree.get(bp.id)
    if entry is not None:
        return entry
    prefix = f"{bp.pillar}-{bp.section}-"
    return next((e for k, e in tree.items() if k.startswith(prefix) and k.count("-") == 2
                 and fold(e.name) == fold(bp.name)), None)


def build_programs(body: Body, tree: dict[str, TocEntry]) -> list[ParsedProgram]:
    """Programs with description and desks; a heading with no text of its own shares the next one's."""
    progs = body.programs
    out: list[ParsedProgram] = []
    for k, bp in enumerate(progs):
        source = bp
        shared = None
        nxt = progs[k + 1] if k + 1 < len(progs) else None
        prev = progs[k - 1] if k else None
        if not bp.description and not bp.contact_lines and nxt and (nxt.pillar, nxt.section) == (bp.pillar, bp.section):
            source, shared = nxt, nxt.id
        elif prev and not prev.description and not prev.contact_lines and \
                (prev.pillar, prev.section) == (bp.pillar, bp.section):
            shared = prev.id
        entry = _toc_name(tree, bp)
        out.append(ParsedProgram(
            id=bp.id, pillar=bp.pillar, section=bp.section, number=bp.number, name=bp.name,
            toc_name=entry.name if entry else None, description=paragraphs(source.description),
            page=bp.page, page_inferred=entry is None, desks=tuple(source.desks()),
            indicator_number=(bp.table.number if bp.table else None), shared_text_with=shared, line=bp.line,
            printed_number=bp.printed_number))
    return out


def _match_row(row: IndicatorRow, rows: list[IndicatorRow]) -> IndicatorRow | None:
    """The list's row for a table printed in the body: by name (the printed number may be wrong)."""
    names = {r.number: fold(r.name) for r in rows}
    best = process.extractOne(fold(row.name), names, scorer=fuzz.ratio, score_cutoff=80)
    return next(r for r in rows if r.number == best[2]) if best else None


def build_indicators(body: Body, lines: list[str], list_page: int) -> list[ParsedIndicator]:
    """Every row of the list, tied to the program or section whose page prints its table."""
    rows = list_rows(lines, body.list_start) if body.list_start is not None else []
    owners: dict[int, tuple[str | None, str | None, IndicatorRow]] = {}
    for bp in body.programs:
        if bp.table and (m := _match_row(bp.table, rows)):
            owners.setdefault(m.number, (bp.id, None, bp.table))
    for s in body.sections:
        if s.table and (m := _match_row(s.table, rows)):
            owners.setdefault(m.number, (None, f"{s.pillar}-{s.number}", s.table))
    out = []
    for r in rows:
        program_id, section_id, table = owners.get(r.number, (None, None, None))
        out.append(ParsedIndicator(r.number, r.name, r.former_name, r.series, program_id, section_id, list_page,
                                   r.line, table))
    return out


def build_pillars(body: Body, tree: dict[str, TocEntry]) -> list[ParsedPillar]:
    pillars = []
    for bp in body.pillars:
        sections = tuple(
            ParsedSection(f"{bp.number}-{s.number}", bp.number, s.number, s.title, s.page,
                          s.table.number if s.table else None, s.line)
            for s in body.sections if s.pillar == bp.number)
        pillars.append(ParsedPillar(bp.number, bp.title, bp.page, sections, bp.line))
    return pillars


def parse_edition(text: str) -> Edition:
    """The whole candidate knowledge of one edition, with its suspected misprints."""
    lines = [clean_line(line) for line in text.replace("\r\n", "\n").replace("\x0c", "\n").split("\n")]
    toc = parse_toc(lines)
    tree = toc_tree(toc)
    _, toc_end = toc_bounds(lines)
    body = read_body(lines, tree, toc_end)
    title, issued, publisher, edition = parse_cover(lines)
    list_entry = next((e for e in toc if e.level == "indicators"), None)
    last_page = max((p.page for p in body.programs), default=0)
    list_page = list_entry.page if list_entry and list_entry.page else last_page + 1
    programs = build_programs(body, tree)
    parsed = Edition(title, issued, publisher, edition, tuple(build_pillars(body, tree)), tuple(programs),
                     tuple(build_indicators(body, lines, list_page)), (), tuple(toc), tuple(lines))
    return Edition(**{**parsed.__dict__, "findings": tuple(find_misprints(parsed, tree))})
