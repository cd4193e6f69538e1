"""One dialogue turn: decide what the message is and build the reply. Pure Python.

All state comes in and goes out through the contract's `context`, so any server
instance can answer any turn.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant import intents, replies
from assistant.context import Context, read_context
from assistant.models import Hit, Reply

if TYPE_CHECKING:
    from assistant.engine import Assistant

PAGE = 3          # programs per answer
MAX_RESULTS = 20  # how far もっと can go


def respond(assistant: "Assistant", message: str, raw_context: Any = None) -> Reply:
    """Answer one message given the previous reply's context."""
    k = assistant.knowledge
    ctx = read_context(raw_context, k)
    analysis = assistant.analyze(message)
    text = analysis.query.compact.lower()
    for handler in (_small_talk, _more, _ordinal_follow_up, _indicator, _named, _contact_follow_up, _listing,
                    _out_of_scope, _vague):
        reply = handler(assistant, analysis, text, ctx)
        if reply is not None:
            return reply
    return _need(assistant, analysis, message, ctx)


def _chips(assistant: "Assistant", exclude: tuple[str, ...] = (), limit: int = 6) -> tuple[str, ...]:
    tags = [t for t in assistant.knowledge.vocabulary.tags if t.id not in exclude]
    return tuple(t.chip for t in tags[:limit])


def _small_talk(assistant, analysis, text, ctx) -> Reply | None:
    if analysis.tags and not intents.is_greeting(text):
        return None
    for check, intent, body in ((intents.is_help, "help", replies.HELP_TEXT),
                                (intents.is_thanks, "thanks", replies.THANKS_TEXT),
                                (intents.is_greeting, "greeting", replies.GREETING_TEXT)):
        if check(text) and not (analysis.named or analysis.tags):
            return Reply(body, intent, suggestions=_chips(assistant), context=ctx.to_dict())
    return None


def _page(assistant, need: str, start: int, ctx: Context, intent: str, hits: list[Hit] | None = None) -> Reply:
    """One page of the results for a need; `hits` when the caller ranked it already."""
    if hits is None:
        hits = assistant.search(need, limit=min(start + PAGE + 1, MAX_RESULTS))
    page = hits[start:start + PAGE]
    if not page:
        return Reply("これ以上の候補はありません。別の言葉で言い換えるか、分野を選んでください。", intent,
                     suggestions=_chips(assistant), context=Context(need, (), start).to_dict())
    more = len(hits) > start + PAGE
    new_ctx = Context(need, tuple(h.program.id for h in page), start + len(page), page[0].program.id)
    suggestions = (("もっと",) if more else ()) + ("1番目の電話番号は？", "2番目を詳しく")[: len(page)]
    return Reply(replies.need_text(page, start, more), intent, tuple(page), suggestions, new_ctx.to_dict())


def _more(assistant, analysis, text, ctx) -> Reply | None:
    if not intents.is_more(text):
        return None
    if not ctx.need:
        return Reply("どのようなことでお困りですか？ まずお困りごとを書いてください。", "more",
                     suggestions=_chips(assistant), context=ctx.to_dict())
    return _page(assistant, ctx.need, ctx.offset, ctx, "more")


def _focus_reply(assistant, program_id: str, text: str, ctx: Context, intent: str) -> Reply:
    program = assistant.knowledge.program_by_id[program_id]
    wants_contact = intents.asks_contact(text) and not intents.asks_detail(text)
    body = replies.contacts_text(program) if wants_contact else replies.detail_text(program)
    new_ctx = Context(ctx.need, ctx.shown, ctx.offset, program.id)
    return Reply(body, intent, (Hit(program, 0.0, (), ("前の回答から",)),), ("もっと",) if ctx.need else (),
                 new_ctx.to_dict())


def _ordinal_follow_up(assistant, analysis, text, ctx) -> Reply | None:
    n = intents.ordinal(text)
    if n is None or not ctx.shown or analysis.tags:
        return None
    first = max(ctx.offset - len(ctx.shown), 0) + 1  # list numbers continue across もっと
    index = n - first if n >= first else n - 1
    if not 0 <= index < len(ctx.shown):
        return Reply(f"{n}番目の候補は前の回答にありません。", "follow_up", suggestions=("もっと",), context=ctx.to_dict())
    return _focus_reply(assistant, ctx.shown[index], text, ctx, "follow_up")


