"""Build the six data files of a new edition from its parsed document and the data in use.

The document gives every printed fact; the data in use gives what people curated on top:
desk ids and levels, short names, tags, kinds, any other field a program record carries,
and the vocabulary. New programs and desks get suggestions marked 要確認.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from knowledge.edition.curation import (
    Suggester, Suggestion, guess_level, keyword_suggester, section_defaults, with_evidence,
)
from knowledge.edition.errata import Applied, apply_errata, carried_errata, known, next_erratum_id
from knowledge.edition.match import Entry, Match, match_entries
from knowledge.edition.model import Edition, Finding, ParsedIndicator, ParsedProgram, PrintedDesk
from knowledge.models import Quantity
from knowledge.edition.text import fold, squeeze

DOCUMENT_FIELDS = ("id", "pillar", "section", "number", "name", "description", "page", "page_inferred", "contacts",
                   "indicator_id", "shared_text_with")
PROGRAM_ORDER = ("id", "pillar", "section", "number", "name", "short_names", "description", "page", "page_inferred",
                 "contacts", "indicator_id", "tags", "kinds", "shared_text_with", "description_note", "evidence")


@dataclass
class Assembly:
    """The new data and everything staff should see about how it was made."""
    docs: dict[str, Any]
    edition: Edition  # with the errata applied
    matches: list[Match]
    desk_matches: dict[str, str]  # new desk id → how it was matched ("known", "renamed", "new")
    suggestions: list[Suggestion]
    known_findings: list[Finding]
    new_findings: list[Finding]
    errata: list[Applied] = field(default_factory=list)

    @property
    def id_map(self) -> dict[str, str]:
        """Old program id → new program id."""
        return {m.old_id: m.new_id for m in self.matches}


class DeskBook:
    """Which desk of the data in use a printed desk is: by every form it was printed in, else by
    a shared number and a similar name (a renamed desk); otherwise a new desk with a new id."""

    def __init__(self, base: dict[str, Any]):
        self.base = {c["id"]: c for c in base["contacts"]["contacts"]}
        self.by_form: dict[str, str] = {fold(c["name"]): c["id"] for c in self.base.values()}
        for p in base["programs"]["programs"]:
            for pc in p["contacts"]:
                if pc.get("printed_name"):
                    self.by_form.setdefault(fold(pc["printed_name"]), pc["contact_id"])
        numbers = [int(m.group(1)) for i in self.base if (m := re.fullmatch(r"desk-(\d+)", i))]
        self.next_number = max(numbers, default=0) + 1
        self.how: dict[str, str] = {}
        self.new_names: dict[str, str] = {}  # fold(name) → new desk id

    def resolve(self, desk: PrintedDesk) -> str:
        key = fold(desk.name)
        if key in self.by_form:
            self.how.setdefault(self.by_form[key], "known")
            return self.by_form[key]
        numbers = {p.number for p in desk.phones}
        best = None
        for c in self.base.values():
            shared = numbers & {p["number"] for p in c["phones"]}
            score = fuzz.ratio(key, fold(c["name"]))
            if (shared and score >= 60) or score >= 92:
                if best is None or score > best[0]:
                    best = (score, c["id"])
        if best is not None:
            self.by_form[key] = best[1]
            self.how[best[1]] = "renamed"
            return best[1]
        if key not in self.new_names:
            self.new_names[key] = f"desk-{self.next_number:03d}"
            self.next_number += 1
            self.how[self.new_names[key]] = "new"
        return self.new_names[key]


def quantity(f: Quantity | None) -> dict[str, Any] | None:
    return None if f is None else f.as_dict()


def indicator_doc(k: ParsedIndicator) -> dict[str, Any]:
    series = [{"label": s.label, "baseline": quantity(s.baseline), "target": quantity(s.target),
               "actuals": {year: quantity(a) for year, a in s.actuals}} for s in k.series]
    return {"id": f"kpi-{k.number}", "number": k.number, "name": k.name, "former_name": k.former_name,
            "series": series, "program_id": k.program_id, "section_id": k.section_id, "page": k.page}


def _contacts(p: ParsedProgram, book: DeskBook, names: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for d in p.desks:
        desk_id = book.resolve(d)
        entry: dict[str, Any] = {"contact_id": desk_id, "phones": list(dict.fromkeys(ph.number for ph in d.phones))}
        names.setdefault(desk_id, book.base[desk_id]["name"] if book.how.get(desk_id) == "known" else d.name)
        if d.name != names[desk_id]:
            entry["printed_name"] = d.name
        if d.qualifier:
            entry["qualifier"] = d.qualifier
        if d.role:
            entry["role"] = d.role
        out.append(entry)
    return out


def _desks(edition: Edition, book: DeskBook, names: dict[str, str], suggestions: list[Suggestion]) -> list[dict]:
    """Every desk the new edition prints, in the old order then the new, with the numbers printed for it."""
    phones: dict[str, dict[str, str | None]] = {}
    for p in edition.programs:
        for d in p.desks:
            numbers = phones.setdefault(book.resolve(d), {})
            for ph in d.phones:
                if numbers.get(ph.number) is None:
                    numbers[ph.number] = ph.label
    order = [i for i in book.base if i in phones] + [i for i in phones if i not in book.base]
    desks = []
    for desk_id in order:
        level = book.base[desk_id]["level"] if desk_id in book.base else guess_level(names[desk_id])
        if desk_id not in book.base:
            suggestions.append(Suggestion(desk_id, "level", (level,), f"新しい窓口「{names[desk_id]}」の区分(名前から推定)"))
        desks.append({"id": desk_id, "name": names[desk_id], "level": level,
                      "phones": [{"number": n, "label": label} for n, label in phones[desk_id].items()]})
    return desks


def _curate(p: ParsedProgram, suggest: Suggester, base: dict[str, Any]) -> tuple[list, list, dict]:
    """Suggested tags and kinds for a new program, kept only where its text gives the evidence.

    When the text supports no suggested tag, the program's section's usual tag is proposed with the
    name as its only quote: a weak claim, and marked 要確認 like every suggestion.
    """
    vocabulary = base["vocabulary"]
    tags, kinds = suggest(p.name, p.description)
    fallback_tags, fallback_kinds = keyword_suggester(vocabulary)(p.name, p.description)
    tags, kinds, evidence = with_evidence(list(dict.fromkeys(tags + fallback_tags)),
                                          list(dict.fromkeys(kinds + fallback_kinds)), p.name, p.description,
                                          vocabulary)
    tags, kinds = tags[:3], kinds[:3]
    evidence = {"tags": {t: evidence["tags"][t] for t in tags}, "kinds": {k: evidence["kinds"][k] for k in kinds}}
    section = f"{p.pillar}-{p.section}"
    if not tags:
        tags = section_defaults(base["programs"]["programs"], section, "tags")
        evidence["tags"] = {t: {"phrase": p.name, "in": "name"} for t in tags}
    if not kinds:
        kinds = section_defaults(base["programs"]["programs"], section, "kinds")
        evidence["kinds"] = {k: {"phrase": p.name, "in": "name"} for k in kinds}
    return tags, kinds, evidence


def _program_doc(p: ParsedProgram, old: dict[str, Any] | None, contacts: list[dict], indicator_id: str | None,
                 curated: tuple, edition: Edition) -> dict[str, Any]:
    name, description = p.name, p.description
    if old is not None:  # extraction spacing is unreliable: keep the text in use when only spaces differ
        name = old["name"] if squeeze(old["name"]) == squeeze(name) else name
        description = old["description"] if squeeze(old["description"]) == squeeze(description) else description
    printed = {"id": p.id, "pillar": p.pillar, "section": p.section, "number": p.number, "name": name,
               "description": description, "page": p.page, "page_inferred": p.page_inferred, "contacts": contacts,
               "indicator_id": indicator_id}
    if p.shared_text_with:
        printed["shared_text_with"] = p.shared_text_with
    carried = {k: copy.deepcopy(v) for k, v in (old or {}).items() if k not in DOCUMENT_FIELDS}
    carried.setdefault("short_names", [])
    carried.setdefault("tags", curated[0])
    carried.setdefault("kinds", curated[1])
    if len(curated) > 2:
        carried.setdefault("evidence", curated[2])
    if p.shared_text_with and "description_note" not in carried:
        other = edition.program(p.shared_text_with)
        carried["description_note"] = (f"文書では{p.name}と{other.name if other else p.shared_text_with}の見出しが続けて"
                                       "印刷され、説明と窓口は一つだけあります。この説明と窓口は二つの事業に共通です。")
    merged = {**printed, **carried}
    return {k: merged[k] for k in PROGRAM_ORDER if k in merged} | {k: v for k, v in merged.items()
                                                                     if k not in PROGRAM_ORDER}


def _policy(edition: Edition, indicators: list[ParsedIndicator], source_file: str) -> dict[str, Any]:
    by_section = {k.section_id: f"kpi-{k.number}" for k in indicators if k.section_id}
    return {"document": {"title": edition.title, "issued": edition.issued, "publisher": edition.publisher,
                         "source_file": source_file},
            "pillars": [{"number": p.number, "title": p.title, "page": p.page,
                         "sections": [{"id": s.id, "number": s.number, "title": s.title, "page": s.page,
                                       "indicator_id": by_section.get(s.id)} for s in p.sections]}
                        for p in edition.pillars]}


def assemble(edition: Edition, base: dict[str, Any], source_file: str, suggest: Suggester | None = None,
             extra_errata: list[dict[str, Any]] = ()) -> Assembly:
    """The new edition's data: printed facts from `edition`, curated fields from `base` (the data in use)."""
    errata = list(base["errata"]["errata"])
    for e in extra_errata:  # corrections staff confirmed for this edition get the next ids
        taken = {x["id"] for x in errata}
        fresh = e["id"] if re.fullmatch(r"err-\d{2,3}", e.get("id", "")) and e["id"] not in taken \
            else next_erratum_id(errata)
        errata.append({**e, "id": fresh})
    known_findings, new_findings = known(edition.findings, errata)
    edition, outcomes = apply_errata(edition, errata)
    old_programs = {p["id"]: p for p in base["programs"]["programs"]}
    matches = match_entries([Entry(p["id"], p["name"], p["description"]) for p in old_programs.values()],
                            [Entry(p.id, p.name, p.description) for p in edition.programs])
    old_of = {m.new_id: m.old_id for m in matches}
    suggest = suggest or keyword_suggester(base["vocabulary"])
    book, names, suggestions = DeskBook(base), {}, []
    by_program = {k.program_id: f"kpi-{k.number}" for k in edition.indicators if k.program_id}
    programs = []
    for p in edition.programs:
        old = old_programs.get(old_of.get(p.id, ""))
        curated: tuple = ([], [])
        if old is None:
            curated = _curate(p, suggest, base)
            tags, kinds = curated[0], curated[1]
            suggestions.append(Suggestion(p.id, "tags", tuple(tags), f"新しい事業「{p.name}」の分野"))
            suggestions.append(Suggestion(p.id, "kinds", tuple(kinds), f"新しい事業「{p.name}」の支援の種類"))
        programs.append(_program_doc(p, old, _contacts(p, book, names), by_program.get(p.id), curated, edition))
    desks = _desks(edition, book, names, suggestions)
    id_map = {m.old_id: m.new_id for m in matches}
    docs = {
        "policy": _policy(edition, list(edition.indicators), source_file),
        "programs": {"programs": programs},
        "contacts": {"contacts": desks},
        "indicators": {"indicators": [indicator_doc(k) for k in edition.indicators]},
        "errata": {"errata": carried_errata(outcomes, list(edition.findings), id_map)},
    }
    docs.update({name: copy.deepcopy(doc) for name, doc in base.items() if name not in docs})  # vocabulary and
    # the language data are curated, not printed: they carry over whole
    return Assembly(docs, edition, matches, dict(book.how), suggestions, known_findings, new_findings, outcomes)
