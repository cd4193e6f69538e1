"""What changes when the new edition replaces the one in use, in terms staff act on.

Programs added, ended, renamed, moved (renumbered or to another section), with a changed
description, desks, phones or page; desks added, ended, renamed or with new numbers; sections
added or renamed; indicators with new actuals or changed figures. Curated fields (tags, kinds,
short names) are carried over, so they are never a change.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.edition.assemble import Assembly
from knowledge.edition.curation import Suggestion
from knowledge.edition.model import Finding
from knowledge.edition.text import fold, squeeze

KIND_LABELS = {
    "document": "文書", "added": "事業の追加", "ended": "事業の終了", "renamed": "事業名の変更",
    "moved": "番号・節の変更", "description": "説明の変更", "desks": "窓口の変更", "phones": "電話番号の変更",
    "page": "ページの変更", "desk-added": "窓口の追加", "desk-ended": "窓口の終了", "desk-renamed": "窓口名の変更",
    "desk-phone": "窓口の電話番号の変更", "section-added": "節の追加", "section-ended": "節の終了",
    "section-renamed": "節の名称変更", "section-moved": "節の番号の変更", "pillar-added": "柱の追加",
    "pillar-ended": "柱の終了", "pillar-renamed": "柱の名称変更", "indicator-added": "成果指標の追加",
    "indicator-ended": "成果指標の終了", "indicator-renamed": "成果指標名の変更", "actual": "実績値の追加",
    "figure": "数値の変更", "indicator-owner": "成果指標の対象の変更",
}


@dataclass(frozen=True)
class Change:
    kind: str
    target: str
    name: str
    before: str = ""
    after: str = ""
    programs: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "target": self.target, "name": self.name,
                "before": self.before, "after": self.after, "programs": list(self.programs)}


@dataclass
class EditionDiff:
    old_title: str
    new_title: str
    changes: list[Change]
    findings: list[Finding]          # misprints no erratum explains yet: for review
    known_findings: list[Finding]    # misprints the errata already explain
    errata_dropped: list[dict[str, Any]]  # errata whose misprint the new edition no longer prints
    suggestions: list[Suggestion]    # curated values proposed for new programs and desks (要確認)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.changes

    def kinds(self) -> list[tuple[str, str]]:
        return sorted((c.kind, c.target) for c in self.changes)


def _desk_names(doc: dict[str, Any], program: dict[str, Any]) -> list[str]:
    desks = {c["id"]: c["name"] for c in doc["contacts"]["contacts"]}
    return [pc.get("printed_name") or desks[pc["contact_id"]] for pc in program["contacts"]]


def _phones_by_desk(program: dict[str, Any]) -> dict[str, list[str]]:
    return {pc["contact_id"]: pc["phones"] for pc in program["contacts"]}


def desk_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[list[Change], dict[str, tuple[set, set]]]:
    """Desk-level changes, and each desk's (removed, added) numbers to explain program-level ones."""
    before = {c["id"]: c for c in old["contacts"]["contacts"]}
    after = {c["id"]: c for c in new["contacts"]["contacts"]}
    users = {}
    for p in new["programs"]["programs"]:
        for pc in p["contacts"]:
            users.setdefault(pc["contact_id"], []).append(p["id"])
    changes, swaps = [], {}
    for desk_id, c in after.items():
        o = before.get(desk_id)
        numbers = [p["number"] for p in c["phones"]]
        if o is None:
            changes.append(Change("desk-added", desk_id, c["name"], "", " ".join(numbers), tuple(users.get(desk_id, ()))))
            continue
        if fold(o["name"]) != fold(c["name"]):
            changes.append(Change("desk-renamed", desk_id, c["name"], o["name"], c["name"]))
        old_numbers = [p["number"] for p in o["phones"]]
        if set(old_numbers) != set(numbers):
            swaps[desk_id] = (set(old_numbers) - set(numbers), set(numbers) - set(old_numbers))
            changes.append(Change("desk-phone", desk_id, c["name"], " ".join(old_numbers), " ".join(numbers),
                                  tuple(users.get(desk_id, ()))))
    for desk_id, o in before.items():
        if desk_id not in after:
            changes.append(Change("desk-ended", desk_id, o["name"], " ".join(p["number"] for p in o["phones"])))
    return changes, swaps


