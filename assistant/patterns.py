"""Find many fixed words in a short text at once (vocabulary words, readings)."""
from __future__ import annotations

import re
from typing import Iterable


class WordPattern:
    """A set of words, found in a text the way an alternation of them, longer words first, would be.

    Built once; finding probes, at each position of the text, only the lengths of the words that
    begin with the character there, instead of trying every word in a regular expression.
    """

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(words)
        lengths: dict[str, set[int]] = {}
        for word in self.words:
            if word:
                lengths.setdefault(word[0], set()).add(len(word))
        self._lengths = {first: tuple(sorted(ls, reverse=True)) for first, ls in lengths.items()}
        self._empty = "" in self.words

    @property
    def regex(self) -> re.Pattern[str]:
        """The same words as one regular expression, longer words first."""
        ordered = sorted(self.words, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, ordered))) if ordered else re.compile(r"(?!x)x")

    def words_at(self, text: str, start: int) -> list[str]:
        """Every non-empty word written at `start`, longest first."""
        return [text[start:start + size] for size in self._lengths.get(text[start], ())
                if start + size <= len(text) and text[start:start + size] in self.words]

    def longest_at(self, text: str, start: int) -> str | None:
        """The longest word written at `start`, as `regex.match(text, start)` finds it."""
        for size in self._lengths.get(text[start], ()):
            if start + size <= len(text) and text[start:start + size] in self.words:
                return text[start:start + size]
        return "" if self._empty else None


def alternation(words: Iterable[str]) -> WordPattern:
    """One pattern matching any of the words, longer words first."""
    return WordPattern(words)


def find_words(pattern: WordPattern, text: str) -> set[str]:
    """Every vocabulary word found in text, except words inside a longer match (人手 in 人手不足)."""
    spans = []
    for start in range(len(text)):
        word = pattern.longest_at(text, start)
        if word is not None:
            spans.append((start, start + len(word), word))
    return {word for start, end, word in spans
            if not any(a <= start and end <= b and (b - a) > (end - start) for a, b, _ in spans)}
