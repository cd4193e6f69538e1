"""POST /line/webhook end to end: payloads signed as LINE signs them, replies caught by a local stand-in.

Every test runs on the embedded SQLite and on PostgreSQL: the conversation state and the
answered events live in the store. Most tests share one app per database (emptied before each);
the ones that make LINE or the database misbehave get their own.
"""
from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import delete, select, update

import line_standin as L
from assistant.dialogue import respond
from line_limits import tel_numbers, violations
from web import create_app
from web.line.messages import line_with_chips, need_chips, reply_messages, tel_uri
from web.line.texts import WELCOME
from web.pages import COMMON_NEEDS
from web.store import feedback, line_conversations, line_events, turns, utcnow

PUBLIC = "https://shien.example.jp"


@pytest.fixture(scope="module")
def standin():
    s = L.StandIn().start()
    yield s
    s.stop()


def make_app(store_url: str, data_home, standin: L.StandIn, **config):
    return create_app({"TESTING": True, "DATA_HOME": str(data_home), "DATABASE_URL": store_url,
                       "LINE_CHANNEL_SECRET": L.SECRET, "LINE_CHANNEL_ACCESS_TOKEN": L.TOKEN,
                       "LINE_API_URL": standin.url, "PUBLIC_URL": PUBLIC, "LINE_API_TIMEOUT": 1.0,
                       "LINE_STATE_TIMEOUT": 1.0, **config})


def close_app(app) -> None:
    app.extensions["line"].drain()
    app.extensions["line"].close()
    app.extensions["store_writer"].close()
    app.extensions["store"].dispose()
    versions = app.extensions["knowledge_source"].store
    if versions is not None:
        versions.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_url(request, tmp_path_factory):
    """One database per backend for the module: the embedded SQLite and a shared PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('line') / 'store.sqlite3'}"
    return request.getfixturevalue("postgres").create_database()


@pytest.fixture(scope="module")
def shared_app(shared_url, tmp_path_factory, standin):
    app = make_app(shared_url, tmp_path_factory.mktemp("home"), standin)
    yield app
    close_app(app)


@pytest.fixture()
def line_app(shared_app, standin):
    """The module's app with an empty log and no LINE state, and a stand-in that answers."""
    assert shared_app.extensions["line"].drain() and shared_app.extensions["store_writer"].flush()
    with shared_app.extensions["store"].engine.begin() as conn:
        for table in (line_conversations, line_events, feedback, turns):
            conn.execute(delete(table))
    standin.calls.clear()
    standin.mode = "ok"
    return shared_app


@pytest.fixture()
def own_app(store_url, tmp_path, standin):
    """An app of its own, for tests that make its database or LINE misbehave."""
    standin.calls.clear()
    standin.mode = "ok"
    app = make_app(store_url, tmp_path, standin)
    yield app
    close_app(app)


def post(app, *events, body: bytes | None = None, signature: str | None = None, wait: bool = True):
    """Post a webhook as LINE does; wait until the bot has handled it."""
    body = L.payload(*events) if body is None else body
    headers = {"Content-Type": "application/json"}
    signature = L.sign(body) if signature is None else signature
    if signature:
        headers["X-Line-Signature"] = signature
    response = app.test_client().post("/line/webhook", data=body, headers=headers)
    if wait:
        assert app.extensions["line"].drain()
    return response


def canonical(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def expected(app, message: str, context=None) -> tuple[list[dict], object]:
    reply = respond(app.extensions["assistant"], message, context)
    return reply_messages(reply, PUBLIC), reply


def conversations(app) -> list[dict]:
    with app.extensions["store"].engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(line_conversations))]


