"""User text as pages show it: bidirectional controls removed.

A right-to-left override (U+202E) or an isolate in what a visitor typed would reorder the
text around it on an official page, e.g. turn a phone number round. Letters of right-to-left
scripts are kept; only the invisible controls go.
"""
from __future__ import annotations

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROP = {ord(ch): None for ch in BIDI_CONTROLS}


def strip_bidi(text: str) -> str:
    """Remove the bidirectional embedding, override, isolate and mark characters."""
    return text.translate(_DROP)
