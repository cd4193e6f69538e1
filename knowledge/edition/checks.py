"""Misprints found, not silently kept: each is listed in errata.json's form with its line.

A phone number of the wrong shape, a gap or duplicate in the numbering, a simplified-Chinese
or otherwise unusual character, a name that differs between the table of contents and the
body, an indicator number out of order, a page or figure the two places print differently.
"""
from __future__ import annotations

import unicodedata
from typing import Iterator

from knowledge.edition.model import Edition, Finding, IndicatorRow, TocEntry
from knowledge.edition.text import circled, fold, phone_is_well_formed, squeeze

# Simplified forms that turn up in Japanese documents, with the Japanese form.
SIMPLIFIED = {"产": "産", "业": "業", "发": "発", "经": "経", "济": "済", "务": "務", "设": "設", "备": "備",
              "资": "資", "导": "導", "开": "開", "关": "関", "术": "術", "农": "農", "业务": "業務", "门": "門",
              "们": "們", "电": "電", "话": "話", "时": "時", "会": "会", "协": "協", "议": "議", "个": "個",
              "这": "這", "对": "対", "进": "進", "动": "動", "区": "区", "员": "員", "补": "補", "助": "助",
              "销": "販", "贩": "販", "购": "購", "费": "費", "质": "質", "学": "学", "研": "研", "发展": "発展"}


def unusual(char: str) -> bool:
    """A character a Japanese document should not contain: a kanji outside JIS X 0213 (simplified
    Chinese such as 产), a private-use or replacement character, a control character."""
    o = ord(char)
    if char == "\ufffd" or 0xE000 <= o <= 0xF8FF or (unicodedata.category(char) == "Cc" and char not in "\t\n"):
        return True
    if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or o >= 0x20000:
        try:
            char.encode("shift_jis_2004")
        except UnicodeEncodeError:
            return True
    return False


def _context(text: str, i: int) -> str:
    """The word around position i: the run of kanji and kana it sits in, at most 6 either side."""
    def word(c: str) -> bool:
        return c.isalnum() and not c.isascii()
    a = i
    while a > 0 and i - a < 6 and word(text[a - 1]):
        a -= 1
    b = i + 1
    while b < len(text) and b - i < 6 and word(text[b]):
        b += 1
    return text[a:b]


def _char_findings(kind: str, target: str, field: str, where: str, text: str, line: int) -> Iterator[Finding]:
    seen = set()
    for i, ch in enumerate(text):
        if unusual(ch) and ch not in seen:
            seen.add(ch)
            ctx = _context(text, i)
            fix = SIMPLIFIED.get(ch)
            yield Finding(kind, target, field, where, ctx, ctx.replace(ch, fix) if fix else "(要確認)",
                          f"「{ch}」(U+{ord(ch):04X})は日本語の文書では使わない字" +
                          (f"(簡体字。「{fix}」の文字化けか)。" if fix else "。"), line)


def character_findings(edition: Edition) -> Iterator[Finding]:
    for p in edition.programs:
        yield from _char_findings("name-body", p.id, "name", f"本文 p.{p.page}", p.name, p.line)
        yield from _char_findings("text", p.id, "description", f"本文 p.{p.page}", p.description, p.line)
        for d in p.desks:
            yield from _char_findings("contact", p.id, "contacts", f"本文 p.{p.page}", d.name, d.line)
    for k in edition.indicators:
        yield from _char_findings("text", f"kpi-{k.number}", "name", f"成果指標一覧 p.{k.page}", k.name, k.line)
    for pillar in edition.pillars:
        yield from _char_findings("text", str(pillar.number), "title", f"本文 p.{pillar.page}", pillar.title, pillar.line)
        for s in pillar.sections:
            yield from _char_findings("text", s.id, "title", f"本文 p.{s.page}", s.title, s.line)


def phone_findings(edition: Edition) -> Iterator[Finding]:
    for p in edition.programs:
        for d in p.desks:
            for ph in d.phones:
                if not phone_is_well_formed(ph.number):
                    yield Finding("phone", p.id, "phones", f"本文 p.{p.page}", ph.number, "(要確認)",
                                  f"{d.name}の電話番号の形が正しくない(桁数または区切り)。", d.line)


def numbering_findings(edition: Edition) -> Iterator[Finding]:
    """Gaps and duplicates in the circled numbers of each section, as printed in the body."""
    last: dict[str, int] = {}
    for p in edition.programs:
        key = f"{p.pillar}-{p.section}"
        expected = last.get(key, 0) + 1
        printed = p.printed_number or p.number
        if printed != expected:
            what = "飛んでいる" if printed > expected else "重複または逆戻りしている"
            yield Finding("numbering", p.id, "number", f"本文 p.{p.page}", f"{circled(printed)}{p.name}",
                          f"{circled(expected)}{p.name}", f"({key.replace('-', ')の(', 1)})の番号が{what}"
                          f"({circled(expected)}のはずの所に{circled(printed)})。", p.line)
        last[key] = max(printed, last.get(key, 0))


