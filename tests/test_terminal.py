"""The terminal channel (web/terminal.py): `shien-navi ask` and the `shien-navi chat` conversation."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from assistant.dialogue import respond
from assistant.engine import Assistant
from web.requests import MESSAGE_MAX_CHARS
from web.terminal import Conversation, MessageRefused, checked_message, render_single, stands_alone

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def talk(knowledge):
    """The dialogue as the terminal calls it: (message, context) → Reply."""
    assistant = Assistant(knowledge)
    return lambda message, context: respond(assistant, message, context)


def names(reply) -> list[str]:
    return [h.program.name for h in reply.hits]


def test_a_conversation_carries_the_context_so_more_and_the_n_th_work(talk):
    conversation = Conversation(talk)
    first = talk("創業したい", None)
    second = talk("もっと", first.context)
    assert len(first.hits) == 3 and second.hits  # the need has more than one page
    text = conversation.turn("創業したい")
    assert text.startswith(first.lead) and f"1. {names(first)[0]}" in text
    assert "候補: もっと" in text
    more = conversation.turn("もっと")
    assert f"4. {names(second)[0]}" in more and names(first)[0] not in more  # numbered on, the next page
    detail = conversation.turn("5番目を詳しく")
    program = second.hits[1].program
    assert program.name in detail and program.description.splitlines()[0] in detail
    assert all(n in detail for c in program.contacts for n in c.phones)  # every desk's number, from the data


def test_restart_clears_the_conversation_and_a_refused_line_keeps_it(talk):
    conversation = Conversation(talk)
    conversation.turn("後継者がいない")
    kept = conversation.context
    assert "空です" in conversation.turn("\u202e \u2066")
    assert "長すぎます" in conversation.turn("あ" * (MESSAGE_MAX_CHARS + 1))
    assert conversation.context == kept
    assert "最初から" in conversation.turn("最初から") and conversation.context is None
    assert "まずお困りごとを" in conversation.turn("もっと")  # no need any more to continue


@pytest.mark.parametrize("raw", ["", "   ", "\u202e", "\u2066\u2069 "])
def test_an_empty_message_is_refused_like_the_api(raw):
    with pytest.raises(MessageRefused, match="空です"):
        checked_message(raw)


ONE_SHOT = ("創業したい", "後継ぎがいない", "電気代を下げたい", "よろず支援拠点の電話番号", "こんにちは", "住民票がほしい")


@pytest.mark.parametrize("message", ONE_SHOT)
def test_ask_suggests_only_what_one_message_can_answer(talk, message):
    reply = talk(message, None)
    text = render_single(talk, reply)
    [line] = [x for x in text.splitlines() if x.startswith("候補: ")] or [""]
    offered = line.removeprefix("候補: ").split(" / ") if line else []
    assert "もっと" not in offered and not any(re.search(r"\d+番目", s) for s in offered)
    for suggestion in offered:
        assert stands_alone(talk, suggestion) and suggestion in reply.suggestions
    left_out = [s for s in reply.suggestions if s not in offered]
    if left_out:  # they are named, with the way to ask them
        assert text.splitlines()[-1] == "".join(f"「{s}」" for s in left_out) + "と続けて聞くには、会話で: shien-navi chat"
        assert "と送ると" not in text
    assert text.startswith(reply.lead)


def test_the_one_shot_reply_of_a_broad_need_points_to_chat(talk):
    reply = talk("創業したい", None)
    assert "もっと" in reply.suggestions  # the need has more programs than one page
    assert "shien-navi chat" in render_single(talk, reply)


def spawn_chat() -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "PYTHONPATH": str(ROOT)}
    return pexpect.spawn(sys.executable, ["-m", "web.cli", "chat"], cwd=str(ROOT), env=env, encoding="utf-8",
                         timeout=60, dimensions=(50, 200))


def answer(chat: pexpect.spawn, line: str) -> str:
    """Type a line, return what the chat printed before its next prompt."""
    chat.sendline(line)
    chat.expect_exact("相談> ")
    return chat.before


def test_chat_through_a_pseudo_terminal_follows_more_and_the_n_th(talk):
    first = talk("創業したい", None)
    detail = talk("2番目を詳しく", first.context)
    more = talk("もっと", detail.context)
    page3 = talk("もっと", more.context)
    chat = spawn_chat()
    try:
        chat.expect_exact("相談> ")
        shown = answer(chat, "創業したい")
        assert first.lead in shown and "1. " + names(first)[0] in shown and "3. " + names(first)[2] in shown
        assert "候補: もっと / 1番目の電話番号は？ / 2番目を詳しく" in shown
        shown = answer(chat, "2番目を詳しく")
        assert detail.lead in shown and first.hits[1].program.name in shown
        assert all(n in shown for c in first.hits[1].program.contacts for n in c.phones)
        shown = answer(chat, "もっと")
        assert "4. " + names(more)[0] in shown and "1. " not in shown
        # line editing: ↑ recalls もっと (the history), ← moves inside the line being typed
        chat.send("\x1b[A\r")
        chat.expect_exact("相談> ")
        assert "7. " + names(page3)[0] in chat.before
        chat.send("8番目を詳く\x1b[Dし\r")  # typed 詳く, went back one, inserted し
        chat.expect_exact("相談> ")
        assert talk("8番目を詳しく", page3.context).lead in chat.before
        chat.sendeof()
        chat.expect(pexpect.EOF)
    finally:
        chat.close()
    assert chat.exitstatus == 0
