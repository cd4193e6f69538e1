"""What each LINE event calls for, decided without any network or database."""
from __future__ import annotations

import pytest
from linebot.v3 import WebhookParser

import line_standin as L
from web.line.events import ANSWER, FORGET, IGNORE, JOIN, POLITE, WELCOME, Chat, Plan, chat_of, plan

ROOM = {"type": "room", "roomId": "R" + "0" * 32, "userId": "U" + "3" * 32}


def parsed(event: dict):
    """The event as the SDK's parser hands it to the app (signature checked as in production)."""
    body = L.payload(event)
    [typed] = WebhookParser(L.SECRET).parse(body.decode(), L.sign(body))
    return typed


CASES = [
    (L.text("創業したい"), Plan(ANSWER, "創業したい")),
    (L.text("創業したい", L.group()), Plan(IGNORE)),                                             # no mention
    (L.text("@田中 創業したい", L.group(), [L.other_mention(0, 3)]), Plan(IGNORE)),              # someone else's
    (L.text("@ふくしま支援ナビ 創業したい", L.group(), [L.self_mention(0, 9)]), Plan(ANSWER, "創業したい")),
    (L.text("後継者が @ふくしま支援ナビ いない", L.group(), [L.self_mention(5, 9)]), Plan(ANSWER, "後継者が  いない")),
    (L.text("@ふくしま支援ナビ 人手不足", ROOM, [L.self_mention(0, 9)]), Plan(ANSWER, "人手不足")),
    (L.postback("chip:もっと"), Plan(ANSWER, "もっと")),
    (L.postback("chip:2番目を詳しく", L.group()), Plan(ANSWER, "2番目を詳しく")),               # chips work in groups
    (L.postback("richmenu=1"), Plan(IGNORE)),
    (L.non_text("sticker"), Plan(POLITE, "sticker")),
    (L.non_text("image"), Plan(POLITE, "image")),
    (L.non_text("location"), Plan(POLITE, "location")),
    (L.non_text("audio"), Plan(POLITE, "audio")),
    (L.non_text("sticker", L.group()), Plan(IGNORE)),
    (L.follow(), Plan(WELCOME)),
    (L.unfollow(), Plan(FORGET)),
    (L.event("join", L.group()), Plan(JOIN)),
    (L.event("leave", L.group(), reply_token=False), Plan(FORGET)),                              # removed from a group
    ({**L.text("創業したい"), "mode": "standby"}, Plan(IGNORE)),                                  # another channel answers
    (L.event("memberJoined", L.group(), joined={"members": [L.user()]}), Plan(IGNORE)),
    (L.event("somethingNew"), Plan(IGNORE)),                                                       # unknown to the SDK
]


@pytest.mark.parametrize("event, expected", CASES, ids=[f"{i}-{c[0]['type']}" for i, c in enumerate(CASES)])
def test_plan(event, expected):
    assert plan(parsed(event)) == expected


def test_chat_names_the_speaker_and_the_group():
    assert chat_of(parsed(L.text("a"))) == Chat("user", L.user()["userId"])
    assert chat_of(parsed(L.text("a", L.group("C1", "U2")))) == Chat("group", "U2", "C1")
    assert chat_of(parsed(L.text("a", ROOM))) == Chat("room", ROOM["userId"], ROOM["roomId"])