# Replies -----------------------------------------------------------------------------------------
def test_a_text_message_gets_the_dialogues_reply_as_text_cards_and_quick_replies(line_app, standin):
    sent = L.text("創業したい")
    assert post(line_app, sent).status_code == 200
    [call] = standin.wait_for(1)
    assert call.headers["Authorization"] == f"Bearer {L.TOKEN}"
    assert call.json["replyToken"] == sent["replyToken"]
    messages, reply = expected(line_app, "創業したい")
    assert canonical(call.json["messages"]) == canonical(messages)
    text, flex = call.json["messages"]
    assert text["text"].startswith(reply.lead) and "まずは" in text["text"]
    assert [b["body"]["contents"][1]["text"] for b in flex["contents"]["contents"]] == \
        [f"{n}. {h.program.name}" for n, h in enumerate(reply.hits, start=1)]
    assert [i["action"]["displayText"] for i in flex["quickReply"]["items"]] == list(reply.suggestions)
    assert not violations(call.json["messages"])


def test_every_tel_uri_sent_is_a_number_of_the_knowledge_data(line_app, standin, knowledge):
    printed = {tel_uri(n)[4:] for n in knowledge.all_phone_numbers()}
    for message in ("後継者がいない", "電気代を下げたい", "よろず支援拠点の電話番号", "産業雇用政策課"):
        post(line_app, L.text(message))
    calls = standin.wait_for(4)
    numbers = [n for c in calls for n in tel_numbers(c.json)]
    assert len(numbers) >= 6 and set(numbers) <= printed


def test_context_carries_across_turns_more_and_the_second_in_detail(line_app, standin):
    post(line_app, L.text("創業したい"))
    post(line_app, L.text("2番目を詳しく"))
    post(line_app, L.text("もっと"))
    first, detail, more = (c.json["messages"] for c in standin.wait_for(3))
    first_ids = [b["footer"]["contents"][-1]["action"]["uri"].rsplit("/", 1)[1] for b in first[1]["contents"]["contents"]]
    [card] = detail[1]["contents"]["contents"]
    assert card["footer"]["contents"][-1]["action"]["uri"].endswith("/" + first_ids[1])
    assert detail[0]["text"].startswith("「")  # the program's whole text
    more_names = [b["body"]["contents"][1]["text"] for b in more[1]["contents"]["contents"]]
    assert more_names[0].startswith("4. ")
    more_ids = {b["footer"]["contents"][-1]["action"]["uri"].rsplit("/", 1)[1] for b in more[1]["contents"]["contents"]}
    assert more_ids and not more_ids & set(first_ids)


def test_a_chip_postback_is_answered_as_that_chips_message(line_app, standin):
    post(line_app, L.postback("chip:後継者がいない"))
    [call] = standin.wait_for(1)
    assert canonical(call.json["messages"]) == canonical(expected(line_app, "後継者がいない")[0])


def test_other_postback_data_is_ignored(line_app, standin):
    post(line_app, L.postback("action=buy&item=1"))
    assert standin.replies() == []


def test_follow_gets_the_welcome_with_the_needs_as_quick_replies(line_app, standin, knowledge):
    post(line_app, L.follow())
    [call] = standin.wait_for(1)
    assert call.json["messages"] == line_with_chips(WELCOME, need_chips(knowledge, COMMON_NEEDS))
    items = call.json["messages"][0]["quickReply"]["items"]
    assert items[0]["action"]["displayText"] == "創業したい" and len(items) == 13


@pytest.mark.parametrize("kind, word", [("sticker", "スタンプ"), ("image", "画像"), ("location", "位置情報"),
                                        ("audio", "音声")])
def test_stickers_photos_places_and_voice_get_a_polite_line_with_chips(line_app, standin, kind, word):
    post(line_app, L.non_text(kind))
    [call] = standin.wait_for(1)
    [message] = call.json["messages"]
    assert message["text"].startswith(word) and "文字" in message["text"]
    assert len(message["quickReply"]["items"]) == 13


def test_a_lone_surrogate_or_bidi_control_is_dropped_before_the_dialogue_and_the_log(line_app, standin):
    body = L.payload(L.text("創業したいXX\u202e")).replace(b"XX", b"\\ud800")
    assert b"\\ud800" in body
    post(line_app, body=body)
    [call] = standin.wait_for(1)
    assert canonical(call.json["messages"]) == canonical(expected(line_app, "創業したい")[0])
    assert line_app.extensions["store_writer"].flush()
    [turn] = list(line_app.extensions["store"].turns_since())
    assert turn.message == "創業したい" and turn.channel == "line"


