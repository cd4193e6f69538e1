"""Mask personal data in what citizens type before anything is stored.

Replaced by a placeholder: e-mail addresses (also spelled out: "taro at example dot com",
「アット」「ドット」), phone numbers, postal codes, street addresses with a house number,
birth dates (a date next to 生まれ/生年月日/誕生日, or a full date of an earlier era), person
names (Sudachi's 固有名詞・人名 as a full name, before an honorific 様/さん/殿/氏…, or before
と申します), and any other long run of digits, Arabic or kanji (account, My Number), because
a log must never hold them. What is not masked is listed in the README.
"""
from __future__ import annotations

import re
from typing import Protocol, Sequence

_DASHES = "\\-‐‑‒–—―−ー－ｰ"
_DASH = f"[{_DASHES}]"
_SEP = rf"(?:\s*{_DASH}\s*|\s+|[()（）]\s*)"

_EMAIL = re.compile(r"[\w.+\-]+\s*[@＠]\s*[\w\-]+(?:\s*[.．]\s*[\w\-]+)+")
_ASCII_WORD = r"[A-Za-z0-9][A-Za-z0-9._%+\-]*"
_SPELLED_AT = r"(?:\s*[(\[（［]\s*(?:at|アット|あっと)\s*[)\]）］]\s*|\s+at\s+|\s*(?:アット|あっと)\s*)"
_SPELLED_DOT = r"(?:\s*[(\[（［]\s*(?:dot|ドット|どっと)\s*[)\]）］]\s*|\s+dot\s+|\s*(?:ドット|どっと)\s*|\s*[.．]\s*)"
_SPELLED_EMAIL = re.compile(rf"{_ASCII_WORD}{_SPELLED_AT}[A-Za-z0-9\-]+(?:{_SPELLED_DOT}[A-Za-z0-9\-]+)+", re.I)
_POSTAL = re.compile(rf"〒\s*\d{{3}}(?:{_DASH}?\d{{4}})?|(?<!\d)\d{{3}}{_DASH}\d{{4}}(?![\d{_DASHES}])")
_PHONE = re.compile(
    rf"(?<!\d)(?:[+＋]\s*(?:81|８１){_SEP}?\d{{1,4}}|[(（]?[0０]\d{{1,4}}[)）]?){_SEP}?\d{{1,4}}{_SEP}?\d{{3,4}}(?!\d)")
_DIGITS = re.compile(rf"\d(?:{_SEP}?\d){{6,}}")

_KANJI_DIGIT = "〇零一二三四五六七八九壱弐参"
_KANJI_DIGITS = re.compile(rf"[{_KANJI_DIGIT}](?:(?:{_DASH}|\s)?[{_KANJI_DIGIT}]){{6,}}")

# Addresses: a house number (3番1号, 4-15, 1丁目2-3, 65番地の2) right after a place name holding
# 市/区/郡/町/村/字 (or any place name before 丁目). A place without a house number is not personal.
# The place is found by a bounded look back from each house number, not by one regex: nested
# repeats over characters that are both place and suffix (町) would backtrack exponentially.
_NUM = rf"[\d{_KANJI_DIGIT}十]+"
_HOUSE_NUMBER = re.compile(
    rf"(?<![\d{_KANJI_DIGIT}十]){_NUM}\s*(?:丁目\s*(?:{_NUM}\s*(?:番地?|{_DASH}|の)\s*(?:{_NUM}\s*号?)?)?"
    rf"|番地?(?!目)\s*(?:の?\s*{_NUM}\s*号?)?|{_DASH}\s*{_NUM}(?:\s*{_DASH}\s*{_NUM})?)")
_PLACE_CHAR = re.compile(r"[\u3005\u4e00-\u9fff\u30a1-\u30fa\u30fc]")
_PLACE_SUFFIXES = frozenset("都道府県市区郡町村字")
PLACE_MAX_CHARS = 24


def _place_before(text: str, end: int) -> int:
    """Where the run of place-name characters ending at `end` starts (at most PLACE_MAX_CHARS back)."""
    start = end
    while start > 0 and end - start < PLACE_MAX_CHARS and _PLACE_CHAR.match(text[start - 1]):
        start -= 1
    return start


