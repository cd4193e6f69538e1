"""LINE messages built from the dialogue's reply parts: within LINE's limits, numbers from the data."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from linebot.v3.messaging import ReplyMessageRequest

from assistant.dialogue import respond
from assistant.engine import Assistant
from assistant.evaluation import load_queries
from assistant.replies import first_contact
from line_limits import tel_numbers, violations
from web.line.messages import (
    CHIP_PREFIX, MAX_BUBBLES, chip_action, chip_message, clip, line_with_chips, need_chips, quick_reply, reply_messages,
    tel_uri,
)
from web.pages import COMMON_NEEDS

PUBLIC = "https://shien.example.jp"
DEV_QUERIES = Path(__file__).resolve().parent / "data" / "dev_queries.tsv"
FOLLOW_UPS = ("もっと", "2番目を詳しく", "1番目の電話番号は？", "市の制度はどれ？", "それはどこに申し込むの？")
MORE_MESSAGES = ("人材の支援を一覧で", "創業の支援を一覧で", "産業雇用政策課", "よろず支援拠点の電話番号", "創業者数の目標は？",
                 "こんにちは", "使い方", "住民票がほしい", "ぴよぴよ", "補助金ありますか", "締め切りは？", "ありがとう")


@pytest.fixture(scope="module")
def assistant(knowledge):
    return Assistant(knowledge)


def conversations(assistant):
    """Every dev query, each followed by the follow-ups, plus the other kinds of turn: (message, reply)."""
    for query in [q.text for q in load_queries(DEV_QUERIES)]:
        reply = respond(assistant, query, None)
        yield query, reply
        for follow in FOLLOW_UPS:
            yield follow, respond(assistant, follow, reply.context)
    for message in MORE_MESSAGES:
        yield message, respond(assistant, message, None)


@pytest.fixture(scope="module")
def built(assistant):
    return [(message, reply, reply_messages(reply, PUBLIC)) for message, reply in conversations(assistant)]


def test_every_message_built_for_the_dev_queries_fits_lines_limits(built):
    assert len(built) > 500
    problems = {m: v for m, _, messages in built if (v := violations(messages))}
    assert not problems, json.dumps(dict(list(problems.items())[:5]), ensure_ascii=False)


def test_the_limits_check_catches_what_line_refuses():
    text = {"type": "text", "text": "x" * 5001}
    assert violations([text]) and violations([{"type": "text", "text": "a"}] * 6)
    too_many = quick_reply((f"ラベル{i}", f"メッセージ{i}") for i in range(20))
    assert len(too_many["items"]) == 13
    assert violations([{"type": "text", "text": "a", "quickReply": {"items": too_many["items"] * 2}}])
    assert violations([{"type": "text", "text": "a", "quickReply": {"items": [
        {"type": "action", "action": {"type": "postback", "label": "x" * 21, "data": "d", "displayText": "d"}}]}}])
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": ""}]}}
    assert violations([{"type": "flex", "altText": "a", "contents": {"type": "carousel", "contents": [bubble]}}])


def test_the_sdk_takes_every_built_reply_unchanged(built):
    def canonical(obj):
        return json.dumps(obj, ensure_ascii=False, sort_keys=True)
    for message, _, messages in built[::7]:
        request = ReplyMessageRequest.from_dict({"replyToken": "t", "messages": messages})
        assert canonical(request.to_dict()["messages"]) == canonical(messages), message


def test_every_tel_uri_is_a_number_the_card_prints_for_its_program(built, knowledge):
    numbers = {tel_uri(n)[4:] for n in knowledge.all_phone_numbers()}
    checked = 0
    for message, reply, messages in built:
        assert set(tel_numbers(messages)) <= numbers, message
        if len(messages) < 2 or not reply.hits:
            continue
        for hit, bubble in zip(reply.hits, messages[1]["contents"]["contents"]):
            printed = {tel_uri(n)[4:] for n in hit.program.phones}
            assert set(tel_numbers(bubble)) <= printed, (message, hit.program.id)
            first = first_contact(hit.program)
            if first is not None and first.phones:
                call = bubble["footer"]["contents"][0]["action"]
                assert call["label"] == "電話する" and call["uri"] == tel_uri(first.phones[0])
                assert f"TEL {first.phones[0]}" in json.dumps(bubble["body"], ensure_ascii=False)
                checked += 1
    assert checked > 300


def test_a_need_reply_is_the_lead_then_one_card_per_program_with_badge_and_detail_link(assistant):
    reply = respond(assistant, "創業したい", None)
    text, flex = reply_messages(reply, PUBLIC)
    assert text["text"].startswith(reply.lead) and "まずは" in text["text"]
    bubbles = flex["contents"]["contents"]
    assert len(bubbles) == len(reply.hits) == 3
    for n, (hit, bubble) in enumerate(zip(reply.hits, bubbles), start=1):
        body = json.dumps(bubble["body"], ensure_ascii=False)
        assert f"{n}. {hit.program.name}" in body
        badge = bubble["body"]["contents"][0]["contents"][0]["contents"][0]["text"]
        assert badge == hit.program.contacts[0].contact.level
        detail = bubble["footer"]["contents"][-1]["action"]
        assert detail == {"type": "uri", "label": "詳しく", "uri": f"{PUBLIC}/programs/{hit.program.id}"}
    labels = [i["action"]["label"] for i in flex["quickReply"]["items"]]
    assert labels == list(reply.suggestions) and "quickReply" not in text


def test_cards_after_more_are_numbered_from_where_the_list_went_on(assistant):
    first = respond(assistant, "創業したい", None)
    more = respond(assistant, "もっと", first.context)
    names = [b["body"]["contents"][1]["text"] for b in reply_messages(more, PUBLIC)[1]["contents"]["contents"]]
    assert names[0].startswith("4. ")


def test_without_a_public_url_the_detail_button_asks_the_dialogue(assistant, knowledge):
    reply = respond(assistant, "後継者がいない", None)
    detail = reply_messages(reply, None)[1]["contents"]["contents"][0]["footer"]["contents"][-1]["action"]
    assert detail["type"] == "postback" and detail["label"] == "詳しく"
    follow = respond(assistant, chip_message(detail["data"]), reply.context)
    assert follow.hits[0].program.id == reply.hits[0].program.id and follow.body


def test_a_category_list_shows_at_most_twelve_cards_and_every_program_in_the_text(assistant):
    reply = respond(assistant, "人材の支援を一覧で", None)
    assert len(reply.hits) > MAX_BUBBLES
    text, flex = reply_messages(reply, PUBLIC)
    assert len(flex["contents"]["contents"]) == MAX_BUBBLES
    assert all(h.program.name in text["text"] for h in reply.hits)


def test_a_desk_reply_is_a_desk_card_with_its_numbers(assistant, knowledge):
    reply = respond(assistant, "産業雇用政策課", None)
    [desk] = reply.desks
    text, flex = reply_messages(reply, PUBLIC)
    assert desk.name in text["text"]
    [bubble] = flex["contents"]["contents"]
    assert tel_numbers(bubble) == [tel_uri(p.number)[4:] for p in desk.phones][:4]


def test_replies_without_programs_or_desks_are_text_only_with_chips(assistant):
    reply = respond(assistant, "こんにちは", None)
    [message] = reply_messages(reply, PUBLIC)
    assert message["type"] == "text" and len(message["quickReply"]["items"]) == len(reply.suggestions)


@pytest.mark.parametrize("label, message", [("創業・起業", "創業したい"), ("x" * 30, "y" * 400)])
def test_a_chip_is_a_postback_carrying_its_message(label, message):
    action = chip_action(label, message)
    assert len(action["label"]) <= 20 and len(action["data"]) <= 300 and len(action["displayText"]) <= 300
    assert action["data"].startswith(CHIP_PREFIX) and chip_message(action["data"]) == action["displayText"]
    assert message.startswith(chip_message(action["data"]).rstrip("…"))


def test_chip_message_ignores_other_postback_data():
    assert chip_message("action=buy") is None and chip_message(CHIP_PREFIX) is None


def test_the_welcome_offers_the_needs_as_quick_replies_common_ones_first(knowledge):
    [message] = line_with_chips("ようこそ", need_chips(knowledge, COMMON_NEEDS))
    items = message["quickReply"]["items"]
    assert len(items) == 13 and not violations([message])
    tags = {t.id: t for t in knowledge.vocabulary.tags}
    assert [i["action"]["displayText"] for i in items[:4]] == [tags[n].chip for n in COMMON_NEEDS]
    assert [i["action"]["label"] for i in items[:4]] == [tags[n].label for n in COMMON_NEEDS]


def test_clip_and_tel_uri():
    assert clip("あいうえお", 5) == "あいうえお" and clip("あいうえおか", 5) == "あいうえ…"
    assert tel_uri("024-525-3720") == "tel:0245253720" and tel_uri("0120-541-516") == "tel:0120541516"


def test_the_json_examples_in_docs_line_md_are_what_line_takes(knowledge):
    import re

    from linebot.v3.messaging import RichMenuRequest

    from web.line import texts
    doc = (Path(__file__).resolve().parents[1] / "docs" / "line.md").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)\n```", doc, re.S)]
    replies = [b for b in blocks if isinstance(b, list)]
    assert len(replies) == 5
    for messages in replies:
        assert not violations(messages)
        ReplyMessageRequest.from_dict({"replyToken": "t", "messages": messages})
    [menu] = [b for b in blocks if isinstance(b, dict) and "areas" in b]
    RichMenuRequest.from_dict(menu)
    numbers = {tel_uri(n)[4:] for n in knowledge.all_phone_numbers()}
    assert set(tel_numbers(replies)) <= numbers and tel_numbers(replies)
    for line in (texts.WELCOME, texts.GROUP_JOIN, texts.polite("sticker")):
        assert json.dumps(line, ensure_ascii=False) in doc
