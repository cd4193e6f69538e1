"""Write knowledge/data/examples.json: labelled messages the assistant compares new messages with.

The examples are the tuning halves of the blind-written sets, the dev set, and the messages written
as examples (knowledge/examples/: several people's ways of asking for each program, written from the
document alone); never a held-out half, so the held-out figures stay a measure of phrasings the
assistant has not seen. Each label keeps the name its program had when it was written: a later edition
that gives the id to another program drops the label instead of pointing to the wrong desk.
Usage: build_examples.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.benchmark_sets import RANKED  # noqa: E402
from assistant.evaluation import load_queries  # noqa: E402
from knowledge import load_knowledge  # noqa: E402

BLIND = ROOT / "tests" / "data" / "blind"
SOURCES = ([(f"{name}.tune", BLIND / f"{name}.tune.tsv") for name in RANKED]
           + [("dev", ROOT / "tests" / "data" / "dev_queries.tsv")]
           + [(f"written/{path.stem}", path) for path in sorted((ROOT / "knowledge" / "examples").glob("*.tsv"))])
OUT = ROOT / "knowledge" / "data" / "examples.json"


def held_out_texts() -> set[str]:
    """Every held-out message: a written example that happens to say the same (跡継ぎいない) is left out."""
    return {q.text for name in RANKED for q in load_queries(BLIND / f"{name}.heldout.tsv")}


def main() -> None:
    knowledge = load_knowledge()
    seen: set[str] = held_out_texts()
    examples = []
    for source, path in SOURCES:
        for q in load_queries(path):
            if q.text in seen:
                continue
            seen.add(q.text)
            examples.append({"text": q.text, "programs": list(q.relevant), "source": source})
    used = sorted({p for e in examples for p in e["programs"]}, key=lambda i: tuple(int(n) for n in i.split("-")))
    doc = {
        "note": "ラベル付きの相談文例（ブラインド作成セットの調整用半分、開発セット、knowledge/examples/ の文例）。"
                "評価用の半分は含めない。",
        "program_names": {i: knowledge.program_by_id[i].name for i in used},
        "examples": examples,
    }
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(examples)} examples over {len(used)} programs")


if __name__ == "__main__":
    main()
