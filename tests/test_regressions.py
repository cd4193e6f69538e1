"""Questions once missed, kept answered: tests/data/regressions.tsv (and the data home's list, if set)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from web.curation import REGRESSIONS_FILE, read_regressions

SHIPPED = Path(__file__).resolve().parent / "data" / "regressions.tsv"
TOP = 5


def cases() -> list[tuple[str, list[str]]]:
    found = read_regressions(SHIPPED)
    home = os.environ.get("SHIEN_NAVI_DATA_HOME")
    if home and (Path(home) / REGRESSIONS_FILE).exists():  # the staff's own additions, when run on a server
        found += read_regressions(Path(home) / REGRESSIONS_FILE)
    return found


@pytest.fixture(scope="module")
def assistant(knowledge):
    from assistant.engine import Assistant
    return Assistant(knowledge)


@pytest.mark.parametrize("query, expected", cases())
def test_regression_question_finds_an_expected_program(assistant, query, expected):
    top = [hit.program.id for hit in assistant.search(query, limit=TOP)]
    assert set(expected) & set(top), f"{query}: expected one of {expected} in the top {TOP}, got {top}"


def test_the_shipped_list_names_real_programs(knowledge):
    for query, expected in read_regressions(SHIPPED):
        assert expected and all(pid in knowledge.program_by_id for pid in expected), query
