"""Needs built from their parts: a thing of some kind plus an action (パン屋 + 開く → 創業).

A thing is recognised by its kind, not looked up in a list of needs: a noun phrase ending
in a suffix that trades carry (〜屋, 〜院, 〜教室), a trade of 日本標準産業分類, people
(〜員, 〜師, スタッフ) or equipment (〜機, 〜庫, ボイラー). An action is recognised by its
lemma (Sudachi's normalized form), so every conjugation and 〜たい / 〜予定 counts; some
actions count only negated (人が来ない) or only with an intent (パン屋をやりたい).
The frames themselves are data (knowledge/data/frames.json).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from assistant.query import Query
from assistant.text import is_katakana, normalize
from assistant.tokenizer import Token, Tokenizer
from knowledge.models import Frame, Language, ThingKind

_NOUN_POS = frozenset({"名詞", "接尾辞", "接頭辞"})
_PARTICLE_POS = frozenset({"助詞", "助動詞", "補助記号", "空白"})
NEGATION_REACH = 4  # a negation this many tokens after the verb still negates it (来てくれない)
HONORIFICS = frozenset({"さん", "様", "さま", "ちゃん", "くん"})
INTENT_REACH = 5    # an intent this many tokens after a weak verb makes it a plan (やってみたいんだけど)


# kinds of thing naming a trade or a shop (as opposed to people, machines, goods or IT tools)
OWNER_KINDS = frozenset({"business", "shop"})


@dataclass(frozen=True)
class Thing:
    """A noun phrase of the query recognised as a kind of thing."""
    kind: str
    text: str
    terms: frozenset[str]
    end: int = 0  # token index after the phrase
    head: str = ""  # what the thing is, past its modifiers and the kind's own words: 電気ボイラー → ボイラー
    start: int = 0  # token index of the phrase's first word

    def owner(self, tokens: tuple[Token, ...]) -> str | None:
        """The word that owns the thing, 家 in 家の冷蔵庫, if the phrase follows 「〜の」."""
        if self.start >= 2 and tokens[self.start - 1].surface == "の":
            return tokens[self.start - 2].surface
        return None


@dataclass(frozen=True)
class FrameMatch:
    """A need found from its parts."""
    frame: Frame
    thing: Thing
    action: str
    position: int = 0          # token index of the action
    subordinate: bool = False  # the action is in a て-form clause (会社を辞めて…): another action may be the need

    @property
    def phrase(self) -> str:
        return f"{self.thing.text}・{self.action}"


class FrameMatcher:
    """The frames and kinds of thing compiled once."""

    def __init__(self, language: Language, tokenizer: Tokenizer,
                 is_known: Callable[[str], bool] = lambda word: False):
        self.kinds = language.things
        self.is_known = is_known  # words the data knows (お金, 資金, 時間): never an unknown thing of an open kind
        self.frames = tuple(_with_lemmas(f, tokenizer) for f in language.frames)
        self.action_words = frozenset(a for f in self.frames for a in (*f.actions, *f.weak_actions, *f.negated_actions))
        # the index terms of each action word, for an action found by its spelling (経営改善), computed once
        self._spelled_terms = {a: frozenset(t.normalized.lower() for t in tokenizer.tokens(a) if t.is_content)
                               for f in self.frames for a in f.actions if len(a) > 1}
        self.trades = frozenset(normalize(t).lower() for t in language.trades)
        self.markers = frozenset(language.intent_markers)
        self.negations = frozenset(language.negations)
        self._words = {k.id: frozenset(normalize(w).lower() for w in k.words) for k in self.kinds}
        self._excluded = {k.id: frozenset(normalize(w).lower() for w in k.exclude) for k in self.kinds}
        self._action_sets = {f.id: _ActionSets.of(f) for f in self.frames}

    def things(self, tokens: tuple[Token, ...]) -> list[Thing]:
        """Every noun phrase of the tokens that is a thing of a known kind."""
        found = []
        for end, run in _noun_runs(tokens, self.action_words):
            text = "".join(t.surface for t in run).lower()
            terms = frozenset(t.normalized.lower() for t in run if t.is_content)
            for kind in self.kinds:
                if self._is_kind(kind, run, text):
                    found.append(Thing(kind.id, text, terms, end, _head(run, kind), end - len(run)))
        return found

    def _is_kind(self, kind: ThingKind, run: list[Token], text: str) -> bool:
        if len(run) > 1 and run[-1].surface in HONORIFICS:  # パートさん is a パート, お客さん a customer
            run = run[:-1]
            text = "".join(t.surface for t in run).lower()
        words = self._words[kind.id]
        head = run[-1]
        if text in words or head.surface.lower() in words or head.normalized.lower() in words:
            return True
        if text in self._excluded[kind.id] or head.surface.lower() in self._excluded[kind.id]:
            return False
        if head.pos[0] == "接尾辞" and len(run) > 1 and head.surface in kind.suffixes:
            return True
        # 退職, 加工 end like 職 and 工 but name an act, not a role
        act = head.pos[2] == "サ変可能" and head.surface not in kind.suffixes  # 営業|担当 is a role
        # one C call rules out most phrases before the suffixes are looked at one by one
        if not act and text.endswith(kind.suffixes) and any(text.endswith(s) and len(text) > len(s)
                                                            for s in kind.suffixes):
            return True
        return kind.use_trades and any("".join(t.surface for t in run[i:]).lower() in self.trades
                                       for i in range(len(run)))

    def match(self, query: Query, things: list[Thing] | None = None) -> list[FrameMatch]:
        """The frames whose kind of thing and action are both in the query, one match per frame.

        `things` are the query's things when the caller has them already (Assistant.analyze does).
        """
        tokens = query.tokens
        things = self.things(tokens) if things is None else things
        matches = []
        said = frozenset(w for t in tokens for w in (t.normalized, t.surface))
        for frame in self.frames:
            for found in self._actions(frame, tokens, query.compact, said):
                # the action's own subject or object (保育園を探す is not hiring; 休む社員 is 社員 who 休む)
                ends = _arguments(tokens, found[1], self.action_words)
                thing = next((t for t in things if t.kind in frame.things and (ends is None or t.end in ends)), None)
                if thing is None and not _weak(frame, tokens, found[1]):  # インスタを始めたい is no new trade
                    thing = self._open_thing(frame, tokens, things, ends)
                thing = thing or _topic(tokens, found[1], [t for t in things if t.kind in frame.things])
                if thing and found[0] not in thing.text:
                    matches.append(FrameMatch(frame, thing, *found))
                    break
        if any(not m.frame.fallback for m in matches):  # a general frame (経営の相談) only when nothing else fits
            matches = [m for m in matches if not m.frame.fallback]
        last = max((m.position for m in matches), default=0)
        # 会社を辞めて花屋を立ち上げたい: the て-clause leads to the need, it is not one
        return [m for m in matches if not (m.subordinate and m.position < last)]

    def action_terms(self, match: FrameMatch, tokens: tuple[Token, ...]) -> frozenset[str]:
        """The index terms the action of a match is written with: its token, or the frame word it was spelled as."""
        if match.position < len(tokens):
            token = tokens[match.position]
            return frozenset({token.normalized.lower()}) if token.is_content else frozenset()
        return self._spelled_terms.get(match.action, frozenset())

    def _open_thing(self, frame: Frame, tokens: tuple[Token, ...], things: list[Thing],
                    ends: set[int] | None) -> Thing | None:
        """An unknown noun phrase as the action's argument, for a frame whose kind is open (パティシエが足りない)."""
        kind = next((k for k in self.kinds if k.id in frame.things and k.open), None)
        if kind is None or not ends:
            return None
        for end, run in _noun_runs(tokens, self.action_words):
            text = "".join(t.surface for t in run).lower()
            known = self.is_known(text) or any(self.is_known(t.normalized.lower()) for t in run if t.is_content)
            # a loanword head (パティシエ, ストッカー): Japanese words unknown here are rarely a role or a machine
            excluded = text in self._excluded[kind.id] or run[-1].surface.lower() in self._excluded[kind.id]
            if (end in ends and not known and not excluded and is_katakana(run[-1].surface)
                    and not any(t.end == end for t in things)):
                return Thing(kind.id, text, frozenset(t.normalized.lower() for t in run if t.is_content), end,
                             _head(run, kind), end - len(run))
        return None

    def _intended(self, tokens: tuple[Token, ...], i: int) -> bool:
        """An intent follows the verb at i (やってみたい, 始める予定): 美容室やってます is not a plan."""
        return any(t.normalized in self.markers or t.surface in self.markers for t in tokens[i + 1:i + 1 + INTENT_REACH])

    def _actions(self, frame: Frame, tokens: tuple[Token, ...], compact: str,
                 said: frozenset[str] | None = None) -> Iterator[tuple[str, int, bool]]:
        """Each action of the frame said in the query: as written, where, and whether in a て-clause.

        `said` holds the query's lemmas and surfaces: when none is an action word of the frame,
        no token needs looking at one by one.
        """
        sets = self._action_sets[frame.id]
        for i, token in enumerate(tokens if said is None or not sets.every.isdisjoint(said) else ()):
            lemma, surface = token.normalized, token.surface
            if (lemma in sets.actions or surface in sets.actions
                    or ((lemma in sets.weak or surface in sets.weak) and self._intended(tokens, i))
                    or ((lemma in sets.negated or surface in sets.negated) and self._negated(tokens, i))):
                yield surface, i, _te_form(tokens, i)
        word = next((a for a in frame.actions if len(a) > 1 and a in compact), None)
        if word:
            yield word, len(tokens), False

    def _negated(self, tokens: tuple[Token, ...], i: int) -> bool:
        for token in tokens[i + 1:i + 1 + NEGATION_REACH]:
            if token.normalized in self.negations or token.surface in self.negations:
                return True
            if token.is_content and token.pos[0] not in ("動詞",):
                return False
        return False


