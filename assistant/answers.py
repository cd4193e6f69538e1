"""The answers of the dialogue's rules: each builds a Reply's parts from a Turn.

Texts come from assistant/replies.py and the knowledge data only; every phone number
shown is the data's.
"""
from __future__ import annotations

from assistant import replies
from assistant.context import Context
from assistant.intents import ordinal
from assistant.models import Hit, Intent, Reply
from assistant.turn import MAX_RESULTS, Turn
from knowledge.models import Contact, Program

PAGE = 3           # programs per answer
MANY = 8           # with this many candidates the need is broad: the general desk is the one to call first
GENERAL_DESK = replies.GENERAL_DESK_PROGRAM


def chips(turn: Turn, limit: int = 6) -> tuple[str, ...]:
    return tuple(t.chip for t in turn.knowledge.vocabulary.tags[:limit])


def _keep(turn: Turn, intent: Intent, lead: str, limit: int = 6, **parts) -> Reply:
    """A reply that leaves the conversation where it was."""
    return Reply(intent, lead, suggestions=parts.pop("suggestions", chips(turn, limit)),
                 context=parts.pop("context", turn.context.to_dict()), **parts)


def crisis(turn: Turn) -> Reply:
    return Reply(Intent.CRISIS, replies.crisis_text(turn.knowledge), context=Context().to_dict())


def greeting(turn: Turn) -> Reply:
    return _keep(turn, Intent.GREETING, replies.GREETING_TEXT)


def thanks(turn: Turn) -> Reply:
    return _keep(turn, Intent.THANKS, replies.THANKS_TEXT)


def help(turn: Turn) -> Reply:  # noqa: A001 - the dialogue's name for the move
    return _keep(turn, Intent.HELP, replies.HELP_TEXT)


def need_label(turn: Turn) -> str | None:
    """The need in a few words: a frame's label, else the first recognised need's label."""
    a = turn.analysis
    if a.frames:
        return a.frames[0].frame.label
    labels = {t.id: t.label for t in turn.knowledge.vocabulary.tags}
    return labels.get(a.tags[0]) if a.tags else None


def _desk_to_call(turn: Turn, hits: list[Hit]) -> Program:
    """The top program, or the general desk when the need is broad or the programs many."""
    broad = len(hits) >= MANY or not (turn.analysis.has_need or turn.analysis.named)
    return turn.knowledge.program_by_id[GENERAL_DESK] if broad else hits[0].program


def page(turn: Turn, need: str, hits: list[Hit], start: int, intent: Intent, lead: str | None = None) -> Reply:
    """One page of a need's programs, with the lead saying whom to call first."""
    shown = hits[start:start + PAGE]
    if not shown:
        return Reply(intent, replies.NO_MORE_TEXT, suggestions=chips(turn), context=Context(need, (), start).to_dict())
    more = len(hits) > start + PAGE
    if lead is None:
        desk = replies.first_contact(_desk_to_call(turn, hits))
        lead = replies.need_lead(need_label(turn), desk, len(hits) - 1) if start == 0 else "ほかの候補です。"
    ctx = Context(need, tuple(h.program.id for h in shown), start + len(shown), shown[0].program.id)
    numbers = ("1番目の電話番号は？", "2番目を詳しく") if start == 0 else (f"{start + 1}番目の電話番号は？",)
    suggestions = (("もっと",) if more else ()) + numbers[: len(shown)]
    return Reply(intent, lead, tuple(shown), follow_up=replies.MORE_FOLLOW_UP if more else replies.LAST_FOLLOW_UP,
                 suggestions=suggestions, context=ctx.to_dict(), first=start + 1)


def need(turn: Turn) -> Reply:
    return page(turn, turn.message, turn.ranking, 0, Intent.NEED)


def more(turn: Turn) -> Reply:
    ctx = turn.context
    if not ctx.need:
        return _keep(turn, Intent.MORE, replies.ASK_NEED_TEXT)
    hits = turn.assistant.rank(turn.assistant.analyze(ctx.need), MAX_RESULTS)
    return page(turn, ctx.need, hits, ctx.offset, Intent.MORE)


def refine(turn: Turn) -> Reply:
    """Narrow the last need by what the message adds (外国人でもいい after 従業員を雇いたい)."""
    combined = f"{turn.context.need} {turn.message}"
    hits = turn.assistant.rank(turn.assistant.analyze(combined), MAX_RESULTS)
    return page(turn, combined, hits, 0, Intent.REFINE, replies.refine_lead(turn.message.strip()))


