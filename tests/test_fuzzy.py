"""Typo repair and name resolution."""
from __future__ import annotations

import pytest

from assistant.engine import Assistant
from assistant.query import analyze_query


@pytest.fixture(scope="module")
def assistant(knowledge):
    return Assistant(knowledge)


REPAIRS = [
    ("後継車がいない", "後継車", "後継者"),
    ("決済端未を入れたい", "端未", "端末"),
    ("インボイス対応のレジに替えたい。保助金でるやつある？", "保助金", "補助金"),
    ("セルフレジ入れて人出不足なんとかしたい", "人出不足", "人手不足"),
    ("ネット予約のシシテム入れたい", "シシテム", "システム"),   # a word unknown to Sudachi may be a typo
]


@pytest.mark.parametrize("query,typed,meant", REPAIRS)
def test_typos_are_repaired(assistant, query, typed, meant):
    repairs = assistant.repairer.repair(analyze_query(query, assistant.tokenizer))
    assert (typed, meant) in {(r.typed, r.meant) for r in repairs}


@pytest.mark.parametrize("query", ["ハローワークに出しても応募がない", "ものづくりの技術者を育てたい", "相談すればいい",
                                   "事業所のごみを減らしたい",
                                   # a window that cuts a word (電気|工事), or whose changed part is a suffix,
                                   # a numeral, a pronoun or a word we know, is no typo
                                   "電気工事士が足りなくて困ってる", "営業担当が足りない", "和菓子屋の三代目です",
                                   "補助率ってどれくらい？", "幼稚園の預かり保育って何時までですか",
                                   "合同企業説明会に参加したい", "男性社員が育休とりたいって",
                                   "BCP 事業継続力強化計画 策定支援 市の担当",
                                   "ドローンの部品開発してる", "女性社長だと創業の融資の利子が補助される",
                                   "新しいレーザー加工機を入れたい"])  # 加工|機: a machine's name, no 加工品
def test_ordinary_words_are_not_corrected(assistant, query):
    assert assistant.repairer.repair(analyze_query(query, assistant.tokenizer)) == []


NAMES = [
    ("よろず支援拠点の電話番号", "program", "1-1-3"),
    ("ものづくり補助金の問い合わせ先", "program", "1-1-13"),
    ("ＩＴ導入補助金", "program", "1-1-11"),
    ("えふWORKについて", "program", "4-1-5"),
    ("産業雇用政策課の番号", "desk", "desk-005"),
    ("ハイテクプラザ", "program", "4-2-8"),
    ("ものずくり補助金", "program", "1-1-13"),  # a typo in a name, found fuzzily
]


@pytest.mark.parametrize("query,kind,ident", NAMES)
def test_names_are_resolved(assistant, query, kind, ident):
    named = assistant.names.find(analyze_query(query, assistant.tokenizer))
    assert (named[0].kind, named[0].id) == (kind, ident)


def test_no_name_in_a_plain_need(assistant):
    assert assistant.names.find(analyze_query("人手不足で困っている", assistant.tokenizer)) == []


@pytest.mark.parametrize("query,ident", [("たべすけ 担当課", "2-2-4"), ("フクシマルット", "2-1-2")])
def test_names_are_found_in_either_kana(assistant, query, ident):
    named = assistant.names.find(analyze_query(query, assistant.tokenizer))
    assert named and named[0].id == ident and named[0].matched in query


@pytest.mark.parametrize("query", ["事業者向けの支援について聞きたい", "金融機関から借りたい", "商店街等のイベント"])
def test_kinds_of_body_without_a_phone_are_no_desk_names(assistant, query):
    """事業者, 金融機関, 商店街等 carry programs out in the document but are no desk anyone calls."""
    assert [n for n in assistant.names.find(analyze_query(query, assistant.tokenizer)) if n.kind == "desk"] == []


def test_a_desk_of_government_without_a_phone_is_still_named(assistant):
    named = assistant.names.find(analyze_query("内閣府の制度", assistant.tokenizer))
    assert named and named[0].kind == "desk" and named[0].name == "内閣府"
