"""The dialogue as one ordered table of rules: the first rule whose `when` holds answers the turn.

All state comes in and goes out through the contract's `context`, so any server instance
can answer any turn. Search sits below the dialogue: nothing here is imported by it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

from assistant import answers
from assistant.analysis import Analysis
from assistant.context import Context, read_context
from assistant.engine import Assistant
from assistant.frames import OWNER_KINDS
from assistant.intents import Cues, is_more, ordinal
from assistant.models import Intent, Reply
from assistant.scope import PERSONAL_LEAN
from assistant.turn import Turn

CLEAR_SCORE = 9.0   # a generic message still has one answer when a program stands out this much
CLEAR_MARGIN = 1.2  # ... and leads the next by this factor (どこに相談したらいいか分からない → よろず)
# kinds of thing that name the owner (a trade, a role, the shop), not a need: a machine (充電器), goods
# (自社製品) or an IT tool (予約システム) the programs name do tell the need
NAMING_KINDS = frozenset({"business", "people", "shop"})
MAX_FOLLOW_UP_WORDS = 3  # a follow-up question about the last answer is short (「それはどこに申し込むの？」)


@dataclass(frozen=True)
class Rule:
    intent: Intent
    when: Callable[[Turn], bool]
    answer: Callable[[Turn], Reply]


def _plain(turn: Turn) -> bool:
    """No need and no program or desk named: the message is about the conversation itself."""
    return not turn.new_need


def in_crisis(t: Turn) -> bool:
    return t.cues.in_crisis(t.text)


def asks_help(t: Turn) -> bool:
    return _plain(t) and t.cues.is_help(t.text)


def says_thanks(t: Turn) -> bool:
    """Thanks, except that a word both a hello and a thanks (どうも) is a hello before any answer."""
    if not (_plain(t) and t.cues.is_thanks(t.text)):
        return False
    return t.context != Context() or not t.cues.is_greeting(t.text)


def greets(t: Turn) -> bool:
    return _plain(t) and t.cues.is_greeting(t.text)


def asks_more(t: Turn) -> bool:
    return is_more(t.text)


def picks_by_number(t: Turn) -> bool:
    return ordinal(t.text) is not None and bool(t.context.shown) and not t.analysis.has_need


def is_outside_matter(t: Turn) -> bool:
    return t.analysis.scope.outside is not None


def personal_or_business(t: Turn) -> bool:
    """No sign of a business (no business word, no trade, staff or machine, no need built from its parts,
    nothing named) and either words that lean well toward a person's life, or only needs residents have in
    their own lives too (子どもの予防接種, ごみ) with a hint of a person's life (子ども, 自宅, 母)."""
    a = t.analysis
    tags = set(a.tags)
    if a.named:
        return False
    if _speaks_as_employee(t):  # 会社に育休取りたいって言ったら: an employee's own leave or pay, not an employer's need
        return True
    if a.scope.business_cues > 0:
        return False
    # words leaning toward a person's life, unless said as an owner's example says them (メンタルで休んでる子が
    # いる。社内で講座を); a need residents have too (子どもを預かってくれるところ) is asked about all the same
    if leans_personal(a, t.cues) and not (a.vote is not None and a.vote.like_an_example):
        return True
    if not tags or not tags <= t.assistant.personal_tags:
        return False
    if a.scope.outside_hints <= 0:
        return False
    if any(not f.frame.fallback for f in a.frames):
        return False
    return not any(thing.kind != "shop" or thing.text != "うち" for thing in a.things)  # うちの子 is no shop


def _speaks_as_employee(t: Turn) -> bool:
    """The speaker takes the leave, or is owed the pay by a firm said only as their counterpart (給料…会社に言っても
    払ってくれない), and names no staff and no business of their own (社員が休む, 社員の給料 are the employer's)."""
    a = t.analysis
    if any(thing.kind == "people" or thing.text in a.run_by_speaker for thing in a.things):
        return False
    text = a.query.compact.lower()
    return (t.cues.takes_own_leave(text, a.query.tokens)
            or (bool(a.scope.counterparts) and a.scope.business_cues == 0 and t.cues.speaks_of_pay(text)))


