"""Fukushima dialect said in a message, rewritten to standard Japanese before the analysis.

Owners type as they talk (始めっかと思ってんだげんちょ, 見っかんねくて); Sudachi's dictionary is
standard Japanese, so the verbs and negations of dialect would be lost. The rewrites are data
(knowledge/data/frames.json, "dialect"), applied in order to the normalized text only: what
the owner typed is kept as typed. Greetings are dropped there too.
"""
from __future__ import annotations

import re
from collections.abc import Iterable


class DialectRewriter:
    """The rewrites compiled once."""

    def __init__(self, rewrites: Iterable[tuple[str, str]], set_phrases: Iterable[str] = ()):
        self.rewrites = tuple((re.compile(said), standard) for said, standard in rewrites)
        # greetings say nothing of the need, and はじめまして would read as 始める (to start)
        kana_phrases = sorted({p for p in set_phrases if not p.isascii()}, key=len, reverse=True)
        self.set_phrases = re.compile("|".join(map(re.escape, kana_phrases))) if kana_phrases else None

    def __call__(self, text: str) -> str:
        if self.set_phrases is not None:
            text = self.set_phrases.sub(" ", text)
        for said, standard in self.rewrites:
            text = said.sub(standard, text)
        return text
