"""Recognise dialogue moves (greetings, もっと, 「電話番号は？」, 「市の制度は？」) from the cue tables.

The tables are data (knowledge/data/cues.json): how people say things, not answers. What a
need means is the job of the vocabulary and the frames.
"""
from __future__ import annotations

import re

from assistant.frames import OWNER_KINDS, Thing
from assistant.text import written_in
from assistant.tokenizer import Token
from knowledge.models import Language

MORE = re.compile(r"^(もっと|他に|ほかに|他の|ほかの|次|つぎ|続き|つづき|別の)(は|を|も|の)?"
                  r"(ある|あります|見る|見せて|みせて|教えて|ください|下さい|お願い)?[?？。!！]*$")
_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Ordinals 1–99 as digits (half- or full-width, folded before this) or kanji (十二, 二十): parsed whole.
ORDINAL = re.compile(r"(?<![0-9一二三四五六七八九十])([0-9]{1,2}|[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
                     r"\s*(番目|つ目|個目|件目|番)")


def kanji_number(text: str) -> int:
    """Read 一 … 九十九 written with 十."""
    if "十" not in text:
        return _KANJI_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)


def ordinal(text: str) -> int | None:
    """Return n for 「2番目」「十二番目」「三つ目」, else None."""
    m = ORDINAL.search(text)
    if not m:
        return None
    token = m.group(1)
    return int(token) if token.isdigit() else kanji_number(token)


def is_more(text: str) -> bool:
    return bool(MORE.match(text.replace(" ", "")))


RUNS_REACH = 3  # tokens after a trade in which a verb of running it is looked for (旅館をしております)
_PLACE_PARTICLES = frozenset({"で", "に", "へ", "から", "まで", "より"})
_CONDITIONALS = frozenset({"と", "ったら", "たら", "なら", "ば"})


def _states(word: Token, following: tuple[Token, ...]) -> bool:
    """A word of running said as a statement, not part of a compound noun (市民プールの営業時間) nor a
    condition (この住所だと)."""
    after = following[0] if following else None
    if after is None:
        return True
    if word.pos[0] == "名詞" and after.pos[0] == "名詞":
        return False
    return not (word.pos[0] == "助動詞" and after.surface in _CONDITIONALS)


_INDEFINITE_COUNT = re.compile(r"何(人|件|社|店舗|か所)か")
_QUESTION_ENDINGS = frozenset({"か", "かな", "かね", "の", "?", "？"})
_STATEMENT_ENDINGS = frozenset({"です", "だ", "ます", "てる", "ている", "居る", "いる", "おる", "者"})


def states_who_one_is(tokens: tuple[Token, ...], markers: frozenset[str], negations: frozenset[str]) -> bool:
    """「和菓子屋の三代目です」「駅前でカフェやってます！」: the owner says who they are and asks nothing yet.

    A statement (ending in です, ます, やってる) with no wish or plan (たい, 予定, 相談), no negation
    (足りない) and no question: whatever words it holds name the owner, not a need.
    """
    words = [t for t in tokens if t.pos[0] not in ("補助記号", "空白")]
    if not words or any(t.surface in ("?", "？") for t in tokens):
        return False
    if any(t.normalized in markers or t.surface in markers or t.normalized in negations or t.surface in negations
           for t in words):
        return False
    last = words[-1]
    return last.surface not in _QUESTION_ENDINGS and (last.normalized in _STATEMENT_ENDINGS
                                                      or last.surface in _STATEMENT_ENDINGS)


