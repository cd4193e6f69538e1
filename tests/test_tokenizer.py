"""Tests for assistant.tokenizer: Sudachi analyses as the matcher relies on them."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text import has_kanji, is_kana, to_hiragana
from assistant.tokenizer import Token, Tokenizer, get_tokenizer


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    """Load the Sudachi dictionary once for the module (≈ 50 ms)."""
    return Tokenizer()


# Spelling variants that Sudachi's normalized_form() folds to one term.
UNIFIED_VARIANTS = [
    ("引き継ぎ", "引継ぎ"),
    ("引継ぎ", "引継"),
    ("子供", "子ども"),
    ("ＩＴ", "IT"),
    ("IT", "it"),
    ("問合せ", "問い合わせ"),
    ("申込", "申し込み"),
    ("取組", "取り組み"),
    ("ｲﾝﾎﾞｲｽ", "インボイス"),
    ("シュミレーション", "シミュレーション"),
    ("ＬＥＤ", "led"),
]

# Known gaps: these need the project's own vocabulary, not the tokenizer.
NOT_UNIFIED = [
    ("省エネ", "省エネルギー"),
    ("HP", "ホームページ"),
    ("後継者", "跡継ぎ"),
]

TERMS_CASES = [
    ("省エネルギー設備導入支援事業", ["省エネルギー", "エネルギー", "設備", "導入", "支援", "事業"]),
    ("中小企業の事業承継", ["中小企業", "中小", "企業", "事業", "承継"]),
    ("人手不足で困っています", ["人手不足", "人手", "不足", "困る"]),
    ("相談している", ["相談"]),
    ("ＬＥＤに交換したい", ["led", "交換"]),
    ("M&Aを検討", ["m&a", "検討"]),
    ("DXやBCPの支援", ["dx", "bcp", "支援"]),
    ("IT導入補助金", ["it", "導入", "補助金", "補助"]),  # 金 is a suffix in mode A: dropped
    ("どうすればいいですか", []),
    ("引き継ぎ 引継ぎ 引継", ["引き継ぎ"] * 3),  # term frequency is kept for BM25
    ("", []),
]

# (kana as typed, kanji word whose reading it must match)
READING_CASES = [
    ("そうぎょう", "創業"),
    ("ソウギョウ", "創業"),
    ("ｿｳｷﾞｮｳ", "創業"),
    ("じぎょうしょうけい", "事業承継"),
    ("ゆうし", "融資"),  # Sudachi reads ゆうし as 有する: the whole-query key saves it
    ("じんざい", "人材"),
    ("しょうえね", "省エネ"),
]

FURIGANA_CASES = [
    ("創業", [("創業", "そうぎょう")]),
    ("引き継ぎの相談", [("引", "ひ"), ("き", None), ("継", "つ"), ("ぎの", None), ("相談", "そうだん")]),
    ("人手不足で困っています", [("人手不足", "ひとでふそく"), ("で", None), ("困", "こま"), ("っています", None)]),
    ("ＬＥＤ照明", [("ＬＥＤ", None), ("照明", "しょうめい")]),
    ("お店", [("お", None), ("店", "みせ")]),
    ("そうぎょう", [("そうぎょう", None)]),
    ("", []),
]

ROUND_TRIP_SAMPLES = [
    "ＩＴ導入補助金の申請は１０月まで。",
    "  創業\u3000支援\n\nセミナー  ",
    "融\x00資\u200bの相談😀👍🏽",
    "ｲﾝﾎﾞｲｽ対応ｺｰﾋｰ〜",
    "a\ud800b漢字",
    "葛\U000e0100城市",
]


def test_token_is_a_frozen_record(tokenizer: Tokenizer) -> None:
    token = tokenizer.tokens("創業")[0]
    assert token == Token("創業", "創業", "ソウギョウ", ("名詞", "普通名詞", "サ変可能", "*", "*", "*"), True,
                          synonym_groups=tokenizer.tokens("起業")[0].synonym_groups)
    with pytest.raises(dataclasses.FrozenInstanceError):
        token.surface = "起業"  # type: ignore[misc]


@pytest.mark.parametrize(("left", "right"), UNIFIED_VARIANTS)
def test_terms_unify_spelling_variants(tokenizer: Tokenizer, left: str, right: str) -> None:
    assert tokenizer.terms(left) == tokenizer.terms(right)


@pytest.mark.parametrize(("left", "right"), NOT_UNIFIED)
def test_terms_leave_abbreviations_apart(tokenizer: Tokenizer, left: str, right: str) -> None:
    assert tokenizer.terms(left)[0] != tokenizer.terms(right)[0]


@pytest.mark.parametrize(("text", "expected"), TERMS_CASES)
def test_terms(tokenizer: Tokenizer, text: str, expected: list[str]) -> None:
    assert tokenizer.terms(text) == expected


def test_mode_c_keeps_compound_whole(tokenizer: Tokenizer) -> None:
    assert [t.surface for t in tokenizer.tokens("人手不足")] == ["人手不足"]


def test_light_verbs_are_not_content(tokenizer: Tokenizer) -> None:
    tokens = tokenizer.tokens("相談している")
    assert [t.surface for t in tokens] == ["相談", "し", "て", "いる"]
    assert [t.surface for t in tokens if t.is_content] == ["相談"]
    assert {t.normalized for t in tokens if not t.is_content} >= {"為る", "居る"}


def test_tokens_run_on_normalized_text(tokenizer: Tokenizer) -> None:
    assert [t.surface for t in tokenizer.tokens("ＩＴ\u200b導入")] == ["it", "導入"]


def test_symbols_have_no_reading(tokenizer: Tokenizer) -> None:
    assert [t.reading for t in tokenizer.tokens("創業 (支援)")] == ["ソウギョウ", "", "", "シエン", ""]


@pytest.mark.parametrize(("kana", "word"), READING_CASES)
def test_reading_keys_match_kanji_reading(tokenizer: Tokenizer, kana: str, word: str) -> None:
    assert tokenizer.reading_of(word) in tokenizer.reading_keys(kana)


def test_reading_keys_of_kanji_words(tokenizer: Tokenizer) -> None:
    assert tokenizer.reading_keys("事業承継") == ["ジギョウ", "ショウケイ"]
    assert tokenizer.reading_of("事業承継") == "ジギョウショウケイ"


def test_reading_keys_take_kana_chunks_of_mixed_queries(tokenizer: Tokenizer) -> None:
    keys = tokenizer.reading_keys("じぎょうしょうけい 補助金")
    assert keys[0] == "ジギョウショウケイ"
    assert "ホジョキン" in keys
    assert all(len(key) > 1 and is_kana(key) for key in keys)


def test_reading_of_ignores_spaces_and_symbols(tokenizer: Tokenizer) -> None:
    assert tokenizer.reading_of(" 創業・支援 ") == "ソウギョウシエン"


@pytest.mark.parametrize(("text", "expected"), FURIGANA_CASES)
def test_furigana(tokenizer: Tokenizer, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert tokenizer.furigana(text) == expected


@pytest.mark.parametrize("text", ROUND_TRIP_SAMPLES)
def test_furigana_round_trips(tokenizer: Tokenizer, text: str) -> None:
    assert "".join(segment for segment, _ in tokenizer.furigana(text)) == text


@pytest.mark.parametrize("char", ["あ", "漢", "😀", "a "])
def test_input_beyond_sudachi_limit_is_chunked(tokenizer: Tokenizer, char: str) -> None:
    text = char * 30_000  # ≥ 60,000 UTF-8 bytes: Sudachi alone refuses over 49,149
    assert "".join(segment for segment, _ in tokenizer.furigana(text)) == text
    tokenizer.terms(text)
    tokenizer.reading_keys(text)


def test_threads_share_one_tokenizer(tokenizer: Tokenizer) -> None:
    queries = ["省エネルギー設備導入支援事業", "じぎょうしょうけい", "人手不足で困っています", "ＩＴ導入補助金"]

    def run() -> list[object]:
        return [(tokenizer.terms(q), tokenizer.reading_keys(q), tokenizer.furigana(q)) for q in queries]

    expected = run() * 50
    results: list[list[object]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append([item for _ in range(50) for item in run()])  # 200 calls per thread
        except BaseException as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [expected] * 8


def test_get_tokenizer_is_shared_and_lazy() -> None:
    assert get_tokenizer() is get_tokenizer()
    probe = "import assistant.tokenizer as t, sys; sys.exit(t._shared is not None)"
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


any_text = st.text(alphabet=st.characters(), max_size=100)
long_text = st.text(min_size=1, max_size=20).map(lambda s: (s * (5000 // len(s) + 1))[:5000])


@given(st.one_of(any_text, long_text))
@settings(max_examples=150, deadline=None)
def test_analysis_never_raises(text: str) -> None:
    tokenizer = get_tokenizer()
    assert all(term == term.lower() for term in tokenizer.terms(text))
    assert all(is_kana(key) for key in tokenizer.reading_keys(text))
    assert all(is_kana(t.reading) for t in tokenizer.tokens(text) if t.reading)
    tokenizer.reading_of(text)


@given(st.one_of(any_text, long_text))
@settings(max_examples=150, deadline=None)
def test_furigana_joins_back_with_hiragana_on_kanji(text: str) -> None:
    segments = get_tokenizer().furigana(text)
    assert "".join(segment for segment, _ in segments) == text
    for segment, reading in segments:
        assert reading is None or (has_kanji(segment) and reading == to_hiragana(reading) and is_kana(reading))


@pytest.mark.parametrize("text", ["息子が継がないと言っている", "じぎょうしょうけい 補助金", "ＬＥＤ照明に替えたい",
                                  "省エネルギー設備導入支援事業", "", "😀" * 3, "x" * 3000])
def test_analyze_is_one_pass_of_tokens_terms_and_reading_keys(text):
    tokenizer = get_tokenizer()
    analysis = tokenizer.analyze(text)
    assert list(analysis.tokens) == tokenizer.tokens(text)
    assert list(analysis.terms) == tokenizer.terms(text)
    assert list(analysis.reading_keys) == tokenizer.reading_keys(text)


REMEMBERED = ["創業したい", "人手が足りないので雇いたい", "100万円の補助を受けたい", "パティシエが足りない", "ｱｲｳ 2026年"]


def test_remembered_words_analyse_as_on_first_sight():
    """A word seen before (taken from memory) gives the same tokens, terms and keys as on first sight."""
    warm = Tokenizer()
    first = [warm.analyze(text) for text in REMEMBERED]
    again = [warm.analyze(text) for text in reversed(REMEMBERED)][::-1]
    fresh = Tokenizer()
    assert first == again == [fresh.analyze(text) for text in REMEMBERED]
    assert warm._words  # dictionary words were remembered