def _explained(old_phones: list[str], new_phones: list[str], swap: tuple[set, set] | None) -> bool:
    if swap is None:
        return False
    removed, added = swap
    return set(old_phones) - set(new_phones) <= removed and set(new_phones) - set(old_phones) <= added


def program_changes(old: dict[str, Any], new: dict[str, Any], assembly: Assembly,
                    swaps: dict[str, tuple[set, set]]) -> list[Change]:
    before = {p["id"]: p for p in old["programs"]["programs"]}
    after = {p["id"]: p for p in new["programs"]["programs"]}
    old_of = {m.new_id: m.old_id for m in assembly.matches}
    changes = []
    for pid, p in after.items():
        o = before.get(old_of.get(pid, ""))
        if o is None:
            changes.append(Change("added", pid, p["name"], "", f"{p['name']} p.{p['page']}",))
            continue
        if o["id"] != pid:
            changes.append(Change("moved", pid, p["name"], o["id"], pid))
        if squeeze(o["name"]) != squeeze(p["name"]):
            changes.append(Change("renamed", pid, p["name"], o["name"], p["name"]))
        if squeeze(o["description"]) != squeeze(p["description"]):
            changes.append(Change("description", pid, p["name"], o["description"], p["description"]))
        if (o["page"], o["page_inferred"]) != (p["page"], p["page_inferred"]):
            changes.append(Change("page", pid, p["name"], f"p.{o['page']}", f"p.{p['page']}"))
        old_desks, new_desks = _desk_names(old, o), _desk_names(new, p)
        if [squeeze(n) for n in old_desks] != [squeeze(n) for n in new_desks] or \
                [pc["contact_id"] for pc in o["contacts"]] != [pc["contact_id"] for pc in p["contacts"]]:
            changes.append(Change("desks", pid, p["name"], "、".join(old_desks), "、".join(new_desks)))
            continue
        op, np_ = _phones_by_desk(o), _phones_by_desk(p)
        if any(op.get(d) != n and not _explained(op.get(d, []), n, swaps.get(d)) for d, n in np_.items()):
            changes.append(Change("phones", pid, p["name"], " ".join(n for ns in op.values() for n in ns),
                                  " ".join(n for ns in np_.values() for n in ns)))
    ended = set(before) - set(old_of.values())
    changes += [Change("ended", oid, before[oid]["name"], f"{before[oid]['name']} p.{before[oid]['page']}")
                for oid in before if oid in ended]
    return changes


