"""Recognise what kind of message a turn is, from small reviewed word tables.

The tables hold how people say things (greetings, "more", "phone number?"), not
answers; what a need means is the needs vocabulary's job (knowledge/data/vocabulary.json).
"""
from __future__ import annotations

import re

GREETINGS = ("こんにちは", "こんばんは", "おはよう", "はじめまして", "初めまして", "もしもし", "よろしく", "hello", "hi")
THANKS = ("ありがとう", "有難う", "助かりました", "助かります", "感謝", "thanks", "thank you", "どうも")
HELP = ("使い方", "ヘルプ", "help", "何ができ", "なにができ", "何を聞け", "どう使", "何ができますか")
MORE = re.compile(r"^(もっと|他に|ほかに|他の|ほかの|次|つぎ|続き|つづき|別の)(は|を|も|の)?(ある|あります|見る|見せて|みせて|教えて|ください|下さい|お願い)?[?？。!！]*$")
ORDINAL = re.compile(r"([1-9]|一|二|三|四|五|六|七|八|九|十)\s*(番目|つ目|個目|件目|番)")
KANJI_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
CONTACT_CUES = ("電話", "番号", "連絡先", "問い合わせ", "問合せ", "問合わせ", "申し込", "申込", "窓口", "どこに", "どこで",
                "どこへ", "担当", "tel", "連絡")
DETAIL_CUES = ("詳しく", "くわしく", "詳細", "内容", "説明", "どんな", "について", "とは", "教えて", "知りたい")
# "全部" alone is not a list request (全部LEDに入れ替えたい): it must come with a verb of showing.
LIST_CUES = ("一覧", "リスト", "全部見", "全部教", "全部知", "すべて見", "すべて教", "すべて知", "全て見", "全て教",
             "全て知", "まとめて見", "まとめて教", "いくつある", "何がある", "何があり")
INDICATOR_CUES = ("目標", "実績", "成果指標", "指標", "いくつ", "何件", "何人", "何店舗", "何社", "達成", "現状", "基準値",
                  "推移", "今どのくらい", "どれくらい", "どのくらい")
OUT_OF_SCOPE = ("天気", "天候", "気温", "雨", "雪", "台風情報", "観光スポット", "名所", "おすすめの店", "美味しい店", "おいしい店",
                "ランチ", "ラーメン", "グルメ", "ホテルの予約", "宿の予約", "電車の時間", "時刻表", "道順", "行き方", "恋愛",
                "彼女", "彼氏", "結婚相手", "離婚", "病気", "風邪", "薬", "宿題", "ゲーム", "占い", "株価", "宝くじ", "競馬",
                "パチンコ", "年金", "保険料", "確定申告のやり方", "住民票", "ごみの出し方", "ゴミの出し方", "粗大ごみ")
# Words that, alone, do not say what the need is: a message of only these gets a question back.
VAGUE_LEMMAS = frozenset({
    "補助金", "補助", "助成金", "助成", "奨励金", "給付金", "支援", "相談", "制度", "事業", "利用", "使う", "受ける", "知る",
    "教える", "何", "探す", "申請", "申し込む", "情報", "紹介", "お金", "会社", "店", "企業", "中小企業", "事業者", "福島市",
    "市", "可能", "対象", "種類", "色々", "支援制度", "サービス", "窓口", "お願い", "困る", "聞く", "分かる", "もらえる", "貰える",
    "どれ", "どんな", "どう", "メニュー", "うち", "家", "私", "自分",
})


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def is_greeting(text: str) -> bool:
    return len(text) <= 20 and _has_any(text, GREETINGS)


def is_thanks(text: str) -> bool:
    return len(text) <= 25 and _has_any(text, THANKS)


def is_help(text: str) -> bool:
    return len(text) <= 30 and _has_any(text, HELP)


def is_more(text: str) -> bool:
    return bool(MORE.match(text.replace(" ", "")))


def ordinal(text: str) -> int | None:
    """Return n for 「2番目」「三つ目」, else None."""
    m = ORDINAL.search(text)
    if not m:
        return None
    token = m.group(1)
    return int(token) if token.isdigit() else KANJI_NUMBERS[token]


def asks_contact(text: str) -> bool:
    return _has_any(text, CONTACT_CUES)


def asks_detail(text: str) -> bool:
    return _has_any(text, DETAIL_CUES)


def asks_list(text: str) -> bool:
    return _has_any(text, LIST_CUES)


def asks_indicator(text: str) -> bool:
    return _has_any(text, INDICATOR_CUES)


def out_of_scope_word(text: str, surfaces: frozenset[str], has_need: bool) -> str | None:
    """A cue that the message is outside the service.

    A one-character cue (雨, 薬) counts only as a word of its own and only when no business
    need was recognised: 薬局を開業したい and 雪かきの人手が足りない are in scope.
    """
    for w in OUT_OF_SCOPE:
        if len(w) > 1 and w in text:
            return w
        if len(w) == 1 and not has_need and w in surfaces:
            return w
    return None


def is_vague(content_lemmas: list[str]) -> bool:
    """A message whose every content word is generic (補助金ありますか, 相談したい)."""
    return bool(content_lemmas) and all(lemma in VAGUE_LEMMAS for lemma in content_lemmas)
