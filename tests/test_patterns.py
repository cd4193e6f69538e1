"""Finding fixed words in a text: the same words as a longest-first regular expression would find."""
from __future__ import annotations

import re

import pytest

from assistant.patterns import alternation, find_words

WORDS = ["人手", "人手不足", "不足", "創業", "創業支援", "支援", "手不"]


def regex_find_words(words: list[str], text: str) -> set[str]:
    """The reference: a longest-first alternation tried at every position."""
    ordered = sorted(set(words), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, ordered)))
    spans = [(start, m.end(), m.group(0)) for start in range(len(text)) if (m := pattern.match(text, start))]
    return {w for s, e, w in spans if not any(a <= s and e <= b and (b - a) > (e - s) for a, b, _ in spans)}


@pytest.mark.parametrize("text", ["人手不足で困っている", "創業支援を受けたい", "人手が足りない", "支援", "", "人手不足創業支援人手"])
def test_find_words_matches_the_regular_expression(text):
    assert find_words(alternation(WORDS), text) == regex_find_words(WORDS, text)


def test_a_word_inside_a_longer_match_is_not_found():
    assert find_words(alternation(WORDS), "人手不足") == {"人手不足"}


def test_a_word_running_past_the_end_is_not_found():
    assert find_words(alternation(["創業支援"]), "創業支") == set()


def test_all_spans_lists_every_word_by_start_longest_first():
    assert alternation(WORDS).all_spans("創業支援です") == [(0, 4, "創業支援"), (0, 2, "創業"), (2, 4, "支援")]


def test_no_words_find_nothing():
    assert find_words(alternation([]), "人手不足") == set()


def test_the_words_as_one_regular_expression_match_longest_first():
    assert alternation(WORDS).regex.match("人手不足").group(0) == "人手不足"


@pytest.mark.parametrize("text", ["桃と米", "桃太郎", "米", "もも"])
def test_one_character_words_come_after_longer_ones(text):
    words = ["桃", "米", "桃太郎", "太郎"]
    assert find_words(alternation(words), text) == regex_find_words(words, text)


def regex_find_words_within(words: list[str], text: str, boundaries: set[int]) -> set[str]:
    """The reference with word boundaries: the longest word at each boundary, kept only if it ends on one."""
    ordered = sorted(set(words), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, ordered)))
    spans = [(start, m.end(), m.group(0)) for start in sorted(boundaries)
             if (m := pattern.match(text, start)) and m.end() in boundaries]
    return {w for s, e, w in spans if not any(a <= s and e <= b and (b - a) > (e - s) for a, b, _ in spans)}


@pytest.mark.parametrize("text,boundaries", [("人手不足で困る", {0, 2, 4, 5, 7}), ("人手不足で困る", {0, 2, 5, 7}),
                                             ("創業支援", {0, 4}), ("創業支援", {0, 1, 4}), ("", {0})])
def test_find_words_within_boundaries_matches_the_regular_expression(text, boundaries):
    assert find_words(alternation(WORDS), text, boundaries) == regex_find_words_within(WORDS, text, boundaries)
