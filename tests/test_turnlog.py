"""Every chat turn is logged under the turn_id the reply carries; feedback refers to it."""
from __future__ import annotations

import logging
import socket
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import event, inspect

from web import create_app
from web.settings import StartupError
from web.store import Store


def store_of(app) -> Store:
    """The app's store once the writer thread has written everything queued."""
    assert app.extensions["store_writer"].flush(10)
    return app.extensions["store"]


def chat(client, message, context=None):
    r = client.post("/api/chat", json={"message": message, "context": context})
    assert r.status_code == 200
    return r.get_json()


def test_chat_reply_carries_a_turn_id_and_the_turn_is_logged(app, client):
    reply = chat(client, "創業したい。連絡先は 090-1234-5678 です")
    assert set(reply) >= {"reply", "results", "suggestions", "context", "turn_id"}
    [turn] = list(store_of(app).turns_since())
    assert turn.id == reply["turn_id"] and len(turn.id) == 32
    assert turn.intent == reply["intent"] and turn.answered
    assert [pid for pid, _ in turn.results] == [r["id"] for r in reply["results"]]
    assert "090" not in turn.message and "[電話番号]" in turn.message


def test_a_turn_nothing_matched_is_logged_as_unanswered(app, client):
    reply = chat(client, "ぴよぴよ")
    [turn] = list(store_of(app).turns_since())
    assert reply["intent"] in {"not_found", "clarify", "out_of_scope"} and turn.answered is False


def test_each_turn_gets_its_own_id(client):
    first = chat(client, "創業したい")
    second = chat(client, "もっと", first["context"])
    assert first["turn_id"] != second["turn_id"]


def test_the_log_holds_no_ip_address_or_cookie(app):
    columns = {c["name"] for t in ("turns", "feedback") for c in inspect(store_of(app).engine).get_columns(t)}
    assert not {c for c in columns if any(w in c for w in ("ip", "addr", "cookie", "session", "agent"))}


def test_feedback_is_stored_with_the_turn(app, client):
    turn_id = chat(client, "創業したい")["turn_id"]
    r = client.post("/api/feedback", json={"turn_id": turn_id, "helpful": False, "comment": "窓口が知りたい"})
    assert r.status_code == 200 and r.get_json() == {"turn_id": turn_id, "helpful": False, "stored": True}
    [fb] = store_of(app).feedback_since()
    assert fb.turn.id == turn_id and fb.comment == "窓口が知りたい" and fb.helpful is False


@pytest.mark.parametrize("body, status, code", [
    ({"turn_id": "0" * 32, "helpful": True}, 404, "unknown_turn"),
    ({"turn_id": "not-a-turn", "helpful": True}, 400, "invalid"),
    ({"turn_id": "0" * 32}, 400, "invalid"),
    ({"turn_id": "0" * 32, "helpful": "yes"}, 400, "invalid"),
    ({"turn_id": "0" * 32, "helpful": True, "comment": "あ" * 501}, 400, "too_long"),
    ([], 400, "invalid_json"),
])
def test_bad_feedback_gets_a_contract_error(client, body, status, code):
    r = client.post("/api/feedback", json=body)
    assert r.status_code == status and r.get_json()["error"]["code"] == code


def make_read_only(app) -> None:
    """Turn the app's SQLite database read-only from now on (every new connection refuses writes)."""
    engine = store_of(app).engine
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA query_only=ON"))
    engine.dispose()


def health(client) -> dict:
    r = client.get("/api/health")
    assert r.status_code == 200
    return r.get_json()


def test_a_failing_log_write_is_logged_and_the_answer_still_goes_out(app, client, caplog):
    make_read_only(app)
    with caplog.at_level(logging.WARNING):
        reply = chat(client, "創業したい")
        app.extensions["store_writer"].flush(10)
    assert reply["results"] and reply["turn_id"]
    assert any("turn log write failed" in r.getMessage() for r in caplog.records)


def test_a_read_only_database_is_reported_by_health_and_counted(app, client):
    """Issue 6: turns were dropped silently while /api/health said ok."""
    assert health(client)["store"] == "ok" and health(client)["dropped"] == 0
    make_read_only(app)
    for message in ("創業したい", "後継者がいない", "電気代を下げたい"):
        chat(client, message)
    app.extensions["store_writer"].flush(10)
    status = health(client)
    assert status["status"] == "ok" and status["store"] == "degraded" and status["dropped"] == 3


