"""Callbacks run after each chat turn (e.g. the conversation log), on every channel (web, line).

A failing hook is logged and swallowed: recording a turn must never break an answer.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

log = logging.getLogger(__name__)

TurnHook = Callable[..., None]  # hook(message, reply, channel="web")


class TurnHooks:
    def __init__(self) -> None:
        self._hooks: list[TurnHook] = []

    def add(self, hook: TurnHook) -> None:
        self._hooks.append(hook)

    def run(self, message: str, reply: Any, channel: str = "web") -> None:
        for hook in self._hooks:
            try:
                hook(message, reply, channel=channel)
            except Exception:  # noqa: BLE001 - a hook must not break the answer
                log.exception("turn hook %r failed", getattr(hook, "__name__", hook))
