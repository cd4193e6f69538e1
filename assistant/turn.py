"""One dialogue turn as a typed record: the message, its analysis, the context, the ranking.

Every rule of the dialogue reads the same record, and the ranking is computed at most once.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from assistant.analysis import Analysis
from assistant.context import Context
from assistant.engine import Assistant
from assistant.intents import Cues
from assistant.models import Hit
from assistant.text import normalize
from knowledge.models import Knowledge

MAX_RESULTS = 20  # how far もっと can go


@dataclass
class Turn:
    assistant: Assistant
    message: str
    analysis: Analysis
    context: Context

    @property
    def text(self) -> str:
        """The message as typed, normalized, without spaces, lower-cased: what cue words are looked for in
        (the analysis's own text has greetings dropped and dialect rewritten)."""
        return normalize(self.analysis.query.text).replace(" ", "").lower()

    @property
    def content(self) -> list[str]:
        return [t.normalized for t in self.analysis.query.tokens if t.is_content]

    @property
    def cues(self) -> Cues:
        return self.assistant.cues

    @property
    def knowledge(self) -> Knowledge:
        return self.assistant.knowledge

    @cached_property
    def ranking(self) -> list[Hit]:
        """The message's programs, best first, as far as もっと can go."""
        return self.assistant.rank(self.analysis, MAX_RESULTS)

    @property
    def new_need(self) -> bool:
        """The message says a need of its own (a need word or a frame), or names a program."""
        return self.analysis.has_need or bool(self.analysis.named)
