"""The OpenAPI 3.1 document of /api, built from the very schema dicts that validate requests.

Other modules document their routes with `add_paths(app, {...})` (or by adding to
CORE_PATHS); `test_openapi_documents_every_api_route` checks nothing is left out.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, jsonify

from web.requests import CHAT_REQUEST, NOT_BLANK, SEARCH_QUERY

bp = Blueprint("openapi", __name__, url_prefix="/api")

FURIGANA_REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": NOT_BLANK,
                            "description": "ふりがなを付ける文"}},
}

FURIGANA_BATCH_REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["texts"],
    # the lengths are checked in the view: a per-item maxLength times maxItems would let a
    # schema-valid body exceed the request size limit
    "properties": {"texts": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": "string"},
                             "description": "ふりがなを付ける文の一覧(1 文 2000 文字、合わせて 5000 文字まで)"}},
}

_NULLABLE_STR = {"type": ["string", "null"]}
_SEGMENTS = {"type": "array", "items": {"type": "object", "required": ["text", "reading"], "properties": {
    "text": {"type": "string"}, "reading": {"type": ["string", "null"]}}}}

COMPONENTS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
    "Contact": {"type": "object", "required": ["name", "phones"], "properties": {
        "name": {"type": "string"}, "phones": {"type": "array", "items": {"type": "string"}},
        "desk_id": {"type": "string"}, "desk_name": {"type": "string"},
        "level": {"enum": ["市", "県", "国", "その他"]}, "qualifier": _NULLABLE_STR, "role": _NULLABLE_STR,
        "call_first": {"type": "boolean", "description": "まず電話する窓口(事業の窓口のうち、電話番号のある最初のもの)"}}},
    "Result": {"type": "object", "required": ["id", "name", "summary", "contacts"], "properties": {
        "id": {"type": "string", "pattern": "^[1-9]-[1-9]-[0-9]+$"}, "name": {"type": "string"},
        "summary": {"type": "string"},
        "contacts": {"type": "array", "items": {"$ref": "#/components/schemas/Contact"}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "kinds": {"type": "array", "items": {"type": "string"}},
        "level": {"enum": ["市", "県", "国", "その他"], "description": "最初の窓口の種類(カードの印)"},
        "source": {"type": "string", "description": "出典(文書名とページ。推定ページは「(推定)」)"},
        "url": {"type": "string", "description": "詳細ページの URL"},
        "description": {"type": "string", "description": "全文"},
        "evidence": {"type": "object", "description": "支援の種類(kinds)と分野(tags)ごとに、根拠として文書から引いた語句と、その箇所(name/description/indicator/desk)",
                     "properties": {f: {"type": "object", "additionalProperties": {
                         "type": "object", "properties": {"phrase": {"type": "string"},
                                                          "in": {"enum": ["name", "description", "indicator", "desk"]}}}}
                                    for f in ("kinds", "tags")}},
        "description_note": {"type": "string", "description": "説明が事業自身の印刷された文でないとき、その理由(⑥⑦共通の説明など)"},
        "short_name_notes": {"type": "object", "additionalProperties": {"type": "string"},
                             "description": "文書が事業名として印刷していない別名と、その注記"},
        "score": {"type": "number", "description": "検索・チャットのみ"},
        "why": {"type": "array", "items": {"type": "string"}, "description": "合った理由(ランキングの説明。職員向け)"},
        "reasons": {"type": "array", "items": {"type": "string"}, "description": "合った理由(利用者向けのやさしい言葉。検索・チャットのみ)"},
        "matched": {"type": "array", "items": {"type": "string"}, "description": "合った語"}}},
    "Desk": {"type": "object", "required": ["id", "name", "phones"], "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "level": {"type": "string"},
        "phones": {"type": "array", "items": {"type": "string"}},
        "phone_details": {"type": "array", "description": "番号ごとに、その番号を記載している事業の ID",
                          "items": {"type": "object", "properties": {
                              "number": {"type": "string"}, "label": _NULLABLE_STR,
                              "program_ids": {"type": "array", "items": {"type": "string"}}}}},
        "programs": {"type": "array", "items": {"type": "object"}}}},
    "Indicator": {"type": "object", "required": ["id", "name"], "properties": {
        "id": {"type": "string", "pattern": "^kpi-[0-9]+$"}, "name": {"type": "string"},
        "baseline": {}, "target": {}, "actuals": {}, "series": {"type": "array"}}},
    "ChatRequest": CHAT_REQUEST,
    "ChatReply": {"type": "object", "required": ["reply", "results", "suggestions", "context", "turn_id"],
                  "properties": {
        "reply": {"type": "string"},
        # always present: the id is made before the log write, and a failed write only makes
        # POST /api/feedback answer 404 unknown_turn (web/turnlog.py), so it is never null
        "turn_id": {"type": "string", "pattern": "^[0-9a-f]{32}$",
                    "description": "この回答の ID。POST /api/feedback で評価を送るときに使う"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
        "suggestions": {"type": "array", "items": {"type": "string"}},
        "context": {"type": "object", "description": "次の発言と一緒にそのまま送り返す会話の状態"},
        "intent": {"type": "string"},
        "lead": {"type": "string", "description": "まず何をするか(最初に電話する窓口と番号)"},
        "body": {"type": "array", "items": {"type": "string"}, "description": "詳しい説明(results がないときに表示)"},
        "follow_up": _NULLABLE_STR,
        "first": {"type": "integer", "minimum": 1, "description": "results の最初のカードの番号"},
        "phrases": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "表示する文ごとの文節(BudouX)。全角かっこ・「電話」と番号の結合を済ませた表示用の形"},
        "desks": {"type": "array", "items": {"$ref": "#/components/schemas/Desk"}},
        "indicator": {"oneOf": [{"$ref": "#/components/schemas/Indicator"}, {"type": "null"}]}}},
    "FuriganaRequest": FURIGANA_REQUEST,
    "FuriganaReply": {"type": "object", "required": ["segments"], "properties": {"segments": _SEGMENTS}},
    "FuriganaBatchRequest": FURIGANA_BATCH_REQUEST,
    "FuriganaBatchReply": {"type": "object", "required": ["results"], "properties": {"results": {
        "type": "array", "items": {"type": "object", "required": ["segments"], "properties": {"segments": _SEGMENTS}}}}},
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = json_response("入力の誤り・見つからない等: 共通のエラー本文", ref("Error"))


def get(summary: str, schema: dict[str, Any], *, params: list[dict[str, Any]] | None = None,
        errors: tuple[str, ...] = ()) -> dict[str, Any]:
    """Describe a GET operation with one JSON answer and the given error statuses."""
    op: dict[str, Any] = {"summary": summary, "responses": {"200": json_response("OK", schema)}}
    op["responses"].update({status: ERROR for status in errors})
    if params:
        op["parameters"] = params
    return {"get": op}


def post(summary: str, request: dict[str, Any], reply: dict[str, Any]) -> dict[str, Any]:
    """Describe a POST operation with a JSON body, one JSON answer and the common errors."""
    return {"post": {"summary": summary,
                     "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
                     "responses": {"200": json_response("OK", reply), "400": ERROR, "413": ERROR, "415": ERROR}}}


def query_params(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Turn a query-string JSON Schema (web/requests.py) into OpenAPI parameters."""
    return [{"name": name, "in": "query", "required": name in schema.get("required", []), "schema": prop}
            for name, prop in schema["properties"].items()]


