"""Rate limit per client, security headers on every response, JSON logs."""
from __future__ import annotations

import io
import json
import logging

import pytest

from web import create_app
from web.logs import configure_logging


@pytest.fixture()
def limited(tmp_path):
    return create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "RATE_LIMIT": "3/minute"}).test_client()


def test_a_client_over_the_limit_gets_429_in_the_error_shape(limited):
    statuses = [limited.get("/api/search?q=創業").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    r = limited.post("/api/chat", json={"message": "創業したい"})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "rate_limited"
    assert int(r.headers["Retry-After"]) > 0


def test_other_clients_are_not_limited_by_one(limited):
    for _ in range(4):
        limited.get("/api/search?q=創業")
    r = limited.get("/api/search?q=創業", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert r.status_code == 200


def test_health_is_never_limited(limited):
    assert {limited.get("/api/health").status_code for _ in range(6)} == {200}


def test_rate_limit_off_disables_it(tmp_path):
    client = create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "RATE_LIMIT": "off"}).test_client()
    assert {client.get("/api/search?q=創業").status_code for _ in range(150)} == {200}


@pytest.mark.parametrize("path", ["/api/health", "/api/search?q=創業", "/api/programs/1-1-3", "/api/programs/x",
                                  "/", "/no/such/page", "/api/openapi.json"])
def test_every_response_has_the_security_headers(client, path):
    r = client.get(path)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_a_view_s_own_csp_is_kept(client):
    r = client.get("/widget")
    assert "frame-ancestors 'self'" in r.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in r.headers


def test_an_unexpected_error_shows_no_stack_trace(app):
    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret /internal/path.py")
    r = app.test_client().get("/api/boom")
    assert r.status_code == 500
    assert r.get_json() == {"error": {"code": "internal_error", "message": "内部エラーが発生しました。"}}
    assert b"Traceback" not in r.data and b"internal/path" not in r.data


def test_logs_are_one_json_object_per_line():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("INFO", stream)
        logging.getLogger("shien").info("相談 %d 件", 3)
        try:
            raise ValueError("x")
        except ValueError:
            logging.getLogger("shien").exception("failed")
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0] == {**lines[0], "level": "INFO", "logger": "shien", "message": "相談 3 件"}
    assert lines[1]["level"] == "ERROR" and "ValueError" in lines[1]["exception"]


def test_no_retry_after_on_answers_that_were_not_refused(limited):
    """Issue 11: Retry-After was sent on every 200."""
    ok = limited.get("/api/search?q=創業")
    assert ok.status_code == 200 and "Retry-After" not in ok.headers
    for _ in range(3):
        refused = limited.get("/api/search?q=創業")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_waitress_queue_depth_warnings_are_one_line_a_minute_with_the_peak():
    """Issue 11: waitress logged `Task queue depth` 22,981 times in 60 s."""
    from waitress.task import ThreadedTaskDispatcher

    from web.logs import QueueDepthDigest
    stream = io.StringIO()
    root, queue_logger = logging.getLogger(), logging.getLogger("waitress.queue")
    saved = root.handlers[:], root.level, queue_logger.filters[:]
    now = [1000.0]
    try:
        configure_logging("INFO", stream)
        assert any(isinstance(f, QueueDepthDigest) for f in queue_logger.filters)
        queue_logger.filters[:] = [QueueDepthDigest(60, clock=lambda: now[0])]
        dispatcher = ThreadedTaskDispatcher()  # no worker threads: every task queues and waitress warns
        for second in range(120):
            now[0] = 1000.0 + second
            for _ in range(200):  # 24,000 warnings in two minutes
                dispatcher.add_task(object())
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
        queue_logger.filters[:] = saved[2]
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 2 and all(line["logger"] == "waitress.queue" for line in lines)
    assert lines[0]["queue_depth_peak"] == 1 and lines[0]["queue_warnings"] == 1
    assert lines[1]["queue_depth_peak"] == 60 * 200 + 1 and lines[1]["queue_warnings"] == 60 * 200
    assert "peaked at 12001" in lines[1]["message"]