def _contact_follow_up(assistant, analysis, text, ctx) -> Reply | None:
    if not intents.asks_contact(text) or analysis.named or not (ctx.focus or ctx.shown or ctx.desk):
        return None
    content = [t.normalized for t in analysis.query.tokens if t.is_content]
    if analysis.tags or (not intents.is_vague(content) and len(content) > 3):
        return None
    if ctx.desk and not ctx.focus:
        desk = assistant.knowledge.contact_by_id[ctx.desk]
        return Reply(replies.desk_text(assistant.knowledge, desk), "desk", desks=(desk,), context=ctx.to_dict())
    return _focus_reply(assistant, ctx.focus or ctx.shown[0], text, ctx, "follow_up")


def _indicator(assistant, analysis, text, ctx) -> Reply | None:
    if not intents.asks_indicator(text):
        return None
    indicator = assistant.indicators.find(analysis.query)
    if indicator is None:
        return None
    body = replies.indicator_text(assistant.knowledge, indicator)
    return Reply(body, "indicator", indicator=indicator, context=ctx.to_dict())


def _named(assistant, analysis, text, ctx) -> Reply | None:
    if not analysis.named:
        return None
    thing = analysis.named[0]
    k = assistant.knowledge
    leftover = text.replace(thing.matched, "")
    if not (intents.asks_contact(text) or intents.asks_detail(text) or len(leftover) <= 4):
        return None
    if thing.kind == "desk":
        desk = k.contact_by_id[thing.id]
        return Reply(replies.desk_text(k, desk), "desk", desks=(desk,),
                     context=Context(ctx.need, ctx.shown, ctx.offset, None, desk.id).to_dict())
    return _focus_reply(assistant, thing.id, text, Context(ctx.need, ctx.shown, ctx.offset), "program")


def _listing(assistant, analysis, text, ctx) -> Reply | None:
    if not intents.asks_list(text) or not analysis.tags:
        return None
    k = assistant.knowledge
    tags = analysis.tags
    programs = [p for p in k.programs if set(tags) & set(p.tags)]
    tag = "・".join(tags)
    lines = [f"「{tag}」の支援は {len(programs)} 件あります。"]
    lines += [f"・{p.name}: {replies.first_desks(p, 1)[0] if p.contacts else '窓口の記載なし'}" for p in programs]
    hits = tuple(Hit(p, 0.0, (), (f"分野: {tag}",)) for p in programs)
    new_ctx = Context(None, tuple(p.id for p in programs[:20]), len(programs[:20]), None)
    return Reply("\n".join(lines), "category", hits, ("1番目を詳しく",), new_ctx.to_dict())


def _out_of_scope(assistant, analysis, text, ctx) -> Reply | None:
    surfaces = frozenset(t.surface for t in analysis.query.tokens)
    word = intents.out_of_scope_word(text, surfaces, bool(analysis.tags))
    if word is None or analysis.named:
        return None
    hits = assistant.rank(analysis, PAGE)
    if analysis.tags and hits and hits[0].score >= 10:
        return None
    return Reply(replies.out_of_scope_text(assistant.knowledge), "out_of_scope",
                 suggestions=_chips(assistant, limit=4), context=ctx.to_dict())


def _vague(assistant, analysis, text, ctx) -> Reply | None:
    content = [t.normalized for t in analysis.query.tokens if t.is_content]
    if analysis.named or analysis.repairs or (analysis.tags and analysis.tags != ["経営相談"]):
        return None
    if not intents.is_vague(content) or _clear_winner(assistant.rank(analysis, 2)):
        return None
    return Reply(replies.VAGUE_TEXT, "clarify", suggestions=_chips(assistant, limit=10), context=ctx.to_dict())


CLEAR_SCORE = 9.0   # a generic message still has one answer when a program stands out this much
CLEAR_MARGIN = 1.2  # ... and leads the next by this factor (どこに相談したらいいか分からない → よろず)


def _clear_winner(hits: list[Hit]) -> bool:
    if not hits or hits[0].score < CLEAR_SCORE:
        return False
    return len(hits) == 1 or hits[0].score >= CLEAR_MARGIN * hits[1].score


def _need(assistant, analysis, message: str, ctx: Context) -> Reply:
    hits = assistant.rank(analysis, PAGE + 1)
    if not hits:
        return Reply(replies.not_found_text(assistant.knowledge), "not_found",
                     suggestions=_chips(assistant), context=Context().to_dict())
    return _page(assistant, message, 0, ctx, "need", hits)
