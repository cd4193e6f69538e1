"""Every chat turn is logged under the turn_id the reply carries; feedback refers to it."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import inspect

from web.store import Store


def store_of(app) -> Store:
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


class BrokenStore(Store):
    """A store whose database has gone away."""

    def __init__(self) -> None:  # no engine at all
        pass

    def record_turn(self, turn):
        raise OSError("disk I/O error")

    def record_feedback(self, turn_id, helpful, comment=None):
        raise OSError("disk I/O error")


def test_a_failing_log_write_is_logged_and_the_answer_still_goes_out(app, client, caplog):
    app.extensions["store"] = BrokenStore()
    with caplog.at_level(logging.ERROR):
        reply = chat(client, "創業したい")
    assert reply["results"] and reply["turn_id"]
    assert any("disk I/O error" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_feedback_while_the_store_is_down_is_a_503_not_a_500(app, client):
    app.extensions["store"] = BrokenStore()
    r = client.post("/api/feedback", json={"turn_id": "0" * 32, "helpful": True})
    assert r.status_code == 503 and r.get_json()["error"]["code"] == "unavailable"


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
