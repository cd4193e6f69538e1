"""JSON Schemas of request bodies and query strings: the same dicts validate requests
and appear in /api/openapi.json, so the documentation cannot drift from the checks."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import orjson
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from web.errors import ApiError

MESSAGE_MAX_CHARS = 500
MAX_JSON_DEPTH = 16  # a chat context nests 4 deep; deeper is never ours
LIMIT_DIGITS = re.compile(r"[0-9]{1,3}")  # ASCII only: int() would take "1_0", "５" and " 5"
# "Holds a visible character", spelled out so that Python's re and ECMA regular expressions (what API clients
# and schemathesis read the schema with) agree: \s differs between them (\x1c-\x1f and \x85 are whitespace to
# Python only), and the bidirectional controls the API strips count as nothing too.
NOT_BLANK = ("[^\\t\\n\\x0b\\x0c\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029"
             "\\u202f\\u205f\\u3000\\ufeff\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]")

CHAT_REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["message"],
    "additionalProperties": True,
    "properties": {
        "message": {"type": "string", "minLength": 1, "maxLength": MESSAGE_MAX_CHARS, "pattern": NOT_BLANK,
                    "description": "利用者の入力(普段の言葉)"},
        "context": {"type": ["object", "null"], "description": "前の返答の context をそのまま返す"},
    },
}

SEARCH_QUERY: dict[str, Any] = {
    "type": "object",
    "required": ["q"],
    "properties": {
        "q": {"type": "string", "minLength": 1, "maxLength": MESSAGE_MAX_CHARS, "pattern": NOT_BLANK},
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


@lru_cache(maxsize=64)
def whole_value_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a schema pattern with ECMA-262's `$` (the very end): Python's `$` also matches
    before a final newline, which let "<turn id>\\n" through."""
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern)


def _pattern(validator, pattern: str, instance: Any, schema: dict[str, Any]):
    if validator.is_type(instance, "string") and not whole_value_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


_validators: dict[int, tuple[dict[str, Any], Any]] = {}


def validator_for(schema: dict[str, Any]) -> Any:
    """One validator per schema dict (they are module constants), not one per request."""
    cached = _validators.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = _validators[id(schema)] = (schema, Validator(schema))
    return cached[1]


def validate(schema: dict[str, Any], instance: Any, *, max_chars: int = MESSAGE_MAX_CHARS) -> None:
    """Raise a 400 ApiError naming the first problem, in Japanese, for the user."""
    validator = validator_for(schema)
    if validator.is_valid(instance):  # the common case: no error objects built, nothing sorted
        return
    error = next(iter(sorted(validator.iter_errors(instance), key=lambda e: e.path)), None)
    if error is None:
        return
    field = ".".join(map(str, error.absolute_path)) or (error.message.split("'")[1] if error.validator == "required" else "body")
    if error.validator == "required":
        field = error.message.split("'")[1]
    kind = "id_pattern" if error.validator == "pattern" and error.validator_value != NOT_BLANK else error.validator
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


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, found without parsing it."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b"", raw)):
        depth += 1 if bracket in (b"[", b"{") else -1
        deepest = max(deepest, depth)
    return deepest


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Parse a request body: too deep, not UTF-8, a lone surrogate or not an object is a 400.

    The depth is checked before parsing (a 1,000-deep body overflowed the recursion limit),
    and orjson refuses lone surrogates, which no later step could encode.
    """
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise ApiError(400, "too_deep", f"JSON の入れ子が深すぎます({MAX_JSON_DEPTH} 段まで)。")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ApiError(400, "invalid_json", "JSON のオブジェクトで送ってください(UTF-8、正しい文字だけ)。") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "JSON のオブジェクトで送ってください。")
    return body


def json_request_body() -> dict[str, Any]:
    """The request's JSON object; any other media type is a 415 (so no cross-site form can post it)."""
    from flask import request

    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Content-Type: application/json の JSON で送ってください。")
    return parse_json_object(request.get_data(cache=True))


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """Read the request's JSON object and validate it; any other body is a 4xx."""
    body = json_request_body()
    validate(schema, body)
    return body


def limit_param(raw: str | None, default: int) -> int:
    """A `limit` query parameter: ASCII digits only, else a 400 (range checked by the schema)."""
    if raw is None:
        return default
    if not LIMIT_DIGITS.fullmatch(raw):
        raise ApiError(400, "invalid", "limit は 1〜20 の整数(半角数字)で指定してください。")
    return int(raw)
