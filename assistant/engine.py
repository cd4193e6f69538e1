"""The assistant as one object built once per process: search, chat, furigana."""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping

from assistant.analysis import Analysis
from assistant.dialect import DialectRewriter
from assistant.evidence import Specificity
from assistant.examples import ExampleNeighbours, Vote
from assistant.frames import OWNER_KINDS, FrameMatch, FrameMatcher
from assistant.fuzzy import NamedThing, NameResolver, TypoRepairer
from assistant.index import ProgramIndex, build_index
from assistant.indicators import IndicatorFinder
from assistant.intents import Cues
from assistant.models import Hit
from assistant.patterns import alternation, find_words
from assistant.query import Query, analyze_query
from assistant.ranking import rank
from assistant.scope import ScopeJudge
from assistant.synonyms import SynonymMap
from assistant.tokenizer import Token, Tokenizer, get_tokenizer
from assistant.vocabulary import VocabularyMatch, VocabularyMatcher
from knowledge.models import Knowledge, Program, VocabularyEntry

MIN_KANA_READING = 4  # a reading this long inside kana input is taken as the word
# Kinds of thing a program can be specific about (LED照明, 外国人材); a trade in a program's name is not such a claim.
AGREEMENT_KINDS = frozenset({"equipment", "people"})


EXAMPLE_TERMS_CACHE = 8192  # example texts whose words are kept: the packaged examples and a few editions' own


@lru_cache(maxsize=EXAMPLE_TERMS_CACHE)
def _example_terms(tokenizer: Tokenizer, text: str) -> tuple[str, ...]:
    """An example's words, found once per process: every build of an assistant (start-up, a version switch, an
    upload's check) compares with the same examples, and finding their words was most of a rebuild's time."""
    return tuple(tokenizer.document_terms(text)[0])


