"""Records → JSON-ready dicts, in one place so the API and the pages never drift."""
from __future__ import annotations

from typing import Any

import orjson

from assistant.render import render_text
from assistant.replies import first_contact
from knowledge.models import Indicator, Knowledge, Program, ProgramContact, Quantity
from web.catalog import program_level
from web.reasons import Need, plain_reasons


def contact_dict(pc: ProgramContact, call_first: bool = False) -> dict[str, Any]:
    """A program's desk; `call_first` marks the one to call first (the first with a number)."""
    return {
        "name": pc.name,
        "phones": list(pc.phones),
        "desk_id": pc.contact.id,
        "desk_name": pc.contact.name,
        "level": pc.contact.level,
        "qualifier": pc.qualifier,
        "role": pc.role,
        "phone_details": [{"number": n, "label": pc.contact.label_of(n)} for n in pc.phones],
        "call_first": call_first,
    }


def program_dict(knowledge: Knowledge, program: Program, *, full: bool = True) -> dict[str, Any]:
    """The contract's Result: id, name, summary, contacts, plus our extra fields."""
    section = knowledge.section_by_id[program.section_id]
    pillar = next(p for p in knowledge.pillars if p.number == program.pillar)
    first = first_contact(program)
    data: dict[str, Any] = {
        "id": program.id,
        "name": program.name,
        "summary": program.summary,
        "contacts": [contact_dict(c, c is first and bool(c.phones)) for c in program.contacts],
        "level": program_level(program),
        "short_names": list(program.short_names),
        "tags": list(program.tags),
        "kinds": list(program.kinds),
        "indicator_id": program.indicator_id,
        "pillar": {"number": pillar.number, "title": pillar.title},
        "section": {"id": section.id, "title": section.title},
        "page": program.page,
        "page_inferred": program.page_inferred,
        "source": source_label(knowledge, program),
        "url": f"/programs/{program.id}",
    }
    data["evidence"] = {field: {e.claim: {"phrase": e.phrase, "in": e.part} for e in program.evidence if e.about == about}
                        for about, field in (("kind", "kinds"), ("tag", "tags"))}
    if program.description_note:
        data["description_note"] = program.description_note
    if program.short_name_notes:
        data["short_name_notes"] = dict(program.short_name_notes)
    if full:
        data["description"] = program.description
    return data


def source_label(knowledge: Knowledge, program: Program) -> str:
    """The citation of cards and pages: the document's own title (of the edition in use) and the page."""
    return f"{knowledge.document.title} {program.page_label}"


def quantity_dict(q: Quantity | None) -> dict[str, Any] | None:
    return None if q is None else q.as_dict()


def indicator_dict(indicator: Indicator) -> dict[str, Any]:
    series = [{"label": s.label, "baseline": quantity_dict(s.baseline), "target": quantity_dict(s.target),
               "actuals": {year: quantity_dict(q) for year, q in s.actuals}} for s in indicator.series]
    first = series[0]
    return {
        "id": indicator.id,
        "number": indicator.number,
        "name": indicator.name,
        "former_name": indicator.former_name,
        "baseline": first["baseline"] if len(series) == 1 else {s["label"]: s["baseline"] for s in series},
        "target": first["target"] if len(series) == 1 else {s["label"]: s["target"] for s in series},
        "actuals": first["actuals"] if len(series) == 1 else {s["label"]: s["actuals"] for s in series},
        "series": series,
        "program_id": indicator.program_id,
        "section_id": indicator.section_id,
        "page": indicator.page,
    }


def hit_dict(knowledge: Knowledge, hit: Any, need: Need | None = None) -> dict[str, Any]:
    """One hit as the API gives it (see PublicJson.hit; the server keeps one PublicJson per knowledge)."""
    return PublicJson(knowledge).hit(hit, need)


