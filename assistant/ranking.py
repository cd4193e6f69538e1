"""Score programs for a query: literal BM25F terms, vocabulary expansion, tags, names.

Each signal is a small function adding to a Scoreboard; weights live here, in one table,
so the trade-offs are read (and tuned against the dev set) in one place.
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from assistant.fuzzy import NamedThing, Repair
from assistant.index import ProgramIndex
from assistant.models import Hit
from assistant.query import Query
from assistant.vocabulary import VocabularyMatch

WEIGHTS = {
    "literal": 1.0,     # a query word found in a program's fields
    "part": 0.5,        # a part of a long query word (運転資金 → 資金)
    "repaired": 0.8,    # a typo repaired to an index word
    "reading": 0.8,     # kana input matched by a word's reading
    "expanded": 0.5,    # a document word the vocabulary says the owner's word means
    "tag": 1.3,         # × idf of the tag: the owner's need matches the program's needs tag
    "secondary_tag": 0.5,  # share of the tag weight when the tag is not the program's first (main) need
    "kind": 0.4,        # × idf of the kind: only for programs already matching otherwise
    "name": 8.0,        # the program's name or short name written in the query
}
MIN_SCORE = 2.0        # below this nothing is claimed
RELATIVE_FLOOR = 0.25  # a hit must reach this share of the best hit's score


@dataclass
class Scoreboard:
    scores: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    words: dict[int, dict[str, None]] = field(default_factory=lambda: defaultdict(dict))
    reasons: dict[int, dict[str, None]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, doc: int, points: float, word: str | None = None, reason: str | None = None) -> None:
        self.scores[doc] += points
        if word:
            self.words[doc][word] = None
        if reason:
            self.reasons[doc][reason] = None


def score_terms(board: Scoreboard, index: ProgramIndex, terms: Iterable[str], weight: float,
                reason: str | None = None) -> None:
    for term in dict.fromkeys(terms):
        for posting in index.lookup(term):
            board.add(posting.doc, weight * posting.weight, term, reason)


def score_vocabulary(board: Scoreboard, index: ProgramIndex, matches: list[VocabularyMatch]) -> None:
    tags = {}
    for m in matches:
        for term in m.expansion:
            for posting in index.lookup(term):
                board.add(posting.doc, WEIGHTS["expanded"] * posting.weight, m.word)
        for tag in m.entry.tags:
            tags.setdefault(tag, m.word)
    for tag, word in tags.items():
        for doc in index.tag_docs.get(tag, ()):
            share = 1.0 if index.programs[doc].tags[0] == tag else WEIGHTS["secondary_tag"]
            board.add(doc, share * WEIGHTS["tag"] * index.tag_idf[tag], word, f"「{word}」→ {tag}")


def score_kinds(board: Scoreboard, index: ProgramIndex, matches: list[VocabularyMatch]) -> None:
    kinds = {k: m.word for m in matches for k in m.entry.kinds}
    for kind, word in kinds.items():
        for doc in index.kind_docs.get(kind, ()):
            if board.scores.get(doc, 0.0) > 0:
                board.add(doc, WEIGHTS["kind"] * index.kind_idf[kind], word, f"支援の種類: {kind}")


def score_names(board: Scoreboard, index: ProgramIndex, named: list[NamedThing]) -> None:
    for thing in named:
        if thing.kind == "program":
            board.add(index.doc_of[thing.id], WEIGHTS["name"], thing.matched, "事業名が一致")


def rank(query: Query, index: ProgramIndex, matches: list[VocabularyMatch], repairs: list[Repair],
         reading_terms: list[str], named: list[NamedThing], limit: int = 5) -> list[Hit]:
    """Combine every signal and return the best programs above the threshold."""
    board = Scoreboard()
    words = [t.normalized.lower() for t in query.tokens if t.is_content]
    score_terms(board, index, words, WEIGHTS["literal"])
    score_terms(board, index, [t for t in query.terms if t not in set(words)], WEIGHTS["part"])
    score_terms(board, index, [r.meant for r in repairs], WEIGHTS["repaired"], None)
    score_terms(board, index, reading_terms, WEIGHTS["reading"])
    score_vocabulary(board, index, matches)
    score_names(board, index, named)
    score_kinds(board, index, matches)
    ranked = heapq.nsmallest(limit, board.scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked:
        return []
    floor = max(MIN_SCORE, RELATIVE_FLOOR * ranked[0][1])
    hits = []
    for doc, score in ranked[:limit]:
        if score < floor:
            break
        words = tuple(board.words[doc])
        reasons = tuple(board.reasons[doc]) or (f"キーワード: {'、'.join(words[:4])}",)
        hits.append(Hit(index.programs[doc], score, words, reasons))
    return hits
