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