def mask_addresses(text: str) -> str:
    """Replace a place name with its house number by a placeholder."""
    pieces, done = [], 0
    for found in _HOUSE_NUMBER.finditer(text):
        end = found.start()
        if end > 0 and text[end - 1] in " \u3000":
            end -= 1
        start = _place_before(text, end)
        place = text[start:end]
        if start >= done and place and (_PLACE_SUFFIXES & set(place) or "丁目" in found.group()):
            pieces += [text[done:start], "[住所]"]
            done = found.end()
    return "".join(pieces) + text[done:]


# Birth dates: a date next to a birth word, or a full date of an earlier era (nobody's deadline).
_ERA = r"(?:明治|大正|昭和|平成|令和|[MTSHR]\.?)"
_YEAR = rf"(?:{_ERA}\s*(?:元|\d{{1,2}})|(?:19|20)?\d{{2}})\s*[年./／\-]\s*"
_DATE = rf"(?:{_YEAR})?\d{{1,2}}\s*[月./／\-]\s*\d{{1,2}}\s*日?"
_BIRTH_WORD = r"(?:生年月日|誕生日|生まれ)"
_BIRTH_DATE = re.compile(
    rf"(?P<word>{_BIRTH_WORD}\s*(?:は|が|[:：])?\s*){_DATE}"
    rf"|{_DATE}(?=\s*(?:生まれ|生|の生まれ))"
    rf"|(?:明治|大正|昭和)\s*(?:元|\d{{1,2}})\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日")


def _birth_date(found: re.Match[str]) -> str:
    return (found["word"] or "") + "[生年月日]"


MASKS = ((_EMAIL, "[メール]"), (_SPELLED_EMAIL, "[メール]"), (_PHONE, "[電話番号]"), (_POSTAL, "[郵便番号]"),
         (_BIRTH_DATE, _birth_date), (_DIGITS, "[番号]"), (_KANJI_DIGITS, "[番号]"))

HONORIFICS = frozenset({"様", "さま", "サマ", "さん", "サン", "殿", "氏", "君", "くん", "ちゃん", "先生"})
SELF_INTRODUCTIONS = ("と申し", "と言い", "といい", "と申す")
NAME_PLACEHOLDER = "[氏名]"


class Span(Protocol):
    begin: int
    end: int
    surface: str
    pos: tuple[str, ...]


class Morphology(Protocol):
    """What masking names needs of a tokenizer (assistant.tokenizer.Tokenizer has it)."""

    def spans(self, text: str) -> Sequence[Span]: ...


def _is_person(span: Span) -> bool:
    return len(span.pos) > 2 and span.pos[1] == "固有名詞" and span.pos[2] == "人名"


def name_ranges(text: str, spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Where person names are: a run of 人名 morphemes that is a full name (姓 then 名), or that
    an honorific follows, or と申します; a lone surname without such context is left alone."""
    ranges = []
    i = 0
    while i < len(spans):
        if not _is_person(spans[i]):
            i += 1
            continue
        j = i
        while j < len(spans) and _is_person(spans[j]):
            j += 1
        run = spans[i:j]
        kinds = [s.pos[3] if len(s.pos) > 3 else "" for s in run]
        full_name = any(a == "姓" and b == "名" for a, b in zip(kinds, kinds[1:]))
        after = text[run[-1].end:]
        honorific = j < len(spans) and spans[j].surface in HONORIFICS
        if full_name or honorific or after.startswith(SELF_INTRODUCTIONS):
            ranges.append((run[0].begin, run[-1].end))
        i = j
    return ranges


def mask_names(text: str, morphology: Morphology) -> str:
    """Replace person names (see name_ranges) by a placeholder."""
    for begin, end in reversed(name_ranges(text, morphology.spans(text))):
        text = text[:begin] + NAME_PLACEHOLDER + text[end:]
    return text


def mask(text: str, morphology: Morphology | None = None) -> str:
    """Replace personal data by placeholders; names need the tokenizer's morphology."""
    if morphology is not None:
        text = mask_names(text, morphology)
    for pattern, placeholder in MASKS[:4]:  # e-mails, phones, postal codes first: they hold digits too
        text = pattern.sub(placeholder, text)
    text = mask_addresses(text)
    for pattern, placeholder in MASKS[4:]:
        text = pattern.sub(placeholder, text)
    return text
