"""The labelled sets the team measures understanding on, each in a tuning and a held-out half.

`report_all` runs every set through the dialogue (what a person sees) and returns one line
per set and half, so `shien-navi eval` and benchmarks/compare_peers.py print the same figures.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from assistant.evaluation import (ChatFn, asks_what_the_need_is, chat_search, evaluate, load_grid, load_messages,
                                  load_queries, share_of, shows_no_program)

HALVES = ("tune", "heldout")
RANKED = ("needs", "needs2", "needs3", "needs5", "needs6", "needs7", "needs8", "needs9", "owners4", "near_misses", "staff")
GRIDS = ("grid", "grid2")
SHARES = ("residents", "residents2", "residents3", "residents4", "residents5", "residents6", "residents7", "residents8",
          "residents9", "vague", "vague2", "vague3", "vague5", "vague6", "vague7", "vague8", "vague9")


def report_all(respond: ChatFn, sets_dir: Path) -> list[str]:
    """One summary line per labelled set and half, measured through the chat."""
    blind = sets_dir / "blind"
    search = chat_search(respond)
    lines = [f"dev              {evaluate(search, load_queries(sets_dir / 'dev_queries.tsv')).summary()}"]
    checks: dict[str, Callable[[object], bool]] = {
        "residents": shows_no_program,
        "vague": asks_what_the_need_is,
    }
    for half in HALVES:
        for name in RANKED:
            lines.append(f"{name:12} {half:7} {evaluate(search, load_queries(blind / f'{name}.{half}.tsv')).summary()}")
        for name in GRIDS:
            lines.append(f"{name:12} {half:7} {evaluate(search, load_grid(blind / f'{name}.{half}.json')).summary()}")
        for name in SHARES:
            good = checks[name.rstrip("0123456789")]
            lines.append(f"{name:12} {half:7} {share_of(respond, load_messages(blind / f'{name}.{half}.tsv'), good).summary()}")
    return lines
