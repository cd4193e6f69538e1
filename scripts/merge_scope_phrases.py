"""Add blind-written phrases of residents', visitors' and job seekers' own matters to knowledge/data/scope.json.

The phrases (knowledge/scope/*.tsv: topic, phrase) were written from the source document alone, by writers asked
for words that make a matter recognisably personal. A phrase is left out when owners say it too: when an owner's
labelled example, a program's text, a need word or a grid phrase of a tuning half contains it, as written or as
its content lemmas (パート探し is also an employer's パートを探してる). Each topic becomes a cue of weight 2.0 on
its file's side; phrases already among the cues are skipped, so running it twice adds nothing.
Usage: merge_scope_phrases.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluation import load_grid  # noqa: E402
from assistant.scope import _fold  # noqa: E402
from assistant.tokenizer import get_tokenizer  # noqa: E402
from knowledge import load_knowledge  # noqa: E402

SIDES = {"household": "personal", "family": "personal", "visitor": "visitor", "worker": "job_seeker"}
WEIGHT = 2.0
SCOPE = ROOT / "knowledge" / "data" / "scope.json"
BLIND = ROOT / "tests" / "data" / "blind"


def main() -> None:
    knowledge, tokenizer = load_knowledge(), get_tokenizer()

    def lemmas(text: str) -> frozenset[str]:
        return frozenset(t.normalized.lower() for t in tokenizer.tokens(text) if t.is_content)

    owners_say = ([e.text for e in knowledge.examples] + [p.name + p.description for p in knowledge.programs]
                  + [q.text for g in ("grid", "grid2") for q in load_grid(BLIND / f"{g}.tune.json")])
    owner_text = "\n".join([_fold(t) for t in owners_say] + [_fold(w) for e in knowledge.vocabulary.entries
                                                             for w in e.words])
    owner_lemmas = [lemmas(t) for t in owners_say]
    doc = json.loads(SCOPE.read_text(encoding="utf-8"))
    known = {_fold(w) for cue in doc["cues"] for w in cue["words"]}
    groups: dict[tuple[str, str], list[str]] = {}
    dropped = 0
    for path in sorted((ROOT / "knowledge" / "scope").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            topic, phrase = (part.strip() for part in line.split("\t")[:2])
            key, own = _fold(phrase), lemmas(phrase)
            if len(key) < 2 or key in known or key in owner_text or (own and any(own <= o for o in owner_lemmas)):
                dropped += 1
                continue
            known.add(key)
            groups.setdefault((SIDES[path.stem], topic), []).append(phrase)
    existing = {(cue["side"], cue["topic"]): cue for cue in doc["cues"]}
    for (side, topic), words in groups.items():
        if (side, topic) in existing:
            existing[(side, topic)]["words"].extend(words)
        else:
            doc["cues"].append({"side": side, "topic": topic, "weight": WEIGHT, "words": words})
    SCOPE.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{SCOPE.relative_to(ROOT)}: {sum(map(len, groups.values()))} phrases added, {dropped} left out")


if __name__ == "__main__":
    main()
