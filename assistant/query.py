"""What one query is made of, analysed once and shared by every matcher."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from assistant.text import normalize, to_katakana
from assistant.tokenizer import Token, Tokenizer

_KANA_RUN = re.compile(r"[ぁ-ゖァ-ヺー]+")
# suffixes that add no meaning of their own (パートさん is a パート); others do (スマホ代 is a bill, not a phone)
PLAIN_SUFFIXES = frozenset({"さん", "様", "さま", "ちゃん", "くん", "君", "たち", "達", "ら", "方", "がた"})


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

    @cached_property
    def words(self) -> frozenset[str]:
        """Whole content words (mode C), without the parts of long words; a noun and the suffix that changes
        what it means are one word (スマホ代 is a bill, not a スマホ)."""
        words = set()
        for i, t in enumerate(self.tokens):
            if not t.is_content:
                continue
            after = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
            if after is not None and after.pos[0] == "接尾辞" and after.surface not in PLAIN_SUFFIXES:
                words.add((t.surface + after.surface).lower())
            else:
                words.add(t.normalized.lower())
        return frozenset(words)


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
