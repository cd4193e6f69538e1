"""Split a blind-written labelled set into a tuning half and a held-out half, once.

The split is by a hash of the text (for the grid: of the thing), so it is fixed before
anyone looks at results and does not change when rows are added elsewhere in the file.
Usage: split_blind.py SOURCE.tsv NAME   or   split_blind.py GRID.json NAME
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "blind"


def half(key: str) -> str:
    """"tune" or "heldout", fixed by the key's hash."""
    return "tune" if hashlib.sha1(key.encode("utf-8")).digest()[0] % 2 == 0 else "heldout"


def split_tsv(source: Path, name: str) -> None:
    lines = source.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")][:1]
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    for part in ("tune", "heldout"):
        kept = [r for r in rows if half(r.split("\t")[0]) == part]
        (OUT / f"{name}.{part}.tsv").write_text("\n".join(header + kept) + "\n", encoding="utf-8")
        print(f"{name}.{part}.tsv: {len(kept)} rows")


def split_grid(source: Path, name: str) -> None:
    grid = json.loads(source.read_text(encoding="utf-8"))
    for part in ("tune", "heldout"):
        needs = [{**n, "things": [t for t in n["things"] if half(t) == part]} for n in grid["needs"]]
        (OUT / f"{name}.{part}.json").write_text(json.dumps({"needs": needs}, ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
        print(f"{name}.{part}.json: " + ", ".join(f"{n['need']} {len(n['things'])}" for n in needs))


if __name__ == "__main__":
    src, name = Path(sys.argv[1]), sys.argv[2]
    split_grid(src, name) if src.suffix == ".json" else split_tsv(src, name)