class Assistant:
    """Holds the index and matchers; pure functions do the work."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer | None = None):
        self.knowledge = knowledge
        self.tokenizer = tokenizer or get_tokenizer()
        self.index: ProgramIndex = build_index(knowledge, self.tokenizer.document_terms)
        self.vocabulary = VocabularyMatcher(knowledge.vocabulary, self.tokenizer)
        known_words = set(self.index.postings) | {w.compact for w in self.vocabulary.words}
        self.repairer = TypoRepairer(known_words, self.tokenizer.reading_of,
                                     (s for kind in knowledge.language.things for s in kind.suffixes))
        self.names = NameResolver(knowledge)
        self.synonyms = SynonymMap(self.index.postings, self.tokenizer)
        self.readings = _reading_map(self.index.postings, self.tokenizer)
        self.reading_pattern = alternation(self.readings)
        self.indicators = IndicatorFinder(knowledge, self.tokenizer)
        need_words = frozenset(w.compact.lower() for w in self.vocabulary.words)
        generic = self.generic = frozenset(w.lower() for w in knowledge.language.cues["vague_lemmas"])
        self.dialect = DialectRewriter(knowledge.language.dialect, knowledge.language.cues["greeting"])
        self.frames = FrameMatcher(knowledge.language, self.tokenizer,
                                   lambda w: w in need_words or w in generic or bool(len(self.index.lookup(w).docs)))
        self.scope = ScopeJudge(knowledge.language, self.tokenizer, _business_texts(knowledge))
        self.cues = Cues(knowledge.language)
        self.specificity = Specificity(self.index, generic)
        entries: dict[str, set[int]] = {}
        for w in self.vocabulary.words:
            entries.setdefault(w.compact.lower(), set()).add(w.entry)
        self._entries_of = {word: frozenset(ids) for word, ids in entries.items()}
        # the words that only say a thing's kind (屋, サロン, 教室, 機): part of a longer thing, they name nothing
        self._kind_words = {k.id: frozenset(w.lower() for w in (*k.suffixes, *k.heads)) for k in knowledge.language.things}
        self._heads = {k.id: frozenset(h.lower() for h in k.heads) for k in knowledge.language.things}
        self.program_things = tuple(self._things_of(p) for p in self.index.programs)
        # the group a program is named for (女性の起業チャレンジ → 女性): it fits an owner who names no group less
        self.audience_of = tuple(frozenset(g for g in knowledge.language.audiences if g in p.name)
                                 for p in self.index.programs)
        # the words a need is named by (人材確保, 省エネ・脱炭素 → 省エネ, 脱炭素): what a frame's need expands to
        self.tag_terms = {t.id: tuple(self.tokenizer.terms(t.id)) for t in knowledge.vocabulary.tags}
        # needs residents have in their own lives too (子育て, ごみ): alone they may be a resident's matter
        self.personal_tags = frozenset(t.id for t in knowledge.vocabulary.tags if t.also_personal)
        self.neighbours = ExampleNeighbours(knowledge.examples, lambda text: _example_terms(self.tokenizer, text),
                                            self.index.doc_of)

    def _unknown_nouns(self, tokens: tuple[Token, ...]) -> list[Token]:
        """Nouns neither the catalogue nor the vocabulary has, and no generic word: a synonym may stand for them
        (起業 → 創業). Verbs and adjectives say too little (使う → 利用, 新しい → 新規)."""
        return [t for t in tokens if t.is_content and t.pos[0] == "名詞"
                and (word := t.normalized.lower()) not in self.generic
                and not len(self.index.lookup(word).docs) and word not in self.index.common
                and word not in self._entries_of and t.surface.lower() not in self._entries_of]

    def related(self, a: str, b: str) -> bool:
        """Two words the needs vocabulary lists in one entry (水銀灯 and 照明)."""
        return bool(self._entries_of.get(a, frozenset()) & self._entries_of.get(b, frozenset()))

    def _things_of(self, program: Program) -> dict[str, frozenset[str]]:
        """The specific things a program is about, by kind (2-2-7: equipment {照明}; 4-1-7: people {外国人})."""
        tokens = tuple(self.tokenizer.tokens(f"{program.name}。{program.description}"))
        found: dict[str, set[str]] = {}
        for thing in self.frames.things(tokens):
            if thing.kind not in AGREEMENT_KINDS:
                continue
            heads = self._heads[thing.kind]  # 設備, 人材: words for the kind itself name no particular thing
            if thing.head not in heads and self.specificity.is_specific(thing.head):
                found.setdefault(thing.kind, set()).add(thing.head)
        return {kind: frozenset(terms) for kind, terms in found.items() if terms}

    def analyze(self, text: str) -> Analysis:
        query = analyze_query(text, self.tokenizer, self.dialect)
        matches = self.vocabulary.match(query)
        repairs = self.repairer.repair(query)
        understood = query  # what the frames read: the query with its typos repaired
        if repairs:  # let a repaired word reach the vocabulary and the frames too (後継車 → 後継者 → 事業承継)
            fixed = query.compact
            for r in repairs:
                fixed = fixed.replace(r.typed, r.meant)
            understood = analyze_query(fixed, self.tokenizer)
            seen = {id(m.entry) for m in matches}
            matches += [m for m in self.vocabulary.match(understood) if id(m.entry) not in seen]
        unknown = self._unknown_nouns(understood.tokens)
        reading_terms = [term for reading in sorted(find_words(self.reading_pattern, query.kana))
                         for term in self.readings[reading]] if len(query.kana) >= MIN_KANA_READING else []
        things = self.frames.things(understood.tokens)
        frames = self.frames.match(understood, things)
        scopes = tuple((f.thing.text, frozenset(f.frame.tags)) for f in frames)
        # the owner's trade named beside the need (果物店の店内を改装したい) says who they are, not the need:
        # its words too only reorder the programs of the needs built from the message
        need_tags = frozenset(t for f in frames if not f.frame.fallback for t in f.frame.tags)
        if need_tags:
            framed = {text for text, _ in scopes}
            scopes += tuple((thing.text, need_tags) for thing in things
                            if thing.kind in OWNER_KINDS and thing.text not in framed)
        # a need word inside a frame's thing or action counts only for that frame's need
        # (介護 in 介護職員が足りない, or in 社員が親の介護で休む: not a care-device need)
        parts = [(text, tags) for text, tags in scopes] + [(f.action, frozenset(f.frame.tags)) for f in frames]
        matches = [m for m in matches if not all(any(w.lower() in text.lower() and not set(m.entry.tags) <= tags
                                                     for text, tags in parts) for w in (m.words or (m.word,)))]
        said = {t for m in matches for t in m.entry.tags}
        frame_needs = {f: _as_need(f, self.tag_terms) for f in frames if not set(f.frame.tags) <= said}
        matches += list(frame_needs.values())
        # 「どこに相談すれば」 asks where to ask: a need only when it is the only one (スタッフ募集しても応募ゼロ。
        # どこに相談すりゃいいの is a hiring need, not a general consultation)
        asking = [m for m in matches if all(self.cues.is_lost(w) for w in (m.words or (m.word,)))]
        if any(m.entry.tags for m in matches if m not in asking):
            matches = [m for m in matches if m not in asking]
        named = self.names.find(query)
        # a frame on a machine, goods or people a person owns (家の冷蔵庫) is no sign of a business; a shop or a
        # trade a family member owns (母の店を継ぐ) is the family's business
        personal = [f for f in frames if not f.frame.fallback and f.thing.kind not in OWNER_KINDS
                    and (o := f.thing.owner(understood.tokens)) and self.scope.is_owner(o)]
        # a business's thing said as the speaker's counterpart (店で買った商品が届かない) is the speaker's as a customer
        counterparts = self.scope.counterparts(understood.tokens)
        said_as_counterpart = set(counterparts.values())
        personal += [f for f in frames if not f.frame.fallback and f not in personal
                     and (f.thing.text in said_as_counterpart or f.thing.head in said_as_counterpart)]
        business_frames = [f for f in frames if not f.frame.fallback and f not in personal]
        # a trade or shop the speaker runs (スポーツ用品店の店長です, うちの旅館): the speaker is a business, whatever
        # residents' words follow (小中学校の授業に協力したい)
        run = frozenset(thing.text for thing in things if thing.kind in OWNER_KINDS and thing.text not in self.cues.own_words
               and thing.text not in said_as_counterpart and self.cues.runs(thing, understood.tokens))
        personal_needs = [frame_needs[f] for f in personal if f in frame_needs]
        needs = len({t for m in matches if not any(m is p for p in personal_needs) for t in m.entry.tags})
        muted = frozenset(term for f in frames for term in f.thing.terms
                          if term in self._kind_words[f.thing.kind] and term != f.thing.text)
        # a frame's action already counts as the frame's need; as a word it would favour the programs that
        # happen to say it (エネルギー in 再エネ関連産業 for 冷凍庫のエネルギーコスト)
        muted |= frozenset(term for f in frames if not f.frame.fallback
                           for term in self.frames.action_terms(f, understood.tokens))
        # the owner's trade beside a need (定食屋を開きたい) says who asks, not which of the need's programs fits:
        # the examples would follow whichever program an example of that trade happened to name (leave-one-set-out:
        # grids 0.945 / 0.963 → 0.967 / 0.972, the need sets 0.891 → 0.886)
        owners_trade = frozenset(term for thing in things if thing.kind in OWNER_KINDS for term in thing.terms) \
            if need_tags else frozenset()
        return Analysis(query, tuple(matches), tuple(frames), tuple(repairs), tuple(reading_terms), tuple(named),
                        self.scope.judge(query, needs, len(business_frames), _naming(named), counterparts, len(run)), scopes, muted,
                        tuple(things), self.synonyms.of_all(unknown), self._example_vote(query, muted | owners_trade), run)

    def rank(self, analysis: Analysis, limit: int) -> list[Hit]:
        """Rank the programs for an analysed message."""
        return rank(analysis, self.index, self.specificity, self.program_things, limit=limit, related=self.related,
                    audience_of=self.audience_of, vote=analysis.vote)

    def _example_vote(self, query: Query, muted: frozenset[str]) -> Vote | None:
        """What the nearest labelled examples say, compared on the message's words but generic ones (相談, 補助金)
        and a frame's kind and action words; a message with no word specific enough to be evidence (登録したい,
        働く) gets no vote, as it would bring no program in by its own words. (Letting the vote only reorder when
        the message shows no business sign cost 1.4 points on the need sets leave-one-set-out, いきなり店出すのは
        怖い among them, and kept no resident's or vague message of the tuning halves from a program: not done.)"""
        terms = [t for t in query.terms if t not in muted and t.lower() not in self.generic]
        words = set(terms)
        if not any(self.specificity.is_specific(t.normalized.lower(), t.pos[0])
                   for t in query.tokens if t.is_content and t.normalized in words):
            return None
        return self.neighbours.vote(terms)

    def search(self, text: str, limit: int = 5) -> list[Hit]:
        """Rank programs for a need; never asks back."""
        return self.rank(self.analyze(text), limit)

    def furigana(self, text: str) -> list[tuple[str, str | None]]:
        return self.tokenizer.furigana(text)


def _naming(named: list[NamedThing]) -> str | None:
    """How a program or desk was named: in "full", or only by a "short" name, which may be a place or a person's
    name as well (花見山, 古関裕而): a visitor asking when 花見山 is at its best names no program."""
    if not named:
        return None
    return "full" if any(n.in_full for n in named) else "short"


def _as_need(frame: FrameMatch, tag_terms: Mapping[str, tuple[str, ...]]) -> VocabularyMatch:
    """A frame found in the message counts as a need word, expanding to the words of its needs' labels."""
    terms = tuple(dict.fromkeys(t for tag in frame.frame.tags for t in tag_terms.get(tag, ())))
    return VocabularyMatch(frame.thing.text, VocabularyEntry((frame.phrase,), frame.frame.tags), terms)


def _reading_map(terms, tokenizer: Tokenizer) -> dict[str, list[str]]:
    """Readings of the index's kanji words, for matching kana input."""
    readings: dict[str, list[str]] = {}
    for term in terms:
        reading = tokenizer.reading_of(term)
        if len(reading) >= MIN_KANA_READING and reading != term:
            readings.setdefault(reading, []).append(term)
    return readings


def _business_texts(knowledge: Knowledge) -> list[str]:
    """What a business's side is written with: the programs, the needs vocabulary, the kinds of thing. The
    vocabulary of needs residents have too (子育て, 健康) is left out: its words are both sides'."""
    personal = {t.id for t in knowledge.vocabulary.tags if t.also_personal}
    return ([text for p in knowledge.programs for text in (p.name, p.description)]
            + [w for e in knowledge.vocabulary.entries if not set(e.tags) & personal for w in e.words]
            + [w for kind in knowledge.language.things for w in kind.words])
