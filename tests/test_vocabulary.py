"""The needs vocabulary: everyday words reach the tags they mean, and only those."""
from __future__ import annotations

import pytest

from assistant.query import analyze_query
from assistant.tokenizer import get_tokenizer
from assistant.vocabulary import VocabularyMatcher


@pytest.fixture(scope="module")
def matcher(knowledge):
    return VocabularyMatcher(knowledge.vocabulary, get_tokenizer())


def tags_of(matcher, text):
    return {t for m in matcher.match(analyze_query(text, get_tokenizer())) for t in m.entry.tags}


MEANS = [
    ("息子が継がないと言っている", "事業承継"),   # a conjugated verb, by its lemma
    ("跡取りがいない", "事業承継"),
    ("会社を売りたい", "事業承継"),
    ("お店を始めたい", "創業"),
    ("独立して店を開く", "創業"),
    ("電気代が高い", "省エネ・脱炭素"),
    ("ＬＥＤにしたい", "省エネ・脱炭素"),          # full width
    ("しょうエネ", "省エネ・脱炭素"),               # by reading
    ("人が集まらない", "人材確保"),
    ("パートを雇いたい", "人材確保"),
    ("お金を借りたい", "資金繰り・融資"),
    ("社員のスキルアップ", "人材育成"),
    ("地震に備えたい", "防災・BCP"),
    ("食品ロスを減らしたい", "環境・ごみ削減"),
]


@pytest.mark.parametrize("text,tag", MEANS)
def test_everyday_words_reach_their_tag(matcher, text, tag):
    assert tag in tags_of(matcher, text)


NOT_MEANT = [
    ("誰に相談すればいい", "経営相談"),   # どこに相談 is matched as spelled only
    ("近所の人に知ってもらいたい", "人材確保"),  # 人が来ない must not match every 人
    ("人手不足で困っている", "人材育成"),    # 人手 inside 人手不足 is not a match of its own
    ("ハローワークに出した", "資金繰り・融資"),  # no ローン inside ハローワーク
]


@pytest.mark.parametrize("text,tag", NOT_MEANT)
def test_words_do_not_match_by_accident(matcher, text, tag):
    assert tag not in tags_of(matcher, text)


def test_every_entry_word_matches_itself(matcher):
    tokenizer = get_tokenizer()
    for entry in matcher.entries:
        for word in entry.words:
            matched = matcher.match(analyze_query(word, tokenizer))
            assert any(m.entry is entry for m in matched), word


def test_a_suffix_that_changes_a_nouns_meaning_keeps_them_one_word(knowledge):
    """スマホ代 (a phone bill) is no スマホ: スマホで払う (paying by phone) must not match it by lemma."""
    from assistant.engine import Assistant
    assistant = Assistant(knowledge)
    def cashless(message):
        return any("キャッシュレス" in m.entry.words for m in assistant.analyze(message).matches)
    assert not cashless("スマホ代が払えない")
    assert cashless("スマホで払えないのかって客に言われる")
    assert "パート" in assistant.analyze("パートさんが足りない").query.words  # さん adds nothing


def test_having_foreign_workers_come_is_no_company_visit(knowledge):
    """来てもらう is a visit only to a place (会社に来てもらって); 外国の人に来てもらう is hiring."""
    from assistant.engine import Assistant
    assistant = Assistant(knowledge)
    def visit(message):
        return any("企業訪問" in m.entry.words for m in assistant.analyze(message).matches)
    assert visit("市の担当の人に会社に来てもらって話を聞きたい")
    assert not visit("外国の人に来てもらおうと思ってるけど手続きがわからない")


def test_a_spelled_word_starts_and_ends_on_short_word_boundaries(knowledge):
    """営業 inside 自|営業 (self-employed) is no sales need; 育休 in 育休|明け and 旅行 in 修学|旅行 still count."""
    from assistant.engine import Assistant
    assistant = Assistant(knowledge)
    assert "営業" not in [m.word for m in assistant.analyze("自営業なんだけど市から何か出るの？").matches]
    assert "育休" in [m.word for m in assistant.analyze("育休明けの人が戻りやすいようにしたい").matches]
    assert "旅行" in [m.word for m in assistant.analyze("修学旅行の子どもたちを受け入れたい").matches]


def test_a_reading_inside_a_longer_katakana_word_is_no_match(knowledge):
    """パート is a vocabulary word; アパート is not a part-timer, while ぱーと typed in hiragana still is."""
    from assistant.query import analyze_query
    from assistant.tokenizer import get_tokenizer
    from assistant.vocabulary import VocabularyMatcher
    tokenizer = get_tokenizer()
    matcher = VocabularyMatcher(knowledge.vocabulary, tokenizer)

    def words(text):
        return {w for m in matcher.match(analyze_query(text, tokenizer)) for w in (m.words or (m.word,))}
    assert "パート" not in words("アパート出たのに大家が敷金返してくんない")
    assert "パート" in words("パートさんが足りない")
