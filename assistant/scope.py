"""Is this a business's need? A small model of evidence, not a list of banned words.

Cues for each side (knowledge/data/scope.json) are weighed against each other: a resident's
matter (住民票, ごみの日, 介護保険) against a business's (従業員, 店, 売上), with the needs the
vocabulary and the frames recognised counting for the business. 従業員の介護 or 事業系ごみ stay
in scope; 母の介護保険 or 燃えないごみの日 do not.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.lean import WordLean
from assistant.patterns import alternation, find_words
from assistant.query import Query
from assistant.text import normalize, to_katakana
from assistant.tokenizer import Token, Tokenizer
from assistant.vocabulary import lemma_set, reading_of
from knowledge.models import Language, ScopeCue

# The thresholds of the decision, in one place (tuned on the blind tuning halves).
NEED_WEIGHT = 1.5      # each need the vocabulary recognised counts this much for the business
FRAME_WEIGHT = 2.5     # a need built from a thing and an action (人手が足りない) counts more
NAMED_WEIGHT = 4.0     # a program or desk named by the owner in full
SHORT_NAMED_WEIGHT = 1.5  # ... or by a short name only, which may be a place's or a person's name too (花見山)
RUN_WEIGHT = 3.0       # each trade or shop the speaker says they run (旅館をやってます, 店長です)
MIN_OUTSIDE = 2.0      # outside evidence below this never turns a message away
MIN_READING = 4        # a cue's reading this long matches kana input (shorter ones match too much)
PERSONAL_LEAN = 5.0    # words leaning this far toward a person's life (assistant.lean), with no sign of a
                       # business, make the chat ask whether the matter is a resident's; at 4, new cue phrases
                       # shifted owners' messages over the line (3.0 cost owners' needs on the tuning halves)
COUNTERPART_REACH = 3  # tokens after the particle in which a counterpart verb is looked for (会社に言っても)
OUT_SIDES = ("personal", "visitor", "job_seeker", "off_topic")


@dataclass(frozen=True)
class ScopeVerdict:
    """The weighed evidence; `outside` names the side that won, or None when the message is in scope."""
    business: float
    outside_score: float
    outside: str | None
    topics: tuple[str, ...]
    business_cues: float = 0.0  # the business's own words (従業員, 店舗, 売上), without the needs recognised
    outside_hints: float = 0.0  # every outside cue, the weak ones too (子ども, 自宅, 母): a hint, never a verdict
    lean: float = 0.0           # the words' lean (assistant.lean): above 0 toward a person's life
    counterparts: tuple[str, ...] = ()  # business words said as the speaker's counterpart (会社を辞めた), sorted


class ScopeJudge:
    """The scope cues compiled once."""

    def __init__(self, language: Language, tokenizer: Tokenizer, business_texts: Iterable[str] = ()):
        self.cues = language.scope
        self._owners = frozenset(_fold(w) for w in language.owners)
        self._by_word: dict[str, list[ScopeCue]] = {}
        for cue in self.cues:
            for word in cue.words:
                self._by_word.setdefault(_fold(word), []).append(cue)
        self._long = alternation(w for w in self._by_word if len(w) > 1)
        tokens_of = {word: tokenizer.tokens(word) for cue in self.cues for word in cue.words}  # one pass a word
        self.lean = WordLean((tokens_of[w] for cue in self.cues if cue.side != "business" for w in cue.words),
                             [*(tokenizer.tokens(text) for text in business_texts),
                              *(tokens_of[w] for cue in self.cues if cue.side == "business" for w in cue.words)])
        # a cue of several words also matches conjugated and in other spellings (仕事を探して ≈ 仕事さがしてます)
        self._by_lemmas = [(lemmas, _fold(word)) for cue in self.cues for word in cue.words
                           if len(lemmas := lemma_set(tokens_of[word])) > 1]
        self._lemma_cues: dict[str, list[int]] = {}  # lemma → positions in _by_lemmas, to test only cues the query touches
        for position, (lemmas, _) in enumerate(self._by_lemmas):
            for lemma in lemmas:
                self._lemma_cues.setdefault(lemma, []).append(position)
        # and by reading, for kana-only input (そだいごみ for 粗大ごみ)
        self._by_reading: dict[str, str] = {}
        for cue in self.cues:
            for word in cue.words:
                reading = reading_of(tokens_of[word])
                if len(reading) >= MIN_READING and reading != _fold(word):
                    self._by_reading.setdefault(reading, _fold(word))
        self._readings = alternation(self._by_reading)
        self._business_words = frozenset(_fold(w) for cue in self.cues if cue.side == "business" for w in cue.words)
        self._counterpart_particles = frozenset(language.counterpart_particles)
        self._counterpart_verbs = frozenset(language.counterpart_verbs)
        self._colleagues = frozenset(language.colleagues)
        # people do what the verbs around them say (働いてるスタッフ, スタッフが休む): only a place or a thing is a counterpart
        people = next((k for k in language.things if k.id == "people"), None)
        self._people_words = frozenset(_fold(w) for w in (*people.words, *people.heads)) if people else frozenset()
        self._people_suffixes = tuple(_fold(s) for s in people.suffixes) if people else ()

    def counterparts(self, tokens: tuple[Token, ...]) -> dict[str, str]:
        """Business words said only as the speaker's counterpart (会社を辞めた, 会社に言っても, 店で買った),
        by their spelling-blind key, each with the word as written."""
        as_counterpart: dict[str, str] = {}
        as_own: set[str] = set()
        for i, token in enumerate(tokens):
            key = _fold(token.surface)
            if key not in self._business_words:
                continue
            after = tokens[i + 1:i + 2 + COUNTERPART_REACH]
            before = tokens[max(0, i - 2):i]
            if self._is_person(key):  # スタッフが休む is the staff's own act
                as_own.add(key)
                continue
            if (after and (after[0].surface in self._counterpart_particles or self._is_counterpart_verb(after[0]))
                    and any(self._is_counterpart_verb(t) for t in after[:1 + COUNTERPART_REACH])
                    or any(self._is_counterpart_verb(t) for t in before)  # 買った商品, 勤めている会社
                    or (len(after) > 1 and after[0].surface == "の" and after[1].surface in self._colleagues)):
                as_counterpart[key] = token.surface.lower()  # 会社の上司
            else:
                as_own.add(key)
        return {key: word for key, word in as_counterpart.items() if key not in as_own}

    def _is_person(self, key: str) -> bool:
        return key in self._people_words or key.endswith(self._people_suffixes)

    def _is_counterpart_verb(self, token: Token) -> bool:
        return token.normalized in self._counterpart_verbs or token.surface in self._counterpart_verbs

    def is_owner(self, word: str) -> bool:
        """A person or a home that owns a thing (家 in 家の冷蔵庫, 母 in 母のヘルパー)."""
        return _fold(word) in self._owners

    def judge(self, query: Query, needs: int, frames: int, named: str | None,
              counterparts: dict[str, str] | None = None, run: int = 0) -> ScopeVerdict:
        """Weigh the cues of the query; `needs` and `frames` count the needs recognised (a general
        「どこに相談すれば」 frame is no sign of a business: residents ask that too). `counterparts` are
        self.counterparts() of the message when the caller has them already."""
        found = find_words(self._long, _fold(query.compact))
        found |= {t.surface for t in query.tokens if len(t.surface) == 1 and t.surface in self._by_word}
        words = query.words
        touched = sorted({p for word in words for p in self._lemma_cues.get(word, ())})  # in table order, as before
        found |= {key for lemmas, key in map(self._by_lemmas.__getitem__, touched) if lemmas <= words}
        # by reading: kana input (そだいごみ), and the input method's homophones (国民健康保健 for 保険)
        if query.kana:
            found |= {self._by_reading[r] for r in find_words(self._readings, query.kana)}
        reading, ends = "", {0}
        for token in query.tokens:  # whole words only: うちの工芸品 holds no うちの子
            reading += token.reading
            ends.add(len(reading))
        found |= {self._by_reading[r] for r in find_words(self._readings, reading, ends)}
        scores: dict[str, float] = {}
        topics: dict[str, None] = {}
        sides_with_topic: set[str] = set()
        counterparts = self.counterparts(query.tokens) if counterparts is None else counterparts
        for word in sorted(found):  # a fixed order, so the topics named do not depend on the process
            for cue in self._by_word[word]:
                if cue.side == "business" and word in counterparts:
                    continue
                scores[cue.side] = scores.get(cue.side, 0.0) + cue.weight
                if cue.weight >= MIN_OUTSIDE:
                    sides_with_topic.add(cue.side)
                if cue.side != "business":
                    topics[cue.topic] = None
        hints = max((scores.get(side, 0.0) for side in OUT_SIDES), default=0.0)
        # 母, 私, 自宅 only strengthen a personal matter; alone they are just how people talk
        scores = {side: score for side, score in scores.items() if side in sides_with_topic or side == "business"}
        business = (scores.get("business", 0.0) + NEED_WEIGHT * needs + FRAME_WEIGHT * frames
                    + {"full": NAMED_WEIGHT, "short": SHORT_NAMED_WEIGHT}.get(named or "", 0.0) + RUN_WEIGHT * run)
        side = max(OUT_SIDES, key=lambda s: scores.get(s, 0.0))
        outside = scores.get(side, 0.0)
        lean = self.lean.score(query.tokens)
        if outside >= MIN_OUTSIDE and outside > business:
            return ScopeVerdict(business, outside, side, tuple(topics), scores.get("business", 0.0), hints, lean,
                                tuple(sorted(counterparts.values())))
        return ScopeVerdict(business, outside, None, tuple(topics), scores.get("business", 0.0), hints, lean,
                            tuple(sorted(counterparts.values())))


def _fold(text: str) -> str:
    """Spelling-blind key: ゴミ and ごみ, ＡＢ and ab are one cue."""
    return to_katakana(normalize(text).replace(" ", "").lower())
