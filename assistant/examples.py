"""Labelled example messages as evidence: a message like ones desk staff have already answered gets their programs.

Owners describe a need in words no program uses (仕事が回らない, 客足が落ちた). Messages written by others and
labelled with the programs a desk officer would name carry that everyday vocabulary. A new message is compared
with each example (cosine of idf-weighted words); its nearest examples vote for their programs, each by its
similarity, the first-named program most. This is k-nearest-neighbour classification: it generalizes to any
phrasing that shares words with some example, and it needs no rule per phrasing.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from knowledge.models import Example

# The thresholds, in one place (chosen leave-one-set-out on the tuning halves: each set measured with the
# examples of the others; with 2,300 examples 12 neighbours beat 8 on needs and grids alike).
NEIGHBOURS = 12                  # examples that vote
LABEL_SHARES = (1.0, 0.5, 0.3)   # a vote's share for an example's first, second, later programs
MIN_SIMILARITY = 0.1             # a neighbour less similar than this says nothing
SPECIFIC_SIMILARITY = 0.4        # a program first-named by a neighbour this close may enter the results
MIN_SHARED_WORDS = 2             # ... and shares this many words with the message (not 毎日 alone)
CLOSE_LIKENESS = 0.5             # a message this like an owner's example is said as owners say it


@dataclass(frozen=True)
class Vote:
    """The programs the nearest examples point to, with points, and how close the closest voter was."""
    docs: np.ndarray
    points: np.ndarray
    closest: np.ndarray  # per program, the similarity of the closest voter naming it first with two shared words
    nearest: tuple[str, ...] = ()  # the nearest examples' texts, for explaining

    @property
    def like_an_example(self) -> bool:
        """Some example naming a program first is as close as a rewording of the message (cosine ≥ 0.5)."""
        return bool(len(self.closest)) and float(self.closest.max()) >= CLOSE_LIKENESS


class ExampleNeighbours:
    """An inverted index over the examples' words; similarity is the cosine of idf-weighted word sets."""

    def __init__(self, examples: Sequence[Example], terms_of: Callable[[str], Iterable[str]],
                 doc_of: Mapping[str, int]):
        self.examples = tuple(e for e in examples if any(p in doc_of for p in e.programs))
        word_sets = [frozenset(terms_of(e.text)) for e in self.examples]
        df: dict[str, int] = defaultdict(int)
        for words in word_sets:
            for w in words:
                df[w] += 1
        n = max(len(word_sets), 1)
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self.unknown_idf = math.log(1 + n)
        self.word_sets = word_sets
        self.norms = np.array([math.sqrt(sum(self.idf[w] ** 2 for w in words)) or 1.0 for words in word_sets])
        postings: dict[str, list[int]] = defaultdict(list)
        for i, words in enumerate(word_sets):
            for w in words:
                postings[w].append(i)
        self.postings = {w: np.array(ids, dtype=np.int32) for w, ids in postings.items()}
        self.labels = [tuple((doc_of[p], LABEL_SHARES[min(rank, len(LABEL_SHARES) - 1)])
                             for rank, p in enumerate(e.programs) if p in doc_of) for e in self.examples]
        self.n_docs = len(doc_of)

    def knows(self, term: str) -> bool:
        """Some example says the word: like a word of the programs, it can say what a need is."""
        return term in self.idf

    def vote(self, terms: Iterable[str]) -> Vote | None:
        words = frozenset(terms)
        if not words or not self.examples:
            return None
        query_norm = math.sqrt(sum(self.idf.get(w, self.unknown_idf) ** 2 for w in words))
        dot = np.zeros(len(self.examples), dtype=np.float64)
        for w in words:
            ids = self.postings.get(w)
            if ids is not None:
                dot[ids] += self.idf[w] ** 2
        similarity = dot / (self.norms * query_norm)
        k = min(NEIGHBOURS, len(similarity))
        nearest = np.argpartition(-similarity, k - 1)[:k]
        nearest = nearest[np.argsort(-similarity[nearest], kind="stable")]
        points = np.zeros(self.n_docs, dtype=np.float64)
        closest = np.zeros(self.n_docs, dtype=np.float64)
        for i in nearest.tolist():
            s = float(similarity[i])
            if s < MIN_SIMILARITY:
                break
            telling = len(words & self.word_sets[i]) >= MIN_SHARED_WORDS
            for doc, share in self.labels[i]:
                points[doc] += s * share
                if telling and share == LABEL_SHARES[0]:
                    closest[doc] = max(closest[doc], s)
        docs = np.flatnonzero(points > 0).astype(np.int32)
        if not len(docs):
            return None
        return Vote(docs, points[docs], closest[docs],
                    tuple(self.examples[i].text for i in nearest.tolist() if similarity[i] >= MIN_SIMILARITY))
