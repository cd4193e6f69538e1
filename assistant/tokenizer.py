"""SudachiPy wrapped once: content tokens, index terms, reading keys and furigana."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from sudachipy import Dictionary, Morpheme, SplitMode
from sudachipy import Tokenizer as SudachiTokenizer
from sudachipy.errors import SudachiError

from assistant.text import has_kanji, is_kana, is_kanji, is_katakana, normalize, to_hiragana, to_katakana

# Light verbs, auxiliaries-as-verbs and formal nouns: they say nothing about a support need.
STOP_LEMMAS = frozenset({
    "為る", "居る", "有る", "在る", "成る", "出来る", "言う", "思う", "行う", "行く", "来る",
    "見る", "おく", "下さる", "頂く", "貰う", "呉れる", "致す", "御座る", "仕舞う",
    "無い", "良い", "欲しい", "こと", "事", "物", "為", "所", "方", "時",
    # the verbs inside compound particles: について, に関して, に対して, によって
    "つく", "関する", "対する", "よる",
})
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞"})
_NON_CONTENT_SUBPOS = frozenset({"数詞", "助動詞語幹"})
_NO_READING_POS = frozenset({"空白", "補助記号", "記号"})  # Sudachi reads these as キゴウ

# Sudachi refuses input over 49,149 UTF-8 bytes; 1,000 characters stay far below it.
_CHUNK_CHARS = 1000
_CHUNK_CUT = re.compile(r"[\s。、！？!?]")
_SURROGATES = re.compile("([\ud800-\udfff]+)")
# Dictionary words remembered with what analyze() makes of them; queries repeat a few thousand words,
# and the bound keeps a stream of odd input from growing the memory without end.
MAX_REMEMBERED_WORDS = 50_000


@dataclass(frozen=True)
class Token:
    """One Sudachi morpheme, reduced to what matching needs."""

    surface: str
    normalized: str
    reading: str  # katakana, "" when Sudachi has no kana reading (symbols, some unknown words)
    pos: tuple[str, ...]
    is_content: bool
    unknown: bool = False  # not in Sudachi's dictionary (シシテム): maybe a typo
    synonym_groups: tuple[int, ...] = ()  # Sudachi's synonym groups (創業/起業/開業 share one)
    splits: tuple[int, ...] = ()  # where the word's mode-A parts meet, as offsets in the surface (育休|明け → 2)



@dataclass(frozen=True)
class Span:
    """One morpheme of a raw text with its place in that text (for masking personal data)."""

    begin: int
    end: int
    surface: str
    pos: tuple[str, ...]


@dataclass(frozen=True)
class TextAnalysis:
    """What one pass of Sudachi over a text gives: tokens, index terms, reading keys."""

    tokens: tuple[Token, ...]
    terms: tuple[str, ...]
    reading_keys: tuple[str, ...]


def _is_content(morpheme: Morpheme) -> bool:
    """Tell whether a morpheme carries meaning for retrieval (nouns, verbs, adjectives)."""
    pos = morpheme.part_of_speech()
    if pos[0] not in _CONTENT_POS or pos[1] in _NON_CONTENT_SUBPOS:
        return False
    return morpheme.normalized_form() not in STOP_LEMMAS


def _reading(morpheme: Morpheme) -> str:
    """Return the katakana reading, or "" where Sudachi's reading is not kana."""
    if morpheme.part_of_speech()[0] in _NO_READING_POS:
        return ""
    reading = morpheme.reading_form()
    return reading if is_kana(reading) else ""


def _sub_words(morpheme: Morpheme) -> list[Morpheme]:
    """Return the content mode-A parts of a mode-C word, or [] when it does not split."""
    parts = morpheme.split(SplitMode.A)
    return [part for part in parts if _is_content(part)] if len(parts) > 1 else []


def _splits(morpheme: Morpheme) -> tuple[int, ...]:
    """Offsets in the surface where the mode-A parts of a mode-C word meet (修学|旅行 → (2,))."""
    parts = [part.surface() for part in morpheme.split(SplitMode.A)]
    offsets, at = [], 0
    for surface in parts[:-1]:
        at += len(surface)
        offsets.append(at)
    return tuple(offsets)