def test_an_overlong_text_gets_a_polite_line(line_app, standin):
    post(line_app, L.text("創業" * 400))
    [call] = standin.wait_for(1)
    assert "500文字以内" in call.json["messages"][0]["text"]


# Groups ------------------------------------------------------------------------------------------
def test_a_group_message_without_a_mention_is_ignored(line_app, standin):
    post(line_app, L.text("創業したい", L.group()), L.text("@田中 創業したい", L.group(), [L.other_mention(0, 3)]),
         L.non_text("sticker", L.group()))
    assert standin.replies() == [] and conversations(line_app) == []


def test_a_group_message_mentioning_the_account_is_answered_without_the_mention(line_app, standin):
    post(line_app, L.text("@ふくしま支援ナビ 後継者がいない", L.group(), [L.self_mention(0, 9)]))
    [call] = standin.wait_for(1)
    assert canonical(call.json["messages"]) == canonical(expected(line_app, "後継者がいない")[0])


def test_joining_a_group_says_how_to_ask(line_app, standin):
    post(line_app, L.event("join", L.group()))
    [call] = standin.wait_for(1)
    assert "メンション" in call.json["messages"][0]["text"]


# Signature, size, redelivery -------------------------------------------------------------------
@pytest.mark.parametrize("signature", ["", "bad", L.sign(b"another body"), L.sign(L.payload(), "another-secret")])
def test_a_missing_or_wrong_signature_gets_400_and_nothing_is_done(line_app, standin, signature):
    body = L.payload(L.text("創業したい"), L.follow())
    response = post(line_app, body=body, signature=signature)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_signature"
    assert standin.calls == [] and conversations(line_app) == []


def test_an_oversized_body_gets_413(line_app, standin):
    body = L.payload(*[L.text("創業したい" * 500) for _ in range(10)])
    assert len(body) > 65_536
    assert post(line_app, body=body).status_code == 413
    assert standin.calls == []


def test_a_webhook_over_the_apis_body_limit_but_within_lines_is_taken(line_app, standin):
    body = L.payload(L.text("創" * 3000), L.text("業" * 3000))
    assert line_app.config["MAX_CONTENT_LENGTH"] < len(body) < 65_536
    assert post(line_app, body=body).status_code == 200
    assert [c.json["messages"][0]["text"][:9] for c in standin.wait_for(2)] == ["長いメッセージには"] * 2


def test_the_consoles_verify_request_with_no_events_gets_200(line_app, standin):
    assert post(line_app, body=L.payload()).status_code == 200 and standin.calls == []


def test_a_redelivered_event_is_answered_once(line_app, standin):
    sent = L.text("創業したい")
    post(line_app, sent)
    again = {**sent, "deliveryContext": {"isRedelivery": True}}
    post(line_app, again)
    post(line_app, again)
    assert len(standin.replies()) == 1
    with line_app.extensions["store"].engine.connect() as conn:
        assert conn.execute(select(line_events.c.id)).scalars().all() == [sent["webhookEventId"]]


def test_the_webhook_is_not_rate_limited_like_a_browser(store_url, tmp_path, standin):
    standin.calls.clear()
    app = make_app(store_url, tmp_path, standin, RATE_LIMIT="2/minute")
    try:
        assert [post(app, L.follow()).status_code for _ in range(4)] == [200] * 4
        assert app.test_client().get("/api/search?q=創業").status_code == 200
    finally:
        close_app(app)


# LINE failing ------------------------------------------------------------------------------------
def test_line_answering_500_still_gives_the_webhook_200_and_is_counted(own_app, standin):
    line_app = own_app
    standin.mode = "error"
    assert post(line_app, L.text("創業したい")).status_code == 200
    assert len(standin.replies()) == 1
    health = line_app.test_client().get("/api/health").get_json()
    assert health["line_reply_failures"] == 1 and health["status"] == "ok"
    standin.mode = "ok"
    post(line_app, L.text("もっと"))  # the state was kept: the next turn goes on from it
    assert standin.wait_for(2)[1].json["messages"][0]["text"].startswith("ほかの候補")


