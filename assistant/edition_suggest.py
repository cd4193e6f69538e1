"""Tags and kinds for a program the edition in use does not know, from the assistant's own reading.

The new program's name and description are read like a question: the needs vocabulary gives
tags, the programs it ranks nearest give more, and the kinds of support are those the text
gives evidence for (else the nearest programs' most common kind). Everything is 要確認.
"""
from __future__ import annotations

from collections import Counter

from assistant.engine import Assistant
from knowledge.edition.curation import Suggester, evidence_kinds

MAX_TAGS = 3
NEIGHBOURS = 5


def assistant_suggester(assistant: Assistant) -> Suggester:
    """A suggester for knowledge.edition.assemble backed by the assistant's vocabulary and ranking."""
    kinds = assistant.knowledge.vocabulary.kinds
    tag_ids = {t.id for t in assistant.knowledge.vocabulary.tags}

    def suggest(name: str, description: str) -> tuple[list[str], list[str]]:
        analysis = assistant.analyze(f"{name}。{description}")
        hits = assistant.rank(analysis, NEIGHBOURS)
        votes: Counter[str] = Counter()
        for rank, tag in enumerate(analysis.tags):
            votes[tag] += 10 - rank  # words in the text itself count most
        for hit in hits:
            votes.update(hit.program.tags)
        tags = [t for t, _ in votes.most_common() if t in tag_ids][:MAX_TAGS]
        found = evidence_kinds(description, kinds)
        if not found:
            nearest = Counter(k for hit in hits for k in hit.program.kinds)
            found = [nearest.most_common(1)[0][0]] if nearest else []
        return tags, found
    return suggest
