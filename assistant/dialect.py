"""Fukushima dialect said in a message, rewritten to standard Japanese before the analysis.

Owners type as they talk (始めっかと思ってんだげんちょ, 見っかんねくて); Sudachi's dictionary is
standard Japanese, so the verbs and negations of dialect would be lost. The rewrites are data
(knowledge/data/frames.json, "dialect"), applied in order to the normalized text only: what
the owner typed is kept as typed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable


class DialectRewriter:
    """The rewrites compiled once."""

    def __init__(self, rewrites: Iterable[tuple[str, str]]):
        self.rewrites = tuple((re.compile(said), standard) for said, standard in rewrites)

    def __call__(self, text: str) -> str:
        for said, standard in self.rewrites:
            text = said.sub(standard, text)
        return text
