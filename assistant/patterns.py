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
        self.has_empty = "" in self.words

    @property
    def regex(self) -> re.Pattern[str]:
        """The same words as one regular expression, longer words first."""
        ordered = sorted(self.words, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, ordered))) if ordered else re.compile(r"(?!x)x")

    def words_at(self, text: str, start: int) -> list[str]:
        """Every non-empty word written at `start`, longest first."""
        return [text[start:start + size] for size in self._lengths.get(text[start], ())
                if start + size <= len(text) and text[start:start + size] in self.words]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of the longest word at each position where one begins."""
        spans = []
        words, lengths, end_of_text = self.words, self._lengths, len(text)
        for start, char in enumerate(text):
            for size in lengths.get(char, ()):
                if start + size <= end_of_text and text[start:start + size] in words:
                    spans.append((start, start + size, text[start:start + size]))
                    break
            else:
                if self.has_empty:
                    spans.append((start, start, ""))
        return spans


def alternation(words: Iterable[str]) -> WordPattern:
    """One pattern matching any of the words, longer words first."""
    return WordPattern(words)


def find_words(pattern: WordPattern, text: str) -> set[str]:
    """Every vocabulary word found in text, except words inside a longer match (人手 in 人手不足)."""
    spans = pattern.spans(text)
    return {word for start, end, word in spans
            if not any(a <= start and end <= b and (b - a) > (end - start) for a, b, _ in spans)}