def _pair(old: list[dict], new: list[dict], key: str) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Pair records by title, then by id: (pairs, added, ended)."""
    pairs, rest = [], list(old)
    for n in new:
        o = next((o for o in rest if fold(o[key]) == fold(n[key])), None) or \
            next((o for o in rest if o.get("id", o.get("number")) == n.get("id", n.get("number"))), None)
        if o is not None:
            rest.remove(o)
            pairs.append((o, n))
    paired = [n for _, n in pairs]
    return pairs, [n for n in new if n not in paired], rest


def structure_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    pairs, added, ended = _pair(old["policy"]["pillars"], new["policy"]["pillars"], "title")
    changes += [Change("pillar-added", str(p["number"]), p["title"]) for p in added]
    changes += [Change("pillar-ended", str(p["number"]), p["title"]) for p in ended]
    changes += [Change("pillar-renamed", str(n["number"]), n["title"], o["title"], n["title"])
                for o, n in pairs if squeeze(o["title"]) != squeeze(n["title"])]
    old_sections = [s for p in old["policy"]["pillars"] for s in p["sections"]]
    new_sections = [s for p in new["policy"]["pillars"] for s in p["sections"]]
    pairs, added, ended = _pair(old_sections, new_sections, "title")
    changes += [Change("section-added", s["id"], s["title"]) for s in added]
    changes += [Change("section-ended", s["id"], s["title"]) for s in ended]
    for o, n in pairs:
        if squeeze(o["title"]) != squeeze(n["title"]):
            changes.append(Change("section-renamed", n["id"], n["title"], o["title"], n["title"]))
        if o["id"] != n["id"]:
            changes.append(Change("section-moved", n["id"], n["title"], o["id"], n["id"]))
    od, nd = old["policy"]["document"], new["policy"]["document"]
    if (od["title"], od["issued"]) != (nd["title"], nd["issued"]):
        changes.append(Change("document", "document", nd["title"], f"{od['title']} {od['issued']}",
                              f"{nd['title']} {nd['issued']}"))
    return changes


def _cells(indicator: dict[str, Any]) -> dict[tuple, Any]:
    cells = {}
    for i, s in enumerate(indicator["series"]):
        cells[(i, "基準値")] = s["baseline"]
        cells[(i, "目標値")] = s["target"]
        for year, q in s["actuals"].items():
            cells[(i, year)] = q
    return cells


def indicator_changes(old: dict[str, Any], new: dict[str, Any], id_map: dict[str, str]) -> list[Change]:
    changes = []
    pairs, added, ended = _pair(old["indicators"]["indicators"], new["indicators"]["indicators"], "name")
    changes += [Change("indicator-added", k["id"], k["name"]) for k in added]
    changes += [Change("indicator-ended", k["id"], k["name"]) for k in ended]
    for o, n in pairs:
        if squeeze(o["name"]) != squeeze(n["name"]):
            changes.append(Change("indicator-renamed", n["id"], n["name"], o["name"], n["name"]))
        owner = id_map.get(o["program_id"], o["program_id"]) if o["program_id"] else o["section_id"]
        if owner != (n["program_id"] or n["section_id"]):
            changes.append(Change("indicator-owner", n["id"], n["name"], str(owner), str(n["program_id"] or
                                                                                           n["section_id"])))
        before, after = _cells(o), _cells(n)
        labels = {i: f"{s['label']} " if s["label"] else "" for i, s in enumerate(n["series"])}
        new_actuals, changed = [], []
        for key, q in after.items():
            was = before.get(key)
            text = (q or {}).get("text")
            if text and (was is None or not was.get("text")):
                if key[1].endswith("年度") and key[1] not in ("基準値", "目標値"):
                    new_actuals.append(f"{labels[key[0]]}{key[1]} {text}")
                else:
                    changed.append(f"{labels[key[0]]}{key[1]} (なし)→{text}")
            elif was is not None and was.get("text") and fold(was.get("text") or "") != fold(text or ""):
                changed.append(f"{labels[key[0]]}{key[1]} {was['text']}→{text or '(なし)'}")
        if new_actuals:
            changes.append(Change("actual", n["id"], n["name"], "", "、".join(new_actuals)))
        if changed:
            changes.append(Change("figure", n["id"], n["name"], "", "、".join(changed)))
    return changes


def diff_editions(old: dict[str, Any], assembly: Assembly) -> EditionDiff:
    """Compare the data in use (its six documents) with a new edition assembled from a document."""
    new = assembly.docs
    desk_level, swaps = desk_changes(old, new)
    changes = (structure_changes(old, new) + program_changes(old, new, assembly, swaps) + desk_level
               + indicator_changes(old, new, assembly.id_map))
    dropped = [a.erratum for a in assembly.errata if a.target is None]
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    return EditionDiff(old["policy"]["document"]["title"], new["policy"]["document"]["title"], changes,
                       assembly.new_findings, assembly.known_findings, dropped, assembly.suggestions, counts)
