"""The JSON API (the outside contract in the README): views parse, call one core function, serialize."""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, current_app, jsonify, request

from assistant.dialogue import respond
from knowledge.models import Knowledge
from web.display import strip_bidi
from web import knowledge_source
from web.errors import ApiError
from web.jsonprovider import encode
from web.requests import CHAT_REQUEST, SEARCH_QUERY, json_body, limit_param, validate
from web.reasons import Need, need_of
from web.serialize import PublicJson, shown_texts
from web.turnlog import new_turn_id

bp = Blueprint("api", __name__, url_prefix="/api")


def knowledge() -> Knowledge:
    return current_app.extensions["knowledge"]


def public() -> PublicJson:
    """The prepared public dicts of the knowledge in use (rebuilt once after a staff reload)."""
    prepared = current_app.extensions.get("public_json")
    if prepared is None or prepared.knowledge is not knowledge():
        prepared = current_app.extensions["public_json"] = PublicJson(knowledge())
    return prepared


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
    return jsonify({"programs": public().all_programs})


@bp.get("/programs/<program_id>")
def program(program_id: str):
    found = public().programs.get(program_id)
    if found is None:
        raise ApiError(404, "unknown_program", f"事業 ID「{program_id[:40]}」は見つかりません。")
    return jsonify(found)


@bp.get("/indicators")
def indicators():
    return jsonify({"indicators": public().all_indicators})


@bp.get("/indicators/<indicator_id>")
def indicator(indicator_id: str):
    found = public().indicators.get(indicator_id)
    if found is None:
        raise ApiError(404, "unknown_indicator", f"成果指標 ID「{indicator_id[:40]}」は見つかりません。")
    return jsonify(found)


def assistant():
    return current_app.extensions["assistant"]


SEARCH_CACHE_SIZE = 1024  # encoded answers, a few KB each; the chips' queries repeat all day


class SearchAnswers:
    """Encoded /api/search answers by (query, limit), for one assistant and its knowledge.

    A search depends on nothing but its query and limit, so a repeated query (a chip, a portal's
    link) is answered from memory; a staff reload builds a new assistant and so a new cache.
    """

    def __init__(self, assistant, prepared: PublicJson) -> None:
        self.assistant, self.prepared = assistant, prepared
        self.encoded = lru_cache(maxsize=SEARCH_CACHE_SIZE)(self._encode)

    def _encode(self, q: str, limit: int) -> bytes:
        analysis = self.assistant.analyze(q)
        hits = self.assistant.rank(analysis, limit)  # Assistant.search, keeping the analysis for the reasons
        need = need_of(analysis)
        return encode({"query": q, "results": [self.prepared.hit(h, need) for h in hits]}) + b"\n"


def search_answers() -> SearchAnswers:
    answers = current_app.extensions.get("search_answers")
    if answers is None or answers.assistant is not assistant() or answers.prepared is not public():
        answers = current_app.extensions["search_answers"] = SearchAnswers(assistant(), public())
    return answers


@bp.get("/search")
def search():
    args = {"q": strip_bidi(request.args.get("q", "")), "limit": limit_param(request.args.get("limit"), 5)}
    validate(SEARCH_QUERY, args)
    return current_app.response_class(search_answers().encoded(args["q"], args["limit"]), mimetype="application/json")


@bp.post("/chat")
def chat():
    body = json_body(CHAT_REQUEST)
    message = strip_bidi(body["message"])  # no reply, page or log ever shows them
    if not message.strip():
        raise ApiError(400, "empty", "message が空です。")
    reply = respond(assistant(), message, body.get("context"))
    turn_id = new_turn_id()  # the log's key for this turn; feedback refers to it
    current_app.extensions["turn_hooks"].run(message, reply)
    data = public().reply(reply, need_in(reply.context))
    phrases = current_app.extensions["phraser"].mapping(shown_texts(data))
    return jsonify({**data, "phrases": phrases, "turn_id": turn_id})


def need_in(context) -> Need:
    """The need of the conversation (the one the cards answer), for the cards' plain reasons."""
    text = context.get("need") if context else None
    return need_of(assistant().analyze(text)) if isinstance(text, str) and text.strip() else Need()
