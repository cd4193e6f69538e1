"""Which program of the new edition is which program of the edition in use.

By id first (same number, same name), then by name anywhere (renumbered or moved), then by
name or description similarity (rapidfuzz, best pairs first), so a program renamed and
renumbered in the same year is still recognised by its text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from rapidfuzz import fuzz

from knowledge.edition.text import fold

NAME_SAME_ID = 80     # a renamed program keeping its number
NAME_ANYWHERE = 88    # a renamed and renumbered program, by its name
DESCRIPTION = 85      # … or by its unchanged description


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Match:
    new_id: str
    old_id: str
    how: str  # "id" | "name" | "similar"
    score: float


def _score(a: Entry, b: Entry) -> tuple[float, float]:
    name = fuzz.ratio(fold(a.name), fold(b.name), score_cutoff=50)
    desc = fuzz.ratio(fold(a.description), fold(b.description), score_cutoff=60) if a.description and \
        b.description else 0.0
    return name, desc


def match_entries(old: Sequence[Entry], new: Sequence[Entry]) -> list[Match]:
    """Pair new entries with old ones; each is paired at most once."""
    matches: list[Match] = []
    free_old = {e.id: e for e in old}
    free_new = {e.id: e for e in new}

    def take(n: Entry, o: Entry, how: str, score: float) -> None:
        matches.append(Match(n.id, o.id, how, score))
        free_new.pop(n.id), free_old.pop(o.id)

    for n in list(free_new.values()):  # same id, same name
        o = free_old.get(n.id)
        if o is not None and fold(o.name) == fold(n.name):
            take(n, o, "id", 100.0)
    by_name: dict[str, list[Entry]] = {}
    for o in free_old.values():
        by_name.setdefault(fold(o.name), []).append(o)
    for n in list(free_new.values()):  # same name elsewhere: renumbered or moved
        candidates = [o for o in by_name.get(fold(n.name), []) if o.id in free_old]
        if len(candidates) == 1:
            take(n, candidates[0], "name", 100.0)
    for n in list(free_new.values()):  # same id, name edited
        o = free_old.get(n.id)
        if o is not None:
            name, desc = _score(n, o)
            if name >= NAME_SAME_ID or desc >= DESCRIPTION:
                take(n, o, "id", max(name, desc))
    pairs = []
    for n in free_new.values():
        for o in free_old.values():
            name, desc = _score(n, o)
            if name >= NAME_ANYWHERE or desc >= DESCRIPTION:
                pairs.append((max(name, desc), n.id, o.id))
    for score, nid, oid in sorted(pairs, reverse=True):
        if nid in free_new and oid in free_old:
            take(free_new[nid], free_old[oid], "similar", score)
    return sorted(matches, key=lambda m: m.new_id)
