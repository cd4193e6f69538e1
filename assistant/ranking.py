"""Score programs for a query: literal BM25F terms, vocabulary expansion, tags, names.

Each kind of evidence is a small function returning Signals (programs and their points,
as arrays); weights live here, in one table, so the trade-offs are read (and tuned
against the dev set) in one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from assistant.analysis import Analysis
from assistant.evidence import Specificity
from assistant.examples import SPECIFIC_SIMILARITY, Vote
from assistant.fuzzy import NamedThing
from assistant.index import ProgramIndex
from assistant.models import Hit
from assistant.vocabulary import VocabularyMatch

WEIGHTS = {
    "literal": 1.0,     # a query word found in a program's fields
    "part": 0.5,        # a part of a long query word (運転資金 → 資金)
    "repaired": 0.8,    # a typo repaired to an index word
    "reading": 0.8,     # kana input matched by a word's reading
    "synonym": 0.5,     # an index word in the same Sudachi synonym group as a query word (起業 → 創業)
    "expanded": 0.5,    # a document word the vocabulary says the owner's word means
    "tag": 1.3,         # × idf of the tag: the owner's need matches the program's needs tag
    "secondary_tag": 0.5,  # share of the tag weight when the tag is not the program's first (main) need
    "kind": 0.4,        # × idf of the kind: only for programs already matching otherwise
    "name": 8.0,        # the program's name or short name written in the query
    "example": 3.0,     # × the votes of the most similar labelled examples (assistant/examples.py)
}
# × score when a program is about another thing of the kind the need hangs on: an LED照明 subsidy does not
# cover a freezer, while a program for 高校生 hiring still helps someone hiring a cook.
DISAGREE = {"equipment": 0.3, "people": 0.8}
OFF_FRAME = 0.85  # × score of a program that meets none of the needs built from the message's parts
AUDIENCE = 0.8  # × score of a program named for a group (女性の起業) when the owner does not say they are of it
MIN_SCORE = 2.0        # below this nothing is claimed
RELATIVE_FLOOR = 0.25  # a hit must reach this share of the best hit's score


@dataclass(frozen=True)
class Signal:
    """Points a set of programs gains, with the owner's word behind them and the reason shown.

    Only a `specific` signal can bring a program into the results; the others add points
    to programs that are in already.
    """
    docs: np.ndarray
    points: np.ndarray
    word: str | None = None
    reason: str | None = None
    specific: bool = True

    @cached_property
    def doc_set(self) -> frozenset[int]:
        """The programs as a set, so explaining a hit asks each signal once without a numpy call."""
        return frozenset(self.docs.tolist())


def term_signals(index: ProgramIndex, terms: Iterable[str], weight: float, specificity: Specificity,
                 analysis: Analysis, pos_of: dict[str, str] | None = None,
                 about: Callable[[str], np.ndarray] = lambda term: np.empty(0, dtype=np.int32)) -> list[Signal]:
    """Literal words; a word of a frame's thing only reorders the programs of that frame's need,
    and the programs that are about that very thing (保育士 for a 保育士 shortage)."""
    signals = []
    for term in dict.fromkeys(terms):
        postings = index.lookup(term)
        if not len(postings.docs) or term in analysis.muted_terms:
            continue
        docs, points = postings.docs, weight * postings.weights
        tags = analysis.scope_of(term)
        if tags is not None:
            keep = _within(len(index.programs), [index.tag_docs[t].docs for t in tags if t in index.tag_docs]
                           + [about(term)])[docs]
            signals.append(Signal(docs[keep], points[keep], term, specific=False))
        else:
            signals.append(Signal(docs, points, term, specific=specificity.is_specific(term, (pos_of or {}).get(term))))
    return signals


def _within(n_docs: int, groups: list[np.ndarray]) -> np.ndarray:
    """A mask of the programs in any of the groups: one lookup per posting instead of sorting them (np.isin)."""
    mask = np.zeros(n_docs, dtype=bool)
    for docs in groups:
        mask[docs] = True
    return mask


def vocabulary_signals(index: ProgramIndex, matches: list[VocabularyMatch]) -> list[Signal]:
    signals = []
    tags: dict[str, str] = {}
    for m in matches:
        for term in m.expansion:
            postings = index.lookup(term)
            if len(postings.docs):  # a word for a kind of support (補助金) says nothing of the need
                signals.append(Signal(postings.docs, WEIGHTS["expanded"] * postings.weights, m.word,
                                      specific=bool(m.entry.tags)))
        for tag in m.entry.tags:
            tags.setdefault(tag, m.word)
    for tag, word in tags.items():
        if tag in index.tag_docs:
            docs = index.tag_docs[tag]
            share = np.where(docs.weights > 0, 1.0, WEIGHTS["secondary_tag"]).astype(np.float64)
            signals.append(Signal(docs.docs, WEIGHTS["tag"] * index.tag_idf[tag] * share, word, f"「{word}」→ {tag}"))
    return signals


def kind_signals(index: ProgramIndex, matches: list[VocabularyMatch]) -> list[Signal]:
    """Kinds of support asked for; rank() adds them only to programs that match otherwise."""
    kinds = {k: m.word for m in matches for k in m.entry.kinds}
    return [Signal(index.kind_docs[kind].docs,
                   np.full(len(index.kind_docs[kind].docs), WEIGHTS["kind"] * index.kind_idf[kind], np.float64),
                   word, f"支援の種類: {kind}")
            for kind, word in kinds.items() if kind in index.kind_docs]


def example_signals(vote: Vote | None, analysis: Analysis, index: ProgramIndex) -> list[Signal]:
    """The programs the nearest labelled examples name; only a close example's may bring a program in.

    A need built from the message's parts (パン屋を開きたい → 創業) is read from its structure; the examples
    then only choose among that need's programs. Measured leave-one-set-out, letting them vote outside the
    need as well cost the grids 1–2 points (開業資金が足りない went to the plain loan) for one need query.
    """
    if vote is None:
        return []
    docs, points, closest = vote.docs, vote.points, vote.closest
    if analysis.framed_needs:
        keep = np.isin(docs, index.docs_with_tags(analysis.framed_needs))
        docs, points, closest = docs[keep], points[keep], closest[keep]
    close = closest >= SPECIFIC_SIMILARITY
    points = WEIGHTS["example"] * points
    return [Signal(docs[close], points[close], None, "似た相談の例", specific=True),
            Signal(docs[~close], points[~close], None, None, specific=False)]


def name_signals(index: ProgramIndex, named: list[NamedThing]) -> list[Signal]:
    return [Signal(np.array([index.doc_of[t.id]], np.int32), np.array([WEIGHTS["name"]], np.float64),
                   t.matched, "事業名が一致") for t in named if t.kind == "program"]


def _explain(doc: int, signals: list[Signal]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words and reasons of the signals that gave this program points."""
    words: dict[str, None] = {}
    reasons: dict[str, None] = {}
    for s in signals:
        if doc in s.doc_set:
            if s.word:
                words[s.word] = None
            if s.reason:
                reasons[s.reason] = None
    return tuple(words), tuple(reasons)


