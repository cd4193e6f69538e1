"""Pure text normalization for Japanese matching: no Sudachi, no I/O."""

from __future__ import annotations

import re
import unicodedata

_HIRAGANA = "\u3041-\u3096\u309d-\u309f"
_KATAKANA = "\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"
_KANA_CLASS = f"[{_HIRAGANA}{_KATAKANA}]"

# Dash, minus and wave-dash variants as they look after NFKC; typed after kana they mean ー.
_DASHES = "\\-~\u2010\u2012\u2013\u2014\u2015\u2212\u301c\u3030"
_DASH_AFTER_KANA = re.compile(f"({_KANA_CLASS})([{_DASHES}]+)")

# Kanji plus the marks that live inside kanji words (々 〆 ヶ) and the CJK extension planes.
_KANJI_CLASS = "[\u3005\u3006\u30f6\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
_KANJI = re.compile(_KANJI_CLASS)
_IS_KANA = re.compile(f"{_KANA_CLASS}+")
_IS_KATAKANA = re.compile(f"[{_KATAKANA}]+")
_ASCII_UPPER = re.compile("[A-Z]+")
_WHITESPACE = re.compile(r"\s+")
_VARIATION_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")

_TO_KATAKANA = str.maketrans(
    {chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)} | {"\u309d": "\u30fd", "\u309e": "\u30fe"}
)
_TO_HIRAGANA = str.maketrans(
    {chr(c): chr(c - 0x60) for c in range(0x30A1, 0x30F7)} | {"\u30fd": "\u309d", "\u30fe": "\u309e"}
)


def _is_invisible(char: str) -> bool:
    """Tell whether a character is invisible noise (controls, zero-width, variation selectors)."""
    category = unicodedata.category(char)
    if category == "Cc":
        return not char.isspace()  # tabs and newlines become spaces later
    if category in ("Cf", "Cs"):  # zero-width/bidi marks, BOM; lone surrogates break UTF-8
        return True
    return _VARIATION_SELECTOR.match(char) is not None


def strip_invisible(text: str) -> str:
    """Drop invisible characters so they cannot split words or break UTF-8 encoding."""
    if text.isprintable() and not _VARIATION_SELECTOR.search(text):  # fast path for clean text
        return text
    return "".join(char for char in text if not _is_invisible(char))


def _lower_ascii(text: str) -> str:
    """Lower-case ASCII letters only, leaving other scripts as they are."""
    return _ASCII_UPPER.sub(lambda m: m.group().lower(), text)


def _fold_dashes(match: re.Match[str]) -> str:
    """Replace a dash run after kana with as many long-vowel marks."""
    return match.group(1) + "ー" * len(match.group(2))


def normalize(text: str) -> str:
    """Fold a user's or a document's text to one canonical form so variants compare equal.

    NFKC (ＬＥＤ→LED, ｶﾅ→カナ), ASCII lower-cased (so ＬＥＤ → "led"), dashes after kana → ー,
    invisible characters removed, whitespace runs collapsed to one space, ends stripped.
    Total and idempotent: any str in, a str out, never raises.
    """
    text = unicodedata.normalize("NFKC", strip_invisible(text))
    lowered = _lower_ascii(text)
    if lowered != text:  # a lower-case letter may compose with a following mark (J+ˇ no, j+ˇ → ǰ)
        text = unicodedata.normalize("NFKC", lowered)
    text = _DASH_AFTER_KANA.sub(_fold_dashes, text)
    return _WHITESPACE.sub(" ", text).strip()


def to_katakana(text: str) -> str:
    """Convert hiragana to katakana, leaving everything else, to compare with Sudachi readings."""
    return text.translate(_TO_KATAKANA)


def to_hiragana(text: str) -> str:
    """Convert katakana to hiragana, leaving everything else, for ruby display and kana folding."""
    return text.translate(_TO_HIRAGANA)


def is_kana(text: str) -> bool:
    """Tell whether text is non-empty and only hiragana, katakana and ー (a reading-like query)."""
    return _IS_KANA.fullmatch(text) is not None


def is_katakana(text: str) -> bool:
    """Tell whether text is non-empty and only katakana and ー (a loanword)."""
    return _IS_KATAKANA.fullmatch(text) is not None


def has_kanji(text: str) -> bool:
    """Tell whether text holds at least one kanji (so it needs a reading for ruby)."""
    return _KANJI.search(text) is not None


def is_kanji(char: str) -> bool:
    """Tell whether one character is a kanji or a kanji-word mark (々 〆 ヶ)."""
    return _KANJI.fullmatch(char) is not None


def fold_for_match(text: str) -> str:
    """Normalize and map katakana to hiragana so kana spellings compare equal (ソウギョウ = そうぎょう)."""
    return to_hiragana(normalize(text))


def written_in(text: str, word: str) -> bool:
    """The word is in the text, and not as a piece of a longer katakana word (リスト in スタイリスト, パート in
    アパート)."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = start > 0 and is_katakana(word[0]) and is_katakana(text[start - 1])
        after = end < len(text) and is_katakana(word[-1]) and is_katakana(text[end])
        if not before and not after:
            return True
        start = text.find(word, start + 1)
    return False
