"""Which side a message's words lean to, a resident's life or a business, learned from the data itself.

The scope cues (knowledge/data/scope.json: residents', visitors' and job seekers' matters, written as
phrases) are one side's words; the programs' names and descriptions, the needs vocabulary and the
kinds of thing are the other's. Each content lemma gets the log-odds of the two sides (naive Bayes,
additive smoothing), so words nobody listed as a cue still lean (泊まる, 子連れ, おすすめ lean to a
visitor because the visitor phrases use them; 従業員, 取引 to a business). The sum over a message's
words is evidence, weighed by the scope rules; it never turns a message away on its own.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from assistant.tokenizer import Token

SMOOTHING = 0.3  # additive smoothing of both sides' word counts


class WordLean:
    """Per-lemma log-odds of the personal side against the business side."""

    def __init__(self, personal: Iterable[Sequence[Token]], business: Iterable[Sequence[Token]]):
        """Each side as its texts' tokens (the caller has most of them already: the scope cues)."""
        personal_counts = _lemma_counts(personal)
        business_counts = _lemma_counts(business)
        vocabulary = set(personal_counts) | set(business_counts)
        p_total = sum(personal_counts.values()) + SMOOTHING * len(vocabulary)
        b_total = sum(business_counts.values()) + SMOOTHING * len(vocabulary)
        self.log_odds = {w: math.log((personal_counts[w] + SMOOTHING) / p_total)
                         - math.log((business_counts[w] + SMOOTHING) / b_total) for w in vocabulary}

    def score(self, tokens: Sequence[Token]) -> float:
        """The message's lean: above 0 toward a person's life, below toward a business; unknown words say nothing."""
        return sum(self.log_odds.get(t.normalized.lower(), 0.0) for t in tokens if t.is_content)


def _lemma_counts(texts: Iterable[Sequence[Token]]) -> Counter[str]:
    """Each text's content lemmas, counted once per text (a phrase list repeats its head word)."""
    counts: Counter[str] = Counter()
    for tokens in texts:
        counts.update({t.normalized.lower() for t in tokens if t.is_content})
    return counts
