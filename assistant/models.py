"""Records the assistant returns: ranked hits and dialogue replies."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from knowledge.models import Contact, Indicator, Program


@dataclass(frozen=True)
class Hit:
    """One ranked program, with the score and the words that made it match."""
    program: Program
    score: float
    matched: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    """One dialogue turn's answer; `context` travels back with the next message."""
    text: str
    intent: str
    hits: tuple[Hit, ...] = ()
    suggestions: tuple[str, ...] = ()
    context: Mapping[str, Any] = field(default_factory=dict)
    desks: tuple[Contact, ...] = ()
    indicator: Indicator | None = None
