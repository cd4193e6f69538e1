"""The dialogue on the terminal: `shien-navi ask` (one message) and `shien-navi chat` (a conversation).

Both render the same Reply parts the web page renders. A conversation keeps the reply's
`context` and sends it with the next message, as the page does, so 「もっと」 and
「2番目を詳しく」 work; one message cannot, so `ask` leaves out the suggestions that only
mean something after its reply and points to `chat` instead.

History lives in memory for the conversation only: what a visitor tells the desk may be
personal, so nothing is written to disk.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable, Iterable, Mapping

from assistant.models import Intent, Reply
from assistant.render import render_text
from web.display import strip_bidi
from web.requests import MESSAGE_MAX_CHARS

Respond = Callable[[str, Mapping[str, Any] | None], Reply]

PROMPT = "相談> "
QUIT_WORDS = frozenset({"終了", "おわり", "exit", "quit"})
RESTART_WORDS = frozenset({"最初から", "はじめから"})
WELCOME = ("ふくしま支援ナビ(端末版)。困りごとを普段の言葉で書いて Enter を押してください。\n"
           "「もっと」「2番目を詳しく」で続けて聞けます。↑↓ で前の入力、Tab で候補を補います。"
           "「最初から」でやり直し、「終了」か Ctrl-D で終わります。")
RESTARTED = "最初からにしました。困りごとを書いてください。"


class MessageRefused(ValueError):
    """A message the API would refuse with a 400; the text says why, as the API does."""


def checked_message(raw: str) -> str:
    """The message as the API takes it: bidi controls removed, not empty, not over-long."""
    message = strip_bidi(raw)
    if not message.strip():
        raise MessageRefused("メッセージが空です。困りごとを書いてください。")
    if len(message) > MESSAGE_MAX_CHARS:
        raise MessageRefused(f"メッセージが長すぎます({MESSAGE_MAX_CHARS} 文字まで)。")
    return message


def stands_alone(respond: Respond, suggestion: str) -> bool:
    """Whether the dialogue answers a suggestion without the conversation it came from.

    「もっと」 then asks for a need and 「2番目を詳しく」 finds nothing: both only continue a reply.
    """
    reply = respond(suggestion, None)
    return reply.intent.answered and reply.intent != Intent.MORE


def render_reply(reply: Reply, suggestions: Iterable[str] | None = None) -> str:
    """The reply's parts as text: lead, details, numbered programs with desks and phones, follow-up, suggestions."""
    shown = tuple(reply.suggestions if suggestions is None else suggestions)
    text = render_text(reply)
    return f"{text}\n\n候補: {' / '.join(shown)}" if shown else text


def render_single(respond: Respond, reply: Reply) -> str:
    """The reply to one message (`ask`): what needs the conversation is left out, with a pointer to `chat`."""
    standalone = [s for s in reply.suggestions if stands_alone(respond, s)]
    continuing = [s for s in reply.suggestions if s not in standalone]
    if not continuing:
        return render_reply(reply)
    follow_up = reply.follow_up
    if follow_up and any(f"「{s}」" in follow_up for s in continuing):
        follow_up = None  # it tells to send one of them, which one message cannot do
    text = render_reply(dataclasses.replace(reply, follow_up=follow_up), standalone)
    asks = "".join(f"「{s}」" for s in continuing)
    return f"{text}\n\n{asks}と続けて聞くには、会話で: shien-navi chat"


class Conversation:
    """One terminal conversation: the context of the last reply goes with the next message."""

    def __init__(self, respond: Respond):
        self.respond = respond
        self.context: Mapping[str, Any] | None = None
        self.suggestions: tuple[str, ...] = ()

    def turn(self, line: str) -> str:
        """Answer one line as text; a refused line leaves the conversation as it was."""
        words = line.strip()
        if words in RESTART_WORDS:
            self.context, self.suggestions = None, ()
            return RESTARTED
        try:
            message = checked_message(line)
        except MessageRefused as refused:
            return str(refused)
        reply = self.respond(message, self.context)
        self.context, self.suggestions = reply.context, reply.suggestions
        return render_reply(reply)


def enable_line_editing(conversation: Conversation) -> None:
    """Arrow keys, history and Tab completion of the last reply's suggestions (GNU readline or libedit)."""
    try:
        import readline
    except ImportError:  # a Python built without it still chats, without editing
        return

    def complete(text: str, state: int) -> str | None:
        options = [s for s in conversation.suggestions if s.startswith(text)]
        return options[state] if state < len(options) else None

    readline.set_completer_delims("")  # complete the whole line: suggestions contain no separators
    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")
    readline.set_history_length(1000)


def converse(conversation: Conversation, read: Callable[[str], str], write: Callable[[str], None]) -> int:
    """Read lines until 終了 or end of input, answering each; Ctrl-C drops the line being typed."""
    write(WELCOME)
    while True:
        try:
            line = read(PROMPT)
        except EOFError:
            write("")
            return 0
        except KeyboardInterrupt:
            write("")
            continue
        if line.strip() in QUIT_WORDS:
            return 0
        if line.strip():
            write(conversation.turn(line) + "\n")
