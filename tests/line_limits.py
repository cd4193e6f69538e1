"""LINE's documented limits for what a reply may hold, as an independent check of built messages.

From the Messaging API reference: at most 5 messages per reply; a text of 1–5,000 characters; a
Flex message's altText of 1–1,500; a carousel of 1–12 bubbles and at most 50 KB of JSON, a bubble
at most 30 KB; quick reply at most 13 items; action labels at most 20 characters (40 on a Flex
button); postback data and displayText at most 300; a URI at most 1,000 with the http, https,
line or tel scheme. Flex text components may not be empty.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

SCHEMES = ("http://", "https://", "line://", "tel:")


def size(obj: Any) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode())


def actions(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every action object under node, with where it sits (quickReply or flex)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "action" and isinstance(value, dict):
                yield where, value
            yield from actions(value, "quickReply" if key == "quickReply" else where)
    elif isinstance(node, list):
        for item in node:
            yield from actions(item, where)


def flex_texts(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "text" and "text" in node and "layout" not in node:
            yield node
        for value in node.values():
            yield from flex_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from flex_texts(item)


def action_problems(where: str, action: dict[str, Any]) -> list[str]:
    problems = []
    label_max = 40 if where == "flex" else 20
    if not action.get("label") or len(action["label"]) > label_max:
        problems.append(f"{where} label {action.get('label')!r} not 1–{label_max} characters")
    kind = action.get("type")
    if kind == "uri":
        uri = action.get("uri", "")
        if len(uri) > 1000 or not uri.startswith(SCHEMES):
            problems.append(f"uri {uri!r}")
        if uri.startswith("tel:") and not re.fullmatch(r"tel:\d{10,11}", uri):
            problems.append(f"tel uri {uri!r} is not a Japanese number")
    elif kind == "postback":
        if not 1 <= len(action.get("data", "")) <= 300 or len(action.get("displayText", "")) > 300:
            problems.append(f"postback {action!r}")
        if where == "quickReply" and not action.get("displayText"):
            problems.append("a quick reply postback shows no text")
    elif kind == "message":
        if not 1 <= len(action.get("text", "")) <= 300:
            problems.append(f"message action {action!r}")
    else:
        problems.append(f"unexpected action type {kind!r}")
    return problems


def violations(messages: list[dict[str, Any]]) -> list[str]:
    """Everything in a reply's messages that LINE would refuse (empty when it fits)."""
    problems = []
    if not 1 <= len(messages) <= 5:
        problems.append(f"{len(messages)} messages in one reply")
    for i, m in enumerate(messages):
        if m.get("type") == "text":
            if not 1 <= len(m.get("text", "")) <= 5000:
                problems.append(f"text of {len(m.get('text', ''))} characters")
        elif m.get("type") == "flex":
            if not 1 <= len(m.get("altText", "")) <= 1500:
                problems.append("altText length")
            contents = m["contents"]
            bubbles = contents["contents"] if contents.get("type") == "carousel" else [contents]
            if not 1 <= len(bubbles) <= 12:
                problems.append(f"{len(bubbles)} bubbles")
            if size(contents) > 50_000:
                problems.append(f"carousel of {size(contents)} bytes")
            problems += [f"bubble of {size(b)} bytes" for b in bubbles if size(b) > 30_000]
            problems += [f"empty text in a bubble: {t!r}" for t in flex_texts(contents) if not t["text"]]
        else:
            problems.append(f"message type {m.get('type')!r}")
        quick = m.get("quickReply")
        if quick is not None:
            if i != len(messages) - 1:
                problems.append("quick reply on a message that is not the last")
            if not 1 <= len(quick["items"]) <= 13:
                problems.append(f"{len(quick['items'])} quick reply items")
    for where, action in actions(messages, "flex"):
        problems += action_problems(where, action)
    return problems


def tel_numbers(node: Any) -> list[str]:
    """The digits of every tel: URI under node."""
    return [a["uri"][4:] for _, a in actions(node) if a.get("type") == "uri" and a["uri"].startswith("tel:")]
