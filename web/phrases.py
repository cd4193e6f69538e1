"""Japanese text as pages show it: cut into phrases (BudouX) so lines break between phrases.

A browser breaks Japanese between any two characters (「合/う」「電話/番号」). BudouX, the
segmenter Chrome itself uses, finds the phrase boundaries; pages put a <wbr> between phrases
and keep each phrase whole (CSS `word-break: keep-all`). BudouX's own HTML output styles
inline, which the CSP forbids, so the phrases are emitted here.

BudouX sometimes cuts a kanji compound (「中/小企業」「創業応/援」): a break between two
kanji stands only where the dictionary (Sudachi, through `words`) also ends a word.

The display form also writes parentheses full-width around Japanese (（推定）) and binds
「電話」「TEL」 to the number after it, so a number never starts a line alone.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from typing import Callable, Iterable

import budoux
from markupsafe import Markup, escape

NBSP = "\u00a0"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]")
PHONE_LABEL = re.compile(r"(電話|TEL)[ \u3000]?(?=0\d)")
# A span no line break may enter: a phone number, with its 電話/TEL label when it has one.
UNBREAKABLE = re.compile(r"(?:(?:電話|TEL)\u00a0)?0\d{1,4}-\d{1,4}-\d{3,5}")


def display(text: str) -> str:
    """The display form: full-width （） in Japanese text, 電話/TEL bound to its number."""
    if JAPANESE.search(text):
        text = text.replace("(", "（").replace(")", "）")
    return PHONE_LABEL.sub(lambda m: m.group(1) + NBSP, text)


def is_kanji(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or ch == "々"


def keep_boundaries(phrases: list[str], keep: Callable[[int], bool]) -> list[str]:
    """Merge each phrase into the previous one unless keep(offset of the boundary) holds."""
    merged: list[str] = []
    offset = 0
    for phrase in phrases:
        if merged and not keep(offset):
            merged[-1] += phrase
        else:
            merged.append(phrase)
        offset += len(phrase)
    return merged


def breakable(text: str, word_ends: set[int]) -> Callable[[int], bool]:
    """A boundary may break unless it is inside a phone number or splits a kanji word."""
    spans = [m.span() for m in UNBREAKABLE.finditer(text)]

    def keep(i: int) -> bool:
        if any(start < i < end for start, end in spans):
            return False
        return not (is_kanji(text[i - 1]) and is_kanji(text[i])) or i in word_ends
    return keep


class Phraser:
    """Split display text into phrases; one BudouX model, results cached per text.

    `words` cuts a text into words (their surfaces, in order); without it every break
    BudouX finds between two kanji stands.
    """

    def __init__(self, words: Callable[[str], Iterable[str]] | None = None, cache_size: int = 8192) -> None:
        self._parse = budoux.load_default_japanese_parser().parse
        self._words = words
        self.split = lru_cache(maxsize=cache_size)(self._split)

    def _split(self, text: str) -> tuple[str, ...]:
        shown = display(text)
        if not shown:
            return ()
        phrases = self._parse(shown) or [shown]
        ends = set(accumulate(len(w) for w in self._words(shown))) if self._words else set(range(len(shown) + 1))
        return tuple(keep_boundaries(phrases, breakable(shown, ends)))

    def html(self, text: str | None) -> Markup:
        """Escaped phrases with <wbr> between them, in a span that keeps each phrase whole."""
        phrases = self.split(text or "")
        if not phrases:
            return Markup("")
        return Markup('<span class="jp">%s</span>') % Markup("<wbr>").join(escape(p) for p in phrases)

    def mapping(self, texts: Iterable[str | None]) -> dict[str, list[str]]:
        """Each distinct non-empty text → its display phrases, for pages drawn in the browser."""
        return {t: list(self.split(t)) for t in dict.fromkeys(texts) if t}
