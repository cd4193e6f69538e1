"""Sudachi's synonym groups: a noun nobody listed finds the catalogue's word for the same thing."""
from __future__ import annotations

import pytest

from assistant.engine import Assistant
from assistant.synonyms import MAX_GROUPS, SynonymMap
from assistant.tokenizer import get_tokenizer


@pytest.fixture(scope="module")
def assistant(knowledge):
    return Assistant(knowledge)


def _token(word: str):
    return next(t for t in get_tokenizer().tokens(word) if t.is_content)


def test_a_word_finds_known_words_of_its_group_but_not_itself():
    synonyms = SynonymMap(["創業", "融資", "雇用"], get_tokenizer())
    assert synonyms.of(_token("起業")) == ("創業",)
    assert synonyms.of(_token("創業")) == ()
    assert synonyms.of(_token("採用")) == ("雇用",)
    assert synonyms.of(_token("桃")) == ()


def test_a_word_of_many_groups_stands_for_none():
    token = _token("職員")
    assert len(token.synonym_groups) > MAX_GROUPS
    assert SynonymMap(["社員", "従業員"], get_tokenizer()).of(token) == ()


@pytest.mark.parametrize("message, catalogue_word", [
    ("社労士に相談したい", "社会保険労務士"),
    ("復職する社員を支えたい", "職場復帰"),
])
def test_an_unlisted_noun_reaches_programs_by_its_synonym(assistant, message, catalogue_word):
    analysis = assistant.analyze(message)
    assert catalogue_word in analysis.synonym_terms
    hits = assistant.rank(analysis, 5)
    assert any(catalogue_word in h.matched for h in hits)


@pytest.mark.parametrize("message", ["新しくしたい", "使っている機械", "支援がほしい", "創業したい"])
def test_verbs_generic_and_known_words_are_not_expanded(assistant, message):
    assert assistant.analyze(message).synonym_terms == ()
