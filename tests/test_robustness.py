"""Bad input over every endpoint gets a 4xx error body or a polite reply — never a 500 — and the server stays up."""
from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.dialogue import respond
from assistant.render import render_text
from web import create_app

HUGE = "あ" * 100_000
WEIRD_TEXTS = ["", " ", "\u3000\t\n", "<script>alert(1)</script>", "'; DROP TABLE turns; --", "\x00\x01\x1b[31m",
               "😀👍🏽🇯🇵", "\ud800", "../../etc/passwd", "%00", "創業" * 250, "創業" * 251, "ｿｳｷﾞｮｳ", "\u202e逆"]
CONTEXTS = [None, {}, [], "str", 1, True, {"v": 999}, {"v": 1, "shown": "x"}, {"v": 1, "shown": [None, 1, {}]},
            {"v": 1, "offset": -5, "need": 3}, {"v": 1, "offset": 10**12, "focus": "9-9-99"},
            {"v": 1, "shown": ["../../x"] * 1000}, {"need": "<img src=x onerror=alert(1)>"},
            {"v": "1", "desk": {"id": []}}, json.loads('{"a":' * 50 + "1" + "}" * 50)]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the whole matrix (rate limit off: the matrix sends hundreds of requests)."""
    return create_app({"TESTING": True, "DATA_HOME": str(tmp_path_factory.mktemp("home")), "RATE_LIMIT": "off",
                       "ADMIN_TOKEN": "t" * 32})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def post_json(client, path: str, body):
    """POST JSON with \\u escapes, so lone surrogates reach the server as JSON allows."""
    return client.post(path, data=json.dumps(body, ensure_ascii=True), content_type="application/json")


def assert_clean(r, *, allow_ok: bool = True) -> None:
    """A 2xx/3xx answer, or a 4xx with the contract's error body; never 5xx, never a trace."""
    assert r.status_code < 500, r.get_data(as_text=True)[:300]
    assert b"Traceback" not in r.data and b"/site-packages/" not in r.data and b"File \"" not in r.data
    if r.status_code >= 400 and (r.mimetype == "application/json"):
        body = r.get_json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    if not allow_ok:
        assert r.status_code >= 400


@pytest.mark.parametrize("body", [
    None, b"", b"{", b"null", b"[]", b"[1,2]", b'"message"', b"123", b"\xff\xfe\xfa", b'{"message": "\xff"}',
    b"message=%E5%89%B5%E6%A5%AD", json.dumps({"message": HUGE}).encode()[:16000],
])
@pytest.mark.parametrize("path", ["/api/chat", "/api/feedback", "/api/furigana"])
def test_broken_bodies_get_a_4xx(client, path, body):
    r = client.post(path, data=body, content_type="application/json")
    assert_clean(r, allow_ok=False)


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"])
def test_form_encoded_chat_is_refused_or_answered_never_500(client, content_type):
    assert_clean(client.post("/api/chat", data={"message": "創業したい"}, content_type=content_type))


DEEP = b'{"a":' * 1000 + b"1" + b"}" * 1000  # 6 KB; 1,000 deep overflowed the recursion limit
DEEP_ARRAY = b"[" * 1000 + b"]" * 1000      # 2 KB