def test_a_line_that_does_not_answer_never_holds_the_webhook(own_app, standin):
    line_app = own_app
    release = standin.release = threading.Event()
    standin.mode = "held"
    try:
        response = post(line_app, L.text("創業したい"), wait=False)
        assert response.status_code == 200
        assert not line_app.extensions["line"].drain(0.05)  # answered while the reply to LINE is still open
        assert standin.wait_for(1, timeout=5)
        assert line_app.extensions["line"].drain(10)  # the client gave up after its timeout
        assert line_app.test_client().get("/api/health").get_json()["line_reply_failures"] == 1
    finally:
        release.set()
        standin.mode = "ok"


# State ---------------------------------------------------------------------------------------------
def test_state_is_keyed_by_an_hmac_and_the_raw_user_id_is_never_stored(line_app, standin):
    user_id = "U" + "f" * 32
    post(line_app, L.text("創業したい", L.user(user_id)))
    [row] = conversations(line_app)
    assert user_id not in json.dumps(row, default=str) and len(row["key"]) == 64
    assert row["context"]["need"] == "創業したい"
    turns = list(line_app.extensions["store"].turns_since()) if line_app.extensions["store_writer"].flush() else []
    assert all(user_id not in t.message for t in turns)


def test_unfollow_deletes_what_is_stored_for_that_user_and_leave_the_groups(line_app, standin):
    me, other, room = L.user("U" + "1" * 32), L.user("U" + "2" * 32), L.group(user_id="U" + "1" * 32)
    post(line_app, L.text("創業したい", me), L.text("後継者がいない", other),
         L.text("@ふくしま支援ナビ 人手不足", room, [L.self_mention(0, 9)]))

    def needs() -> set:
        return {r["context"]["need"] for r in conversations(line_app)}
    assert needs() == {"創業したい", "後継者がいない", "人手不足"}
    post(line_app, L.unfollow(me))
    assert needs() == {"後継者がいない", "人手不足"}
    post(line_app, L.text("もっと", me))
    assert standin.wait_for(4)[-1].json["messages"][0]["text"] != "ほかの候補です。"  # nothing to go on from
    post(line_app, L.event("leave", room, reply_token=False))
    assert needs() == {"後継者がいない", None}


def test_a_group_shares_one_conversation_so_anyones_chip_goes_on(line_app, standin):
    chat = L.group()
    post(line_app, L.text("@ふくしま支援ナビ 創業したい", chat, [L.self_mention(0, 9)]))
    post(line_app, L.postback("chip:もっと", L.group(chat["groupId"], "U" + "9" * 32)))  # another member taps
    first, more = standin.wait_for(2)
    assert more.json["messages"][0]["text"].startswith("ほかの候補")


def test_the_saved_need_is_masked_like_the_log(line_app, standin):
    post(line_app, L.text("創業したい 連絡先は090-1234-5678です"))
    [row] = conversations(line_app)
    assert "090" not in json.dumps(row["context"]) and "[電話番号]" in row["context"]["need"]


def test_state_expires_after_thirty_minutes_idle(line_app, standin):
    def idle(minutes: int) -> None:
        with line_app.extensions["store"].engine.begin() as conn:
            conn.execute(update(line_conversations).values(updated_at=utcnow() - timedelta(minutes=minutes)))
    post(line_app, L.text("創業したい"))
    idle(29)
    post(line_app, L.text("もっと"))
    assert standin.wait_for(2)[1].json["messages"][0]["text"].startswith("ほかの候補")
    idle(31)
    post(line_app, L.text("もっと"))
    messages, _ = expected(line_app, "もっと", None)
    assert canonical(standin.wait_for(3)[2].json["messages"]) == canonical(messages)
    line_app.extensions["store"].purge()
    assert len(conversations(line_app)) == 1  # the last turn's, just saved
    idle(31)
    line_app.extensions["store"].purge()
    assert conversations(line_app) == []


