"""Find the performance indicator (成果指標) a question is about, by its name's words."""
from __future__ import annotations

import math
from collections import Counter

from assistant.query import Query
from assistant.tokenizer import Tokenizer
from knowledge.models import Indicator, Knowledge

MIN_SCORE = 1.5


class IndicatorFinder:
    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer):
        self.indicators = knowledge.indicators
        self.terms: list[frozenset[str]] = []
        for ind in knowledge.indicators:
            owner = knowledge.program_by_id[ind.program_id].name if ind.program_id else ""
            text = " ".join(filter(None, [ind.name, ind.former_name, owner]))
            self.terms.append(frozenset(tokenizer.terms(text)))
        df = Counter(t for terms in self.terms for t in terms)
        self.idf = {t: math.log(1 + len(self.indicators) / c) for t, c in df.items()}

    def find(self, query: Query) -> Indicator | None:
        """Return the indicator sharing the most distinctive words with the query."""
        words = query.term_set
        best, best_score = None, 0.0
        for ind, terms in zip(self.indicators, self.terms):
            score = sum(self.idf[t] for t in terms & words)
            if score > best_score:
                best, best_score = ind, score
        return best if best_score >= MIN_SCORE else None
