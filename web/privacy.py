"""Mask personal data in what citizens type before anything is stored.

Phone numbers, e-mail addresses and postal codes are replaced by a placeholder; any
other long run of digits (account, My Number) too, because a log must never hold them.
"""
from __future__ import annotations

import re

_DASHES = "\\-‐‑‒–—―−ー－ｰ"
_DASH = f"[{_DASHES}]"
_SEP = rf"(?:\s*{_DASH}\s*|\s+|[()（）]\s*)"

_EMAIL = re.compile(r"[\w.+\-]+\s*[@＠]\s*[\w\-]+(?:\s*[.．]\s*[\w\-]+)+")
_POSTAL = re.compile(rf"〒\s*\d{{3}}(?:{_DASH}?\d{{4}})?|(?<!\d)\d{{3}}{_DASH}\d{{4}}(?![\d{_DASHES}])")
_PHONE = re.compile(
    rf"(?<!\d)(?:[+＋]\s*(?:81|８１){_SEP}?\d{{1,4}}|[(（]?[0０]\d{{1,4}}[)）]?){_SEP}?\d{{1,4}}{_SEP}?\d{{3,4}}(?!\d)")
_DIGITS = re.compile(rf"\d(?:{_SEP}?\d){{6,}}")

MASKS = ((_EMAIL, "[メール]"), (_PHONE, "[電話番号]"), (_POSTAL, "[郵便番号]"), (_DIGITS, "[番号]"))


def mask(text: str) -> str:
    """Replace e-mail addresses, postal codes, phone numbers and long digit runs by placeholders."""
    for pattern, placeholder in MASKS:
        text = pattern.sub(placeholder, text)
    return text