def test_feedback_on_a_turn_that_could_not_be_stored_is_503_not_404(app, client):
    """Issue 6: feedback said unknown_turn when the truth was that nothing could be stored."""
    make_read_only(app)
    turn_id = chat(client, "創業したい")["turn_id"]
    app.extensions["store_writer"].flush(10)
    r = client.post("/api/feedback", json={"turn_id": turn_id, "helpful": True})
    assert r.status_code == 503 and r.get_json()["error"]["code"] == "unavailable"


def test_feedback_while_the_store_is_down_is_a_503_not_a_500(app, client):
    make_read_only(app)
    r = client.post("/api/feedback", json={"turn_id": "0" * 32, "helpful": True})
    assert r.status_code == 503 and r.get_json()["error"]["code"] == "unavailable"


@pytest.fixture()
def stuck_app(tmp_path):
    """An app whose store hangs on every write until `release` is set (a frozen database)."""
    app = create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "RATE_LIMIT": "off", "LOG_QUEUE_SIZE": 5,
                      "DB_STATEMENT_TIMEOUT": 0.3})
    release = threading.Event()
    real = app.extensions["store"].record_turns

    def hanging(batch):
        release.wait(30)
        real(batch)
    app.extensions["store"].record_turns = hanging
    yield app, release
    release.set()


def test_a_hung_store_never_holds_a_chat_and_a_full_queue_drops(stuck_app):
    app, release = stuck_app
    client = app.test_client()
    started = time.perf_counter()
    replies = [chat(client, "創業したい")]
    while health(client)["queued"]:  # the writer took the first turn and hangs on it
        time.sleep(0.01)
    replies += [chat(client, "創業したい") for _ in range(11)]  # 5 queued, 6 dropped
    assert time.perf_counter() - started < 5
    time.sleep(0.4)  # past the statement timeout: the write counts as hung
    status = health(client)
    assert status["store"] == "degraded" and status["dropped"] == 6 and status["queued"] == 5
    r = client.post("/api/feedback", json={"turn_id": replies[0]["turn_id"], "helpful": True})
    assert r.status_code == 503  # at once, not after the database comes back
    release.set()
    assert app.extensions["store_writer"].flush(10)
    stored = {t.id for t in app.extensions["store"].turns_since()}
    assert stored == {r["turn_id"] for r in replies[:6]}
    assert health(client)["store"] == "ok"


def test_a_data_home_that_cannot_be_created_stops_start_up_with_one_line(tmp_path):
    """Issue 6: a read-only fresh data home crashed start-up with a traceback."""
    parent = tmp_path / "a-file"
    parent.write_text("")
    with pytest.raises(StartupError, match="data home .* cannot be written"):
        create_app({"TESTING": True, "DATA_HOME": str(parent / "home")})


def serve_output(env: dict, seconds: float = 30) -> tuple[int, str, float]:
    """Run `shien-navi serve` until it exits; return its status, stderr and how long it took."""
    import os
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "web.cli", "serve", "--port", "0"], capture_output=True, text=True,
                          timeout=seconds, env={**os.environ, **env})
    return proc.returncode, proc.stderr, time.perf_counter() - started


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/sys is Linux's read-only file system")
def test_serve_with_a_read_only_data_home_says_so_in_one_line():
    status, stderr, _ = serve_output({"SHIEN_NAVI_DATA_HOME": "/sys/shien-navi-home"})
    assert status == 1 and "Traceback" not in stderr
    [line] = stderr.strip().splitlines()
    assert line.startswith("shien-navi: cannot start: the data home /sys/shien-navi-home cannot be written")


def test_a_database_that_accepts_and_never_answers_stops_start_up_in_time():
    """Issue 1: start-up hung 131 s silently on such a database."""
    with socket.socket() as silent:  # the kernel accepts connections into the backlog; nobody answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        status, stderr, took = serve_output({"SHIEN_NAVI_DATABASE_URL": f"postgresql://u@127.0.0.1:{port}/db",
                                             "SHIEN_NAVI_DB_CONNECT_TIMEOUT": "2"})
    assert status == 1 and took < 15 and "Traceback" not in stderr
    [line] = stderr.strip().splitlines()
    assert line.startswith("shien-navi: cannot start:") and f"127.0.0.1:{port}" in line


def test_turns_and_feedback_survive_a_restart(tmp_path):
    from web import create_app
    config = {"TESTING": True, "DATA_HOME": str(tmp_path)}
    first = create_app(config)
    turn_id = chat(first.test_client(), "創業したい")["turn_id"]
    first.test_client().post("/api/feedback", json={"turn_id": turn_id, "helpful": True})
    store_of(first).dispose()
    again = create_app(config)
    assert [t.id for t in store_of(again).turns_since()] == [turn_id]
    assert [f.turn.id for f in store_of(again).feedback_since()] == [turn_id]
