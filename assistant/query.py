"""What one query is made of, analysed once and shared by every matcher."""
from __future__ import annotations

import re
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


def analyze_query(text: str, tokenizer: Tokenizer) -> Query:
    """Normalize and tokenize a query once."""
    normalized = normalize(text)
    return Query(
        text=text,
        normalized=normalized,
        compact=normalized.replace(" ", ""),
        tokens=tuple(tokenizer.tokens(normalized)),
        terms=tuple(tokenizer.terms(normalized)),
        kana=" ".join(to_katakana(run) for run in _KANA_RUN.findall(normalized)),
        reading_keys=tuple(tokenizer.reading_keys(normalized)),
    )