@dataclass(frozen=True)
class _ActionSets:
    """A frame's action words as sets, for asking of every token whether it is one (the frame keeps their order)."""
    actions: frozenset[str]
    weak: frozenset[str]
    negated: frozenset[str]
    every: frozenset[str]  # all three together

    @classmethod
    def of(cls, frame: Frame) -> "_ActionSets":
        actions, weak, negated = frozenset(frame.actions), frozenset(frame.weak_actions), frozenset(frame.negated_actions)
        return cls(actions, weak, negated, actions | weak | negated)


def _weak(frame: Frame, tokens: tuple[Token, ...], i: int) -> bool:
    """The action at i counts only with an intent (始める, やる): too weak to make an unknown word a thing."""
    if i >= len(tokens):
        return False
    token = tokens[i]
    return token.normalized in frame.weak_actions or token.surface in frame.weak_actions


def _topic(tokens: tuple[Token, ...], i: int, things: list[Thing]) -> Thing | None:
    """For an action said as a noun (客, 売上, 電気代), the thing the message is about before it:
    八百屋やってんだけど、どうしたら客増える is the 八百屋's customers."""
    if i >= len(tokens) or tokens[i].pos[0] != "名詞":
        return None
    return next((t for t in reversed(things) if t.end <= i), None)


def _head(run: list[Token], kind: ThingKind) -> str:
    """The last content word that is not the kind's own word (照明設備 → 照明, 電気自動車 → 自動車)."""
    words = [t.normalized.lower() for t in run if t.is_content and t.surface not in HONORIFICS]
    own = _folded(kind.heads)
    return next((w for w in reversed(words) if w not in own), words[-1] if words else "")


