"""Words that mean the same, by Sudachi's own synonym groups (創業/起業/開業, 閉店/店じまい, 採用/雇用).

The groups come with the dictionary, so a word nobody listed in the vocabulary still finds the
catalogue's word for the same thing. A word in many groups means many things (職員, ローン, EC):
it is looked up only when it belongs to few groups.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from assistant.tokenizer import Token, Tokenizer

MAX_GROUPS = 2  # a word in more synonym groups than this is too ambiguous to stand for another


class SynonymMap:
    """Known words (index terms, vocabulary words) by the synonym groups of their single Sudachi word."""

    def __init__(self, words: Iterable[str], tokenizer: Tokenizer):
        by_group: dict[int, set[str]] = defaultdict(set)
        for word in words:
            tokens = [t for t in tokenizer.tokens(word) if t.is_content]
            if len(tokens) == 1 and 0 < len(tokens[0].synonym_groups) <= MAX_GROUPS:
                for group in tokens[0].synonym_groups:
                    by_group[group].add(word)
        self._by_group = {g: tuple(sorted(ws)) for g, ws in by_group.items()}

    def of(self, token: Token) -> tuple[str, ...]:
        """The known words sharing a synonym group with the token, other than the token's own word."""
        if not 0 < len(token.synonym_groups) <= MAX_GROUPS:
            return ()
        own = token.normalized.lower()
        return tuple(dict.fromkeys(w for g in token.synonym_groups for w in self._by_group.get(g, ()) if w != own))

    def of_all(self, tokens: Sequence[Token]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w for t in tokens if t.is_content for w in self.of(t)))