def _chunks(text: str) -> Iterator[str]:
    """Cut text into pieces Sudachi accepts, preferably after a space or punctuation."""
    while len(text) > _CHUNK_CHARS:
        cuts = [m.end() for m in _CHUNK_CUT.finditer(text, 0, _CHUNK_CHARS)]
        cut = cuts[-1] if cuts else _CHUNK_CHARS
        yield text[:cut]
        text = text[cut:]
    if text:
        yield text


def _ruby(surface: str, reading: str) -> list[tuple[str, str | None]]:
    """Align a hiragana reading to a word's kanji runs (引き継ぎ → 引/ひ き 継/つ ぎ)."""
    runs = ["".join(group) for _, group in itertools.groupby(surface, key=is_kanji)]
    pattern = "".join("(.+?)" if is_kanji(run[0]) else f"({re.escape(to_hiragana(run))})" for run in runs)
    match = re.fullmatch(pattern, reading)
    if match is None:  # okurigana differ from the reading (numbers, irregular words): ruby the whole
        return [(surface, reading)]
    return [(run, part if is_kanji(run[0]) else None) for run, part in zip(runs, match.groups())]


def _merge_plain(segments: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Join neighbouring segments without a reading so the display gets fewer spans."""
    merged: list[tuple[str, str | None]] = []
    for text, reading in segments:
        if reading is None and merged and merged[-1][1] is None:
            merged[-1] = (merged[-1][0] + text, None)
        else:
            merged.append((text, reading))
    return merged


def _word_of(morpheme: Morpheme) -> tuple[Token, tuple[str, ...], tuple[str, ...]]:
    """What analyze() takes from one morpheme: its token, its index terms and its reading keys."""
    content = _is_content(morpheme)
    token = Token(morpheme.surface(), morpheme.normalized_form(), _reading(morpheme),
                  tuple(morpheme.part_of_speech()), content, morpheme.is_oov(),
                  tuple(morpheme.synonym_group_ids()) if content else (), _splits(morpheme) if content else ())
    if not content:
        return token, (), ()
    parts = _sub_words(morpheme)
    terms = (morpheme.normalized_form().lower(), *(part.normalized_form().lower() for part in parts))
    keys = (_reading(morpheme), *(_reading(part) for part in parts))
    return token, terms, keys


class Tokenizer:
    """The Sudachi dictionary loaded once, with a Sudachi tokenizer per thread (they are not thread-safe)."""

    def __init__(self) -> None:
        self._dictionary = Dictionary(dict="core")
        self._local = threading.local()
        self._words: dict[tuple[str, int], tuple[Token, tuple[str, ...], tuple[str, ...]]] = {}

    def _sudachi(self) -> SudachiTokenizer:
        """Return this thread's mode-C tokenizer, creating it on first use.

        Mode A needs no tokenizer of its own: Morpheme.split(SplitMode.A) reuses the mode-C analysis.
        """
        sudachi = getattr(self._local, "mode_c", None)
        if sudachi is None:
            sudachi = self._local.mode_c = self._dictionary.tokenizer(SplitMode.C)
        return sudachi

    def _morphemes(self, text: str) -> Iterator[Morpheme]:
        """Yield mode-C morphemes of already-normalized text, chunk by chunk."""
        sudachi = self._sudachi()
        for chunk in _chunks(text):
            try:
                yield from sudachi.tokenize(chunk)
            except SudachiError:  # defensive: a chunk Sudachi still rejects carries no terms
                continue

    def tokens(self, text: str) -> list[Token]:
        """Analyse normalized text in mode C, marking the content words."""
        return list(self.analyze(text).tokens)

    def terms(self, text: str) -> list[str]:
        """Return index/query terms: content words' normalized forms plus their mode-A parts, in order."""
        return list(self.analyze(text).terms)

    def document_terms(self, text: str) -> tuple[list[str], list[str]]:
        """Index terms of a program's text, and apart from them the parts of its loanword compounds: the parts
        of サプライチェーン or ポータルサイト mean less of the whole than 資金 does of 運転資金 (チェーン店 is no
        サプライチェーン), so the index weighs them less."""
        terms: list[str] = []
        loanword_parts: list[str] = []
        for m in self._morphemes(normalize(text)):
            token, word_terms, _ = self._word(m)
            if is_katakana(token.surface):
                terms.extend(word_terms[:1])
                loanword_parts.extend(word_terms[1:])
            else:
                terms.extend(word_terms)
        return terms, loanword_parts

    def analyze(self, text: str) -> "TextAnalysis":
        """Tokens, terms and reading keys of a text in one Sudachi pass; the methods above are views of it."""
        normalized = normalize(text)
        tokens: list[Token] = []
        terms: list[str] = []
        keys = [to_katakana(chunk) for chunk in normalized.split(" ") if is_kana(chunk)]
        for m in self._morphemes(normalized):
            token, word_terms, word_keys = self._word(m)
            tokens.append(token)
            terms.extend(word_terms)
            keys.extend(word_keys)
        return TextAnalysis(tuple(tokens), tuple(terms), tuple(k for k in dict.fromkeys(keys) if len(k) > 1))

    def _word(self, morpheme: Morpheme) -> tuple[Token, tuple[str, ...], tuple[str, ...]]:
        """_word_of, remembered for dictionary words: all it reads (normalized form, part of speech,
        reading, mode-A split) belongs to the dictionary entry, so the entry and the surface decide it.
        Unknown words and joined numbers (is_oov) are built from the text itself and never remembered."""
        if morpheme.is_oov():
            return _word_of(morpheme)
        key = (morpheme.surface(), morpheme.word_id())
        word = self._words.get(key)
        if word is None:
            word = _word_of(morpheme)
            if len(self._words) < MAX_REMEMBERED_WORDS:
                self._words[key] = word
        return word

    def reading_keys(self, text: str) -> list[str]:
        """Return distinct katakana keys so kana input can match kanji words by reading.

        Each space-separated all-kana chunk of the query is also a key as typed, because Sudachi
        may mis-analyse kana (ゆうし → 有する, じぎょうしょうけい → じ/ぎょう/しょう/けい).
        One-kana keys (ジ) are dropped: they are mostly debris of such mis-analyses.
        """
        return list(self.analyze(text).reading_keys)

    def reading_of(self, word: str) -> str:
        """Return the katakana reading of a word or phrase (symbols and spaces read as nothing)."""
        return "".join(_reading(m) for m in self._morphemes(normalize(word)))

    def spans(self, text: str) -> list[Span]:
        """Mode-C morphemes of the text as given (not normalized), with their offsets in it."""
        spans: list[Span] = []
        offset = 0
        for piece in _SURROGATES.split(text):  # lone surrogates cannot be encoded for Sudachi
            if not _SURROGATES.fullmatch(piece):
                for chunk in _chunks(piece):
                    try:
                        morphemes = list(self._sudachi().tokenize(chunk))
                    except SudachiError:
                        morphemes = []
                    spans.extend(Span(offset + m.begin(), offset + m.end(), m.surface(), tuple(m.part_of_speech()))
                                 for m in morphemes)
                    offset += len(chunk)
            else:
                offset += len(piece)
        return spans

    def furigana(self, text: str) -> list[tuple[str, str | None]]:
        """Split the original text into segments, with a hiragana reading on those holding kanji."""
        segments: list[tuple[str, str | None]] = []
        for piece in _SURROGATES.split(text):  # lone surrogates cannot be encoded for Sudachi
            if _SURROGATES.fullmatch(piece):
                segments.append((piece, None))
                continue
            for chunk in _chunks(piece):
                segments.extend(self._furigana_chunk(chunk))
        return _merge_plain(segments)

    def _furigana_chunk(self, chunk: str) -> list[tuple[str, str | None]]:
        """Ruby one Sudachi-sized chunk, falling back to no reading if surfaces do not rebuild it."""
        try:
            morphemes = list(self._sudachi().tokenize(chunk))
        except SudachiError:
            return [(chunk, None)]
        if "".join(m.surface() for m in morphemes) != chunk:
            return [(chunk, None)]
        segments: list[tuple[str, str | None]] = []
        for morpheme in morphemes:
            surface, reading = morpheme.surface(), _reading(morpheme)
            if reading and has_kanji(surface):
                segments.extend(_ruby(surface, to_hiragana(reading)))
            else:
                segments.append((surface, None))
        return segments


_shared: Tokenizer | None = None
_shared_lock = threading.Lock()


def get_tokenizer() -> Tokenizer:
    """Return the process-wide Tokenizer, loading the dictionary on first call only."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = Tokenizer()
    return _shared
