"""Score programs for a query: literal BM25F terms, vocabulary expansion, tags, names.

Each kind of evidence is a small function returning Signals (programs and their points,
as arrays); weights live here, in one table, so the trade-offs are read (and tuned
against the dev set) in one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np

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


@dataclass(frozen=True)
class Signal:
    """Points a set of programs gains, with the owner's word behind them and the reason shown."""
    docs: np.ndarray
    points: np.ndarray
    word: str | None = None
    reason: str | None = None


def term_signals(index: ProgramIndex, terms: Iterable[str], weight: float) -> list[Signal]:
    signals = []
    for term in dict.fromkeys(terms):
        postings = index.lookup(term)
        if len(postings.docs):
            signals.append(Signal(postings.docs, weight * postings.weights, term))
    return signals


def vocabulary_signals(index: ProgramIndex, matches: list[VocabularyMatch]) -> list[Signal]:
    signals = []
    tags: dict[str, str] = {}
    for m in matches:
        for term in m.expansion:
            postings = index.lookup(term)
            if len(postings.docs):
                signals.append(Signal(postings.docs, WEIGHTS["expanded"] * postings.weights, m.word))
        for tag in m.entry.tags:
            tags.setdefault(tag, m.word)
    for tag, word in tags.items():
        if tag in index.tag_docs:
            docs = index.tag_docs[tag]
            share = np.where(docs.weights > 0, 1.0, WEIGHTS["secondary_tag"]).astype(np.float64)
            signals.append(Signal(docs.docs, WEIGHTS["tag"] * index.tag_idf[tag] * share, word, f"「{word}」→ {tag}"))
    return signals


def kind_signals(index: ProgramIndex, matches: list[VocabularyMatch]) -> list[Signal]:
    """Kinds of support asked for; rank() adds them only to programs that match otherwise."""
    kinds = {k: m.word for m in matches for k in m.entry.kinds}
    return [Signal(index.kind_docs[kind].docs,
                   np.full(len(index.kind_docs[kind].docs), WEIGHTS["kind"] * index.kind_idf[kind], np.float64),
                   word, f"支援の種類: {kind}")
            for kind, word in kinds.items() if kind in index.kind_docs]


def name_signals(index: ProgramIndex, named: list[NamedThing]) -> list[Signal]:
    return [Signal(np.array([index.doc_of[t.id]], np.int32), np.array([WEIGHTS["name"]], np.float64),
                   t.matched, "事業名が一致") for t in named if t.kind == "program"]


def _explain(doc: int, signals: list[Signal]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words and reasons of the signals that gave this program points."""
    words: dict[str, None] = {}
    reasons: dict[str, None] = {}
    for s in signals:
        i = int(np.searchsorted(s.docs, doc))
        if i < len(s.docs) and s.docs[i] == doc:
            if s.word:
                words[s.word] = None
            if s.reason:
                reasons[s.reason] = None
    return tuple(words), tuple(reasons)


def rank(query: Query, index: ProgramIndex, matches: list[VocabularyMatch], repairs: list[Repair],
         reading_terms: list[str], named: list[NamedThing], limit: int = 5) -> list[Hit]:
    """Combine every signal and return the best programs above the threshold."""
    words = [t.normalized.lower() for t in query.tokens if t.is_content]
    signals = (term_signals(index, words, WEIGHTS["literal"])
               + term_signals(index, [t for t in query.terms if t not in set(words)], WEIGHTS["part"])
               + term_signals(index, [r.meant for r in repairs], WEIGHTS["repaired"])
               + term_signals(index, reading_terms, WEIGHTS["reading"])
               + vocabulary_signals(index, matches)
               + name_signals(index, named))
    scores = np.zeros(len(index.programs), dtype=np.float64)
    for s in signals:
        scores[s.docs] += s.points  # a signal names each program once, so fancy += is exact
    matched = scores > 0
    kinds = kind_signals(index, matches)
    for s in kinds:
        scores[s.docs] += s.points * matched[s.docs]
    top = _top(scores, limit)
    if not top:
        return []
    floor = max(MIN_SCORE, RELATIVE_FLOOR * float(scores[top[0]]))
    hits = []
    for doc in top:
        score = float(scores[doc])
        if score < floor:
            break
        hit_words, reasons = _explain(doc, signals + [s for s in kinds if matched[doc]])
        reasons = reasons or (f"キーワード: {'、'.join(hit_words[:4])}",)
        hits.append(Hit(index.programs[doc], score, hit_words, reasons))
    return hits


def _top(scores: np.ndarray, limit: int) -> list[int]:
    """The best programs with points, best first; ties go to the earlier program, as in the document."""
    k = min(limit, len(scores))
    if k <= 0:
        return []
    if k < len(scores):
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        candidates = np.flatnonzero(scores >= kth)  # every tie at the boundary, so the order is stable
    else:
        candidates = np.arange(len(scores))
    ordered = sorted((int(d) for d in candidates if scores[d] > 0), key=lambda d: (-float(scores[d]), d))
    return ordered[:k]
