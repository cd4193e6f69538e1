"""The JSON API (the outside contract in the README): views parse, call one core function, serialize."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from assistant.dialogue import respond
from knowledge.models import Knowledge
from web.display import strip_bidi
from web import knowledge_source
from web.errors import ApiError
from web.requests import CHAT_REQUEST, SEARCH_QUERY, json_body, limit_param, validate
from web.serialize import hit_dict, indicator_dict, program_dict, reply_dict
from web.turnlog import new_turn_id

bp = Blueprint("api", __name__, url_prefix="/api")


def knowledge() -> Knowledge:
    return current_app.extensions["knowledge"]


@bp.get("/health")
def health():
    """Answers from memory only, so it answers while the store is down (and says so)."""
    k = knowledge()
    writer, line = current_app.extensions.get("store_writer"), current_app.extensions.get("line")
    return jsonify({"status": "ok", "programs": len(k.programs), "contacts": len(k.contacts),
                    "indicators": len(k.indicators), "edition": k.edition, **knowledge_source.health(current_app),
                    **(writer.health() if writer else {}), **(line.health() if line else {})})


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


def assistant():
    return current_app.extensions["assistant"]


@bp.get("/search")
def search():
    args = {"q": strip_bidi(request.args.get("q", "")), "limit": limit_param(request.args.get("limit"), 5)}
    validate(SEARCH_QUERY, args)
    hits = assistant().search(args["q"], limit=args["limit"])
    k = knowledge()
    return jsonify({"query": args["q"], "results": [hit_dict(k, h) for h in hits]})


@bp.post("/chat")
def chat():
    body = json_body(CHAT_REQUEST)
    message = strip_bidi(body["message"])  # no reply, page or log ever shows them
    if not message.strip():
        raise ApiError(400, "empty", "message が空です。")
    reply = respond(assistant(), message, body.get("context"))
    turn_id = new_turn_id()  # the log's key for this turn; feedback refers to it
    current_app.extensions["turn_hooks"].run(message, reply)
    return jsonify({**reply_dict(knowledge(), reply), "turn_id": turn_id})
