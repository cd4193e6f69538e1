"""Understanding measured on material written blind, through the chat (tests/data/blind/README.md).

The bounds guard what was measured on each half when these tests were written; they sit under
the measured figures by a small margin so a regression fails, and they are not the issue's
targets (see the README's figures). Both halves are checked; only the tuning half was tuned on,
and the tuning halves of the need sets are also the assistant's labelled examples.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.dialogue import respond
from assistant.engine import Assistant
from assistant.evaluation import (asks_what_the_need_is, chat_search, evaluate, load_grid, load_messages, load_queries,
                                  share_of, shows_no_program)

BLIND = Path(__file__).parent / "data" / "blind"


@pytest.fixture(scope="module")
def chat(knowledge):
    assistant = Assistant(knowledge)
    return lambda message, context: respond(assistant, message, context)


# set, half, bound on hit@1 (ranked sets) — measured at writing: see the module docstring
RANKED = [
    ("needs", "tune", 0.94), ("needs", "heldout", 0.87),
    ("needs2", "tune", 0.93), ("needs2", "heldout", 0.87),
    ("needs3", "tune", 0.87), ("needs3", "heldout", 0.82),
    ("needs5", "tune", 0.92), ("needs5", "heldout", 0.84),
    ("needs6", "tune", 0.87), ("needs6", "heldout", 0.71),
    ("needs7", "tune", 0.76), ("needs7", "heldout", 0.74),
    ("needs8", "tune", 0.83), ("needs8", "heldout", 0.70),
    ("needs9", "tune", 0.93), ("needs9", "heldout", 0.88),
    ("owners4", "tune", 0.93), ("owners4", "heldout", 0.87),
    ("near_misses", "tune", 0.95), ("near_misses", "heldout", 0.85),
    ("staff", "tune", 0.90), ("staff", "heldout", 0.90),
]


@pytest.mark.parametrize("name,half,bound", RANKED)
def test_blind_needs_through_the_chat(chat, name, half, bound):
    report = evaluate(chat_search(chat), load_queries(BLIND / f"{name}.{half}.tsv"))
    assert report.hit1 >= bound, report.summary()


@pytest.mark.parametrize("name,half,bound", [("grid", "tune", 0.95), ("grid", "heldout", 0.95),
                                             ("grid2", "tune", 0.95), ("grid2", "heldout", 0.96)])
def test_grid_of_trades_roles_and_machines_through_the_chat(chat, name, half, bound):
    """5 headline needs × 20–37 things × 8 phrasings per half."""
    queries = load_grid(BLIND / f"{name}.{half}.json")
    assert len(queries) > 800
    report = evaluate(chat_search(chat), queries, k=1)
    assert report.hit1 >= bound, report.summary()


@pytest.mark.parametrize("name,half,bound", [("residents", "tune", 0.93), ("residents", "heldout", 0.88),
                                             ("residents2", "tune", 0.95), ("residents2", "heldout", 0.84),
                                             ("residents3", "tune", 0.95), ("residents3", "heldout", 0.80),
                                             ("residents4", "tune", 0.90), ("residents4", "heldout", 0.84),
                                             ("residents5", "tune", 0.87), ("residents5", "heldout", 0.76),
                                             ("residents6", "tune", 0.87), ("residents6", "heldout", 0.83),
                                             ("residents7", "tune", 0.85), ("residents7", "heldout", 0.90),
                                             ("residents8", "tune", 0.82), ("residents8", "heldout", 0.70),
                                             ("residents9", "tune", 0.85), ("residents9", "heldout", 0.80)])
def test_residents_get_no_program(chat, name, half, bound):
    report = share_of(chat, load_messages(BLIND / f"{name}.{half}.tsv"), shows_no_program)
    assert report.share >= bound, _explained(report, half)


@pytest.mark.parametrize("name,half,bound", [("vague", "tune", 0.95), ("vague", "heldout", 0.90),
                                             ("vague2", "tune", 0.90), ("vague2", "heldout", 0.72),
                                             ("vague3", "tune", 0.88), ("vague3", "heldout", 0.88),
                                             ("vague5", "tune", 0.93), ("vague5", "heldout", 0.78),
                                             ("vague6", "tune", 0.77), ("vague6", "heldout", 0.90),
                                             ("vague7", "tune", 0.90), ("vague7", "heldout", 0.72),
                                             ("vague8", "tune", 0.90), ("vague8", "heldout", 0.73),
                                             ("vague9", "tune", 0.85), ("vague9", "heldout", 0.75)])
def test_vague_messages_get_a_question_back(chat, name, half, bound):
    report = share_of(chat, load_messages(BLIND / f"{name}.{half}.tsv"), asks_what_the_need_is)
    assert report.share >= bound, _explained(report, half)


def _explained(report, half: str):
    """A failing tuning half shows its messages; a held-out half only its figures, so that nobody reads (and
    tunes on) the messages it exists to keep unseen."""
    return report.failures if half == "tune" else report.summary()
