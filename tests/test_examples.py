"""Labelled example messages: a new message gets the programs its nearest examples name."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from assistant.benchmark_sets import RANKED
from assistant.dialogue import respond
from assistant.engine import Assistant
from assistant.evaluation import load_queries
from assistant.examples import ExampleNeighbours
from assistant.tokenizer import get_tokenizer
from knowledge.loader import EXAMPLES_FILE, current_examples, read_examples
from knowledge.models import Example

BLIND = Path(__file__).parent / "data" / "blind"
DOCS = {"2-2-7": 0, "2-2-2": 1, "2-1-2": 2, "4-2-1": 3}


def _neighbours(examples):
    tokenizer = get_tokenizer()
    return ExampleNeighbours(examples, lambda text: tokenizer.document_terms(text)[0], DOCS)


def _terms(text):
    return get_tokenizer().document_terms(text)[0]


def test_the_nearest_examples_vote_for_their_programs_the_first_named_most():
    neighbours = _neighbours([Example("冷凍ショーケースの電気代が高い", ("2-2-7", "2-2-2")),
                              Example("パン屋を開きたい", ("2-1-2",)), Example("求人を出しても人が来ない", ("4-2-1",))])
    vote = neighbours.vote(_terms("ショーケースの電気代がきつい"))
    points = dict(zip(vote.docs.tolist(), vote.points.tolist()))
    assert set(points) == {DOCS["2-2-7"], DOCS["2-2-2"]}
    assert points[DOCS["2-2-7"]] > points[DOCS["2-2-2"]] > 0
    closest = dict(zip(vote.docs.tolist(), vote.closest.tolist()))
    assert closest[DOCS["2-2-7"]] > 0 and closest[DOCS["2-2-2"]] == 0  # only a first-named program may enter alone
    assert vote.nearest == ("冷凍ショーケースの電気代が高い",)


def test_a_message_sharing_no_word_with_any_example_gets_no_vote():
    neighbours = _neighbours([Example("パン屋を開きたい", ("2-1-2",))])
    assert neighbours.vote(_terms("冷凍ショーケースの電気代")) is None
    assert neighbours.vote([]) is None


def test_a_faint_likeness_says_nothing():
    """One shared word among many is no likeness: the long example shares only 和菓子 with the message."""
    long_example = "長年やってきた和菓子の店で職人が高齢になり後継ぎもおらず設備も古く売上も落ち資金繰りも厳しい"
    neighbours = _neighbours([Example(long_example, ("2-1-2",)), Example("パン屋を開きたい", ("2-1-2",))])
    terms = ["和菓子", "融資", "利子", "保証", "返済", "据置", "運転資金", "信用", "金利", "銀行"]
    assert neighbours.vote(terms) is None
    assert neighbours.vote(terms[:2]) is not None  # the same word in a short message is a likeness


def test_examples_for_programs_the_catalogue_does_not_have_are_ignored():
    neighbours = _neighbours([Example("パン屋を開きたい", ("9-9-9",))])
    assert neighbours.vote(_terms("パン屋を開きたい")) is None


def test_a_label_whose_id_now_names_another_program_is_dropped(knowledge):
    doc = {"program_names": {"2-1-2": knowledge.program_by_id["2-1-2"].name, "2-1-3": "別の事業"},
           "examples": [{"text": "店を開きたい", "programs": ["2-1-3", "2-1-2"], "source": "t"},
                        {"text": "女性の起業", "programs": ["2-1-3"], "source": "t"},
                        {"text": "消えた事業", "programs": ["9-9-9"], "source": "t"}]}
    assert current_examples(doc, knowledge.programs) == (Example("店を開きたい", ("2-1-2",)),)


def test_the_shipped_examples_are_valid_and_all_labels_still_mean_their_programs(knowledge):
    doc = read_examples()
    assert len(knowledge.examples) == len(doc["examples"]) > 500
    for i, name in doc["program_names"].items():
        assert knowledge.program_by_id[i].name == name


def test_examples_hold_every_tuning_half_and_written_example_and_no_held_out_message():
    texts = {e["text"]: tuple(e["programs"]) for e in json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))["examples"]}
    written = sorted((Path(__file__).parent.parent / "knowledge" / "examples").glob("*.tsv"))
    assert written
    held_out = {q.text for name in RANKED for q in load_queries(BLIND / f"{name}.heldout.tsv")}
    for path in written:
        for q in load_queries(path):
            assert q.text in texts or q.text in held_out, \
                f"{path.name} is newer than examples.json: run scripts/build_examples.py"
    for name in RANKED:
        for q in load_queries(BLIND / f"{name}.tune.tsv"):
            assert q.text in texts, f"{name}.tune is newer than examples.json: run scripts/build_examples.py"
        for q in load_queries(BLIND / f"{name}.heldout.tsv"):
            assert q.text not in texts, f"{name}.heldout leaked into the examples: {q.text}"


@pytest.fixture(scope="module")
def assistant(knowledge):
    return Assistant(knowledge)


def test_through_the_chat_the_examples_move_their_own_messages_to_their_programs(assistant, knowledge):
    """Wiring: each example's message answered with the examples and without them."""
    bare = Assistant(dataclasses.replace(knowledge, examples=()))

    def share(a):
        firsts = [bool(r.hits) and r.hits[0].program.id in e.programs
                  for e in knowledge.examples for r in [respond(a, e.text, None)]]
        return sum(firsts) / len(firsts)
    with_examples, without = share(assistant), share(bare)
    assert with_examples >= 0.7 and with_examples > without + 0.08, (with_examples, without)


