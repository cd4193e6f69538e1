"""What text extraction does to a printed page, undone: radicals, widths, stray spaces, markup.

Two views of a string: `tidy` keeps the text as printed (widths included) minus the spaces
extraction puts around Latin words and at line joins; `fold` is only for comparing
(NFKC, no whitespace, case-folded), so 「ＩＴ 導入」 and 「IT導入」 compare equal.
"""
from __future__ import annotations

import re
import unicodedata

CIRCLED = ("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
           "㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿")
CIRCLED_CLASS = f"[{CIRCLED}]"
_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(#?[^)]*\)")
_ESCAPE = re.compile(r"\\([()\[\]_*#&-])")
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−ー－ｰ"})
KEEP_SPACE = "～〜…"
_SPACES = re.compile(r"[ \u3000\u00a0]+")


def circled(n: int) -> str:
    return CIRCLED[n - 1]


def circled_value(char: str) -> int:
    """The number of a circled numeral (① → 1), 0 when it is not one."""
    i = CIRCLED.find(char)
    return i + 1 if i >= 0 and len(char) == 1 else 0


def is_cjk(char: str) -> bool:
    """Kana, kanji, CJK punctuation and full-width forms: the characters no space separates."""
    o = ord(char)
    return (0x3000 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0xFF01 <= o <= 0xFF60 or 0x2E80 <= o <= 0x2FDF or char in CIRCLED)


# CJK Radicals Supplement characters Japanese fonts map common kanji to; NFKC leaves these alone.
SUPPLEMENT_RADICALS = {"⺠": "民", "⻑": "長", "⻄": "西", "⻘": "青", "⻝": "食", "⻟": "食", "⻩": "黄", "⻤": "鬼",
                       "⻭": "歯", "⻲": "亀", "⻣": "骨", "⻁": "虎", "⻨": "麦", "⻫": "斉", "⻯": "竜", "⻆": "角",
                       "⺼": "月", "⻎": "辶", "⻌": "辶"}


def restore_radicals(text: str) -> str:
    """Map Kangxi and CJK radicals (PDF extraction gives ⼩ for 小, ⻑ for 長) back to the kanji, nothing else."""
    if not any(0x2E80 <= ord(c) <= 0x2FDF for c in text):
        return text
    return "".join(SUPPLEMENT_RADICALS.get(c) or unicodedata.normalize("NFKC", c) if 0x2E80 <= ord(c) <= 0x2FDF
                   else c for c in text)


# Glyphs a PDF's text layer gives for another character: the hyphenation point for the katakana
# middle dot (・), the wave dash for the full-width tilde the document's text uses (～).
LOOKALIKES = str.maketrans({"\u2027": "\u30fb", "\u301c": "\uff5e"})


def unmark(line: str) -> str:
    """Drop the markup some extractors add: [name](#) links, backslash escapes, table pipes."""
    line = _LINK.sub(lambda m: m.group(1), line)
    return _ESCAPE.sub(r"\1", line)


def clean_line(line: str) -> str:
    """One extracted line made comparable to the printed one (still with its tabs)."""
    line = unicodedata.normalize("NFC", restore_radicals(line)).replace("\x0c", "").translate(LOOKALIKES)
    return unmark(line).rstrip()


def _joinable(left: str, right: str) -> bool:
    """A space between these two characters is an extraction artefact (not around a 〜 subtitle)."""
    if left in KEEP_SPACE or right in KEEP_SPACE:
        return False
    if is_cjk(left) or is_cjk(right):
        return is_cjk(left) and (is_cjk(right) or right.isascii() and right.isalnum()) or \
            is_cjk(right) and left.isascii() and (left.isalnum() or left in "&")
    return False


def tidy(text: str) -> str:
    """The printed text without extraction spaces: 「IT 導入 補助金」 → 「IT導入補助金」, 「徒歩 10 分」 → 「徒歩10分」."""
    text = _SPACES.sub(" ", text.replace("\t", " ")).strip()
    out = []
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1 and _joinable(text[i - 1], text[i + 1]):
            continue
        out.append(ch)
    return "".join(out)


def fold(text: str) -> str:
    """The comparison key: NFKC (width, radicals), no whitespace, case-folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def squeeze(text: str) -> str:
    """Drop every space but keep newlines and widths: two printings of one text compare equal."""
    return re.sub(r"[ \t\u3000]+", "", text)


PHONE = re.compile(r"0\d{1,4}-\d{1,6}(?:-\d{1,5})?")
PHONE_SHAPE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}|0(?:120|570|800)-\d{3}-\d{3}|0570-\d{6}")


def phone_text(text: str) -> str:
    """Digits and dashes in one width, for finding phone numbers (０２４－５１５ → 024-515)."""
    return unicodedata.normalize("NFKC", text).translate(_DASHES)


def phone_is_well_formed(number: str) -> bool:
    """A Japanese number: 10 digits (11 for 050/070/080/090), dashes in known places."""
    digits = number.replace("-", "")
    mobile = digits[:3] in ("050", "070", "080", "090")
    return bool(PHONE_SHAPE.fullmatch(number)) and len(digits) == (11 if mobile else 10)
