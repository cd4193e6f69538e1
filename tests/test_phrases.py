"""web/phrases.py: Japanese cut into phrases (BudouX) for line breaks, in its display form."""
from __future__ import annotations

import re

import pytest

from assistant.tokenizer import get_tokenizer
from web.phrases import NBSP, Phraser, display


@pytest.fixture(scope="module")
def phraser() -> Phraser:
    tokenizer = get_tokenizer()
    return Phraser(words=lambda text: (surface for surface, _ in tokenizer.furigana(text)))


DISPLAY = [
    ("福島県よろず支援拠点(電話 024-525-4064)", f"福島県よろず支援拠点（電話{NBSP}024-525-4064）"),
    ("・福島市産業雇用政策課 TEL 024-515-7746", f"・福島市産業雇用政策課 TEL{NBSP}024-515-7746"),
    ("p.13(推定)", "p.13（推定）"),
    ("LED (light)", "LED (light)"),        # no Japanese: parentheses stay as they are
    ("電話番号は？", "電話番号は？"),       # 電話 without a number after it
]


@pytest.mark.parametrize(("text", "shown"), DISPLAY)
def test_display_form(text, shown):
    assert display(text) == shown


TEXTS = [
    "創業・起業のことですね。まずは福島県よろず支援拠点(電話 024-525-4064)に相談できます。ほかに10件の候補があります。",
    "熱意ある創業者を応援するため、創業にかかる融資の利子全額を一定期間補助します。\n・女性創業者(代表者が女性の法人含む) …2年",
    "出典: 中小企業振興プログラム(令和7年度版) p.13",
    "福島県事業承継・引継ぎ支援センター",
]


@pytest.mark.parametrize("text", TEXTS)
def test_phrases_join_back_to_the_display_form(phraser, text):
    phrases = phraser.split(text)
    assert "".join(phrases) == display(text)
    assert len(phrases) > 1 or len(text) < 20


def test_a_long_sentence_is_cut_into_several_phrases(phraser):
    assert phraser.split(TEXTS[0])[:4] == ("創業・起業の", "ことですね。", "まずは", "福島県よろず")


@pytest.mark.parametrize("text", ["お問い合わせは電話 024-525-4064 へ。", "まずは窓口(TEL 0570-008503)にご相談ください。"])
def test_a_phone_number_and_its_label_are_never_cut(phraser, text):
    for phrase in phraser.split(text)[:-1]:
        assert not re.search(r"(電話|TEL|\d|-)$", phrase), phraser.split(text)


# BudouX alone cuts these compounds (中/小企業, 創業応/援); the dictionary's words keep them whole.
COMPOUNDS = [("創業応援利子補給事業", "創業応援"), ("出典: 中小企業振興プログラム(令和7年度版) p.13", "中小企業")]


@pytest.mark.parametrize(("text", "word"), COMPOUNDS)
def test_no_break_inside_a_kanji_word(phraser, text, word):
    assert any(word in p for p in phraser.split(text)), phraser.split(text)
    bare = Phraser()  # without words, BudouX's own cut stands: the check above is not vacuous
    assert not any(word in p for p in bare.split(text)), bare.split(text)


def test_html_escapes_each_phrase_and_puts_wbr_between(phraser):
    html = str(phraser.html("<b>相談</b>できます。まずはお電話ください。"))
    assert html.startswith('<span class="jp">') and html.endswith("</span>")
    assert "<b>" not in html and "&lt;b&gt;" in html and "<wbr>" in html
    assert str(phraser.html("")) == "" and str(phraser.html(None)) == ""


def test_mapping_keeps_each_text_once_and_drops_empty(phraser):
    mapping = phraser.mapping(["もっと", None, "", "もっと", "相談できます。"])
    assert list(mapping) == ["もっと", "相談できます。"]
    assert mapping["もっと"] == ["もっと"]
