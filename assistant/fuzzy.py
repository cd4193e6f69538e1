"""Typo repair against the index's words, and resolving names of programs and desks.

rapidfuzz is always called with an explicit processor and score_cutoff.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from assistant.patterns import WordPattern
from assistant.query import Query
from assistant.tokenizer import Token
from assistant.text import is_kanji, normalize, to_katakana
from knowledge.models import Contact, Knowledge

_PLAIN_WORD = re.compile(r"^[一-龥々ぁ-ゖァ-ヺー]+$")
# A typo is repaired only inside one run of kanji or of katakana: windows across particles
# (を育て, の技術) are ordinary Japanese, and kana typos are caught by readings instead.
_SCRIPT_RUN = re.compile(r"^(?:[一-龥々]+|[ァ-ヺー]+)$")
_SCRIPT_RUNS = re.compile(r"[一-龥々]{3,}|[ァ-ヺー]{3,}")
_DESK_PREFIX = re.compile(r"^(福島市|福島県)")
# a suffix (工事士), a pronoun (何課) or a numeral (三代目) changed is another word, not a typo
_NOT_MISTYPED = frozenset({"接尾辞", "代名詞", "数詞"})
_NUMERALS = frozenset("0123456789一二三四五六七八九十百千万")
NAME_CUTOFF = 85.0
MIN_SHARED_PAIRS = 0.5  # × the shorter string's length, less 2: fewer shared character pairs cannot reach NAME_CUTOFF
MIN_NAME_CHARS = 3


@dataclass(frozen=True)
class Repair:
    typed: str
    meant: str


class TypoRepairer:
    """Find a window of the query one edit away from a known word Sudachi did not see."""

    def __init__(self, words: Iterable[str], reading_of: Callable[[str], str] = lambda word: "",
                 suffixes: Iterable[str] = ()):
        self.reading_of = reading_of
        self.suffixes = frozenset(suffixes)  # 機, 屋, 員: a word ending in one is a compound (加工機), not a typo
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
        surfaces = {t.surface for t in query.tokens if not t.unknown}  # シシテム, unknown to Sudachi, may be a typo
        inside = _inside_one_token(query)
        spans = _token_spans(query)
        repairs = []
        for run in _SCRIPT_RUNS.findall(query.normalized):  # inside one script run of one typed word only
            candidates: set[str] = set()
            for i in range(len(run) - 1):
                candidates |= self.by_bigram.get(run[i:i + 2], set())
            for term in sorted(candidates):  # in a fixed order: the same message, the same repairs
                if len(term) > len(run) or term in run:
                    continue
                window = _closest_window(run, term)
                if (window and window not in surfaces and window not in self.known and not inside(window)
                        and self._could_be_typo(text, window, term, spans)):
                    repairs.append(Repair(window, term))
        repairs += [r for r in self._two_char(text, surfaces) if self._could_be_typo(text, r.typed, r.meant, spans)]
        return repairs

    def _could_be_typo(self, text: str, window: str, term: str, spans: list[tuple[int, int, Token]]) -> bool:
        """A window is a typo only where it is whole words and the edit falls in a word that is not
        itself right: 電気工 (電気|工事) cuts a word, 工事士 and 補助率 are a word and its suffix,
        男性社員 and 部品開発 are good words; 保助金, 登禄 and シシテム are typos. A good word in the
        wrong kanji that sounds the same (人出不足, 信用保障) is the input method's slip."""
        start = text.find(window)
        if start < 0 or not spans:
            return True
        end = start + len(window)
        inside = [(b, e, t) for b, e, t in spans if b < end and e > start]
        if not inside or inside[0][0] != start or inside[-1][1] != end:
            return False  # the window cuts a word Sudachi found
        edited = {start + i for i in range(len(window)) if i >= len(term) or window[i] != term[i]}
        if any(text[i] in _NUMERALS for i in edited):
            return False
        for b, e, token in inside:
            if any(b <= i < e for i in edited):
                if (token.pos[0] in _NOT_MISTYPED or token.pos[1] in _NOT_MISTYPED
                        or token.normalized.lower() in self.known or token.surface in self.known
                        or (not token.unknown and len(token.surface) >= 2)  # 部品, 社長: words of the dictionary
                        or token.surface in self.suffixes):
                    return self._same_sound(inside, term)
        return True

    def _same_sound(self, tokens: list[tuple[int, int, Token]], term: str) -> bool:
        """A good word in the wrong kanji that reads the same is the input method's slip (後継車, 信用保障)."""
        typed = "".join(t.reading for _, _, t in tokens)
        return bool(typed) and typed == self.reading_of(term)

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
    words = [t.surface.replace(" ", "") for t in query.tokens if len(t.surface) > 1 and not t.unknown]
    return lambda window: any(window in w for w in words)


