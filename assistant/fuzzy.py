"""Typo repair against the index's words, and resolving names of programs and desks.

rapidfuzz is always called with an explicit processor and score_cutoff.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from assistant.patterns import WordPattern
from assistant.query import Query
from assistant.text import is_kanji, normalize
from knowledge.models import Knowledge

_PLAIN_WORD = re.compile(r"^[一-龥々ぁ-ゖァ-ヺー]+$")
# A typo is repaired only inside one run of kanji or of katakana: windows across particles
# (を育て, の技術) are ordinary Japanese, and kana typos are caught by readings instead.
_SCRIPT_RUN = re.compile(r"^(?:[一-龥々]+|[ァ-ヺー]+)$")
_SCRIPT_RUNS = re.compile(r"[一-龥々]{3,}|[ァ-ヺー]{3,}")
_DESK_PREFIX = re.compile(r"^(福島市|福島県)")
NAME_CUTOFF = 85.0
MIN_NAME_CHARS = 3


@dataclass(frozen=True)
class Repair:
    typed: str
    meant: str


class TypoRepairer:
    """Find a window of the query one edit away from a known word Sudachi did not see."""

    def __init__(self, words: Iterable[str]):
        self.by_bigram: dict[str, set[str]] = defaultdict(set)
        self.two_char_by_char: dict[tuple[int, str], set[str]] = defaultdict(set)
        for w in words:
            if not _PLAIN_WORD.match(w) or len(w) < 2:
                continue
            if len(w) == 2:
                if all(is_kanji(c) for c in w):
                    self.two_char_by_char[(0, w[0])].add(w)
                    self.two_char_by_char[(1, w[1])].add(w)
                continue
            for i in range(len(w) - 1):
                self.by_bigram[w[i:i + 2]].add(w)
        self.known = frozenset(words)

    def repair(self, query: Query) -> list[Repair]:
        text = query.compact
        surfaces = {t.surface for t in query.tokens}
        inside = _inside_one_token(query)
        repairs = []
        for run in _SCRIPT_RUNS.findall(text):  # a typo is looked for inside one script run only
            candidates: set[str] = set()
            for i in range(len(run) - 1):
                candidates |= self.by_bigram.get(run[i:i + 2], set())
            for term in candidates:
                if len(term) > len(run) or term in run:
                    continue
                window = _closest_window(run, term)
                if window and window not in surfaces and window not in self.known and not inside(window):
                    repairs.append(Repair(window, term))
        repairs += self._two_char(text, surfaces)
        return repairs

    def _two_char(self, text: str, surfaces: set[str]) -> list[Repair]:
        """Two kanji Sudachi split into single characters (端未) may be one typo of a word (端末)."""
        repairs = []
        for i in range(len(text) - 1):
            window = text[i:i + 2]
            if window[0] not in surfaces or window[1] not in surfaces:  # the cheapest test first
                continue
            if window in surfaces or window in self.known or not all(is_kanji(c) for c in window):
                continue
            options = self.two_char_by_char.get((0, window[0]), set()) | self.two_char_by_char.get((1, window[1]), set())
            if len(options) == 1:
                repairs.append(Repair(window, next(iter(options))))
        return repairs


def _inside_one_token(query: Query):
    """Tell whether a window lies within one word Sudachi recognised (ローワ in ハローワーク)."""
    words = [t.surface.replace(" ", "") for t in query.tokens if len(t.surface) > 1]
    return lambda window: any(window in w for w in words)


def _closest_window(text: str, term: str) -> str | None:
    size = len(term)
    for start in range(0, len(text) - size + 1):
        window = text[start:start + size]
        if _SCRIPT_RUN.match(window) and Levenshtein.distance(window, term, score_cutoff=1) <= 1:
            return window
    return None


@dataclass(frozen=True)
class NamedThing:
    kind: str  # "program" or "desk"
    id: str
    name: str
    matched: str


class NameResolver:
    """Program names, short names and desk names, looked up in a query exactly or fuzzily.

    Exact lookup probes the query's substrings of the lengths names have, and fuzzy lookup
    scores only names sharing character pairs with the query, so neither grows with the
    number of programs.
    """

    MAX_FUZZY_CANDIDATES = 40
    COMMON_BIGRAM = 2000  # pairs in more names than this say nothing about which name

    def __init__(self, knowledge: Knowledge):
        entries: dict[str, tuple[str, str, str]] = {}
        for p in knowledge.programs:
            for name in (p.name, *p.short_names):
                entries.setdefault(_key(name), ("program", p.id, p.name))
        for c in knowledge.contacts:
            for name in _desk_names(c.name):
                entries.setdefault(_key(name), ("desk", c.id, c.name))
        self.entries = {k: v for k, v in entries.items() if len(k) >= MIN_NAME_CHARS}
        self.keys = WordPattern(self.entries)  # probes only the lengths of names starting with each character
        self.by_bigram: dict[str, list[str]] = defaultdict(list)
        for key in self.entries:
            for bigram in {key[i:i + 2] for i in range(len(key) - 1)}:
                self.by_bigram[bigram].append(key)

    def find(self, query: Query) -> list[NamedThing]:
        """Return the names written in the query, longest first, each thing once."""
        found = self._exact(query.compact)
        if not found and len(query.compact) >= 4:
            found = self._fuzzy(query.compact)
        return found

    def _exact(self, text: str) -> list[NamedThing]:
        spans = sorted(self.keys.all_spans(text), key=lambda span: (span[0] - span[1], span[0]))  # longest, leftmost
        found: dict[tuple[str, str], NamedThing] = {}
        covered: list[tuple[int, int]] = []
        for start, end, key in spans:  # longest first
            if any(a <= start < b for a, b in covered):
                continue
            kind, ident, name = self.entries[key]
            found.setdefault((kind, ident), NamedThing(kind, ident, name, key))
            covered.append((start, end))
        return list(found.values())

    def _fuzzy(self, text: str) -> list[NamedThing]:
        shared: Counter[str] = Counter()
        for bigram in {text[i:i + 2] for i in range(len(text) - 1)}:
            keys = self.by_bigram.get(bigram, ())
            if len(keys) <= self.COMMON_BIGRAM:
                shared.update(keys)
        # A name much longer than the query is not what it names (支援 is not every 〜支援事業).
        candidates = [k for k, _ in shared.most_common(self.MAX_FUZZY_CANDIDATES) if 4 <= len(k) <= len(text) / 0.6]
        # Keys and query are normalized already, so no processor runs per key.
        best = process.extractOne(text, candidates, scorer=fuzz.partial_ratio, processor=None,
                                  score_cutoff=NAME_CUTOFF)
        if best is None:
            return []
        kind, ident, name = self.entries[best[0]]
        return [NamedThing(kind, ident, name, best[0])]


def _key(name: str) -> str:
    return normalize(name).replace(" ", "")


def _desk_names(name: str) -> list[str]:
    """A desk is also called without its 福島市/福島県 prefix or its bracketed note."""
    bare = re.sub(r"\(.*?\)", "", name)
    names = [name, bare, _DESK_PREFIX.sub("", bare)]
    return [n for n in dict.fromkeys(names) if n]
