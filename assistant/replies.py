"""Short, polite Japanese reply texts built only from the knowledge data."""
from __future__ import annotations

from assistant.models import Hit
from knowledge.models import Contact, Indicator, Knowledge, Program, ProgramContact, Quantity

GENERAL_DESK_PROGRAM = "1-1-3"  # よろず支援拠点: the desk for "I don't know where to ask"
EDITION = "令和7年度版"


def phones_text(contact: Contact, numbers: tuple[str, ...]) -> str:
    parts = []
    for n in numbers:
        label = contact.label_of(n)
        parts.append(f"{n}({label})" if label else n)
    return "、".join(parts)


def program_contact_line(pc: ProgramContact) -> str:
    name = pc.name + (f"【{pc.qualifier}】" if pc.qualifier else "")
    if pc.role:
        name = f"{pc.role}: {name}"
    return f"{name} TEL {phones_text(pc.contact, pc.phones)}" if pc.phones else f"{name}(電話番号の記載なし)"


def source_line(program: Program) -> str:
    return f"出典: 中小企業振興プログラム({EDITION}) {program.page_label}"


def first_desks(program: Program, limit: int = 2) -> list[str]:
    with_phone = [c for c in program.contacts if c.phones] or list(program.contacts)
    lines = [program_contact_line(c) for c in with_phone[:limit]]
    if len(with_phone) > limit:
        lines.append(f"ほか {len(program.contacts) - limit} 件の窓口")
    return lines


def hit_block(rank: int, hit: Hit) -> str:
    p = hit.program
    lines = [f"{rank}. {p.name}", f"  {p.summary}"]
    if hit.reasons:
        lines.append(f"  合う理由: {'、'.join(hit.reasons[:2])}")
    lines += [f"  窓口: {line}" for line in first_desks(p)]
    lines.append(f"  {source_line(p)}")
    return "\n".join(lines)


def need_text(hits: list[Hit], start: int, more: bool) -> str:
    head = "ほかの候補です。" if start else "お困りごとに合いそうな支援をご案内します。"
    blocks = [hit_block(start + i + 1, h) for i, h in enumerate(hits)]
    tail = "「もっと」と送ると、ほかの候補も表示します。" if more else "詳しくは各窓口にお問い合わせください。"
    return "\n\n".join([head, *blocks, tail])


def contacts_text(program: Program) -> str:
    lines = [f"「{program.name}」の問い合わせ先です。"]
    lines += [f"・{program_contact_line(c)}" for c in program.contacts] or ["・(問い合わせ先の記載なし)"]
    lines.append(source_line(program))
    return "\n".join(lines)


def detail_text(program: Program) -> str:
    lines = [f"「{program.name}」", *filter(None, [program.description_note]), program.description, "", "問い合わせ先:"]
    lines += [f"・{program_contact_line(c)}" for c in program.contacts]
    lines.append(source_line(program))
    return "\n".join(lines)


def _program_names(programs: tuple[Program, ...], limit: int = 3) -> str:
    names = "、".join(p.name for p in programs[:limit])
    return names + (f" ほか{len(programs) - limit}件" if len(programs) > limit else "")


def desk_text(knowledge: Knowledge, desk: Contact) -> str:
    if knowledge.phone_depends_on_program(desk):  # one desk, a number per program: say which is which
        lines = [desk.name, "事業によって記載された電話番号が異なります。"]
        lines += [f"・TEL {phones_text(desk, (phone.number,))}: {_program_names(programs)}"
                  for phone, programs in knowledge.programs_by_phone(desk)]
        return "\n".join(lines)
    phones = phones_text(desk, tuple(p.number for p in desk.phones)) if desk.phones else "(電話番号の記載なし)"
    programs = knowledge.programs_of_contact(desk.id)
    lines = [f"{desk.name}", f"TEL {phones}" if desk.phones else phones]
    if programs:
        names = "、".join(p.name for p in programs[:5])
        lines.append(f"この窓口の事業: {names}" + (f" ほか{len(programs) - 5}件" if len(programs) > 5 else ""))
    return "\n".join(lines)


def _q(q: Quantity | None) -> str:
    return "未記載" if q is None or not q.text else q.text


def indicator_text(knowledge: Knowledge, indicator: Indicator) -> str:
    owner = (knowledge.program_by_id[indicator.program_id].name if indicator.program_id
             else knowledge.section_by_id[indicator.section_id].title if indicator.section_id else "")
    lines = [f"成果指標{indicator.number}「{indicator.name}」" + (f"({owner})" if owner else "")]
    for s in indicator.series:
        prefix = f"[{s.label}] " if s.label else ""
        actuals = "、".join(f"{year} {_q(q)}" for year, q in s.actuals if q is not None)
        year = "" if "(R" in (s.baseline.text or "") else f"({s.baseline.year})"  # printed already
        lines.append(f"{prefix}基準値 {_q(s.baseline)}{year}/目標値(令和7年度) {_q(s.target)}")
        lines.append(f"{prefix}実績: {actuals or '未記載'}(6年度・7年度は未記載)")
    lines.append(f"出典: 中小企業振興プログラム({EDITION}) 成果指標一覧 p.{indicator.page}")
    return "\n".join(lines)


def general_desk_line(knowledge: Knowledge) -> str:
    program = knowledge.program_by_id[GENERAL_DESK_PROGRAM]
    pc = program.contacts[0]
    return f"{pc.name}(TEL {phones_text(pc.contact, pc.phones)})"


def out_of_scope_text(knowledge: Knowledge) -> str:
    return ("申し訳ありません。そのご質問はこのサービスの対象外です。ふくしま支援ナビは、福島市の事業者向けの支援制度と"
            f"相談窓口をご案内しています。経営のことでどこに相談したらよいか分からないときは、{general_desk_line(knowledge)}"
            "が相談に応じています。")


def not_found_text(knowledge: Knowledge) -> str:
    return ("ぴったりの支援制度が見つかりませんでした。別の言葉で言い換えるか、下の分野から選んでください。"
            f"どこに相談したらよいか分からないときは、{general_desk_line(knowledge)}が相談に応じています。")


GREETING_TEXT = ("こんにちは。ふくしま支援ナビです。事業のお困りごとを普段の言葉で書いてください"
                 "(例:「創業したい」「人手不足で困っている」)。合う支援制度と、相談・申し込みの窓口と電話番号をご案内します。")
THANKS_TEXT = "どういたしまして。ほかにもお困りごとがあれば、いつでもどうぞ。"
HELP_TEXT = ("使い方: お困りごとをそのまま書いてください(例:「LED照明に替えたい」「後継者がいない」)。"
             "事業名や窓口名で電話番号を調べる(「よろず支援拠点の電話番号」)、成果指標を聞く(「創業者数の目標は？」)、"
             "分野ごとの一覧(「人材の支援を一覧で」)もできます。答えのあとに「もっと」「2番目を詳しく」「電話番号は？」と続けられます。")
VAGUE_TEXT = "どのようなことでお困りですか？ 近いものを選ぶか、具体的に書いてください(例:「創業したい」「設備を新しくしたい」)。"