def focus(turn: Turn, program: Program, intent: Intent, ctx: Context | None = None) -> Reply:
    """One program: its desks when a phone is asked for, else its whole text and every desk."""
    ctx = ctx or turn.context
    wants_contact = turn.cues.asks_contact(turn.text) and not turn.cues.asks_detail(turn.text)
    title = turn.knowledge.document.title
    text = replies.contacts_text(program, title) if wants_contact else replies.detail_text(program, title)
    lead, _, body = text.partition("\n")
    new_ctx = Context(ctx.need, ctx.shown, ctx.offset, program.id)
    return Reply(intent, lead, (Hit(program, 0.0, (), ()),), (body,), suggestions=("もっと",) if ctx.need else (),
                 context=new_ctx.to_dict())


def numbered(turn: Turn) -> Reply:
    """「2番目を詳しく」: the n-th program of the list shown, numbered across もっと."""
    ctx = turn.context
    n = ordinal(turn.text) or 0
    first = max(ctx.offset - len(ctx.shown), 0) + 1
    index = n - first
    if not 0 <= index < len(ctx.shown):
        last = first + len(ctx.shown) - 1
        return _keep(turn, Intent.FOLLOW_UP, f"{n}番目の候補はありません。前の回答の番号は{first}〜{last}番です。",
                     suggestions=("もっと",) if ctx.need else chips(turn))
    return focus(turn, turn.knowledge.program_by_id[ctx.shown[index]], Intent.FOLLOW_UP)


def not_in_document(turn: Turn) -> Reply:
    """Deadlines, amounts, rates, eligibility: the document does not say; name the desk that knows."""
    kind = turn.cues.not_in_document(turn.text) or "詳しい条件"
    program = asked_program(turn)
    if program is None:
        names = tuple(f"{turn.knowledge.program_by_id[i].name}の{kind}" for i in turn.context.shown[:3])
        return _keep(turn, Intent.CLARIFY, replies.which_program_text(kind), suggestions=names or chips(turn))
    desk = replies.first_contact(program)
    ctx = Context(turn.context.need, turn.context.shown, turn.context.offset, program.id)
    return Reply(Intent.NOT_IN_DOCUMENT, replies.not_in_document_text(program, kind, turn.knowledge.document.title), (Hit(program, 0.0),),
                 desks=(desk.contact,) if desk else (), suggestions=("詳しく",), context=ctx.to_dict())


def asked_program(turn: Turn) -> Program | None:
    """The program a follow-up question is about: named now, or the one the last answer focused on."""
    k = turn.knowledge
    named = [t for t in turn.analysis.named if t.kind == "program"]
    if named:
        return k.program_by_id[named[0].id]
    ctx = turn.context
    if ctx.focus:
        return k.program_by_id[ctx.focus]
    return k.program_by_id[ctx.shown[0]] if len(ctx.shown) == 1 else None


def indicator(turn: Turn) -> Reply:
    found = turn.assistant.indicators.find(turn.analysis.query)
    ind = found or turn.knowledge.indicator_by_id[turn.context.indicator]
    text = replies.indicator_text(turn.knowledge, ind)
    lead, _, body = text.partition("\n")
    ctx = turn.context
    return Reply(Intent.INDICATOR, lead, body=(body,), indicator=ind,
                 context=Context(ctx.need, ctx.shown, ctx.offset, ctx.focus, None, ind.id).to_dict())


def program(turn: Turn) -> Reply:
    ctx = turn.context
    return focus(turn, turn.knowledge.program_by_id[turn.analysis.named[0].id], Intent.PROGRAM,
                 Context(ctx.need, ctx.shown, ctx.offset))


def desk(turn: Turn) -> Reply:
    contact = turn.knowledge.contact_by_id[turn.analysis.named[0].id]
    return desk_reply(turn, contact, replies.desk_text(turn.knowledge, contact))


def desk_reply(turn: Turn, contact: Contact, text: str) -> Reply:
    ctx = turn.context
    lead, _, body = text.partition("\n")
    return Reply(Intent.DESK, lead, body=(body,) if body else (), desks=(contact,), suggestions=("何を相談できる？",),
                 context=Context(ctx.need, ctx.shown, ctx.offset, None, contact.id).to_dict())


