"""Find many fixed words in a short text at once (vocabulary words, readings)."""
from __future__ import annotations

import re
from typing import Collection, Iterable


class WordPattern:
    """A set of words, found in a text the way an alternation of them, longer words first, would be.

    Built once; finding probes, at each position of the text, only the lengths of the words that
    begin with the two characters there, instead of trying every word in a regular expression.
    """

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(words)
        lengths: dict[str, set[int]] = {}
        for word in self.words:
            if len(word) > 1:
                lengths.setdefault(word[:2], set()).add(len(word))
        self._lengths = {start: tuple(sorted(ls, reverse=True)) for start, ls in lengths.items()}
        self._singles = frozenset(w for w in self.words if len(w) == 1)
        self.has_empty = "" in self.words

    @property
    def regex(self) -> re.Pattern[str]:
        """The same words as one regular expression, longer words first."""
        ordered = sorted(self.words, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, ordered))) if ordered else re.compile(r"(?!x)x")

    def all_spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of every non-empty word written in the text, by start, longest first."""
        spans = []
        words, lengths, singles, end_of_text = self.words, self._lengths, self._singles, len(text)
        for start in range(end_of_text):
            for size in lengths.get(text[start:start + 2], ()):
                if start + size <= end_of_text and text[start:start + size] in words:
                    spans.append((start, start + size, text[start:start + size]))
            if text[start] in singles:
                spans.append((start, start + 1, text[start]))
        return spans

    def spans(self, text: str, starts: Iterable[int] | None = None) -> list[tuple[int, int, str]]:
        """(start, end, word) of the longest word at each position (of `starts`, default all) where one begins."""
        spans = []
        words, lengths, singles, end_of_text = self.words, self._lengths, self._singles, len(text)
        for start in range(end_of_text) if starts is None else starts:
            if start >= end_of_text:  # only the empty word begins at the very end
                if self.has_empty and start == end_of_text:
                    spans.append((start, start, ""))
                continue
            for size in lengths.get(text[start:start + 2], ()):
                if start + size <= end_of_text and text[start:start + size] in words:
                    spans.append((start, start + size, text[start:start + size]))
                    break
            else:
                if text[start] in singles:
                    spans.append((start, start + 1, text[start]))
                elif self.has_empty:
                    spans.append((start, start, ""))
        return spans


def alternation(words: Iterable[str]) -> WordPattern:
    """One pattern matching any of the words, longer words first."""
    return WordPattern(words)


def find_words(pattern: WordPattern, text: str, boundaries: Collection[int] | None = None) -> set[str]:
    """Every vocabulary word found in text, except words inside a longer match (人手 in 人手不足).

    With `boundaries`, a word must start and end on one of them (the words of a tokenized text).
    """
    spans = pattern.spans(text, None if boundaries is None else sorted(boundaries))
    if boundaries is not None:
        spans = [span for span in spans if span[1] in boundaries]
    return {word for start, end, word in spans
            if not any(a <= start and end <= b and (b - a) > (end - start) for a, b, _ in spans)}
