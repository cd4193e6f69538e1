"""An inverted index over the programs' fields with BM25F weights precomputed.

Postings are numpy arrays (program numbers, weights), so a query adds whole posting
lists at once instead of looping over them in Python (see benchmarks/scale.py).
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import numpy as np

from knowledge.models import Knowledge, Program

# How much a word counts by where it stands: names are what people say, descriptions what the city says.
FIELD_WEIGHTS: Mapping[str, float] = {
    "name": 3.0,
    "short_names": 3.0,
    "tags": 1.5,
    "description": 1.0,
    "section": 0.6,
    "desks": 0.4,
}
K1 = 1.2
B = 0.75
# A term in more than this share of programs tells them apart too little to be worth its
# postings (福島, 事業, 支援): dropping it keeps a query's work bounded as the catalogue grows.
MAX_DOC_SHARE = 0.5

Analyzer = Callable[[str], tuple[list[str], list[str]]]  # a text's terms, and the parts of its loanword compounds
LOANWORD_PART = 0.4  # weight of a loanword compound's part (チェーン of サプライチェーン) against a whole word


@dataclass(frozen=True)
class Postings:
    """Programs holding a term (ascending numbers) and the term's BM25F weight in each, idf included."""
    docs: np.ndarray     # int32
    weights: np.ndarray  # float64


EMPTY = Postings(np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float64))


@dataclass(frozen=True)
class ProgramIndex:
    programs: tuple[Program, ...]
    postings: Mapping[str, Postings]
    tag_idf: Mapping[str, float]
    kind_idf: Mapping[str, float]
    tag_docs: Mapping[str, Postings]   # weight: 1.0 where the tag is the program's main need, else 0.0
    kind_docs: Mapping[str, Postings]
    doc_of: Mapping[str, int]
    common: frozenset[str] = frozenset()  # terms in too many programs to be indexed (福島, 事業, 支援)

    def lookup(self, term: str) -> Postings:
        return self.postings.get(term, EMPTY)

    def docs_with_tags(self, tags: frozenset[str]) -> np.ndarray:
        """Programs carrying any of the tags, ascending."""
        parts = [self.tag_docs[t].docs for t in tags if t in self.tag_docs]
        return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int32)


def program_fields(knowledge: Knowledge, program: Program) -> dict[str, str]:
    """Give each field's text for one program."""
    section = knowledge.section_by_id[program.section_id]
    pillar = next(p for p in knowledge.pillars if p.number == program.pillar)
    return {
        "name": program.name,
        "short_names": " ".join(program.short_names),
        "tags": " ".join(program.tags + program.kinds),
        "description": program.description,
        "section": f"{section.title} {pillar.title}",
        "desks": " ".join(c.name for c in program.contacts),
    }


def _idf(doc_freq: int, n_docs: int) -> float:
    return math.log(1.0 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def build_index(knowledge: Knowledge, analyze: Analyzer) -> ProgramIndex:
    """Analyze every field once and precompute each term's BM25F weight per program.

    BM25F: each field's term frequency is normalized by that field's own length, so a
    long list of desks does not dilute the description, then weighted and saturated once.
    """
    programs = knowledge.programs
    analysed = [{f: analyze(text) for f, text in program_fields(knowledge, p).items()} for p in programs]
    field_terms = [{f: terms for f, (terms, _) in doc.items()} for doc in analysed]
    avg_len = {f: max(sum(len(doc[f]) for doc in field_terms) / max(len(programs), 1), 1.0) for f in FIELD_WEIGHTS}
    pseudo_tf: list[dict[str, float]] = []
    for doc in analysed:
        tf: dict[str, float] = defaultdict(float)
        for field, (terms, parts) in doc.items():
            norm = 1 - B + B * len(terms) / avg_len[field]
            for term, count in Counter(terms).items():
                tf[term] += FIELD_WEIGHTS[field] * count / norm
            for term, count in Counter(parts).items():
                tf[term] += LOANWORD_PART * FIELD_WEIGHTS[field] * count / norm
        pseudo_tf.append(tf)
    doc_freq = Counter(term for tf in pseudo_tf for term in tf)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    common = {t for t, df in doc_freq.items() if df > MAX_DOC_SHARE * len(programs)}
    for doc, tf in enumerate(pseudo_tf):
        for term, f in tf.items():
            if term in common:
                continue
            postings[term].append((doc, _idf(doc_freq[term], len(programs)) * f * (K1 + 1) / (f + K1)))
    return ProgramIndex(
        programs=programs,
        postings={t: _postings(p) for t, p in postings.items()},
        tag_idf=_label_idf((p.tags for p in programs), len(programs)),
        kind_idf=_label_idf((p.kinds for p in programs), len(programs)),
        tag_docs=_label_docs(p.tags for p in programs),
        kind_docs=_label_docs(p.kinds for p in programs),
        doc_of={p.id: i for i, p in enumerate(programs)},
        common=frozenset(common),
    )


def _label_idf(labels: Iterable[tuple[str, ...]], n_docs: int) -> dict[str, float]:
    counts = Counter(label for group in labels for label in set(group))
    return {label: _idf(c, n_docs) for label, c in counts.items()}


def _postings(pairs: list[tuple[int, float]]) -> Postings:
    return Postings(np.fromiter((d for d, _ in pairs), dtype=np.int32, count=len(pairs)),
                    np.fromiter((w for _, w in pairs), dtype=np.float64, count=len(pairs)))


def _label_docs(labels: Iterable[tuple[str, ...]]) -> dict[str, Postings]:
    """Programs by tag (or kind); the weight says whether it is the program's first, main one."""
    docs: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for doc, group in enumerate(labels):
        for position, label in enumerate(group):
            docs[label].append((doc, 1.0 if position == 0 else 0.0))
    return {label: _postings(pairs) for label, pairs in docs.items()}
