"""What to do with one LINE webhook event: a pure decision over the SDK's typed event.

The table reads top to bottom; the first row whose condition holds decides. Nothing here
touches the network or the database: web/line/bot.py carries the plan out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from linebot.v3.webhooks import (
    FollowEvent, GroupSource, JoinEvent, LeaveEvent, MessageEvent, PostbackEvent, RoomSource, TextMessageContent,
    UnfollowEvent, UserMentionee, UserSource,
)

from web.line.messages import chip_message
from web.line.texts import NON_TEXT

ANSWER, WELCOME, JOIN, POLITE, FORGET, IGNORE = "answer", "welcome", "join", "polite", "forget", "ignore"


@dataclass(frozen=True)
class Chat:
    """Where an event came from: a one-to-one chat, or a group or room (with the speaker when LINE names one)."""
    kind: str                 # "user", "group" or "room"
    user_id: str | None
    chat_id: str | None = None  # the group's or room's id

    @property
    def is_group(self) -> bool:
        return self.kind != "user"


@dataclass(frozen=True)
class Plan:
    action: str
    text: str | None = None   # the message to answer (ANSWER) or the kind of message (POLITE)


def chat_of(event: Any) -> Chat | None:
    source = getattr(event, "source", None)
    if isinstance(source, UserSource):
        return Chat("user", source.user_id)
    if isinstance(source, GroupSource):
        return Chat("group", source.user_id, source.group_id)
    if isinstance(source, RoomSource):
        return Chat("room", source.user_id, source.room_id)
    return None


def without_own_mentions(message: TextMessageContent) -> str | None:
    """The text with every mention of this account cut out; None when the account is not mentioned."""
    mentions = [m for m in (message.mention.mentionees if message.mention else ())
                if isinstance(m, UserMentionee) and m.is_self]
    if not mentions:
        return None
    text = message.text
    for m in sorted(mentions, key=lambda m: m.index, reverse=True):
        text = text[:m.index] + text[m.index + m.length:]
    return text.strip()


def _text_plan(event: MessageEvent, chat: Chat) -> Plan:
    text = without_own_mentions(event.message) if chat.is_group else event.message.text
    return Plan(ANSWER, text) if text is not None else Plan(IGNORE)


def _chip_plan(event: PostbackEvent, chat: Chat) -> Plan:
    message = chip_message(event.postback.data)
    return Plan(ANSWER, message) if message else Plan(IGNORE)


def _is_text(e: Any, c: Chat) -> bool:
    return isinstance(e, MessageEvent) and isinstance(e.message, TextMessageContent)


def _is_other_message(e: Any, c: Chat) -> bool:
    return isinstance(e, MessageEvent) and not c.is_group and getattr(e.message, "type", None) in NON_TEXT


Row = tuple[Callable[[Any, Chat], bool], Callable[[Any, Chat], Plan]]
RULES: tuple[Row, ...] = (
    (lambda e, c: getattr(e, "mode", "active") == "standby", lambda e, c: Plan(IGNORE)),  # another channel answers
    (_is_text, _text_plan),                                          # text (in a group: only when mentioned)
    (lambda e, c: isinstance(e, PostbackEvent), _chip_plan),         # a chip tapped: that chip's message
    (_is_other_message, lambda e, c: Plan(POLITE, e.message.type)),  # sticker, photo, location, voice…
    (lambda e, c: isinstance(e, FollowEvent), lambda e, c: Plan(WELCOME)),   # added as a friend
    (lambda e, c: isinstance(e, UnfollowEvent), lambda e, c: Plan(FORGET)),  # blocked: delete what is kept
    (lambda e, c: isinstance(e, JoinEvent), lambda e, c: Plan(JOIN)),        # invited to a group or room
    (lambda e, c: isinstance(e, LeaveEvent), lambda e, c: Plan(FORGET)),     # removed from it: delete its conversation
)


def plan(event: Any) -> Plan:
    """Decide what one event calls for."""
    chat = chat_of(event)
    if chat is None:
        return Plan(IGNORE)
    for when, then in RULES:
        if when(event, chat):
            return then(event, chat)
    return Plan(IGNORE)
