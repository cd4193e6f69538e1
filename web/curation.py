"""Staff edits from the gap board: a word into the needs vocabulary, a question into the regression list.

The vocabulary is validated exactly as at start-up (JSON Schema and the loader's cross-check)
and becomes part of a new knowledge version (web/versions.py), never a file of the installed
package; with a shared database every instance picks it up.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from knowledge.loader import check_documents

REGRESSIONS_FILE = "regressions.tsv"
REGRESSIONS_HEADER = "# query\trelevant program ids, best first (added from /admin)\n"
_write_lock = threading.Lock()


class CurationError(ValueError):
    """The edit was refused; `problems` says why, for the staff."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def with_word(vocabulary: dict[str, Any], word: str, tag: str) -> dict[str, Any]:
    """Return a copy of the vocabulary with word mapped to tag (joined to the tag's own entry if any)."""
    vocab = json.loads(json.dumps(vocabulary))
    if any(word in entry["words"] for entry in vocab["entries"]):
        raise CurationError([f"「{word}」はすでに語彙にあります。"])
    for entry in vocab["entries"]:
        if entry.get("tags") == [tag] and not entry.get("kinds") and not entry.get("terms"):
            entry["words"].append(word)
            return vocab
    vocab["entries"].append({"words": [word], "tags": [tag], "note": "/admin で追加"})
    return vocab


def add_vocabulary_word(docs: dict[str, Any], word: str, tag: str) -> dict[str, Any]:
    """The documents with the new word, checked by every check of the loader; nothing is written here."""
    word = word.strip()
    if not word:
        raise CurationError(["語が空です。"])
    docs = {**docs, "vocabulary": with_word(docs["vocabulary"], word, tag)}
    problems = check_documents(docs)
    if problems:
        raise CurationError(problems)
    return docs


def add_regression(path: Path, query: str, program_ids: list[str]) -> None:
    """Append a question and the programs it should find to a regressions.tsv list."""
    query = " ".join(query.split())  # a tab or newline in the question would break the line format
    if not query or not program_ids:
        raise CurationError(["質問と、見つかるべき事業 ID が要ります。"])
    with _write_lock:
        new = not path.exists()
        with path.open("a", encoding="utf-8") as f:
            f.write((REGRESSIONS_HEADER if new else "") + f"{query}\t{' '.join(program_ids)}\n")


def read_regressions(path: Path) -> list[tuple[str, list[str]]]:
    """Read (query, expected ids) pairs, skipping comments and blank lines."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, _, ids = line.partition("\t")
            cases.append((query, ids.split()))
    return cases
