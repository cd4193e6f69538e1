"""やさしい日本語 aid: POST /api/furigana → the text cut into segments with hiragana readings."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from web.openapi import FURIGANA_REQUEST
from web.requests import json_request_body, validate

bp = Blueprint("furigana", __name__, url_prefix="/api")


@bp.post("/furigana")
def furigana():
    body = json_request_body()
    validate(FURIGANA_REQUEST, body, max_chars=FURIGANA_REQUEST["properties"]["text"]["maxLength"])
    segments = current_app.extensions["assistant"].furigana(body["text"])
    return jsonify({"segments": [{"text": surface, "reading": reading} for surface, reading in segments]})
