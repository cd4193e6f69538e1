"""Log every chat turn to the store and take feedback on it: POST /api/feedback.

The chat view gives each turn an unguessable id (`turn_id` in its reply); the hook here
queues the turn under that id for the store's writer thread (web/writer.py), and feedback
refers to it. Nothing identifies the person.
"""
from __future__ import annotations

import logging
import uuid

from flask import Blueprint, Flask, current_app, g, has_request_context, jsonify

from web.errors import ApiError
from web.privacy import mask
from web.requests import FEEDBACK_REQUEST, json_body
from web.store import Store, Turn, open_store, utcnow
from web.writer import StoreBusy, StoreWriter

log = logging.getLogger(__name__)
bp = Blueprint("turnlog", __name__, url_prefix="/api")

# The assistant did not find an answer: these turns go to the staff's gap board.
SEARCH_INTENTS = frozenset({"need", "category", "refine", "filter"})  # answered only when something was found


def new_turn_id() -> str:
    """Give this request's chat turn its id (kept on flask.g for the hook)."""
    g.turn_id = uuid.uuid4().hex
    return g.turn_id


def is_answered(reply) -> bool:
    """Tell whether a reply answered: not a refusal, and a search that found something."""
    if not reply.intent.answered:  # a question back, out of scope, nothing found: the gap board's material
        return False
    return bool(reply.hits or reply.desks or reply.indicator) or reply.intent not in SEARCH_INTENTS


def masked(text: str) -> str:
    """Personal data masked with the assistant's Sudachi (names need it), before the queue."""
    return mask(text, current_app.extensions["assistant"].tokenizer)


def turn_of(message: str, reply, channel: str = "web") -> Turn:
    turn_id = g.get("turn_id") if has_request_context() else None
    return Turn(turn_id or uuid.uuid4().hex, utcnow(), masked(message), reply.intent,
                tuple((h.program.id, float(h.score)) for h in reply.hits), is_answered(reply), channel=channel)


def store() -> Store:
    return current_app.extensions["store"]


def writer() -> StoreWriter:
    return current_app.extensions["store_writer"]


def log_turn(message: str, reply, channel: str = "web") -> None:
    """The turn hook: queue the turn for the writer thread; never waits on the database."""
    writer().submit_turn(turn_of(message, reply, channel))


UNAVAILABLE = "ただいま評価を受け付けられません。時間をおいてお試しください。"


@bp.post("/feedback")
def post_feedback():
    body = json_body(FEEDBACK_REQUEST)
    turn_id, helpful, comment = body["turn_id"], body["helpful"], body.get("comment")
    comment = masked(comment) if comment else comment
    if writer().is_lost(turn_id):  # the turn itself could not be stored: the store's fault, not the user's
        raise ApiError(503, "unavailable", UNAVAILABLE)
    the_store = store()
    try:
        stored = writer().call(lambda: the_store.record_feedback(turn_id, helpful, comment))
    except StoreBusy:
        raise ApiError(503, "unavailable", UNAVAILABLE) from None
    except Exception:  # noqa: BLE001 - the database is down: say so, never a 500
        log.exception("feedback write failed")
        raise ApiError(503, "unavailable", UNAVAILABLE) from None
    if not stored:
        raise ApiError(404, "unknown_turn", "この回答は記録にありません(保存期間を過ぎたか、記録に失敗しました)。")
    return jsonify({"turn_id": body["turn_id"], "helpful": body["helpful"], "stored": True})


FEEDBACK_REPLY = {"type": "object", "required": ["turn_id", "helpful", "stored"], "properties": {
    "turn_id": {"type": "string"}, "helpful": {"type": "boolean"}, "stored": {"const": True}}}


def init_app(app: Flask) -> None:
    """Open the store (migrating it, purging old turns), hook it to chat turns, add /api/feedback."""
    app.extensions["store"] = open_store(app.config)
    app.extensions["store_writer"] = StoreWriter(
        app.extensions["store"], maxsize=int(app.config.get("LOG_QUEUE_SIZE") or 1000),
        stuck_after=float(app.config.get("DB_STATEMENT_TIMEOUT") or 5.0))
    try:
        app.extensions["store"].purge_if_due()
    except Exception:  # noqa: BLE001 - a store problem must not stop the answers
        log.exception("purge at start failed")
    app.extensions["turn_hooks"].add(log_turn)
    app.register_blueprint(bp)
    _document(app)


def _document(app: Flask) -> None:
    from web.openapi import ERROR, add_paths, json_response, ref
    op = {"summary": "回答への評価(役に立った/立たなかった、ひとこと)。turn_id はチャットの返答のもの",
          "requestBody": {"required": True, "content": {"application/json": {"schema": ref("FeedbackRequest")}}},
          "responses": {"200": json_response("保存した", ref("FeedbackReply")), "400": ERROR, "404": ERROR,
                        "413": ERROR, "415": ERROR, "503": ERROR}}
    add_paths(app, {"/api/feedback": {"post": op}},
              {"FeedbackRequest": FEEDBACK_REQUEST, "FeedbackReply": FEEDBACK_REPLY})