def offerings(turn: Turn) -> Reply:
    """「何を相談できるの？」 after a desk (its programs) or a program (its whole text)."""
    ctx = turn.context
    if ctx.desk:
        contact = turn.knowledge.contact_by_id[ctx.desk]
        return desk_reply(turn, contact, replies.offerings_text(turn.knowledge, contact))
    return focus(turn, turn.knowledge.program_by_id[ctx.focus], Intent.FOLLOW_UP)


def program_level(program: Program) -> str:
    """The level of the program's first desk: 市, 県, 国 or その他."""
    return program.contacts[0].contact.level if program.contacts else "その他"


def by_level(turn: Turn) -> Reply:
    """「市の制度はどれ？」: the last need's programs of that level only."""
    level = turn.cues.level(turn.text) or "市"
    ctx = turn.context
    hits = (turn.assistant.rank(turn.assistant.analyze(ctx.need), MAX_RESULTS) if ctx.need
            else [Hit(turn.knowledge.program_by_id[i], 0.0) for i in ctx.shown])
    kept = [h for h in hits if program_level(h.program) == level]
    if not kept:
        return _keep(turn, Intent.FILTER, replies.level_lead(level, 0))
    return page(turn, ctx.need or "", kept, 0, Intent.FILTER, replies.level_lead(level, len(kept)))


def contact_of_shown(turn: Turn) -> Reply:
    """「電話番号は？」 after an answer: the focused program's (or desk's) numbers."""
    ctx = turn.context
    if ctx.desk and not ctx.focus:
        contact = turn.knowledge.contact_by_id[ctx.desk]
        return desk_reply(turn, contact, replies.desk_text(turn.knowledge, contact))
    return focus(turn, turn.knowledge.program_by_id[ctx.focus or ctx.shown[0]], Intent.FOLLOW_UP)


def category(turn: Turn) -> Reply:
    k = turn.knowledge
    tags = turn.analysis.tags
    programs = [p for p in k.programs if set(tags) & set(p.tags)]
    tag = "・".join(tags)
    lines = [f"・{p.name}: {replies.first_desks(p, 1)[0] if p.contacts else '窓口の記載なし'}" for p in programs]
    hits = tuple(Hit(p, 0.0, (), (f"分野: {tag}",)) for p in programs)
    ctx = Context(None, tuple(p.id for p in programs[:20]), len(programs[:20]), None)
    return Reply(Intent.CATEGORY, f"「{tag}」の支援は {len(programs)} 件あります。", hits, ("\n".join(lines),),
                 suggestions=("1番目を詳しく",), context=ctx.to_dict())


def out_of_scope(turn: Turn) -> Reply:
    side = turn.analysis.scope.outside or "personal"
    return _keep(turn, Intent.OUT_OF_SCOPE, replies.out_of_scope_text(turn.knowledge, side), limit=4)


def personal_or_business(turn: Turn) -> Reply:
    """A need residents have too, with no sign of a business: say what the service covers, point a
    resident to the city, and offer the business's side of the same need as chips."""
    own = tuple(t.chip for t in turn.knowledge.vocabulary.tags if t.id in turn.analysis.tags)
    return _keep(turn, Intent.CLARIFY, replies.personal_or_business_text(turn.knowledge),
                 suggestions=own + tuple(c for c in chips(turn) if c not in own))


def clarify(turn: Turn) -> Reply:
    return _keep(turn, Intent.CLARIFY, replies.VAGUE_TEXT, limit=10)


def not_found(turn: Turn) -> Reply:
    return Reply(Intent.NOT_FOUND, replies.not_found_text(turn.knowledge), suggestions=chips(turn),
                 context=Context().to_dict())


def general_desk(turn: Turn) -> Reply:
    """No need named, only 'where do I ask?': the general desks, the first one to call first."""
    k = turn.knowledge
    programs = [k.program_by_id[GENERAL_DESK]] + [p for p in k.programs if p.tags[:1] == ("経営相談",)
                                                 and p.id != GENERAL_DESK][:3]
    hits = [Hit(p, 0.0, (), ("どこに相談するか迷ったときの窓口",)) for p in programs]
    desk = replies.first_contact(programs[0])
    lead = replies.need_lead("どこに相談するか", desk, len(hits) - 1)
    return page(turn, turn.message, hits, 0, Intent.NEED, lead)
