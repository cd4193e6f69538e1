"""Find many fixed words in a short text at once (vocabulary words, readings)."""
from __future__ import annotations

import re
from typing import Collection, Iterable


def alternation(words: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of the words, longer words first."""
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else re.compile(r"(?!x)x")


def find_words(pattern: re.Pattern[str], text: str, boundaries: Collection[int] | None = None) -> set[str]:
    """Every vocabulary word found in text, except words inside a longer match (人手 in 人手不足).

    With `boundaries`, a word must start and end on one of them (the words of a tokenized text).
    """
    spans = []
    for start in range(len(text)) if boundaries is None else sorted(boundaries):
        m = pattern.match(text, start)  # the alternation lists longer words first
        if m and (boundaries is None or m.end() in boundaries):
            spans.append((start, m.end(), m.group(0)))
    return {word for start, end, word in spans
            if not any(a <= start and end <= b and (b - a) > (end - start) for a, b, _ in spans)}
