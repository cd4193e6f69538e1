"""Tests for assistant.text: normalization must fold variants and never raise."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text import fold_for_match, has_kanji, is_kana, normalize, to_hiragana, to_katakana

# (input, expected): ASCII is lower-cased, so full-width ＬＥＤ becomes "led", not "LED".
NORMALIZE_CASES = [
    ("ＬＥＤ照明", "led照明"),
    ("ＩＴ導入補助金", "it導入補助金"),
    ("IT", "it"),
    ("Ｍ＆Ａ", "m&a"),
    ("ｲﾝﾎﾞｲｽ", "インボイス"),
    ("ｶﾞｲﾄﾞﾌﾞｯｸ", "ガイドブック"),
    ("１０万円", "10万円"),
    ("コ－ヒ―", "コーヒー"),  # full-width hyphen-minus and horizontal bar after kana
    ("デ‐タ", "データ"),
    ("すまほ～", "すまほー"),
    ("ス〜パ〜", "スーパー"),
    ("ｽｰﾊﾟｰ", "スーパー"),
    ("10万円〜50万円", "10万円〜50万円"),  # a range after digits stays a range
    ("A-1", "a-1"),
    ("  創業\u3000\t支援\n\n相談  ", "創業 支援 相談"),
    ("創\u200b業", "創業"),  # zero-width space
    ("\ufeff補助金", "補助金"),  # byte-order mark
    ("融\x00資\x07", "融資"),
    ("葛\U000e0100城", "葛城"),  # ideographic variation selector
    ("か\u200b\u3099", "が"),  # removal happens before NFKC so the mark composes
    ("J\u030c", "ǰ"),  # lower-casing can create a composable pair: normalized again
    ("a\ud800b", "ab"),  # a lone surrogate would break UTF-8 encoding downstream
    ("", ""),
    (" \u3000 ", ""),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE_CASES)
def test_normalize_folds_variants(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "katakana", "hiragana"),
    [
        ("そうぎょう", "ソウギョウ", "そうぎょう"),
        ("ソウギョウ", "ソウギョウ", "そうぎょう"),
        ("じぎょうしょうけい", "ジギョウショウケイ", "じぎょうしょうけい"),
        ("ゔぁ", "ヴァ", "ゔぁ"),
        ("スーパー", "スーパー", "すーぱー"),
        ("創業しえん", "創業シエン", "創業しえん"),
        ("IT", "IT", "IT"),
    ],
)
def test_kana_conversion_touches_only_kana(text: str, katakana: str, hiragana: str) -> None:
    assert to_katakana(text) == katakana
    assert to_hiragana(text) == hiragana


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("そうぎょう", True),
        ("ソウギョウ", True),
        ("すーぱー", True),
        ("ゆうし", True),
        ("", False),
        ("創業", False),
        ("そう ぎょう", False),
        ("it", False),
        ("・", False),
    ],
)
def test_is_kana(text: str, expected: bool) -> None:
    assert is_kana(text) is expected


@pytest.mark.parametrize(("text", "expected"), [("創業", True), ("々", True), ("そうぎょう", False), ("", False)])
def test_has_kanji(text: str, expected: bool) -> None:
    assert has_kanji(text) is expected


def test_fold_for_match_equates_kana_spellings() -> None:
    assert fold_for_match("ｿｳｷﾞｮｳ") == fold_for_match("そうぎょう") == "そうぎょう"


any_text = st.text(alphabet=st.characters(), max_size=200)
long_text = st.text(min_size=1, max_size=20).map(lambda s: (s * (5000 // len(s) + 1))[:5000])


@given(st.one_of(any_text, long_text))
@settings(max_examples=300)
def test_normalize_is_total_idempotent_and_clean(text: str) -> None:
    result = normalize(text)
    assert normalize(result) == result
    assert result == result.strip() and "  " not in result
    result.encode("utf-8")  # no surrogates left
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in result)


@given(any_text)
def test_kana_conversions_round_trip_on_hiragana(text: str) -> None:
    hiragana = to_hiragana(text)
    assert to_hiragana(to_katakana(hiragana)) == hiragana
    assert len(to_katakana(text)) == len(text)
