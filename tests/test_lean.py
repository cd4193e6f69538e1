"""The words' lean toward a person's life or a business, learned from the data's two sides."""
from __future__ import annotations

import pytest

from assistant.dialogue import leans_personal, respond
from assistant.engine import Assistant
from assistant.lean import WordLean
from assistant.tokenizer import get_tokenizer


@pytest.fixture(scope="module")
def assistant(knowledge):
    return Assistant(knowledge)


def test_words_lean_to_the_side_that_writes_them():
    tokenizer = get_tokenizer()
    lean = WordLean([tokenizer.tokens(t) for t in ("温泉に泊まりたい", "子連れで泊まれる宿")],
                    [tokenizer.tokens(t) for t in ("従業員を雇いたい", "取引先を増やしたい")])
    assert lean.score(tokenizer.tokens("子連れで泊まりたい")) > 0
    assert lean.score(tokenizer.tokens("従業員の取引先")) < 0
    assert lean.score(tokenizer.tokens("ミジンコ")) == 0  # a word neither side writes says nothing


def test_the_shipped_data_leans_a_visitor_and_an_owner_apart(assistant):
    assert assistant.analyze("土湯温泉に子連れで泊まりたい、おすすめの宿ある？").scope.lean > 4
    assert assistant.analyze("求人を出しても人が来ない").scope.lean < 0


def test_a_message_leaning_to_a_person_with_no_business_sign_is_asked_about(assistant):
    message = "夏休みに孫と泊まりたい"  # no cue phrase in it: the words' lean alone
    assert assistant.analyze(message).scope.outside_score == 0
    reply = respond(assistant, message)
    assert reply.intent == "clarify" and not reply.hits


@pytest.mark.parametrize("message", [
    "子どもが熱だすとパートさんが休んじゃう。病気の子を預かってくれるところってない？",  # staff: an employer
    "飯坂で小さい旅館やってます。困りごとがありすぎて、どこに聞けばいいのかすらわからない",  # a trade run
    "フリーのイラストレーターです。ずっと家で一人作業で、仕事仲間に出会える場所がほしいです",  # who one is
    "パセオ通りのあたりで店を借りたいけど家賃が高すぎて手が出ない",  # 店 plainly: someone's shop
])
def test_a_business_sign_outweighs_the_lean(assistant, message):
    turn_analysis = assistant.analyze(message)
    assert turn_analysis.scope.lean > 4  # the words alone lean to a person's life
    assert not leans_personal(turn_analysis, assistant.cues)


def test_a_trade_said_as_a_place_one_goes_is_no_business_sign(assistant):
    reply = respond(assistant, "いくきゅうあけで保育所にあずけたい　てんすうってどうやってきまるの")
    assert not reply.hits