def id_param(pattern: str) -> list[dict[str, Any]]:
    return [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "pattern": pattern}}]


def _array_of(key: str, item: str) -> dict[str, Any]:
    return {"type": "object", "required": [key], "properties": {key: {"type": "array", "items": ref(item)}}}


CORE_PATHS: dict[str, dict[str, Any]] = {
    "/api/health": get("稼働確認。store は会話ログの保存先の状態(degraded でも回答は続く)、edition は回答のもとになっている版", {
        "type": "object", "required": ["status"], "properties": {
            "status": {"const": "ok"}, "store": {"enum": ["ok", "degraded"]},
            "dropped": {"type": "integer", "minimum": 0, "description": "保存できなかった会話ターンの数"},
            "queued": {"type": "integer", "minimum": 0, "description": "書き込み待ちの会話ターンの数"},
            "edition": {"type": "string"}, "knowledge_version": {"type": ["string", "null"]},
            "knowledge_store": {"enum": ["ok", "degraded"], "description": "版の保存先(degraded なら使用中の版で回答を続ける)"},
            "line": {"enum": ["ok", "degraded"], "description": "LINE を有効にしたときだけ。会話の状態の保存先(degraded なら文脈なしで答える)"},
            "line_reply_failures": {"type": "integer", "minimum": 0, "description": "LINE への返信に失敗した数"},
            "line_dropped": {"type": "integer", "minimum": 0, "description": "混み合って処理しなかった LINE のイベントの数"}}}),
    "/api/search": get("困りごとの言葉で事業を検索(常にランキング)", {
        "type": "object", "required": ["query", "results"],
        "properties": {"query": {"type": "string"}, "results": {"type": "array", "items": ref("Result")}}},
        params=query_params(SEARCH_QUERY), errors=("400",)),
    "/api/chat": post("会話の 1 ターン。context は前の返答のものを返す", ref("ChatRequest"), ref("ChatReply")),
    "/api/programs": get("全事業", _array_of("programs", "Result")),
    "/api/programs/{id}": get("1 事業", ref("Result"), params=id_param("^[1-9]-[1-9]-[0-9]+$"), errors=("404",)),
    "/api/indicators": get("全成果指標", _array_of("indicators", "Indicator")),
    "/api/indicators/{id}": get("1 成果指標", ref("Indicator"), params=id_param("^kpi-[0-9]+$"), errors=("404",)),
    "/api/furigana": post("やさしい日本語: 漢字にふりがな(Sudachi の読み)", ref("FuriganaRequest"), ref("FuriganaReply")),
    "/api/furigana/batch": post("やさしい日本語: 複数の文にまとめてふりがな", ref("FuriganaBatchRequest"), ref("FuriganaBatchReply")),
    "/api/openapi.json": get("この文書", {"type": "object"}),
}


def add_paths(app: Flask, paths: dict[str, dict[str, Any]], schemas: dict[str, Any] | None = None) -> None:
    """Document more /api routes (and their component schemas) on this app."""
    extra = app.extensions.setdefault("openapi", {"paths": {}, "schemas": {}})
    extra["paths"].update(paths)
    extra["schemas"].update(schemas or {})


def document(app: Flask) -> dict[str, Any]:
    """Collect the core paths and every path other modules added into one OpenAPI 3.1 document."""
    extra = app.extensions.get("openapi", {"paths": {}, "schemas": {}})
    return {
        "openapi": "3.1.0",
        "info": {"title": "ふくしま支援ナビ API", "version": "1",
                 "description": "福島市の中小企業支援制度と相談窓口を、困りごとの言葉から探す API。"},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": {**CORE_PATHS, **extra["paths"]},
        "components": {"schemas": {**COMPONENTS, **extra["schemas"]}},
    }


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document(current_app))
