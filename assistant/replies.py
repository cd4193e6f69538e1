"""Short, polite Japanese reply texts built only from the knowledge data."""
from __future__ import annotations

from knowledge.models import Contact, Indicator, Knowledge, Program, ProgramContact, Quantity

GENERAL_DESK_PROGRAM = "1-1-3"  # よろず支援拠点: the desk for "I don't know where to ask"


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


def source_line(title: str, program: Program) -> str:
    """The citation, one format everywhere: the document's own title (the edition in use) and the page."""
    return f"出典: {title} {program.page_label}"


def first_desks(program: Program, limit: int = 2) -> list[str]:
    with_phone = [c for c in program.contacts if c.phones] or list(program.contacts)
    lines = [program_contact_line(c) for c in with_phone[:limit]]
    if len(with_phone) > limit:
        lines.append(f"ほか {len(program.contacts) - limit} 件の窓口")
    return lines


def contacts_text(program: Program, title: str) -> str:
    lines = [f"「{program.name}」の問い合わせ先です。"]
    lines += [f"・{program_contact_line(c)}" for c in program.contacts] or ["・(問い合わせ先の記載なし)"]
    lines.append(source_line(title, program))
    return "\n".join(lines)


def detail_text(program: Program, title: str) -> str:
    lines = [f"「{program.name}」", *filter(None, [program.description_note]), program.description, "", "問い合わせ先:"]
    lines += [f"・{program_contact_line(c)}" for c in program.contacts]
    lines.append(source_line(title, program))
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
    lines.append(f"出典: {knowledge.document.title} 成果指標一覧 p.{indicator.page}")
    return "\n".join(lines)


def general_desk_line(knowledge: Knowledge) -> str:
    program = knowledge.program_by_id[GENERAL_DESK_PROGRAM]
    return call_first_line(program.contacts[0])  # as the lead names a desk; no nested (…(…))


# Where each kind of outside question is answered: the city's own pages and counters (no number is given,
# because the document prints none for them).
OUTSIDE_POINTERS = {
    "personal": "くらしの手続き(ごみ、届出・証明、保険・年金・税、子育て、介護など)は、福島市のホームページや市役所の担当窓口でご案内しています。",
    "visitor": "観光やおでかけの情報は、福島市や観光協会のホームページでご覧いただけます。",
    "job_seeker": "お仕事探しのご相談は、市のホームページなどで案内されている就職の相談窓口をご利用ください。",
    "off_topic": "",
}


def out_of_scope_text(knowledge: Knowledge, side: str = "off_topic") -> str:
    """A kind redirect: what this service covers, where such questions go, and the business desk."""
    return ("ご質問ありがとうございます。ふくしま支援ナビは、福島市の事業者向けの支援制度と相談窓口をご案内するサービスです。"
            + OUTSIDE_POINTERS.get(side, "")
            + f"事業や経営のことでしたら、下の分野から選ぶか、{general_desk_line(knowledge)}にご相談ください。")


def personal_or_business_text(knowledge: Knowledge) -> str:
    """For a need residents have too (子育て, ごみ, 健康) said with no sign of a business."""
    return ("事業(お店や会社)のご相談でしょうか。ふくしま支援ナビは、福島市の事業者向けの支援制度と相談窓口をご案内しています。"
            + OUTSIDE_POINTERS["personal"]
            + f"事業のことでしたら、下から近いものを選ぶか、{general_desk_line(knowledge)}にご相談ください。")


def crisis_text(knowledge: Knowledge) -> str:
    """For words of despair: the person first, with no program and no invented number; the business desk last,
    since money troubles of a shop are often part of it."""
    return ("おつらいお気持ちを書いてくださって、ありがとうございます。命に関わるほどおつらいときは、ひとりで抱え込まず、"
            "いますぐ身近な人に話すか、かかりつけの医療機関や市役所の相談窓口に相談してください。危険が迫っているときは、"
            "ためらわずに救急に連絡してください。"
            f"お店や会社のお金・経営のことでしたら、{general_desk_line(knowledge)}でも一緒に考えてもらえます。")


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


def call_first_line(pc: ProgramContact) -> str:
    """「福島県事業承継・引継ぎ支援センター(電話 024-954-4163)」: a desk with its first printed number."""
    if not pc.phones:
        return f"{pc.name}(電話番号の記載なし)"
    return f"{pc.name}(電話 {pc.phones[0]})"


def first_contact(program: Program) -> ProgramContact | None:
    """The desk to call first for a program: its first desk with a number, else its first desk."""
    return next((c for c in program.contacts if c.phones), program.contacts[0] if program.contacts else None)


def need_lead(need_label: str | None, desk: ProgramContact | None, others: int) -> str:
    """What a desk officer says first: the need in a few words, whom to call, how many more."""
    head = f"{need_label}のことですね。" if need_label else "お困りごとに合いそうな支援です。"
    call = f"まずは{call_first_line(desk)}に相談できます。" if desk else ""
    more = f"ほかに{others}件の候補があります。" if others > 0 else ""
    return head + call + more


MORE_FOLLOW_UP = "「もっと」と送ると、ほかの候補も表示します。"
LAST_FOLLOW_UP = "ほかの候補はありません。詳しくは各窓口にお問い合わせください。"
NO_MORE_TEXT = "これ以上の候補はありません。別の言葉で言い換えるか、分野を選んでください。"
ASK_NEED_TEXT = "どのようなことでお困りですか？ まずお困りごとを書いてください。"


def not_in_document_text(program: Program, kind: str, title: str) -> str:
    """The document gives no deadlines, amounts, rates or detailed eligibility: say so, and whom to ask."""
    desk = first_contact(program)
    ask = f"{call_first_line(desk)}にお問い合わせください。" if desk else "窓口にお問い合わせください。"
    return (f"「{program.name}」の{kind}は、{title}には書かれていません。"
            f"最新の内容は{ask}")


def which_program_text(kind: str) -> str:
    return (f"{kind}は制度ごとに違い、中小企業振興プログラムには書かれていないことがほとんどです。"
            "どの制度についてですか？ 制度の名前か、お困りごとを書いてください。")


def offerings_text(knowledge: Knowledge, desk: Contact) -> str:
    """What one can consult a desk about: the programs the document lists under it."""
    programs = knowledge.programs_of_contact(desk.id)
    if not programs:
        return f"{desk.name}が受け持つ事業は、この資料には載っていません。"
    lines = [f"{desk.name}では、次の事業について相談できます。"]
    lines += [f"・{p.name}: {p.summary}" for p in programs[:8]]
    if len(programs) > 8:
        lines.append(f"ほか {len(programs) - 8} 件")
    return "\n".join(lines)


def level_lead(level: str, count: int) -> str:
    return f"{level}の制度は{count}件です。" if count else f"{level}の制度は見つかりませんでした。"


def refine_lead(refinement: str) -> str:
    return f"「{refinement}」も合わせて探しました。"