def leans_personal(a: Analysis, cues: Cues) -> bool:
    """No need built from parts, no trade, staff, machine or shop of the speaker's, and words leaning well
    toward a person's life (土湯温泉に子連れで泊まりたい)."""
    if any(not f.frame.fallback for f in a.frames):
        return False
    if any(thing.text != "うち" and thing.text not in a.scope.counterparts
           # a trade's name may be a place a resident goes (保育所, 市民プール) unless the speaker runs it
           and (thing.kind not in OWNER_KINDS or thing.text in cues.trade_words or thing.text in a.run_by_speaker)
           for thing in a.things):
        return False
    return a.scope.lean >= PERSONAL_LEAN


def asks_unwritten_fact(t: Turn) -> bool:
    """A deadline, amount, rate or condition asked with no need of its own: a need word said as the
    condition (赤字でも申請できますか) is the condition, not the need."""
    if t.cues.not_in_document(t.text) is None:
        return False
    text = t.analysis.query.compact.lower()
    needs = [m for m in t.analysis.matches if m.entry.tags and not _only_as_condition(text, m.word.lower())]
    return not needs and not t.analysis.frames


def _places(text: str, word: str) -> list[int]:
    """Every place the word is written in the text."""
    return [i for i in range(len(text)) if word and text.startswith(word, i)]


def _only_as_condition(text: str, word: str) -> bool:
    """The word stands only right before でも (赤字でも, 個人事業主でも)."""
    places = _places(text, word)
    return bool(places) and all(text.startswith("でも", i + len(word)) for i in places)


def asks_indicator(t: Turn) -> bool:
    if not t.cues.asks_indicator(t.text):
        return False
    return t.assistant.indicators.find(t.analysis.query) is not None or (
        bool(t.context.indicator) and not t.new_need and len(t.content) <= MAX_FOLLOW_UP_WORDS)


def _names(t: Turn, kind: str) -> bool:
    """A program or desk is named and the message asks about it (or says little else)."""
    if not t.analysis.named or t.analysis.named[0].kind != kind:
        return False
    leftover = t.text.replace(t.analysis.named[0].matched, "")
    return t.cues.asks_contact(t.text) or t.cues.asks_detail(t.text) or len(leftover) <= 4


def names_program(t: Turn) -> bool:
    return _names(t, "program")


def names_desk(t: Turn) -> bool:
    return _names(t, "desk")


def asks_offerings(t: Turn) -> bool:
    return t.cues.asks_offerings(t.text) and bool(t.context.desk or t.context.focus) and not t.new_need


def asks_level(t: Turn) -> bool:
    return t.cues.level(t.text) is not None and bool(t.context.need or t.context.shown) and not t.new_need


def asks_contact_of_shown(t: Turn) -> bool:
    ctx = t.context
    if not t.cues.asks_contact(t.text) or t.analysis.named or not (ctx.focus or ctx.shown or ctx.desk):
        return False
    return not t.analysis.has_need and (t.cues.is_vague(t.content) or len(t.content) <= MAX_FOLLOW_UP_WORDS)


def asks_category_list(t: Turn) -> bool:
    return t.cues.asks_list(t.text) and t.analysis.has_need


def refines_last_need(t: Turn) -> bool:
    return bool(t.context.need) and t.cues.refines(t.text) and not t.analysis.named and bool(t.content)


def is_lost(t: Turn) -> bool:
    return t.cues.is_lost(t.text) and not t.analysis.frames and not (set(t.analysis.tags) - {"経営相談"})


def is_vague(t: Turn) -> bool:
    """Nothing but generic words, or a trade or a role with no action (飲食店やってます。)."""
    a = t.analysis
    naming = [thing for thing in a.things if thing.kind in NAMING_KINDS]
    # a need word only inside a trade's name (菓子 in 和菓子屋の三代目です), or inside a sentence saying who
    # the owner is (ＩＴ企業です。使える制度を教えて), names the owner, not a need
    text = a.query.compact.lower()
    introductions = _introductions(t)
    inside = _spans(text, [thing.text for thing in naming] + introductions)
    tags = {tag for m in a.matches if any(not _only_within(text, w.lower(), inside) for w in (m.words or (m.word,)))
            for tag in m.entry.tags}
    if t.cues.was_referred(t.text) and tags <= {"経営相談"} and not a.frames:  # 商工会の人に言われて来ました
        return True
    if not (a.named or a.frames) and _only_introduces(t):  # ITの会社やってます: IT names the business, not a need
        return True
    if a.named or a.repairs or tags or a.frames:  # 経営の相談をしたい names a need: the general desks
        return False
    things = {term for thing in naming for term in thing.terms}
    pos = {tok.normalized: tok.pos[0] for tok in a.query.tokens}
    if t.cues.states_who_one_is(a.query.tokens):  # 駅前でカフェやってます: who, not what they need
        return bool(t.content)
    telling = [tok.normalized for tok in a.query.tokens if tok.is_content and tok.normalized.lower() not in things
               and not _only_within(text, tok.surface.lower(), _spans(text, introductions))
               and _tells(t, tok.normalized, pos.get(tok.normalized))]
    if introductions:  # 菓子店やってます。何か使える制度ある？: who they are, then a question with no need in it
        return not telling
    return bool(t.content) and not telling and not _clear_winner(t)


