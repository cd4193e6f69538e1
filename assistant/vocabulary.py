"""Match the everyday words of the needs vocabulary in a query.

A word matches by its normalized spelling inside the query, by its content words all
being among the query's (so 雇いたい matches 雇う人がいない), or by its reading inside the
query's kana (そうぎょう, しょうエネ). The vocabulary itself is data (knowledge/data/vocabulary.json).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.patterns import alternation, find_words
from assistant.query import PLAIN_SUFFIXES, Query
from assistant.text import normalize, written_in
from assistant.tokenizer import Token, Tokenizer
from knowledge.models import Vocabulary, VocabularyEntry

MIN_READING = 3  # shorter readings (カネ, ヒト) match too much of ordinary kana


@dataclass(frozen=True)
class CompiledWord:
    word: str
    compact: str
    lemmas: frozenset[str]
    reading: str
    entry: int
    modals: frozenset[str] = frozenset()  # a wish or a negation the word carries (店をやりたい, 人が来ない)


@dataclass(frozen=True)
class VocabularyMatch:
    word: str                   # the entry's word found first in the query
    entry: VocabularyEntry
    expansion: tuple[str, ...]  # index terms the entry's terms analyse to
    words: tuple[str, ...] = ()  # every word of the entry found in the query


class VocabularyMatcher:
    """The vocabulary compiled once against the tokenizer."""

    def __init__(self, vocabulary: Vocabulary, tokenizer: Tokenizer):
        self.entries = vocabulary.entries
        self.words: list[CompiledWord] = []
        for i, entry in enumerate(vocabulary.entries):
            for word in entry.words:
                tokens = tokenizer.tokens(word)  # once per word: its lemmas, reading and modality all come from it
                self.words.append(CompiledWord(word, normalize(word).replace(" ", ""), lemma_set(tokens),
                                               reading_of(tokens), i, modal_set(tokens)))
        self._by_spelling = alternation(w.compact for w in self.words if len(w.compact) >= 2)
        self._by_reading = alternation(w.reading for w in self.words if len(w.reading) >= MIN_READING)
        self._spelled: dict[str, list[CompiledWord]] = defaultdict(list)
        self._read: dict[str, list[CompiledWord]] = defaultdict(list)
        self._by_lemma: dict[str, list[CompiledWord]] = defaultdict(list)
        for w in self.words:
            self._spelled[w.compact].append(w)
            self._read[w.reading].append(w)
            for lemma in w.lemmas:
                self._by_lemma[lemma].append(w)
        # Expand to whole words (mode C), not their parts: 人材育成 must not pull in every 育成.
        self.expansions = tuple(
            tuple(dict.fromkeys(t.normalized.lower() for term in entry.terms for t in tokenizer.tokens(term) if t.is_content))
            for entry in self.entries)

    def match(self, query: Query) -> list[VocabularyMatch]:
        """Return one match per entry, naming the word that matched (vocabulary order)."""
        candidates: list[CompiledWord] = []
        terms = query.term_set
        for found in find_words(self._by_spelling, query.compact, _word_boundaries(query)):  # 営業 not in 自営業
            candidates += self._spelled[found]
        candidates += self._spelled_short(terms)
        if query.kana:  # a reading typed in katakana counts only as a whole word: no パート in アパート
            for found in find_words(self._by_reading, query.kana):
                candidates += [w for w in self._read[found]
                               if found not in query.compact or written_in(query.compact, found)]
        words = query.words  # whole words: 人手 must not match inside 人手不足
        modals = frozenset(t.normalized for t in query.tokens if t.normalized in MODALS)
        for word in words:  # 店をやりたい matches 店をやってみたい, not 店をやっている
            candidates += [w for w in self._by_lemma.get(word, ()) if w.lemmas <= words and w.modals <= modals]
        found_words: dict[int, list[str]] = {}
        for w in candidates:
            found_words.setdefault(w.entry, [])
            if w.word not in found_words[w.entry]:
                found_words[w.entry].append(w.word)
        return [VocabularyMatch(min(ws, key=lambda x: (_position(query.compact, x), -len(x), x)), self.entries[i],
                                self.expansions[i], tuple(sorted(ws)))
                for i, ws in sorted(found_words.items())]

    def _spelled_short(self, terms: frozenset[str]) -> list[CompiledWord]:
        """One-character words (桃, 米) match only as a whole query word."""
        return [w for t in terms if len(t) == 1 for w in self._spelled.get(t, ())]


MODALS = frozenset({"たい", "ない", "ぬ", "ず"})  # a wish or a negation changes what a word says


def modal_set(tokens: Sequence[Token]) -> frozenset[str]:
    """The wish or negation a vocabulary word says (雇いたい → たい, 人が来ない → ない)."""
    return frozenset(t.normalized for t in tokens if t.normalized in MODALS)


def reading_of(tokens: Sequence[Token]) -> str:
    """A word's katakana reading from its tokens (what Tokenizer.reading_of gives, without a second pass)."""
    return "".join(t.reading for t in tokens)


_GRAMMAR_POS = frozenset({"助詞", "助動詞", "補助記号", "接尾辞", "空白"})


def _position(text: str, word: str) -> int:
    """Where a word stands in the query; words matched by lemma or reading come after the spelled ones."""
    at = text.find(word)
    return at if at >= 0 else len(text)


def lemma_set(tokens: Sequence[Token]) -> frozenset[str]:
    """The content lemmas a word is matched by, or none when they would not carry its meaning.

    雇いたい → {雇う} and 継がない → {継ぐ} keep their sense, but どこに相談 → {相談} or
    人が来ない → {人} would match far too much: such words match only as spelled.
    """
    if any(not t.is_content and t.pos[0] not in _GRAMMAR_POS for t in tokens):
        return frozenset()
    if any(t.pos[0] == "接尾辞" and t.surface not in PLAIN_SUFFIXES for t in tokens):  # スマホ代 is no スマホ
        return frozenset()
    return frozenset(t.normalized.lower() for t in tokens if t.is_content)


def _word_boundaries(query: Query) -> set[int]:
    """Where Sudachi's short (mode A) words begin and end in the query's compact text: a spelled word must not
    start or end inside one (営業 inside 自|営業 is no sales need; 育休 in 育休|明け and 旅行 in 修学|旅行 are words)."""
    bounds, at = {0}, 0
    for token in query.tokens:
        if token.pos[0] != "空白":
            bounds.update(at + offset for offset in token.splits)
            at += len(token.surface.replace(" ", ""))
            bounds.add(at)
    return bounds
