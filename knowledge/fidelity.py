"""Compare the knowledge with the document's text: every fact as printed, every change listed.

`check_fidelity(knowledge, source)` returns the problems, each naming the program and the
field; an empty list means that names, descriptions, desk names, pages and indicator names are the printed
ones (apart from the corrections listed in errata.json) and that every kind of support and
needs tag quotes a phrase the document prints for that program. It runs on any edition's
text, so an imported edition is held to the same standard as the shipped one.
"""
from __future__ import annotations

from knowledge.models import Erratum, Knowledge, Program
from knowledge.printed import PrintedDocument, PrintedProgram, compact, read_document


def corrected(printed: str, errata: list[Erratum]) -> str:
    """The printed text with the listed corrections applied, whitespace dropped."""
    text = compact(printed)
    for e in errata:
        text = text.replace(compact(e.original), compact(e.corrected))
    return text


def _errata(knowledge: Knowledge, target: str, field: str, *kinds: str) -> list[Erratum]:
    return [e for e in knowledge.errata if e.target == target and e.field == field and e.kind in kinds]


def _unlisted(label: str, stored: str, printed: str) -> str:
    return f"{label}: 「{stored}」 is not the printed 「{printed}」 and no erratum lists the change"


def check_name(knowledge: Knowledge, program: Program, printed: PrintedProgram) -> list[str]:
    """The name is the body heading's and the table of contents' text, or an erratum says why not; the page the latter's."""
    where = f"{program.id} name"
    problems = []
    body = corrected(printed.heading, _errata(knowledge, program.id, "name", "name-body"))
    if body != compact(program.name):
        problems.append(_unlisted(f"{where} (body heading)", program.name, printed.heading))
    if printed.toc_name is None:
        if not _errata(knowledge, program.id, "page", "toc-omission"):
            problems.append(f"{where}: missing from the table of contents and no erratum says so")
    elif corrected(printed.toc_name, _errata(knowledge, program.id, "name", "name-toc")) != compact(program.name):
        problems.append(_unlisted(f"{where} (table of contents)", program.name, printed.toc_name))
    if printed.toc_page is not None and (program.page, program.page_inferred) != (printed.toc_page, False):
        problems.append(f"{program.id} page: {program.page} is not the printed p.{printed.toc_page}")
    return problems


def _own_text(doc: PrintedDocument, program: Program) -> PrintedProgram:
    """The block whose text the program carries: its own, or the one it shares (2-1-6 prints none)."""
    own = doc.programs[program.id]
    if not own.text and program.shared_text_with:
        return doc.programs[program.shared_text_with]
    return own


def check_description(knowledge: Knowledge, program: Program, doc: PrintedDocument) -> list[str]:
    printed = doc.programs[program.id]
    if not printed.text and not program.shared_text_with:
        return [f"{program.id} description: the document prints no text of its own; say whose text is shared"]
    if program.shared_text_with and doc.programs[program.shared_text_with].text and printed.text:
        return [f"{program.id} shared_text_with: both print a text of their own, nothing is shared"]
    source = _own_text(doc, program)
    text = corrected(source.text, _errata(knowledge, program.id, "description", "text"))
    if text != compact(program.description):
        return [_unlisted(f"{program.id} description", program.description, source.text)]
    return []


def check_desks(knowledge: Knowledge, program: Program, doc: PrintedDocument) -> list[str]:
    """Every desk name the program shows is printed in its block, or an erratum lists the change."""
    source = _own_text(doc, program) if not doc.programs[program.id].desks else doc.programs[program.id]
    desks = corrected(source.desks, _errata(knowledge, program.id, "contacts", "contact"))
    return [f"{program.id} contacts: 「{pc.name}」 is not printed among the desks of {source.id}"
            for pc in program.contacts if compact(pc.name) not in desks]


def printed_part(doc: PrintedDocument, program: Program, part: str) -> str:
    """The printed text an evidence phrase is quoted from, whitespace dropped."""
    block = _own_text(doc, program) if part in ("description", "desk") else doc.programs[program.id]
    if part == "name":
        return compact(block.heading + "\n" + (block.toc_name or ""))
    if part == "description":
        return compact(block.text)
    if part == "desk":
        return compact(block.desks)
    row = doc.indicator_rows[int(program.indicator_id[4:]) - 1] if program.indicator_id else ""
    return compact(block.indicator + "\n" + row)


def check_evidence(program: Program, doc: PrintedDocument) -> list[str]:
    """Every kind and needs tag quotes a phrase printed for this program, where the evidence says."""
    problems = []
    for e in program.evidence:
        if compact(e.phrase) not in printed_part(doc, program, e.part):
            problems.append(f"{program.id} evidence for {e.about} {e.claim}: 「{e.phrase}」 is not printed in its {e.part}")
    return problems + missing_evidence(program)


def missing_evidence(program: Program) -> list[str]:
    """Claims without a quote: each kind and tag needs one."""
    quoted = {(e.about, e.claim) for e in program.evidence}
    return ([f"{program.id} kinds: {k} has no evidence" for k in program.kinds if ("kind", k) not in quoted]
            + [f"{program.id} tags: {t} has no evidence" for t in program.tags if ("tag", t) not in quoted])


def check_indicators(knowledge: Knowledge, doc: PrintedDocument) -> list[str]:
    """Each indicator's name (and former name) is its row of the 成果指標一覧, or an erratum says why not."""
    problems = [f"成果指標一覧 prints {len(doc.indicator_rows)} indicators, the data has {len(knowledge.indicators)}"
                ] if len(doc.indicator_rows) != len(knowledge.indicators) else []
    for indicator, row in zip(knowledge.indicators, doc.indicator_rows):
        stored = indicator.name + (f"({indicator.former_name})" if indicator.former_name else "")
        if corrected(row, [e for e in knowledge.errata if e.target == indicator.id]) != compact(stored):
            problems.append(_unlisted(f"{indicator.id} name", stored, row))
    return problems


def check_fidelity(knowledge: Knowledge, source: str) -> list[str]:
    """Compare every program with the document's text; return the problems found."""
    doc = read_document(source)
    problems = [f"{pid}: printed in the document but not in the data"
                for pid in doc.programs if pid not in knowledge.program_by_id]
    for program in knowledge.programs:
        if program.id not in doc.programs:
            problems.append(f"{program.id}: in the data but not printed in the document")
            continue
        problems += check_name(knowledge, program, doc.programs[program.id])
        problems += check_description(knowledge, program, doc)
        problems += check_desks(knowledge, program, doc)
        problems += check_evidence(program, doc)
    return problems + check_indicators(knowledge, doc)

