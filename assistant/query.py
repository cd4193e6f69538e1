"""What one query is made of, analysed once and shared by every matcher."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.text import normalize, to_katakana
from assistant.tokenizer import Token, Tokenizer

_KANA_RUN = re.compile(r"[ぁ-ゖァ-ヺー]+")


@dataclass(frozen=True)
class Query:
    text: str                   # as typed
    normalized: str             # normalize(text)
    compact: str                # normalized without spaces, for substring matching
    tokens: tuple[Token, ...]   # mode C
    terms: tuple[str, ...]      # index terms (content normalized forms + mode A parts)
    kana: str                   # the kana runs of the query, in katakana, joined by spaces
    reading_keys: tuple[str, ...]

    @property
    def term_set(self) -> frozenset[str]:
        return frozenset(self.terms)

    @property
    def words(self) -> frozenset[str]:
        """Whole content words (mode C), without the parts of long words."""
        return frozenset(t.normalized.lower() for t in self.tokens if t.is_content)


def analyze_query(text: str, tokenizer: Tokenizer, standardize: Callable[[str], str] = lambda s: s) -> Query:
    """Normalize and tokenize a query once; `standardize` rewrites dialect (assistant.dialect)."""
    normalized = standardize(normalize(text))
    analysis = tokenizer.analyze(normalized)
    return Query(
        text=text,
        normalized=normalized,
        compact=normalized.replace(" ", ""),
        tokens=analysis.tokens,
        terms=analysis.terms,
        kana=" ".join(to_katakana(run) for run in _KANA_RUN.findall(normalized)),
        reading_keys=analysis.reading_keys,
    )