def test_line_turns_are_logged_like_web_turns_with_their_channel(line_app, standin):
    post(line_app, L.text("創業したい 090-1234-5678"))
    line_app.test_client().post("/api/chat", json={"message": "創業したい"})
    assert line_app.extensions["store_writer"].flush()
    turns = list(line_app.extensions["store"].turns_since())
    assert sorted(t.channel for t in turns) == ["line", "web"]
    line_turn = next(t for t in turns if t.channel == "line")
    assert line_turn.intent == "need" and line_turn.results and "[電話番号]" in line_turn.message


def test_a_slow_database_makes_line_answer_without_context_and_nothing_else_wait(own_app, standin):
    line_app = own_app
    post(line_app, L.text("創業したい"))
    state = line_app.extensions["line"].state
    hold = threading.Event()

    def slow(*args, **kwargs):
        hold.wait(5)
    sa_event.listen(state.engine, "before_cursor_execute", slow)
    try:
        started = time.monotonic()
        post(line_app, L.text("もっと"))
        replies = standin.wait_for(2)
        assert time.monotonic() - started < 4.5  # bounded by the LINE state timeout, not the hold
        assert replies[1].json["messages"][0]["text"] != "ほかの候補です。"  # answered, without the saved context
        health = line_app.test_client().get("/api/health").get_json()
        assert health["line"] == "degraded" and health["store"] == "ok"
    finally:
        hold.set()
        sa_event.remove(state.engine, "before_cursor_execute", slow)


# Two instances ------------------------------------------------------------------------------------
def test_two_instances_share_one_conversation_and_answer_a_redelivery_once(store_url, tmp_path, standin):
    standin.calls.clear()
    standin.mode = "ok"
    a, b = make_app(store_url, tmp_path / "a", standin), make_app(store_url, tmp_path / "b", standin)
    try:
        first = L.text("創業したい")
        post(a, first)
        post(b, L.text("もっと"))
        post(b, {**first, "deliveryContext": {"isRedelivery": True}})  # LINE retried at the other instance
        post(a, L.text("4番目を詳しく"))
        replies = [c.json["messages"] for c in standin.wait_for(3)]
        assert len(standin.replies()) == 3
        assert replies[1][1]["contents"]["contents"][0]["body"]["contents"][1]["text"].startswith("4. ")
        more_first = replies[1][1]["contents"]["contents"][0]["footer"]["contents"][-1]["action"]["uri"]
        assert replies[2][1]["contents"]["contents"][0]["footer"]["contents"][-1]["action"]["uri"] == more_first
    finally:
        close_app(a)
        close_app(b)


def test_without_both_line_settings_the_webhook_does_not_exist(tmp_path):
    for config in ({}, {"LINE_CHANNEL_SECRET": L.SECRET}, {"LINE_CHANNEL_ACCESS_TOKEN": L.TOKEN}):
        app = create_app({"TESTING": True, "DATA_HOME": str(tmp_path), **config})
        body = L.payload(L.text("創業したい"))
        response = app.test_client().post("/line/webhook", data=body, headers={"X-Line-Signature": L.sign(body)})
        assert response.status_code == 404 and "line" not in app.extensions
        assert "line" not in app.test_client().get("/api/health").get_json()


@pytest.mark.parametrize("key, value", [("PUBLIC_URL", "shien.example.jp"), ("PUBLIC_URL", "ftp://shien.example.jp"),
                                        ("LINE_API_URL", "127.0.0.1:8080")])
def test_a_url_setting_that_is_not_an_http_url_stops_the_start(tmp_path, key, value):
    from web.settings import StartupError
    with pytest.raises(StartupError, match=f"SHIEN_NAVI_{key}"):
        create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "LINE_CHANNEL_SECRET": L.SECRET,
                    "LINE_CHANNEL_ACCESS_TOKEN": L.TOKEN, key: value})