def desk_dict(knowledge: Knowledge, contact: Any) -> dict[str, Any]:
    return {
        "id": contact.id,
        "name": contact.name,
        "level": contact.level,
        "phones": [p.number for p in contact.phones],
        "phone_details": [{"number": ph.number, "label": ph.label, "program_ids": [p.id for p in programs]}
                          for ph, programs in knowledge.programs_by_phone(contact)],
        "programs": [{"id": p.id, "name": p.name} for p in knowledge.programs_of_contact(contact.id)],
    }


def reply_dict(knowledge: Knowledge, reply: Any, need: Need | None = None) -> dict[str, Any]:
    """The contract's chat reply: reply, results, suggestions, context (+ intent, parts, desks, indicator)."""
    return PublicJson(knowledge).reply(reply, need)


class PublicJson:
    """Every program's, desk's and indicator's public dict, built once per knowledge.

    They change only when the knowledge does, so the API answers by merging a hit's score into a
    prepared dict instead of rebuilding it, and /api/programs is one pre-encoded fragment.
    The dicts are shared: callers must never change them.
    """

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.programs = {p.id: program_dict(knowledge, p) for p in knowledge.programs}
        self.summaries = {p.id: program_dict(knowledge, p, full=False) for p in knowledge.programs}
        self.desks = {c.id: desk_dict(knowledge, c) for c in knowledge.contacts}
        self.indicators = {i.id: indicator_dict(i) for i in knowledge.indicators}
        self.all_programs = orjson.Fragment(orjson.dumps([self.programs[p.id] for p in knowledge.programs]))
        self.all_indicators = orjson.Fragment(orjson.dumps([self.indicators[i.id] for i in knowledge.indicators]))
        self.labels = {t.id: t.label for t in knowledge.vocabulary.tags}

    def hit(self, hit: Any, need: Need | None = None) -> dict[str, Any]:
        """A hit: the program's Result (with its whole text, for 「詳しく」), score and why it matched.

        `why` is the ranking's own explanation (for staff and logs); `reasons` says the same in
        plain words for the card, from the need recognised in the visitor's words.
        """
        return {**self.programs[hit.program.id], "score": round(hit.score, 4), "matched": list(hit.matched),
                "why": list(hit.reasons),
                "reasons": plain_reasons(hit.program, need or Need(), tuple(hit.matched), self.labels)}

    def desk(self, contact: Any) -> dict[str, Any]:
        return self.desks.get(contact.id) or desk_dict(self.knowledge, contact)

    def reply(self, reply: Any, need: Need | None = None) -> dict[str, Any]:
        """`reply` is the whole text (terminals); `lead`, `body`, `follow_up` and `first` are the same
        reply's parts, so a page shows them beside the cards without parsing any text."""
        return {
            "reply": render_text(reply),
            "lead": reply.lead,
            "body": list(reply.body),
            "follow_up": reply.follow_up,
            "first": reply.first,
            "answered": reply.intent.answered,
            "results": [self.hit(h, need) for h in reply.hits],
            "suggestions": list(reply.suggestions),
            "context": dict(reply.context),
            "intent": reply.intent,
            "desks": [self.desk(c) for c in reply.desks],
            "indicator": self.indicators.get(reply.indicator.id) or indicator_dict(reply.indicator)
            if reply.indicator else None,
        }


def shown_texts(data: dict[str, Any]) -> list[str]:
    """Every text of a chat reply the page shows, for its phrase map (web/phrases.py)."""
    texts = [data["lead"], *data["body"], data["follow_up"], *data["suggestions"]]
    for r in data["results"]:
        texts += [r["name"], r["summary"], r.get("description"), r.get("description_note"), r["source"], *r["reasons"]]
        for c in r["contacts"]:
            texts += [c["name"], c["qualifier"], c["role"], *(p["label"] for p in c["phone_details"])]
    for d in data["desks"]:
        texts += [d["name"], *(p["label"] for p in d["phone_details"])]
    if data["indicator"]:
        texts.append(data["indicator"]["name"])
    return [t for t in texts if t]
