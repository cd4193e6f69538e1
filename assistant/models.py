"""Records the assistant returns: ranked hits and dialogue replies made of parts."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Mapping

from knowledge.models import Contact, Indicator, Program


class Intent(StrEnum):
    """What a turn was taken to be; the value is what the API and the log say."""
    CRISIS = "crisis"
    GREETING = "greeting"
    THANKS = "thanks"
    HELP = "help"
    MORE = "more"
    FOLLOW_UP = "follow_up"
    NOT_IN_DOCUMENT = "not_in_document"
    INDICATOR = "indicator"
    PROGRAM = "program"
    DESK = "desk"
    FILTER = "filter"
    CATEGORY = "category"
    OUT_OF_SCOPE = "out_of_scope"
    REFINE = "refine"
    CLARIFY = "clarify"
    NEED = "need"
    NOT_FOUND = "not_found"

    @property
    def answered(self) -> bool:
        """Whether a turn of this kind answers the person (the others go to the staff's gap board)."""
        return self not in (Intent.CLARIFY, Intent.OUT_OF_SCOPE, Intent.NOT_FOUND)


@dataclass(frozen=True)
class Hit:
    """One ranked program, with the score and the words that made it match."""
    program: Program
    score: float
    matched: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    """One dialogue turn's answer as parts: every channel renders text or cards from the same parts.

    `lead` says what to do first; `body` holds paragraphs of details (a program's text, a
    desk, an indicator); `hits` are the programs, numbered from `first`; `follow_up` says
    how to go on. `context` travels back with the next message.
    """
    intent: Intent
    lead: str
    hits: tuple[Hit, ...] = ()
    body: tuple[str, ...] = ()
    follow_up: str | None = None
    suggestions: tuple[str, ...] = ()
    context: Mapping[str, Any] = field(default_factory=dict)
    desks: tuple[Contact, ...] = ()
    indicator: Indicator | None = None
    first: int = 1
    source: str = ""  # the document cited (its own title: the edition in use)
