"""The errata of the edition in use, applied to a new edition, and findings told known from new.

An erratum quotes the printed text (`original`) and says what the data holds instead
(`corrected`). It applies wherever its original is still printed; a misprint found by the
checks is known when an erratum already explains it. Errata whose misprint is gone are dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterable

from knowledge.edition.model import Edition, Finding, ParsedProgram, PrintedDesk, PrintedPhone
from knowledge.edition.text import fold


@dataclass(frozen=True)
class Applied:
    """One erratum carried into the new edition: where it now applies, or why it is dropped."""
    erratum: dict[str, Any]
    target: str | None  # the id it applies to in the new edition; None when it no longer applies
    changed: bool  # it changed the data (not only explained a finding)


def _pattern(original: str) -> re.Pattern[str]:
    """Match original allowing the spaces extraction may put between its characters."""
    return re.compile(r"\s*".join(re.escape(c) for c in original if not c.isspace()))


def _sub(text: str, original: str, corrected: str) -> str | None:
    """text with original replaced, or None when original is not in it."""
    if original in text:
        return text.replace(original, corrected)
    pattern = _pattern(original)
    return pattern.sub(corrected, text) if pattern.search(text) else None


def _name_part(text: str) -> str:
    return fold(re.sub(r"\s*p\.\s*\d+.*$", "", text))


def explains(e: dict[str, Any], f: Finding) -> bool:
    """Does erratum e already account for finding f?"""
    if e["kind"] == "toc-omission" or f.kind == "toc-omission":
        return e["kind"] == f.kind and _name_part(e["corrected"]) == _name_part(f.corrected)
    if e["field"] != f.field or (e["target"] != f.target and e["kind"] != f.kind):
        return False
    eo, fo = fold(e["original"]), fold(f.original)
    if not eo or not fo:
        return False
    return eo in fo or (fo in eo and len(fo) >= 4) or (f.kind == "name-toc" and eo == fold(f.corrected))


def known(findings: Iterable[Finding], errata: list[dict[str, Any]]) -> tuple[list[Finding], list[Finding]]:
    """Split findings into those an erratum explains and the new ones, for review."""
    old, new = [], []
    for f in findings:
        (old if any(explains(e, f) for e in errata) else new).append(f)
    return old, new


def _fix_desks(desks: tuple[PrintedDesk, ...], original: str, corrected: str) -> tuple[PrintedDesk, ...] | None:
    changed, out = False, []
    for d in desks:
        name = _sub(d.name, original, corrected)
        phones = tuple(PrintedPhone(corrected if p.number == original else p.number, p.label) for p in d.phones)
        if name is not None or phones != d.phones:
            changed = True
        out.append(replace(d, name=name if name is not None else d.name, phones=phones))
    return tuple(out) if changed else None


def _fix_program(p: ParsedProgram, e: dict[str, Any]) -> ParsedProgram | None:
    field, original, corrected = e["field"], e["original"], e["corrected"]
    if field == "name" and (new := _sub(p.name, original, corrected)) is not None and new != p.name:
        return replace(p, name=new)
    if field == "description" and (new := _sub(p.description, original, corrected)) is not None:
        return replace(p, description=new)
    if field in ("contacts", "phones") and (desks := _fix_desks(p.desks, original, corrected)) is not None:
        return replace(p, desks=desks)
    return None


def _apply_one(edition: Edition, e: dict[str, Any]) -> tuple[Edition, str | None]:
    """Apply e to its target if its original is printed there, else wherever else it is printed."""
    target = e["target"]
    if target.startswith("kpi-") and e["field"] == "name":
        for k in edition.indicators:
            if (new := _sub(k.name, e["original"], e["corrected"])) is not None and new != k.name:
                indicators = tuple(replace(x, name=new) if x is k else x for x in edition.indicators)
                return replace(edition, indicators=indicators), f"kpi-{k.number}"
        return edition, None
    order = sorted(edition.programs, key=lambda p: p.id != target)
    for p in order:
        fixed = _fix_program(p, e)
        if fixed is not None:
            programs = tuple(fixed if x is p else x for x in edition.programs)
            return replace(edition, programs=programs), p.id
    return edition, None


def _still_in_toc(edition: Edition, e: dict[str, Any]) -> str | None:
    """A name-toc erratum about how the contents print a name (widths too): the program it still names."""
    if e["kind"] != "name-toc":
        return None
    key = re.sub(r"\s+", "", e["original"])
    order = sorted(edition.programs, key=lambda p: p.id != e["target"])
    return next((p.id for p in order if p.toc_name and re.sub(r"\s+", "", p.toc_name) == key), None)


def apply_errata(edition: Edition, errata: list[dict[str, Any]]) -> tuple[Edition, list[Applied]]:
    """The edition with every applicable erratum applied, and what became of each erratum."""
    outcomes = []
    for e in errata:
        edition, changed_at = _apply_one(edition, e)
        explained = next((f.target for f in edition.findings if explains(e, f)), None) or _still_in_toc(edition, e)
        outcomes.append(Applied(e, changed_at or explained, changed=changed_at is not None))
    return edition, outcomes


def carried_errata(outcomes: list[Applied], findings: list[Finding], id_map: dict[str, str]) -> list[dict[str, Any]]:
    """The errata of the new edition: the old ones that still apply, retargeted when the program moved.

    id_map maps an old program id to its new one (from the program matching).
    """
    out = []
    for a in outcomes:
        if a.target is None:
            continue
        e = dict(a.erratum)
        moved = id_map.get(e["target"], e["target"]) != e["target"] or a.target != e["target"]
        if moved and not e["target"].startswith("kpi-"):
            e["target"] = a.target
            f = next((f for f in findings if explains(a.erratum, f)), None)
            if f is not None:
                e["where"] = f.where
        out.append(e)
    return out


def next_erratum_id(errata: list[dict[str, Any]]) -> str:
    numbers = [int(m.group(1)) for e in errata if (m := re.fullmatch(r"err-(\d+)", e["id"]))]
    return f"err-{max(numbers, default=0) + 1:02d}"
