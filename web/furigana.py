"""やさしい日本語 aid: POST /api/furigana → the text cut into segments with hiragana readings.

POST /api/furigana/batch does the same for every text of a page at once (names, desks, chips,
replies), so switching furigana on costs one request, not one per text.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from web.errors import ApiError
from web.openapi import FURIGANA_BATCH_REQUEST, FURIGANA_REQUEST
from web.requests import json_request_body, validate

bp = Blueprint("furigana", __name__, url_prefix="/api")

TEXT_MAX_CHARS = FURIGANA_REQUEST["properties"]["text"]["maxLength"]
BATCH_MAX_CHARS = 5_000  # all texts together (about 15 KB of UTF-8, under the request size limit)


def segments_of(text: str) -> list[dict[str, str | None]]:
    return [{"text": surface, "reading": reading}
            for surface, reading in current_app.extensions["assistant"].furigana(text)]


@bp.post("/furigana")
def furigana():
    body = json_request_body()
    validate(FURIGANA_REQUEST, body, max_chars=TEXT_MAX_CHARS)
    return jsonify({"segments": segments_of(body["text"])})


@bp.post("/furigana/batch")
def furigana_batch():
    body = json_request_body()
    validate(FURIGANA_BATCH_REQUEST, body, max_chars=TEXT_MAX_CHARS)
    texts = body["texts"]
    if any(len(t) > TEXT_MAX_CHARS for t in texts) or sum(map(len, texts)) > BATCH_MAX_CHARS:
        raise ApiError(400, "too_long",
                       f"texts が長すぎます(1 文 {TEXT_MAX_CHARS} 文字、合わせて {BATCH_MAX_CHARS} 文字まで)。")
    return jsonify({"results": [{"segments": segments_of(t)} for t in texts]})