def _sentences(t: Turn) -> list[list]:
    """The message's sentences as tokens, those with words in them only (何かありますか too)."""
    sentences: list[list] = [[]]
    for tok in t.analysis.query.tokens:
        sentences[-1].append(tok)
        if tok.surface in _SENTENCE_ENDS:
            sentences.append([])
    return [s for s in sentences if any(tok.pos[0] not in ("補助記号", "空白") for tok in s)]


def _introduces(t: Turn, sentence: list) -> bool:
    return t.cues.states_who_one_is(tuple(sentence)) and _only_runs_a_business(sentence, t.cues.runs_business)


def _introductions(t: Turn) -> list[str]:
    """The sentences of a longer message that only say who the owner is (金属加工業です。), as written."""
    sentences = _sentences(t)
    if len(sentences) < 2:
        return []
    return ["".join(tok.surface for tok in s if tok.pos[0] != "空白").lower() for s in sentences if _introduces(t, s)]


def _only_introduces(t: Turn) -> bool:
    """Every sentence only says what the owner runs, and a trade or a shop is named (福島駅前でカフェやってます！,
    IT関係の会社やってます): the words around the trade describe the business; no need is asked yet. Without a
    trade named, the statement is the need (経営が苦しいです) or the activity programs serve (ロボットの開発をしている);
    a quality said of something is a problem (電気代が高い店です)."""
    a = t.analysis
    if not any(thing.kind in OWNER_KINDS for thing in a.things) or any(tok.pos[0] == "形容詞" for tok in a.query.tokens):
        return False
    sentences = _sentences(t)
    return bool(sentences) and all(_introduces(t, s) for s in sentences)


_SENTENCE_ENDS = frozenset({"。", "！", "!", "？", "?", "\n"})
# verbs that only carry a statement (運営して|います, です): any other verb tells what the owner does or did
_CARRIERS = frozenset({"為る", "居る", "有る", "御座る", "致す", "おる", "御る"})


def _only_runs_a_business(sentence: list, running: frozenset[str]) -> bool:
    """The sentence says only what the owner runs or is (菓子店やってます, 介護事業所を運営しています), not
    something done (店を全面禁煙にして減塩メニューもやってる: the need is in it)."""
    for i, tok in enumerate(sentence):
        if tok.pos[0] != "動詞":
            continue
        if tok.normalized in running or tok.surface in running:
            continue
        if tok.normalized in _CARRIERS and not (i > 0 and sentence[i - 1].surface == "に"):  # 禁煙にして
            continue
        return False
    return True


def _spans(text: str, parts: list[str]) -> list[tuple[int, int]]:
    """Where each part stands in the text, every time."""
    return [(i, i + len(p)) for p in parts for i in _places(text, p)]


def _only_within(text: str, word: str, spans: list[tuple[int, int]]) -> bool:
    """The word is written in the text, and each time inside one of the spans (菓子 in 和菓子屋)."""
    places = _places(text, word)
    return bool(places) and all(any(b <= i and i + len(word) <= e for b, e in spans) for i in places)


def _tells(t: Turn, word: str, pos: str | None) -> bool:
    """A word that could say what the need is: specific (not 使う, 国, 全部 …) and known to the programs or to
    the labelled examples (先生 in 大学の先生と組みたい)."""
    term = word.lower()
    return t.assistant.specificity.is_specific(term, pos) and (bool(len(t.assistant.index.lookup(term).docs))
                                                                or t.assistant.neighbours.knows(term))