class Cues:
    """The dialogue's cue tables, read from the knowledge data."""

    def __init__(self, language: Language):
        self.words = language.cues
        self.unanswerable = language.unanswerable
        self.levels = language.levels
        self.markers = frozenset(language.intent_markers)
        self.negations = frozenset(language.negations)
        self.runs_business = frozenset(self.words.get("runs_business", ()))
        self.own_words = frozenset(self.words.get("own_words", ()))
        self.leave_words = frozenset(self.words.get("leave_words", ()))
        self.takes_leave = frozenset(self.words.get("takes_leave", ()))
        self.can_take_leave = frozenset(self.words.get("can_take_leave", ()))
        # the words for a trade or a shop itself (店, 会社, 事業): said plainly, they are someone's business
        self.trade_words = frozenset(h for kind in language.things if kind.id in OWNER_KINDS for h in kind.heads)

    def runs(self, thing: Thing, tokens: tuple[Token, ...]) -> bool:
        """The speaker runs the trade or shop: うちの旅館, 旅館をやってます, スポーツ用品店の店長です."""
        if thing.owner(tokens) in self.own_words:
            return True
        after = tokens[thing.end:thing.end + RUNS_REACH + 1]
        for i, t in enumerate(after[:RUNS_REACH]):
            if t.pos[0] == "助詞" and t.surface in _PLACE_PARTICLES:  # 市役所でやる手続き: done there, not run
                return False
            if (t.normalized in self.runs_business or t.surface in self.runs_business) and _states(t, after[i + 1:]):
                return True
        return False

    def takes_own_leave(self, text: str, tokens: tuple[Token, ...]) -> bool:
        """「育休って俺でも取れる？」「親の介護で仕事休みたい」: the speaker wishes to take, or asks whether they
        can take, leave from work. An owner speaks of the staff taking it (社員が育休を取りたいと言っている)."""
        for i, t in enumerate(tokens):
            wish = t.normalized in self.takes_leave and any(n.normalized == "たい" for n in tokens[i + 1:i + 2])
            can = t.normalized in self.can_take_leave or t.surface in self.can_take_leave  # 取れる: can I take it?
            if (wish or can) and (t.normalized in self.leave_words or self._has("leave_words", text)):
                return True
        return False

    def speaks_of_pay(self, text: str) -> bool:
        return self._has("pay_words", text)

    def states_who_one_is(self, tokens: tuple[Token, ...]) -> bool:
        return states_who_one_is(tokens, self.markers, self.negations)

    def _has(self, table: str, text: str) -> bool:
        return any(written_in(text, w) for w in self.words.get(table, ()))  # a table an older edition lacks: none

    def in_crisis(self, text: str) -> bool:
        """「死にたい」「消えたい」: words of despair, whatever else the message says."""
        return self._has("crisis", text)

    def is_greeting(self, text: str) -> bool:
        return len(text) <= 20 and self._has("greeting", text)

    def is_thanks(self, text: str) -> bool:
        return len(text) <= 25 and self._has("thanks", text)

    def is_help(self, text: str) -> bool:
        return len(text) <= 30 and self._has("help", text)

    def asks_contact(self, text: str) -> bool:
        return self._has("contact", text)

    def asks_detail(self, text: str) -> bool:
        return self._has("detail", text)

    def asks_list(self, text: str) -> bool:
        return self._has("list", text)

    def asks_indicator(self, text: str) -> bool:
        return self._has("indicator", _INDEFINITE_COUNT.sub("", text))  # 何人か雇ってます asks no number

    def asks_offerings(self, text: str) -> bool:
        return self._has("offerings", text)

    def is_lost(self, text: str) -> bool:
        """「どこに相談すればいいか分からない」: asks where to ask at all."""
        return self._has("lost", text)

    def was_referred(self, text: str) -> bool:
        """「商工会議所の人にここで聞けって言われて」: sent here by someone, need not said yet."""
        return self._has("referred", text)

    def refines(self, text: str) -> bool:
        return self._has("refinement", text)

    def not_in_document(self, text: str) -> str | None:
        """The kind of fact asked for that the document does not give (締め切り, 金額, 補助率, 対象・条件)."""
        return next((kind for kind, words in self.unanswerable.items() if any(written_in(text, w) for w in words)), None)

    def level(self, text: str) -> str | None:
        """The level asked for: 「市の制度は？」 → 市."""
        return next((level for level, words in self.levels.items() if any(written_in(text, w) for w in words)), None)

    def is_vague(self, content_lemmas: list[str]) -> bool:
        """A message whose every content word is generic (補助金ありますか, 相談したい)."""
        generic = self.words["vague_lemmas"]
        return bool(content_lemmas) and all(lemma in generic for lemma in content_lemmas)
