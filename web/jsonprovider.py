"""Flask's JSON through orjson: UTF-8 without escapes, keys in insertion order, several times faster.

Request bodies are parsed in web/requests.py (depth and surrogates checked first); this provider
encodes every JSON answer, including pre-encoded fragments (web/serialize.py's PublicJson).
"""
from __future__ import annotations

import dataclasses
import decimal
import json
import uuid
from typing import Any

import orjson
from flask import Response
from flask.json.provider import JSONProvider

OPTIONS = orjson.OPT_NON_STR_KEYS


def _default(obj: Any) -> Any:
    """What orjson does not encode itself, as Flask's own provider would."""
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    if isinstance(obj, (decimal.Decimal, uuid.UUID)):
        return str(obj)
    if hasattr(obj, "__html__"):
        return str(obj.__html__())
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _fallback(obj: Any) -> Any:
    """For the json module: a fragment back to data, then as above."""
    if isinstance(obj, orjson.Fragment):
        return orjson.loads(orjson.dumps(obj))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    return _default(obj)


def encode(obj: Any) -> bytes:
    """UTF-8 JSON; text orjson refuses (a lone surrogate in old stored data) is \\u-escaped instead."""
    try:
        return orjson.dumps(obj, default=_default, option=OPTIONS)
    except orjson.JSONEncodeError:
        return json.dumps(obj, ensure_ascii=True, default=_fallback).encode()


class OrjsonProvider(JSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return encode(obj).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        return self._app.response_class(encode(self._prepare_response_obj(args, kwargs)) + b"\n",
                                        mimetype="application/json")