def test_a_message_of_generic_words_only_gets_no_vote_and_a_question_back(assistant):
    analysis = assistant.analyze("相談したいんだけど")
    assert assistant.neighbours.vote(t for t in analysis.query.terms if t.lower() not in assistant.generic) is None
    assert not respond(assistant, "相談したいんだけど", None).hits


def test_without_examples_the_assistant_still_answers(knowledge):
    bare = Assistant(dataclasses.replace(knowledge, examples=()))
    assert bare.neighbours.vote(["パン屋"]) is None
    assert bare.search("パン屋を開きたい")[0].program.tags[0] == "創業"


def test_a_need_built_from_parts_keeps_the_examples_within_that_need(knowledge):
    """学習塾を開きたい is 創業 by its structure: an example naming the plain loan adds nothing to the loan."""
    loan_example = (Example("学習塾の資金が足りなくて困っている", ("1-1-5",)),)
    with_example = Assistant(dataclasses.replace(knowledge, examples=loan_example))
    without = Assistant(dataclasses.replace(knowledge, examples=()))

    def scores(assistant, message):
        return {h.program.id: h.score for h in assistant.search(message, limit=10)}
    framed = "学習塾を開きたいけど資金が足りない"
    assert with_example.neighbours.vote(_terms(framed)) is not None
    assert scores(with_example, framed).get("1-1-5") == scores(without, framed).get("1-1-5")
    unframed = "学習塾の資金が足りない"  # no need built from parts: the example may speak
    assert scores(with_example, unframed).get("1-1-5", 0) > scores(without, unframed).get("1-1-5", 0)


def test_one_shared_word_does_not_let_an_example_bring_a_program_in():
    """毎日不安で眠れない: 毎日 alone, however rare, is no likeness to 毎日のレジ締めが大変."""
    neighbours = _neighbours([Example("毎日のレジ締めが大変", ("2-2-7",))])
    one_word = neighbours.vote(["毎日", "職場"])
    assert one_word is not None and one_word.points[0] > 0 and one_word.closest[0] == 0
    two_words = neighbours.vote(["毎日", "レジ", "職場"])
    assert two_words.closest[0] > 0


def test_a_message_said_the_way_owners_examples_say_it_is_answered_not_asked_about(knowledge):
    """メンタルで休んでる子 leans toward a person's life (子, 休む); an owner's example in nearly these words
    says it is a workplace matter."""
    from assistant.models import Intent
    message = "メンタルで休んでる子がいる。社内で心の講座やってもらえない？"
    examples = (Example("メンタルで休んでる子がいて、社内で講座をやってほしい", ("5-1-3",)),
                Example("メンタル不調で休む社員がいる。社内で心の講座をお願いしたい", ("5-1-3",)))
    bare = respond(Assistant(dataclasses.replace(knowledge, examples=())), message, None)
    taught = respond(Assistant(dataclasses.replace(knowledge, examples=examples)), message, None)
    assert not bare.hits and bare.intent is Intent.CLARIFY
    assert taught.intent is Intent.NEED and taught.hits[0].program.id == "5-1-3"


def test_the_owners_trade_beside_a_need_does_not_choose_among_the_needs_programs(knowledge):
    """定食屋を開きたい is 創業 by its parts; that an example of a 定食屋 named the rent subsidy says nothing of
    which start-up program fits. The same trade with no need built from parts is compared as usual."""
    examples = (Example("駅前で定食屋を出したい、家賃が心配", ("2-1-9",)), Example("定食屋の家賃を補助してほしい", ("2-1-9",)))
    assistant = Assistant(dataclasses.replace(knowledge, examples=examples))
    assert assistant.analyze("定食屋を開きたいです").vote is None
    unframed = assistant.analyze("定食屋の家賃を補助してもらえる？").vote
    assert unframed is not None and knowledge.programs[int(unframed.docs[0])].id == "2-1-9"


@pytest.mark.parametrize("message", ["申し込み方法は？", "手続きのやり方を知りたい", "申込の仕方"])
def test_how_to_apply_with_no_program_in_view_is_asked_back_not_matched_to_examples(assistant, message):
    """Words of procedure (申し込み, 方法, 手続き) say how, not what: examples asking how to apply for some
    program do not decide which program this is."""
    assert assistant.analyze(message).vote is None
    assert not respond(assistant, message, None).hits