def _agrees(own: frozenset[str], words: frozenset[str], text: str, related: Callable[[str, str], bool]) -> bool:
    """The owner's thing is one the program names: the same word, one inside the other (外国人/外国人材),
    or words the vocabulary puts together (水銀灯/照明)."""
    return any(o in text or any(len(w) > 1 and (w in o or related(w, o)) for w in words) for o in own)


def disagreement(analysis: Analysis, program_things: Sequence[Mapping[str, frozenset[str]]],
                 related: Callable[[str, str], bool] = lambda a, b: False) -> np.ndarray:
    """1 for each program, or a penalty where the program is about a particular thing the owner did not name.

    LED照明 programs for 冷蔵庫の電気代, 外国人 hiring for 介護職員が足りない: the program is about
    another thing of the kind the need hangs on. (Penalising, for any message, programs for a group the
    owner did not name, 女性の起業, was measured and lowered every set: not done.)
    """
    factor = np.ones(len(program_things), dtype=np.float64)
    for frame in analysis.frames:
        asked = {frame.thing.head or frame.thing.text}
        for doc, things in enumerate(program_things):
            own = things.get(frame.thing.kind)
            if own and not _agrees(own, asked, frame.thing.text, related):
                factor[doc] = min(factor[doc], DISAGREE.get(frame.thing.kind, 1.0))
    return factor


def audience(analysis: Analysis, audience_of: Sequence[frozenset[str]]) -> np.ndarray:
    """1 for each program, or the penalty where the program is named for a group the message does not name."""
    text = analysis.query.compact.lower()
    factor = np.ones(len(audience_of), dtype=np.float64)
    for doc, groups in _named_for_groups(tuple(audience_of)):
        if not any(g.lower() in text for g in groups):
            factor[doc] = AUDIENCE
    return factor


