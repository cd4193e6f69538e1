"""The HTML pages: chat, desk view (programs, one program, desks) and the printable 相談メモ."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, render_template, request
from werkzeug.exceptions import NotFound

from assistant.replies import first_contact
from knowledge.models import Knowledge
from web.catalog import (LEVEL_CLASSES, LEVELS, Filters, desks_by_level, filter_programs, group, parse_ids,
                         program_level, program_levels, search_text)
from web.display import strip_bidi
from web.errors import error_response
from web.serialize import indicator_dict, source_label

bp = Blueprint("pages", __name__)

EVIDENCE_PARTS = {"name": "事業名", "description": "説明", "indicator": "成果指標", "desk": "窓口"}

NEED_MAX_CHARS = 500
SEARCH_LIMIT = 20  # the most /api/search returns: the page and its script rank the same programs
COMMON_NEEDS = ("創業", "事業承継", "省エネ・脱炭素", "人材確保")


def knowledge() -> Knowledge:
    return current_app.extensions["knowledge"]


def chips(k: Knowledge) -> list:
    """The needs chips: the four common needs first, then every other tag in vocabulary order."""
    tags = k.vocabulary.tags
    first = [t for need in COMMON_NEEDS for t in tags if t.id == need]
    return first + [t for t in tags if t not in first]


@bp.get("/")
def chat():
    return render_template("chat.html", chips=chips(knowledge()), compact=False)


@bp.get("/programs")
def programs():
    k = knowledge()
    args = request.args
    filters = Filters(args.get("tag", ""), args.get("kind", ""), args.get("level", ""),
                      strip_bidi(args.get("q", ""))[:100])
    # Every program is rendered once; the ones the filters reject are `hidden`, so the browser can
    # re-filter instantly and the page still works without JavaScript. A keyword ranks the
    # programs with the chat's search; they are listed best first above the grouped list.
    ranked_ids = ([h.program.id for h in current_app.extensions["assistant"].search(filters.q, SEARCH_LIMIT)]
                  if filters.q.strip() else [])
    shown = filter_programs(k, filters, ranked_ids)
    return render_template("programs.html", groups=group(k, k.programs), visible={p.id for p in shown},
                           ranked=shown if filters.q.strip() else [], filters=filters,
                           order={p.id: i for i, p in enumerate(k.programs)},
                           tags=k.vocabulary.tags, kinds=k.vocabulary.kinds, levels=LEVELS, level_of=program_level,
                           level_class=LEVEL_CLASSES, levels_of=program_levels, search_text=search_text,
                           total=len(k.programs))


@bp.get("/programs/<program_id>")
def program(program_id: str):
    k = knowledge()
    found = k.program_by_id.get(program_id)
    if found is None:
        abort(404)
    indicator = k.indicator_by_id.get(found.indicator_id) if found.indicator_id else None
    return render_template("program.html", p=found, section=k.section_by_id[found.section_id],
                           pillar=next(x for x in k.pillars if x.number == found.pillar),
                           indicator=indicator_dict(indicator) if indicator else None,
                           tag_labels={t.id: t.label for t in k.vocabulary.tags}, parts=EVIDENCE_PARTS,
                           document=k.document, first=first_contact(found) if any(c.phones for c in found.contacts) else None,
                           level=program_level(found), level_class=LEVEL_CLASSES)


@bp.get("/contacts")
def contacts():
    k = knowledge()
    return render_template("contacts.html", groups=desks_by_level(k), programs_of=k.programs_of_contact,
                           programs_by_phone=k.programs_by_phone, phone_depends_on_program=k.phone_depends_on_program)


@bp.get("/memo")
def memo():
    k = knowledge()
    ids = parse_ids(request.args.getlist("ids"))
    if any(i not in k.program_by_id for i in ids):
        abort(404)
    chosen = [k.program_by_id[i] for i in ids]
    today = dt.date.today()
    return render_template("memo.html", programs=chosen, need=strip_bidi(request.args.get("need", ""))[:NEED_MAX_CHARS],
                           today=today, reiwa=today.year - 2018, document=k.document)


@bp.app_template_filter("plain")
def plain(text: str | None) -> str:
    """User text for a page: bidi controls stripped (autoescaping still applies)."""
    return strip_bidi(text or "")


@bp.app_template_global("citation")
def citation(program) -> str:
    """The one citation of every page and card: 「出典: 第2期福島市中小企業振興プログラム(令和7年度) p.13」."""
    return "出典: " + source_label(knowledge(), program)


@bp.app_template_filter("tel")
def tel(number: str) -> str:
    """A tel: URI for a number as printed (024-515-7746 → tel:024-515-7746)."""
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "-")


def not_found(exc: NotFound):
    """JSON for /api/*, the HTML 404 page everywhere else."""
    if request.path.startswith("/api/"):
        return error_response(404)
    return render_template("404.html"), 404