@lru_cache(maxsize=64)
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    """Words normalized and lower-cased, once per kind rather than for every phrase found."""
    return frozenset(normalize(w).lower() for w in words)


def _te_form(tokens: tuple[Token, ...], i: int) -> bool:
    """The verb at i ends a て-clause (辞めて, 来なくて) rather than the sentence."""
    for token in tokens[i + 1:i + 3]:
        if token.pos[0] == "助詞" and token.pos[1] == "接続助詞" and token.surface in ("て", "で"):
            return True
        if token.pos[0] != "助動詞":
            return False
    return False


def _with_lemmas(frame: Frame, tokenizer: Tokenizer) -> Frame:
    """Add each one-word action's Sudachi normalized form (見つかる → 見付かる), so any spelling matches."""
    def lemmas(words: tuple[str, ...]) -> tuple[str, ...]:
        # a word of several tokens (経営改善) is matched as spelled: its first token (経営) is not the action
        forms = [tokens[0].normalized for w in words if len(tokens := tokenizer.tokens(w)) == 1]
        return tuple(dict.fromkeys((*words, *forms)))
    return Frame(frame.id, frame.tags, frame.label, frame.things, lemmas(frame.actions), lemmas(frame.weak_actions),
                 lemmas(frame.negated_actions), frame.fallback)