def no_need_recognised(t: Turn) -> bool:
    """Nothing fits and no need was recognised: what the need is is the question, not 'nothing found'."""
    return not (t.analysis.has_need or t.analysis.named)


def _clear_winner(t: Turn) -> bool:
    hits = t.ranking
    if not hits or hits[0].score < CLEAR_SCORE:
        return False
    return len(hits) == 1 or hits[0].score >= CLEAR_MARGIN * hits[1].score


def rests_on_one_word(t: Turn) -> bool:
    """No need, frame, name or example behind it: the best program only shares one word of its text with the
    message (店が交換してくれない → a program that says 交換). Too little to send anyone to a desk: ask what the
    need is. An example naming the program is evidence enough (中2の体験 うけいれたい)."""
    a, hits = t.analysis, t.ranking
    if not hits or a.has_need or a.named or any(not f.frame.fallback for f in a.frames):
        return False
    if a.vote is not None and t.assistant.index.doc_of[hits[0].program.id] in a.vote.docs:
        return False
    return len(hits[0].matched) <= 1


def has_candidates(t: Turn) -> bool:
    return bool(t.ranking)


def always(t: Turn) -> bool:
    return True


RULES: tuple[Rule, ...] = (
    Rule(Intent.CRISIS, in_crisis, answers.crisis),                      # 死にたい: the person first, before any program
    Rule(Intent.HELP, asks_help, answers.help),                          # 使い方 / 何ができる？ (no need in it)
    Rule(Intent.THANKS, says_thanks, answers.thanks),                    # ありがとう
    Rule(Intent.GREETING, greets, answers.greeting),                     # こんにちは
    Rule(Intent.MORE, asks_more, answers.more),                          # もっと: the next page of the last need
    Rule(Intent.FOLLOW_UP, picks_by_number, answers.numbered),           # 2番目を詳しく / 15番目の電話番号は？
    Rule(Intent.OUT_OF_SCOPE, is_outside_matter, answers.out_of_scope),  # 住民票, ごみの日: a kind redirect
    Rule(Intent.CLARIFY, personal_or_business, answers.personal_or_business),  # 子どもの予防接種: a resident's?
    Rule(Intent.NEED, is_lost, answers.general_desk),                    # どこに相談すればいいか分からない: よろず first
    Rule(Intent.NOT_IN_DOCUMENT, asks_unwritten_fact, answers.not_in_document),  # 締め切りは？ 補助率は？
    Rule(Intent.INDICATOR, asks_indicator, answers.indicator),           # 創業者数の目標は？ / 実績は？
    Rule(Intent.PROGRAM, names_program, answers.program),                # よろず支援拠点の電話番号
    Rule(Intent.DESK, names_desk, answers.desk),                         # 産業雇用政策課の番号
    Rule(Intent.DESK, asks_offerings, answers.offerings),                # 何を相談できるの？ after a desk
    Rule(Intent.FILTER, asks_level, answers.by_level),                   # 市の制度はどれ？ after a list
    Rule(Intent.FOLLOW_UP, asks_contact_of_shown, answers.contact_of_shown),  # それはどこに申し込むの？
    Rule(Intent.CATEGORY, asks_category_list, answers.category),         # 人材の支援を一覧で
    Rule(Intent.REFINE, refines_last_need, answers.refine),              # 外国人でもいい (after 従業員を雇いたい)
    Rule(Intent.CLARIFY, is_vague, answers.clarify),                     # 補助金ありますか: ask what the need is
    Rule(Intent.CLARIFY, rests_on_one_word, answers.clarify),           # 店が交換してくれない: one shared word is no need
    Rule(Intent.NEED, has_candidates, answers.need),                     # a need and the programs that fit it
    Rule(Intent.CLARIFY, no_need_recognised, answers.clarify),           # まだ間に合う？: nothing to go on, ask
    Rule(Intent.NOT_FOUND, always, answers.not_found),                   # nothing fits: the general desk
)


def respond(assistant: Assistant, message: str, raw_context: Any = None) -> Reply:
    """Answer one message given the previous reply's context."""
    turn = Turn(assistant, message, assistant.analyze(message), read_context(raw_context, assistant.knowledge))
    rule = next(r for r in RULES if r.when(turn))
    return replace(rule.answer(turn), source=assistant.knowledge.document.title)