def _token_spans(query: Query) -> list[tuple[int, int, Token]]:
    """Where each token stands in the compact query, or nothing when the tokens do not spell it."""
    spans, at = [], 0
    for token in query.tokens:
        surface = token.surface.replace(" ", "")
        if not surface:
            continue
        if query.compact.startswith(surface, at):
            spans.append((at, at + len(surface), token))
            at += len(surface)
        else:
            return []
    return spans if at == len(query.compact) else []


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
    in_full: bool = True  # the whole name, not a short one (花見山 is a place's name too)


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
            if _is_kind_of_body(c):
                continue
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
        folded = _key(query.compact)  # たべすけ finds タベスケ
        found = self._exact(folded, query.compact)
        if not found and len(folded) >= 4:
            found = self._fuzzy(folded)
        return found

    def _exact(self, text: str, written: str) -> list[NamedThing]:
        """Names in the folded text; each is reported as written (`written` has the same length)."""
        spans = sorted(self.keys.all_spans(text), key=lambda span: (span[0] - span[1], span[0]))  # longest, leftmost
        found: dict[tuple[str, str], NamedThing] = {}
        covered: list[tuple[int, int]] = []
        for start, end, key in spans:  # longest first
            if any(a <= start < b for a, b in covered):
                continue
            kind, ident, name = self.entries[key]
            found.setdefault((kind, ident), NamedThing(kind, ident, name, written[start:end], key == _key(name)))
            covered.append((start, end))
        return list(found.values())

    def _fuzzy(self, text: str) -> list[NamedThing]:
        shared: Counter[str] = Counter()
        for bigram in {text[i:i + 2] for i in range(len(text) - 1)}:
            keys = self.by_bigram.get(bigram, ())
            if len(keys) <= self.COMMON_BIGRAM:
                shared.update(keys)
        # A name much longer than the query is not what it names (支援 is not every 〜支援事業).
        # A name that shares too few character pairs cannot reach the cutoff: an edit breaks at most three pairs
        # of the shorter string, and the cutoff allows edits on 15 % of it (a bound that keeps rapidfuzz's answer)
        candidates = [k for k, pairs in shared.most_common(self.MAX_FUZZY_CANDIDATES)
                      if 4 <= len(k) <= len(text) / 0.6 and pairs >= MIN_SHARED_PAIRS * min(len(k), len(text)) - 2]
        if not candidates:
            return []
        # Keys and query are normalized already, so no processor runs per key.
        best = process.extractOne(text, candidates, scorer=fuzz.partial_ratio, processor=None,
                                  score_cutoff=NAME_CUTOFF)
        if best is None:
            return []
        kind, ident, name = self.entries[best[0]]
        return [NamedThing(kind, ident, name, best[0], best[0] == _key(name))]


def _key(name: str) -> str:
    """Names compare without regard to spaces or kana (ふくしまタベスケ = フクシマたべすけ)."""
    return to_katakana(normalize(name).replace(" ", ""))


def _is_kind_of_body(contact: Contact) -> bool:
    """A kind of body the document lists among those who carry a program out (事業者, 金融機関, 商店街等), with
    no phone and no level of government: not a desk anyone names, and its words are everyone's words
    (事業者向けの支援について聞きたい names no desk)."""
    return not contact.phones and contact.level == "その他"


def _desk_names(name: str) -> list[str]:
    """A desk is also called without its 福島市/福島県 prefix or its bracketed note."""
    bare = re.sub(r"\(.*?\)", "", name)
    names = [name, bare, _DESK_PREFIX.sub("", bare)]
    return [n for n in dict.fromkeys(names) if n]
