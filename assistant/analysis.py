"""What one message is made of, computed once and shared by search and the dialogue."""
from __future__ import annotations

from dataclasses import dataclass

from assistant.examples import Vote
from assistant.frames import FrameMatch, Thing
from assistant.fuzzy import NamedThing, Repair
from assistant.query import Query
from assistant.scope import ScopeVerdict
from assistant.vocabulary import VocabularyMatch


@dataclass(frozen=True)
class Analysis:
    """The query with everything recognised in it: need words, frames, typos, names, scope."""
    query: Query
    matches: tuple[VocabularyMatch, ...]   # vocabulary words, then frames as needs
    frames: tuple[FrameMatch, ...]
    repairs: tuple[Repair, ...]
    reading_terms: tuple[str, ...]
    named: tuple[NamedThing, ...]
    scope: ScopeVerdict
    thing_scopes: tuple[tuple[str, frozenset[str]], ...]  # (thing a frame hangs on, the frame's tags)
    muted_terms: frozenset[str] = frozenset()  # a thing's kind word (サロン in エステサロン): no evidence at all
    things: tuple[Thing, ...] = ()             # every noun phrase recognised as a kind of thing, framed or not
    synonym_terms: tuple[str, ...] = ()        # index words sharing a Sudachi synonym group with a query word
    vote: Vote | None = None                   # the programs the most similar labelled examples name
    run_by_speaker: frozenset[str] = frozenset()  # trades and shops the speaker runs (旅館をやってます, 店長です)

    def scope_of(self, term: str) -> frozenset[str] | None:
        """The needs a word may add points within, when it is part of a frame's thing (果樹 in 果樹園を始めたい)."""
        tags = [t for text, t in self.thing_scopes if term in text]
        return frozenset().union(*tags) if tags else None

    @property
    def framed_needs(self) -> frozenset[str]:
        """The needs built from the message's parts (パン屋を開きたい → 創業), not the general どこに相談すれば."""
        return frozenset(t for f in self.frames if not f.frame.fallback for t in f.frame.tags)

    @property
    def tags(self) -> list[str]:
        return list(dict.fromkeys(t for m in self.matches for t in m.entry.tags))

    @property
    def has_need(self) -> bool:
        """A need was recognised (a tagged vocabulary word or a frame), not only a kind of support."""
        return bool(self.tags)