@lru_cache(maxsize=4)
def _named_for_groups(audience_of: tuple[frozenset[str], ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    """The few programs named for a group, found once per catalogue instead of looping over all per query."""
    return tuple((doc, groups) for doc, groups in enumerate(audience_of) if groups)


def off_frame(analysis: Analysis, index: ProgramIndex) -> np.ndarray:
    """1 for each program, less for one outside every need built from the message's parts: for
    美容室を開きたいけど資金が足りない the 創業 loan comes before a loan for anyone (資金 alone)."""
    tags = {t for t in analysis.framed_needs if t in index.tag_docs}
    factor = np.ones(len(index.programs), dtype=np.float64)
    if tags:
        factor[:] = OFF_FRAME
        factor[index.docs_with_tags(frozenset(tags))] = 1.0
    return factor


def rank(analysis: Analysis, index: ProgramIndex, specificity: Specificity,
         program_things: Sequence[Mapping[str, frozenset[str]]] = (), limit: int = 5,
         related: Callable[[str, str], bool] = lambda a, b: False,
         audience_of: Sequence[frozenset[str]] = (), vote: Vote | None = None) -> list[Hit]:
    """Combine every signal and return the best programs above the threshold.

    A program is a candidate only with evidence specific to it (a need, a name, a specific
    word); generic words and kinds of support then only reorder the candidates.
    """
    query, matches = analysis.query, list(analysis.matches)
    pos_of = {t.normalized.lower(): t.pos[0] for t in query.tokens if t.is_content}
    words = list(pos_of)
    about_docs = _programs_about(program_things)

    def about(term: str) -> np.ndarray:
        return about_docs.get(term, _NO_DOCS)
    signals = (term_signals(index, words, WEIGHTS["literal"], specificity, analysis, pos_of, about)
               + term_signals(index, [t for t in query.terms if t not in pos_of], WEIGHTS["part"], specificity, analysis)
               + term_signals(index, [r.meant for r in analysis.repairs], WEIGHTS["repaired"], specificity, analysis)
               + term_signals(index, analysis.reading_terms, WEIGHTS["reading"], specificity, analysis)
               + term_signals(index, [t for t in analysis.synonym_terms if t not in pos_of], WEIGHTS["synonym"],
                              specificity, analysis)
               + vocabulary_signals(index, matches)
               + name_signals(index, list(analysis.named))
               + example_signals(vote, analysis, index))
    scores = _sum_points(signals, len(index.programs))
    specific = np.zeros(len(index.programs), dtype=bool)
    for s in signals:
        if s.specific:
            specific[s.docs] = True
    scores[~specific] = 0.0
    if analysis.frames and len(program_things):
        scores *= disagreement(analysis, program_things, related)
    if len(audience_of):
        scores *= audience(analysis, audience_of)
    scores *= off_frame(analysis, index)
    matched = scores > 0
    kinds = kind_signals(index, matches)
    for s in kinds:
        scores[s.docs] += s.points * matched[s.docs]
    top = _top(scores, limit)
    if not top:
        return []
    floor = max(MIN_SCORE, RELATIVE_FLOOR * float(scores[top[0]]))
    hits = []
    for doc in top:
        score = float(scores[doc])
        if score < floor:
            break
        hit_words, reasons = _explain(doc, signals + [s for s in kinds if matched[doc]])
        reasons = reasons or (f"キーワード: {'、'.join(hit_words[:4])}",)
        hits.append(Hit(index.programs[doc], score, hit_words, reasons))
    return hits


_NO_DOCS = np.empty(0, dtype=np.int32)
_ABOUT_CACHE: dict[int, tuple[Sequence, dict[str, np.ndarray]]] = {}
_ABOUT_CACHE_SIZE = 4  # catalogues in use at once (a staff reload builds a new one)


def _programs_about(program_things: Sequence[Mapping[str, frozenset[str]]]) -> dict[str, np.ndarray]:
    """The programs about each particular thing (保育士 → the programs naming 保育士), ascending.

    Built once per catalogue and kept while it is in use, instead of looping over every program
    for each word of a query.
    """
    cached = _ABOUT_CACHE.get(id(program_things))
    if cached is None or cached[0] is not program_things:
        docs: dict[str, list[int]] = {}
        for doc, things in enumerate(program_things):
            for term in frozenset().union(*things.values()):
                docs.setdefault(term, []).append(doc)
        if len(_ABOUT_CACHE) >= _ABOUT_CACHE_SIZE:
            _ABOUT_CACHE.clear()
        cached = _ABOUT_CACHE[id(program_things)] = (program_things,
                                                    {t: np.array(ds, dtype=np.int32) for t, ds in docs.items()})
    return cached[1]


def _sum_points(signals: list[Signal], n_docs: int) -> np.ndarray:
    """Each program's points over all signals, in one pass.

    bincount adds the weights in array order, signal after signal, so every sum is the same
    float as adding each signal's array in turn.
    """
    if not signals:
        return np.zeros(n_docs, dtype=np.float64)
    docs = np.concatenate([s.docs for s in signals])
    points = np.concatenate([s.points for s in signals]).astype(np.float64, copy=False)
    return np.bincount(docs, weights=points, minlength=n_docs)


def _top(scores: np.ndarray, limit: int) -> list[int]:
    """The best programs with points, best first; ties go to the earlier program, as in the document."""
    k = min(limit, len(scores))
    if k <= 0:
        return []
    if k < len(scores):
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        candidates = np.flatnonzero((scores >= kth - 1e-9) & (scores > 0))  # every tie at the boundary, so the order is stable
    else:
        candidates = np.flatnonzero(scores > 0)
    # rounded, so that equal evidence summed in another order is still a tie, broken by document order
    keys = zip((-round(score, 9) for score in scores[candidates].tolist()), candidates.tolist())
    return [doc for _, doc in sorted(keys)][:k]
