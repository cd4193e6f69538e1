"""The conversation state that travels in the contract's `context`.

Whatever comes back from a client is read defensively: unknown ids, wrong types or a
forged object simply give an empty state, never an error.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from knowledge.models import Knowledge

VERSION = 1
MAX_NEED_CHARS = 500
MAX_SHOWN = 20


@dataclass(frozen=True)
class Context:
    need: str | None = None          # the last need the owner described, for もっと
    shown: tuple[str, ...] = ()      # program ids of the last list, in order
    offset: int = 0                  # how many results of `need` have been shown
    focus: str | None = None         # the program the last answer was about
    desk: str | None = None          # the desk the last answer was about
    indicator: str | None = None     # the performance indicator the last answer was about

    def to_dict(self) -> dict[str, Any]:
        return {"v": VERSION, "need": self.need, "shown": list(self.shown), "offset": self.offset,
                "focus": self.focus, "desk": self.desk, "indicator": self.indicator}


def read_context(raw: Any, knowledge: Knowledge) -> Context:
    """Turn a client's context into a Context, dropping anything not valid."""
    if not isinstance(raw, Mapping):
        return Context()
    need = raw.get("need")
    need = need[:MAX_NEED_CHARS] if isinstance(need, str) and need.strip() else None
    shown_raw = raw.get("shown")
    shown = tuple(i for i in shown_raw[:MAX_SHOWN] if isinstance(i, str) and i in knowledge.program_by_id) \
        if isinstance(shown_raw, list) else ()
    offset = raw.get("offset")
    offset = offset if isinstance(offset, int) and not isinstance(offset, bool) and 0 <= offset <= MAX_SHOWN else 0
    return Context(need, shown, offset, _known(raw.get("focus"), knowledge.program_by_id),
                   _known(raw.get("desk"), knowledge.contact_by_id), _known(raw.get("indicator"), knowledge.indicator_by_id))


def _known(value: Any, registry: Mapping[str, Any]) -> str | None:
    return value if isinstance(value, str) and value in registry else None
