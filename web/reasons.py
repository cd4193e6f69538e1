"""Why a program fits, in plain words for the card (「販路開拓のご相談に合います」).

The ranking explains itself for the staff (「「販路」→ 販路開拓」, 「支援の種類: 融資」); a
business owner reads instead which of their needs the program serves, built from the needs
recognised in their words and the program's own tags and kinds.
"""
from __future__ import annotations

from dataclasses import dataclass

from knowledge.models import Program

MAX_WORDS = 3


@dataclass(frozen=True)
class Need:
    """What the visitor asked for: need tags and kinds of support, as the analysis found them."""
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


def need_of(analysis) -> Need:
    """Read the need tags and asked-for kinds of support out of an assistant Analysis."""
    kinds = dict.fromkeys(k for m in analysis.matches for k in m.entry.kinds)
    return Need(tuple(analysis.tags), tuple(kinds))


def plain_reasons(program: Program, need: Need, matched: tuple[str, ...], tag_labels: dict[str, str]) -> list[str]:
    """One or two short sentences: the needs it serves, the kind asked for, else where the words are."""
    reasons = []
    tags = [tag_labels.get(t, t) for t in need.tags if t in program.tags]
    if tags:
        reasons.append(f"{'、'.join(tags)}のご相談に合います")
    kinds = [k for k in need.kinds if k in program.kinds]
    if kinds:
        reasons.append(f"お探しの{'・'.join(kinds)}の制度です")
    if reasons:
        return reasons
    words = [w for w in dict.fromkeys(matched) if len(w) > 1][:MAX_WORDS]
    in_name = [w for w in words if w.casefold() in program.name.casefold()]
    if in_name:
        return [f"事業名に「{'」「'.join(in_name)}」が入っています"]
    in_text = [w for w in words if w.casefold() in program.description.casefold()]
    if in_text:
        return [f"説明に「{'」「'.join(in_text)}」が出てきます"]
    return []
