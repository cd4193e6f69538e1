"""Curated fields for what the edition in use does not know yet, always marked 要確認.

Without the assistant, the suggestion is plain: tags whose everyday words occur in the new
program's text, and kinds of support only where the text itself says so. The assistant
(assistant/edition_suggest.py) can do better and is passed in by the caller.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from knowledge.edition.text import fold

REVIEW_MARK = "要確認"

# A kind of support is suggested only when the description prints one of these words; the clause
# that prints it is the evidence quoted with the claim (programs.json "evidence").
KIND_EVIDENCE: dict[str, tuple[str, ...]] = {
    "補助金・助成金": ("補助します", "補助金", "助成", "奨励金", "交付"),
    "融資": ("融資", "資金の供給"),
    "利子補給": ("利子",),
    "保証料補助": ("保証料",),
    "相談": ("相談",),
    "研修・セミナー": ("セミナー", "研修", "講座", "講義", "訓練"),
    "マッチング": ("マッチング", "橋渡し"),
    "認証・表彰": ("認証", "表彰"),
    "情報提供": ("情報提供", "情報を提供", "広報", "発信"),
    "イベント": ("開催", "フェア", "イベント"),
    "施設・場所の提供": ("拠点", "出店でき", "施設"),
    "宣言・登録制度": ("宣言", "登録制度"),
    "市による製品の購入": ("購入",),
}
# When the text names no particular kind, what it does say: it supports, or it promotes.
GENERIC_KINDS: dict[str, tuple[str, ...]] = {
    "支援(内容は窓口にご確認ください)": ("支援",),
    "取組の推進(関わり方は窓口にご確認ください)": ("推進", "図ります", "取り組"),
}


@dataclass(frozen=True)
class Suggestion:
    """A curated value the import proposes; staff confirm or change it in /admin."""
    target: str        # a program id or a desk id
    field: str         # "tags" | "kinds" | "level"
    values: tuple[str, ...]
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.target, "field": self.field, "values": list(self.values), "reason": self.reason,
                "mark": REVIEW_MARK}


Suggester = Callable[[str, str], tuple[list[str], list[str]]]


def evidence_kinds(description: str, kinds: Iterable[str]) -> list[str]:
    """The kinds whose evidence words the description prints, in the vocabulary's order; else the
    first generic kind the text supports (支援 … or 推進 …)."""
    kinds = list(kinds)
    found = [k for k in kinds if any(word in description for word in KIND_EVIDENCE.get(k, ()))]
    if found:
        return found
    return [k for k in kinds if any(w in description for w in GENERIC_KINDS.get(k, ()))][:1]


def clause(text: str, word: str) -> str | None:
    """The clause of text (between 、 and 。) that prints word: the phrase quoted as evidence."""
    for part in re.split(r"[、。\n]", text):
        if word in part and part.strip():
            return part.strip()
    return None


def _quote(words: Iterable[str], name: str, description: str) -> dict[str, str] | None:
    for word in words:
        for part, text in (("description", description), ("name", name)):
            if len(word) > 1 and (phrase := clause(text, word)):
                return {"phrase": phrase, "in": part}
    return None


def evidence_quote(field: str, value: str, name: str, description: str, vocabulary: dict[str, Any]) -> dict[str, str]:
    """The phrase a claim staff chose rests on: its words in the text, else the program's name."""
    if field == "kinds":
        words: Iterable[str] = (*KIND_EVIDENCE.get(value, ()), *GENERIC_KINDS.get(value, ()))
    else:
        words = [value, *sorted((w for e in vocabulary["entries"] if value in e.get("tags", ())
                                 for w in (*e["words"], *e.get("terms", ()))), key=len, reverse=True)]
    return _quote(words, name, description) or {"phrase": name, "in": "name"}


def with_evidence(tags: list[str], kinds: list[str], name: str, description: str,
                  vocabulary: dict[str, Any]) -> tuple[list[str], list[str], dict[str, dict]]:
    """Keep only the claims the new program's own text supports, each with the phrase that does."""
    evidence: dict[str, dict] = {"kinds": {}, "tags": {}}
    for kind in kinds:
        quote = _quote((*KIND_EVIDENCE.get(kind, ()), *GENERIC_KINDS.get(kind, ())), name, description)
        if quote:
            evidence["kinds"][kind] = quote
    for tag in tags:
        words = [w for e in vocabulary["entries"] if tag in e.get("tags", ()) for w in (*e["words"], *e.get("terms", ()))]
        quote = _quote([tag, *sorted(words, key=len, reverse=True)], name, description)
        if quote:
            evidence["tags"][tag] = quote
    return list(evidence["tags"]), list(evidence["kinds"]), evidence


def keyword_suggester(vocabulary: dict[str, Any]) -> Suggester:
    """Tags whose words occur in the name or description; kinds the description gives evidence for."""
    tag_ids = [t["id"] for t in vocabulary["tags"]]
    kind_ids = [k["id"] for k in vocabulary["kinds"]]

    def suggest(name: str, description: str) -> tuple[list[str], list[str]]:
        text = fold(name + description)
        counts: Counter[str] = Counter()
        for entry in vocabulary["entries"]:
            hits = sum(1 for w in entry["words"] if len(w) > 1 and fold(w) in text)
            for tag in entry.get("tags", []):
                counts[tag] += hits
        tags = [t for t, n in counts.most_common(3) if n > 0 and t in tag_ids]
        return tags, evidence_kinds(description, kind_ids)
    return suggest


def guess_level(name: str) -> str:
    """市・県・国・その他 from a desk's name; always shown for review."""
    if name.startswith("福島市"):
        return "市"
    if any(w in name for w in ("省", "庁", "内閣府", "経済産業局", "労働局", "公庫", "機構", "ハローワーク")):
        return "国"
    if name.startswith("福島県"):
        return "県"
    return "その他"


def section_defaults(programs: list[dict[str, Any]], section: str, field: str) -> list[str]:
    """The most used value of a field among a section's programs: the fallback when the text gives none."""
    counts = Counter(v for p in programs if f"{p['pillar']}-{p['section']}" == section for v in p[field])
    return [counts.most_common(1)[0][0]] if counts else []
