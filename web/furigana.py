"""やさしい日本語 aid: POST /api/furigana → the text cut into segments with hiragana readings."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from web.errors import ApiError
from web.openapi import FURIGANA_REQUEST
from web.requests import validate

bp = Blueprint("furigana", __name__, url_prefix="/api")


@bp.post("/furigana")
def furigana():
    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "JSON のオブジェクトで送ってください。")
    validate(FURIGANA_REQUEST, body, max_chars=FURIGANA_REQUEST["properties"]["text"]["maxLength"])
    segments = current_app.extensions["assistant"].furigana(body["text"])
    return jsonify({"segments": [{"text": surface, "reading": reading} for surface, reading in segments]})