def toc_findings(edition: Edition, tree: dict[str, TocEntry]) -> Iterator[Finding]:
    """Names, pages and ○ marks that the table of contents prints differently from the body."""
    body_ids = {p.id for p in edition.programs}
    for p in edition.programs:
        entry = tree.get(p.id)
        if p.page_inferred or entry is None:
            yield Finding("toc-omission", p.id, "page", "目次", "(目次に記載なし)", f"{p.name} p.{p.page}(推定)",
                          "本文にある事業が目次にない。ページは本文の柱(ページ上部の見出し)から数えた。", p.line)
            continue
        if fold(entry.name) != fold(p.name):
            yield Finding("name-toc", p.id, "name", f"目次 p.{entry.page}", entry.name, p.name,
                          "目次と本文で事業名が違う(本文の表記を使う)。", entry.line)
        if entry.page is not None and entry.page != p.page:
            yield Finding("page", p.id, "page", f"目次 p.{entry.page}", f"p.{entry.page}", f"p.{p.page}",
                          "目次のページと本文のページが違う(本文の柱から数えたページを使う)。", entry.line)
        if entry.marked != (p.indicator_number is not None):
            yield Finding("indicator-number", p.id, "indicator", f"目次 p.{entry.page}",
                          "成果指標 ○" if entry.marked else "成果指標 (印なし)",
                          "成果指標 ○" if p.indicator_number else "成果指標 (印なし)",
                          "目次の成果指標の○と本文の成果指標の表が合わない。", entry.line)
    for key, entry in tree.items():
        if key.count("-") == 2 and key not in body_ids and not any(fold(p.name) == fold(entry.name)
                                                                     for p in edition.programs):
            yield Finding("name-toc", key, "name", f"目次 p.{entry.page}", entry.name, "(本文になし)",
                          "目次にある事業が本文にない。", entry.line)
    for pillar in edition.pillars:
        for item, key in [(pillar, str(pillar.number)), *[(s, s.id) for s in pillar.sections]]:
            entry = tree.get(key)
            if entry is not None and fold(entry.name) != fold(item.title):
                yield Finding("name-toc", key, "title", f"目次 p.{entry.page}", entry.name, item.title,
                              "目次と本文で見出しが違う(本文の表記を使う)。", entry.line)


def _figures(row: IndicatorRow) -> list[str | None]:
    return [fold(f.text) if f and f.text else None
            for s in row.series for f in (s.baseline, s.target, *(a for _, a in s.actuals))]


def indicator_findings(edition: Edition) -> Iterator[Finding]:
    """A table printed under the wrong number, a list out of order, names or figures that differ."""
    for n, k in enumerate(edition.indicators, start=1):
        kid = f"kpi-{k.number}"
        if k.number != n:
            yield Finding("indicator-number", kid, "number", f"成果指標一覧 p.{k.page}", circled(k.number),
                          circled(n), f"成果指標一覧の番号が順に並んでいない({circled(n)}のはずの所)。", k.line)
        if k.body is None:
            continue
        owner = k.program_id or k.section_id or kid
        program = edition.program(k.program_id) if k.program_id else None
        where = f"本文 p.{program.page}" if program else "本文"
        if k.body.number != k.number:
            yield Finding("indicator-number", owner, "indicator", where, f"成果指標{circled(k.body.number)}",
                          f"成果指標{circled(k.number)}",
                          f"成果指標一覧では{k.name}は{circled(k.number)}。", k.body.line)
        if fold(k.body.name) != fold(k.name):
            yield Finding("text", kid, "name", f"成果指標一覧 p.{k.page}", k.name, k.body.name,
                          "成果指標一覧と本文の表で指標名が違う。", k.line)
        body_cells = _figures(k.body)
        if body_cells != _figures(IndicatorRow(k.number, k.name, None, k.series, k.line)):
            yield Finding("figure", kid, "series", f"成果指標一覧 p.{k.page}", "一覧の数値", "本文の表の数値",
                          "成果指標一覧と本文の表で数値が違う(一覧の数値を使う)。", k.line)


def find_misprints(edition: Edition, tree: dict[str, TocEntry]) -> list[Finding]:
    """Every suspected misprint, each with the source line it came from."""
    found = [*toc_findings(edition, tree), *numbering_findings(edition), *character_findings(edition),
             *phone_findings(edition), *indicator_findings(edition)]
    lines = edition.lines
    located = [_locate(f, lines) for f in found]
    return [Finding(**{**f.__dict__, "text": lines[f.line - 1].strip() if 0 < f.line <= len(lines) else ""})
            for f in located]


def _locate(f: Finding, lines: tuple[str, ...]) -> Finding:
    """Point a finding inside a description or desk at the line that prints it, not the heading."""
    if f.field not in ("description", "contacts") or not f.original or f.original.startswith("("):
        return f
    key = squeeze(f.original)
    for i in range(max(f.line - 1, 0), min(len(lines), f.line + 60)):
        if key in squeeze(lines[i]):
            return Finding(**{**f.__dict__, "line": i + 1})
    return f