@pytest.mark.parametrize("path, body", [
    ("/api/chat", b'{"message": "\\u5275\\u696d", "context": ' + DEEP + b"}"),
    ("/api/chat", b'{"message": ' + DEEP_ARRAY + b"}"), ("/api/chat", DEEP_ARRAY),
    ("/api/feedback", b'{"turn_id": ' + DEEP_ARRAY + b', "helpful": true}'),
    ("/api/furigana", b'{"text": ' + DEEP + b"}"), ("/api/furigana", DEEP_ARRAY),
])
def test_deeply_nested_json_is_a_400_not_a_recursion_error(client, path, body):
    """Issue 3: JSON nested 1,000 deep gave a RecursionError 500 on all three POST APIs."""
    r = client.post(path, data=body, content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "too_deep"


def test_json_nested_as_deep_as_a_real_context_is_fine(client):
    first = client.post("/api/chat", json={"message": "創業したい"}).get_json()
    r = client.post("/api/chat", json={"message": "もっと", "context": first["context"]})
    assert r.status_code == 200 and r.get_json()["results"]


LONE_SURROGATES = [
    ("/api/chat", {"message": "\ud800創業"}), ("/api/chat", {"message": "創業\udc00"}),
    ("/api/chat", {"message": "創業したい", "context": {"need": "\ud800"}}), ("/api/chat", {"message": "\ud800"}),
    ("/api/feedback", {"turn_id": "0" * 32, "helpful": False, "comment": "\ud800創業"}),
    ("/api/furigana", {"text": "\ud800創業"}),
]


@pytest.mark.parametrize("path, body", LONE_SURROGATES)
def test_a_lone_surrogate_is_a_400_before_any_encoding(client, path, body):
    """Issue 3: a lone surrogate gave a 500 from the JSON encoder, and a 503 in a feedback comment."""
    raw = json.dumps(body).encode()  # \u escapes, as JSON allows
    assert b"\\ud8" in raw or b"\\udc" in raw
    r = client.post(path, data=raw, content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("path", ["/api/chat", "/api/feedback", "/api/furigana"])
@pytest.mark.parametrize("content_type", [None, "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/jsonx", "text/json"])
def test_post_apis_need_application_json(client, path, content_type):
    """Issue 8: text/plain or no Content-Type needs no CORS preflight, so any site could post turns."""
    body = json.dumps({"message": "創業したい", "text": "創業", "turn_id": "0" * 32, "helpful": True}).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    r = client.post(path, data=body, headers=headers)
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "unsupported_media_type"


def test_application_json_with_a_charset_is_accepted(client):
    r = client.post("/api/chat", data=json.dumps({"message": "創業したい"}).encode(),
                    headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 200


@pytest.mark.parametrize("limit", ["1_0", "５", "٥", " 5", "5 ", "+5", "5\n", "0x5", "05.0", "1" * 40])
def test_limit_takes_ascii_digits_only(client, limit):
    """Issue 11: limit=1_0 and limit=５ were accepted (int() reads them)."""
    r = client.get("/api/search?" + urlencode({"q": "創業", "limit": limit}))
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid"


def test_a_plain_ascii_limit_still_works(client):
    assert len(client.get("/api/search?q=創業&limit=07").get_json()["results"]) == 7


@pytest.mark.parametrize("turn_id", ["a" * 32 + "\n", "\n" + "a" * 32, "a" * 32 + "\r\n", "A" * 32, "ａ" * 32])
def test_turn_id_must_match_as_a_whole(client, turn_id):
    """Issue 11: a turn_id with a trailing newline passed the pattern check."""
    r = client.post("/api/feedback", json={"turn_id": turn_id, "helpful": True})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid"


def test_a_100kb_body_is_too_large(client):
    r = client.post("/api/chat", json={"message": HUGE})
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("message", [None, 1, 1.5, True, [], ["創業"], {"a": 1}, *WEIRD_TEXTS])
def test_chat_message_of_any_shape(client, message):
    r = post_json(client, "/api/chat", {"message": message})
    assert_clean(r)
    if r.status_code == 200:
        assert isinstance(r.get_json()["reply"], str) and r.get_json()["reply"]


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("message", ["もっと", "1番目の電話番号は？", "創業したい", "2番目を詳しく"])
def test_chat_tolerates_any_context(client, message, context):
    r = post_json(client, "/api/chat", {"message": message, "context": context})
    assert_clean(r)
    if r.status_code == 200:
        assert isinstance(r.get_json()["context"], dict)


@pytest.mark.parametrize("q", [None, *WEIRD_TEXTS, "x" * 5000])
@pytest.mark.parametrize("limit", [None, "0", "21", "-1", "abc", "1e3", "5", "２"])
def test_search_with_any_query_and_limit(client, q, limit):
    params = {k: v.encode("utf-8", "surrogatepass") for k, v in (("q", q), ("limit", limit)) if v is not None}
    r = client.get("/api/search?" + urlencode(params))  # a lone surrogate arrives as invalid UTF-8 bytes
    assert_clean(r)
    if r.status_code == 200:
        assert isinstance(r.get_json()["results"], list)


@pytest.mark.parametrize("path", [
    "/api/programs/9-9-99", "/api/programs/..%2F..%2Fetc%2Fpasswd", "/api/programs/%00", "/api/programs/" + "1" * 5000,
    "/api/indicators/kpi-999", "/api/indicators/<script>", "/programs/9-9-99", "/programs/..%2Fadmin",
    "/static/../web/settings.py", "/static/%2e%2e/store.py", "/api/", "/api/nope", "//api/health",
    "/admin/../api/health", "/widget?title=" + "<b>" * 100, "/api/search?q=%ff%fe", "/api/search?q=%00",
])
def test_unknown_ids_and_path_tricks(client, path):
    r = client.get(path)
    assert_clean(r)
    assert b"SHIEN_NAVI" not in r.data and b"def " not in r.data


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/chat"), ("PUT", "/api/chat"), ("DELETE", "/api/programs"), ("POST", "/api/search"),
    ("PATCH", "/api/health"), ("GET", "/api/feedback"), ("POST", "/api/programs/1-1-3"), ("GET", "/admin/vocabulary"),
    ("DELETE", "/admin"),
])
def test_wrong_methods_get_405_or_401(client, method, path):
    r = client.open(path, method=method)
    assert r.status_code in (401, 404, 405)
    assert_clean(r, allow_ok=False)


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    return create_app({"TESTING": True, "DATA_HOME": str(tmp_path_factory.mktemp("limited")),
                       "RATE_LIMIT": "1/minute"}).test_client()


@pytest.mark.parametrize("path, html", [("/programs", True), ("/contacts", True), ("/api/search?q=創業", False)])
def test_429_is_json_on_the_api_and_a_japanese_page_elsewhere(limited, path, html):
    """Issue 11: 429 on pages was the framework's English page."""
    limited.get(path, environ_base={"REMOTE_ADDR": f"192.0.2.{len(path)}"})
    r = limited.get(path, environ_base={"REMOTE_ADDR": f"192.0.2.{len(path)}"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    if html:
        text = r.get_data(as_text=True)
        assert r.mimetype == "text/html" and '<html lang="ja">' in text and "アクセスが集中しています" in text
        assert "Too Many Requests" not in text
    else:
        assert r.get_json()["error"]["code"] == "rate_limited"


@pytest.mark.parametrize("method, path", [("POST", "/"), ("POST", "/programs"), ("DELETE", "/contacts"),
                                          ("PUT", "/memo"), ("POST", "/widget")])
def test_405_on_pages_is_a_japanese_page(client, method, path):
    """Issue 11: 405 on pages was the framework's English page."""
    r = client.open(path, method=method)
    text = r.get_data(as_text=True)
    assert r.status_code == 405 and r.mimetype == "text/html" and "GET" in r.headers["Allow"]
    assert '<html lang="ja">' in text and "この方法では開けません" in text and "Method Not Allowed" not in text


@pytest.mark.parametrize("path, allow", [("/api/chat", "OPTIONS, POST"), ("/api/search", "GET, HEAD, OPTIONS"),
                                         ("/api/feedback", "OPTIONS, POST"), ("/api/programs/1-1-3", "GET, HEAD, OPTIONS")])
def test_options_on_the_api_answers_204_with_allow(client, path, allow):
    """Issue 11: OPTIONS /api/* returned an empty HTML page."""
    r = client.options(path)
    assert r.status_code == 204 and r.data == b"" and r.headers["Allow"] == allow
    assert "Content-Type" not in r.headers


def test_options_on_an_unknown_api_path_is_a_json_404(client):
    r = client.options("/api/nope")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("body", [{"turn_id": None, "helpful": True}, {"turn_id": "a" * 32, "helpful": None},
                                  {"turn_id": ["a"], "helpful": True}, {"turn_id": "a" * 32, "helpful": 1},
                                  {"turn_id": "a" * 32, "helpful": True, "comment": 5},
                                  {"turn_id": "../" * 10, "helpful": True}, {"turn_id": "a" * 32, "helpful": False}])
def test_feedback_of_any_shape(client, body):
    assert_clean(client.post("/api/feedback", json=body), allow_ok=False)


def test_the_server_is_still_healthy_after_the_matrix(client):
    assert client.get("/api/health").get_json()["status"] == "ok"
    assert client.post("/api/chat", json={"message": "創業したい"}).get_json()["results"]


# Any text through normalization, tokenizing, ranking and dialogue ---------------------------
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=500)
TIME_BOUND_SECONDS = 2.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_any_text_gets_a_valid_search_and_chat_reply_in_time(app, text):
    assistant = app.extensions["assistant"]
    started = time.perf_counter()
    hits = assistant.search(text, limit=5)
    reply = respond(assistant, text, None)
    assert time.perf_counter() - started < TIME_BOUND_SECONDS
    assert len(hits) <= 5 and all(h.score == h.score for h in hits)  # no NaN
    assert render_text(reply) and isinstance(dict(reply.context), dict)
    follow = respond(assistant, "もっと", reply.context)
    assert render_text(follow)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=TEXT, context=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                          lambda inner: st.lists(inner, max_size=4)
                                          | st.dictionaries(st.sampled_from(["v", "need", "shown", "offset", "focus",
                                                                              "desk", "x"]), inner, max_size=5),
                                          max_leaves=12))
def test_any_message_with_any_context_over_http(client, message, context):
    r = post_json(client, "/api/chat", {"message": message, "context": context})
    assert_clean(r)


@pytest.mark.parametrize("blank", ["\u0085", "\u001c", " \u3000", "\u202e\u2066", "\ufeff"])
def test_blank_text_is_refused_alike_by_the_schema_and_the_api(client, blank):
    """Python and ECMA regular expressions disagree on \\s: the schema spells out what is blank."""
    import re as _re

    from web.requests import NOT_BLANK
    assert not _re.search(NOT_BLANK, blank)
    assert client.post("/api/chat", json={"message": blank}).status_code == 400
    assert client.post("/api/furigana", json={"text": blank}).status_code == 400
