"""JSON Schemas of request bodies and query strings: the same dicts validate requests
and appear in /api/openapi.json, so the documentation cannot drift from the checks."""
from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from web.errors import ApiError

MESSAGE_MAX_CHARS = 500

CHAT_REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["message"],
    "additionalProperties": True,
    "properties": {
        "message": {"type": "string", "minLength": 1, "maxLength": MESSAGE_MAX_CHARS, "pattern": "\\S",
                    "description": "利用者の入力(普段の言葉)"},
        "context": {"type": ["object", "null"], "description": "前の返答の context をそのまま返す"},
    },
}

SEARCH_QUERY: dict[str, Any] = {
    "type": "object",
    "required": ["q"],
    "properties": {
        "q": {"type": "string", "minLength": 1, "maxLength": MESSAGE_MAX_CHARS, "pattern": "\\S"},
        "limit": {"type": "integer", "minimum": 1, "maximum": 20, "default": 5},
    },
}

_FIELD_MESSAGES = {
    "required": "{field} がありません。",
    "type": "{field} の型が正しくありません。",
    "minLength": "{field} が空です。",
    "pattern": "{field} が空です。",
    "maxLength": "{field} が長すぎます({limit} 文字まで)。",
    "minimum": "{field} が小さすぎます。",
    "maximum": "{field} が大きすぎます。",
}


def validate(schema: dict[str, Any], instance: Any, *, max_chars: int = MESSAGE_MAX_CHARS) -> None:
    """Raise a 400 ApiError naming the first problem, in Japanese, for the user."""
    error = next(iter(sorted(Draft202012Validator(schema).iter_errors(instance), key=lambda e: e.path)), None)
    if error is None:
        return
    field = ".".join(map(str, error.absolute_path)) or (error.message.split("'")[1] if error.validator == "required" else "body")
    if error.validator == "required":
        field = error.message.split("'")[1]
    kind = "id_pattern" if error.validator == "pattern" and error.validator_value != "\\S" else error.validator
    code = "too_long" if kind == "maxLength" else ("empty" if kind in ("minLength", "pattern") else "invalid")
    template = _FIELD_MESSAGES.get(kind, "{field} が正しくありません。")
    raise ApiError(400, code, template.format(field=field, limit=max_chars))


FEEDBACK_REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["turn_id", "helpful"],
    "additionalProperties": True,
    "properties": {
        "turn_id": {"type": "string", "pattern": "^[0-9a-f]{32}$", "description": "チャットの返答の turn_id"},
        "helpful": {"type": "boolean", "description": "役に立った(true) / 役に立たなかった(false)"},
        "comment": {"type": ["string", "null"], "maxLength": MESSAGE_MAX_CHARS, "description": "ひとこと(任意)"},
    },
}


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """Read the request's JSON object and validate it; any other body is a 400."""
    from flask import request

    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "JSON のオブジェクトで送ってください。")
    validate(schema, body)
    return body