def _noun_runs(tokens: tuple[Token, ...], breaks: frozenset[str] = frozenset()) -> list[tuple[int, list[Token]]]:
    """Maximal runs of nouns and noun suffixes (たこ焼き + 屋, 業務用 + 冷蔵庫), with the index after each.

    A run whose last word is an action in `breaks` ends before it (スタッフ募集 → スタッフ, 店舗改装 → 店舗);
    an action at the front stays part of the noun (介護職員).
    """
    runs: list[tuple[int, list[Token]]] = []
    current: list[Token] = []
    for i, token in enumerate([*tokens, None]):
        if token is not None and token.pos[0] in _NOUN_POS and token.pos[1] not in ("数詞",):
            current.append(token)
            continue
        if len(current) > 1 and (current[-1].normalized in breaks or current[-1].surface in breaks):
            current = current[:-1]
            i -= 1
        if current:
            runs.append((i, current))
        current = []
    return [(end, run) for end, run in runs if any(t.pos[0] == "名詞" for t in run)]


_CASE = frozenset({"が", "を", "は", "も", "に"})


_LIGHT_VERBS = frozenset({"為る", "出来る", "致す"})


def _used_as_verb(tokens: tuple[Token, ...], i: int) -> bool:
    """A verbal noun said as a verb (確保できない, 募集している): its subject and object are marked by が, を."""
    return (tokens[i].pos[2] == "サ変可能" and i + 1 < len(tokens)
            and tokens[i + 1].normalized in _LIGHT_VERBS)


def _arguments(tokens: tuple[Token, ...], i: int, breaks: frozenset[str] = frozenset()) -> set[int] | None:
    """The ends of the noun phrases that can be the subject or object of the action at i.

    The nearest phrase before it marked by が/を/は/も/に (の too when the action is a noun:
    冷蔵庫の電気代), skipping pronouns and times (私が, 来月); and the phrase a verb modifies
    right after it (休む社員). None when the action was found by spelling, not as a token.
    """
    if i >= len(tokens):
        return None
    noun_action = tokens[i].pos[0] == "名詞" and not _used_as_verb(tokens, i)
    ends: set[int] = set()
    runs = _noun_runs(tokens, breaks)
    candidates = []
    for end, run in reversed(runs):
        if end > i or run[-1].pos[1] == "代名詞" or run[-1].pos[2] == "副詞可能":
            continue
        marker = tokens[end] if end < len(tokens) else None
        dropped = marker is not None and marker.pos[0] in ("補助記号", "空白")  # うちの店、客が来ない
        marked = marker.surface == "の" if noun_action and marker is not None else (
            marker is None or marker.surface in _CASE or dropped)
        if marked or end == i:
            candidates.append((end, marker.surface if marker is not None else ""))
    # the object or subject (を, が …) before a goal (に): 冷凍庫を省エネ設備に替える is about the 冷凍庫
    core = [end for end, mark in candidates if mark != "に"]
    if candidates:
        ends.add(core[0] if core else candidates[0][0])
    if not noun_action:
        j = i + 1
        while j < len(tokens) and tokens[j].pos[0] == "助動詞":
            j += 1
        ends |= {end for end, run in runs if end - len(run) == j}
    return ends
