"""The JSON API of ../CONTRACT.md: views parse, call one core function, serialize."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from knowledge.models import Knowledge
from web.errors import ApiError
from web.serialize import indicator_dict, program_dict

bp = Blueprint("api", __name__, url_prefix="/api")


def knowledge() -> Knowledge:
    return current_app.extensions["knowledge"]


@bp.get("/health")
def health():
    k = knowledge()
    return jsonify({"status": "ok", "programs": len(k.programs), "contacts": len(k.contacts),
                    "indicators": len(k.indicators)})


@bp.get("/programs")
def programs():
    k = knowledge()
    return jsonify({"programs": [program_dict(k, p) for p in k.programs]})


@bp.get("/programs/<program_id>")
def program(program_id: str):
    k = knowledge()
    found = k.program_by_id.get(program_id)
    if found is None:
        raise ApiError(404, "unknown_program", f"事業 ID「{program_id[:40]}」は見つかりません。")
    return jsonify(program_dict(k, found))


@bp.get("/indicators")
def indicators():
    return jsonify({"indicators": [indicator_dict(i) for i in knowledge().indicators]})


@bp.get("/indicators/<indicator_id>")
def indicator(indicator_id: str):
    found = knowledge().indicator_by_id.get(indicator_id)
    if found is None:
        raise ApiError(404, "unknown_indicator", f"成果指標 ID「{indicator_id[:40]}」は見つかりません。")
    return jsonify(indicator_dict(found))
