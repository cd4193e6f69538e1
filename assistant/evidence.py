"""Which query words are specific enough to put a program in the results on their own.

A generic word (出す, 登録, 申請, 親, 働く, 人, 事業) may add points to a program that
matches otherwise, but never brings one in alone. Genericness is read from what is known
about the word, not hand-picked per query: its part of speech (verbs, adjectives and
one-character words say little), the index's statistics (a word in many programs tells
them apart too little), and the dialogue's table of generic lemmas (cues.json).
"""
from __future__ import annotations

from assistant.index import ProgramIndex

# The thresholds, in one place (tuned on the blind tuning halves).
MIN_SPECIFIC_CHARS = 2        # one-character words (親, 人, 店) are never enough alone
MAX_SPECIFIC_DOC_SHARE = 0.12  # a word in more than this share of programs is too common to stand alone
WEAK_POS = frozenset({"動詞", "形容詞", "形状詞", "副詞", "連体詞", "代名詞"})


class Specificity:
    """Decide, once per word, whether it is evidence enough on its own."""

    def __init__(self, index: ProgramIndex, generic_lemmas: frozenset[str]):
        self.max_docs = MAX_SPECIFIC_DOC_SHARE * len(index.programs)
        self.index = index
        self.generic = generic_lemmas

    def is_specific(self, term: str, pos: str | None = None) -> bool:
        if len(term) < MIN_SPECIFIC_CHARS or term in self.generic or (pos in WEAK_POS):
            return False
        return len(self.index.lookup(term).docs) <= self.max_docs
