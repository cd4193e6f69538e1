"""The assistant as one object built once per process: search, chat, furigana."""
from __future__ import annotations

from typing import Any, Mapping

from assistant.fuzzy import NamedThing, NameResolver, Repair, TypoRepairer
from assistant.index import ProgramIndex, build_index
from assistant.indicators import IndicatorFinder
from assistant.models import Hit, Reply
from assistant.patterns import alternation, find_words
from assistant.query import Query, analyze_query
from assistant.ranking import rank
from assistant.tokenizer import Tokenizer, get_tokenizer
from assistant.vocabulary import VocabularyMatch, VocabularyMatcher
from knowledge.models import Knowledge

MIN_KANA_READING = 4  # a reading this long inside kana input is taken as the word


class Analysis:
    """Everything derived from one query, computed once and shared by search and dialogue."""

    def __init__(self, query: Query, matches: list[VocabularyMatch], repairs: list[Repair],
                 reading_terms: list[str], named: list[NamedThing]):
        self.query, self.matches, self.repairs = query, matches, repairs
        self.reading_terms, self.named = reading_terms, named
        self._ranked: list[Hit] | None = None  # the longest ranking asked for so far
        self._ranked_limit = 0

    @property
    def tags(self) -> list[str]:
        return list(dict.fromkeys(t for m in self.matches for t in m.entry.tags))


class Assistant:
    """Holds the index and matchers; pure functions do the work."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer | None = None):
        self.knowledge = knowledge
        self.tokenizer = tokenizer or get_tokenizer()
        self.index: ProgramIndex = build_index(knowledge, self.tokenizer.terms)
        self.vocabulary = VocabularyMatcher(knowledge.vocabulary, self.tokenizer)
        known_words = set(self.index.postings) | {w.compact for w in self.vocabulary.words}
        self.repairer = TypoRepairer(known_words)
        self.names = NameResolver(knowledge)
        self.readings = _reading_map(self.index.postings, self.tokenizer)
        self.reading_pattern = alternation(self.readings)
        self.indicators = IndicatorFinder(knowledge, self.tokenizer)

    def analyze(self, text: str) -> Analysis:
        query = analyze_query(text, self.tokenizer)
        matches = self.vocabulary.match(query)
        repairs = self.repairer.repair(query)
        if repairs:  # let a repaired word reach the vocabulary too (後継車 → 後継者 → 事業承継)
            fixed = query.compact
            for r in repairs:
                fixed = fixed.replace(r.typed, r.meant)
            seen = {id(m.entry) for m in matches}
            matches += [m for m in self.vocabulary.match(analyze_query(fixed, self.tokenizer)) if id(m.entry) not in seen]
        reading_terms = [term for reading in find_words(self.reading_pattern, query.kana)
                         for term in self.readings[reading]] if len(query.kana) >= MIN_KANA_READING else []
        return Analysis(query, matches, repairs, reading_terms, self.names.find(query))

    def rank(self, analysis: Analysis, limit: int) -> list[Hit]:
        """Rank once per analysis: a dialogue turn asks several times (out of scope? vague? need?)."""
        a = analysis
        if a._ranked is None or limit > a._ranked_limit:
            a._ranked = rank(a.query, self.index, a.matches, a.repairs, a.reading_terms, a.named, limit=limit)
            a._ranked_limit = limit
        return a._ranked[:limit]  # the top of a longer ranking is the shorter ranking

    def search(self, text: str, limit: int = 5) -> list[Hit]:
        """Rank programs for a need; never asks back."""
        return self.rank(self.analyze(text), limit)

    def chat(self, message: str, context: Mapping[str, Any] | None = None) -> Reply:
        from assistant.dialogue import respond
        return respond(self, message, context)

    def furigana(self, text: str) -> list[tuple[str, str | None]]:
        return self.tokenizer.furigana(text)


def _reading_map(terms, tokenizer: Tokenizer) -> dict[str, list[str]]:
    """Readings of the index's kanji words, for matching kana input."""
    readings: dict[str, list[str]] = {}
    for term in terms:
        reading = tokenizer.reading_of(term)
        if len(reading) >= MIN_KANA_READING and reading != term:
            readings.setdefault(reading, []).append(term)
    return readings
