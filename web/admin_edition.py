"""/admin/edition: the yearly update for staff — upload the new edition, read the diff, confirm
each suggestion, apply; confirm what is still 要確認 later; roll back.

The diff is the same data and partial template as `shien-navi import --report`. An uploaded
edition is stored as a staged (inactive) version, so the apply can land on any instance.
"""
from __future__ import annotations

import copy
from typing import Any, Mapping

from flask import Blueprint, Flask, abort, current_app, g, jsonify, redirect, render_template, request, url_for

from knowledge import KnowledgeError
from knowledge.edition.curation import evidence_quote
from web import admin
from web.edition_import import MAX_DOCUMENT_BYTES, ImportRefused, document_text, prepare
from web.knowledge_source import Source, check_now, documents_in_use, publish
from web.versions import VersionError

bp = Blueprint("admin_edition", __name__, url_prefix="/admin/edition")
FIELD_LABELS = {"tags": "分野", "kinds": "支援の種類", "level": "窓口の区分"}
LEVELS = ("市", "県", "国", "その他")


@bp.before_request
def allow_upload():
    """Only the upload may be larger than the API's request limit."""
    if request.endpoint == "admin_edition.preview":
        request.max_content_length = MAX_DOCUMENT_BYTES + 64 * 1024


bp.before_request(admin.require_admin)


def _back(**message: str):
    """Back to the overview with a message; signed, so only our own messages are ever shown."""
    key, text = next(iter(message.items()))
    return redirect(url_for("admin_edition.overview", **{key: admin.signed(text)}), 303)


def _csrf() -> str:
    return g.admin_session.csrf if g.get("admin_session") else ""


def _source() -> Source:
    return current_app.extensions["knowledge_source"]


def _choices(docs: dict[str, Any]) -> dict[str, list[str]]:
    vocab = docs["vocabulary"]
    return {"tags": [t["id"] for t in vocab["tags"]], "kinds": [k["id"] for k in vocab["kinds"]], "level": list(LEVELS)}


def _label_of(docs: dict[str, Any], item: dict[str, Any]) -> str:
    records = docs["contacts"]["contacts"] if item["field"] == "level" else docs["programs"]["programs"]
    found = next((r for r in records if r["id"] == item["target"]), None)
    return f"{item['target']} {found['name']}" if found else item["target"]


def apply_choices(docs: dict[str, Any], review: list[dict], form: Mapping[str, Any]) -> tuple[dict, list[dict]]:
    """Put the values staff chose into the documents; confirmed items leave the review list.

    Form fields per item i: `values-i` (one or more) and `confirm-i` (checked when confirmed).
    """
    docs = copy.deepcopy(docs)
    allowed = _choices(docs)
    remaining = []
    for i, item in enumerate(review):
        chosen = [v for v in form.getlist(f"values-{i}") if v in allowed[item["field"]]]
        values = chosen or list(item["values"])
        if item["field"] == "level":
            for desk in docs["contacts"]["contacts"]:
                if desk["id"] == item["target"]:
                    desk["level"] = values[0]
        else:
            for program in docs["programs"]["programs"]:
                if program["id"] == item["target"]:
                    _set_claims(program, item["field"], list(dict.fromkeys(values)), docs["vocabulary"])
        if form.get(f"confirm-{i}") != "1":
            remaining.append({**item, "values": values})
    return docs, remaining


def _set_claims(program: dict[str, Any], field: str, values: list[str], vocabulary: dict[str, Any]) -> None:
    """Set a program's tags or kinds, each with its evidence (kept when it had one, else quoted anew)."""
    program[field] = values
    evidence = program.setdefault("evidence", {"kinds": {}, "tags": {}})
    old = evidence.get(field, {})
    evidence[field] = {v: old.get(v) or evidence_quote(field, v, program["name"], program["description"], vocabulary)
                       for v in values}


def _review_items(docs: dict[str, Any], review: list[dict]) -> list[dict[str, Any]]:
    choices = _choices(docs)
    return [{**item, "index": i, "label": _label_of(docs, item), "field_label": FIELD_LABELS[item["field"]],
             "choices": choices[item["field"]]} for i, item in enumerate(review)]


@bp.get("")
def overview():
    source = _source()
    store = source.store
    active = source.version
    versions = store.versions() if store is not None else []
    review = list(store.info(active).review) if store is not None and active else []
    docs = documents_in_use(current_app)
    data = {"edition": current_app.extensions["knowledge"].edition, "version": active,
            "versions": [v.as_dict() for v in versions], "history": store.history() if store else [],
            "review": review}
    if request.args.get("format") == "json":
        return jsonify(data)
    return render_template("admin_edition.html", data=data, items=_review_items(docs, review), csrf=_csrf(),
                           notice=admin.own_message("notice"), error=admin.own_message("error"))


@bp.post("/preview")
def preview():
    """Read an uploaded edition, stage it (inactive) and show the diff with the suggestions to confirm."""
    upload = request.files.get("document")
    if upload is None or not upload.filename:
        return _back(error="ファイルを選んでください。")
    try:
        text = document_text(upload.read(), upload.filename)
        docs_in_use = documents_in_use(current_app)
        prepared = prepare(docs_in_use, text, upload.filename, assistant=current_app.extensions["assistant"])
        staged = None if prepared.blocking else _source().store.publish(
            prepared.assembly.docs, f"取り込み(下書き): {upload.filename}", prepared.review, activate=False)
    except ImportRefused as exc:
        return _back(error=str(exc)[:300])
    except KnowledgeError as exc:
        return _back(error="反映できない内容です: " + " / ".join(exc.problems)[:300])
    data = prepared.data
    if prepared.blocking:
        return _back(error="反映できません。電話番号を原本で確かめてください: "
                           + " / ".join(prepared.blocking)[:300])
    if request.args.get("format") == "json":
        return jsonify({**data, "staged": staged.id})
    return render_template("admin_edition_preview.html", diff=data, staged=staged.id, source=upload.filename,
                           items=_review_items(prepared.assembly.docs, prepared.review), csrf=_csrf())


@bp.post("/apply")
def apply():
    """Publish a staged edition with the values staff chose; unconfirmed items stay 要確認."""
    store = _source().store
    staged = request.form.get("staged", "")
    try:
        info = store.info(staged)
        docs, remaining = apply_choices(store.documents(staged), list(info.review), request.form)
        published = publish(current_app, docs, info.note.replace("(下書き)", ""), remaining)
    except VersionError:
        abort(404)
    except KnowledgeError as exc:
        return _back(error=" / ".join(exc.problems)[:300])
    return _back(notice=f"{published.title} を反映しました(版 {published.id})。")


@bp.post("/confirm")
def confirm():
    """Confirm (or change) the 要確認 values of the version in use: a new version with them."""
    source = _source()
    if source.version is None:
        return _back(error="確認が必要な項目はありません。")
    info = source.store.info(source.version)
    docs, remaining = apply_choices(documents_in_use(current_app), list(info.review), request.form)
    try:
        publish(current_app, docs, f"確認: {len(info.review) - len(remaining)}件", remaining)
    except KnowledgeError as exc:
        return _back(error=" / ".join(exc.problems)[:300])
    return _back(notice="確認した内容を反映しました。")


@bp.post("/rollback")
def rollback():
    try:
        previous = _source().store.rollback()
    except VersionError as exc:
        return _back(error=str(exc))
    check_now(current_app)
    return _back(notice=f"前の版({previous or '最初のデータ'})に戻しました。")


def init_app(app: Flask) -> None:
    """Mounted with /admin, only when an admin token is set."""
    if app.config.get("ADMIN_TOKEN"):
        app.register_blueprint(bp)
