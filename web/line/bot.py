"""Carry out LINE events off the webhook's request: claim, plan, answer, remember, reply, log.

The webhook only verifies, parses and hands events over, so LINE gets its 200 at once. Each
chat's events go to the same worker thread, in order, so 「もっと」 always finds the state the
previous turn saved. Nothing here raises: a failure of LINE or of the database is logged and
the next event is served.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from flask import Flask

from assistant.dialogue import respond
from web.display import strip_bidi
from web.line import events as ev
from web.line import texts
from web.line.client import LineClient
from web.line.messages import line_with_chips, need_chips, reply_messages
from web.line.state import LineState, StateUnavailable
from web.pages import COMMON_NEEDS
from web.privacy import mask
from web.requests import MESSAGE_MAX_CHARS

log = logging.getLogger(__name__)

WORKERS = 2        # threads answering LINE events per process
MAX_PENDING = 500  # events waiting per process; more are dropped (counted) rather than held


class LineBot:
    def __init__(self, app: Flask, state: LineState, client: LineClient, public_url: str | None) -> None:
        self.app, self.state, self.client, self.public_url = app, state, client, public_url
        self.dropped = 0
        self._lock = threading.Lock()
        self._pid = 0
        self._workers: list[ThreadPoolExecutor] = []
        self._pending: set[Future] = set()

    # Hand-over ----------------------------------------------------------------------------------
    def _pool(self, route: str) -> ThreadPoolExecutor:
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    self._workers = [ThreadPoolExecutor(1, thread_name_prefix=f"line-{i}") for i in range(WORKERS)]
                    self._pending, self._pid = set(), os.getpid()
        return self._workers[int(hashlib.sha256(route.encode()).hexdigest(), 16) % WORKERS]

    def submit(self, events: list[Any]) -> None:
        """Queue events for the workers, one chat's events on one worker in order."""
        for event in events:
            chat = ev.chat_of(event)
            route = (f"{chat.kind}:{chat.chat_id}" if chat.is_group else f"user:{chat.user_id}") if chat else ""
            pool = self._pool(route)
            with self._lock:
                if len(self._pending) >= MAX_PENDING:
                    self.dropped += 1
                    log.warning("LINE event dropped: %d waiting", len(self._pending), extra={"line_dropped": self.dropped})
                    continue
                future = pool.submit(self.handle, event)
                self._pending.add(future)
            future.add_done_callback(self._done)

    def _done(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event has been handled; False when the time ran out first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._pending:
                    return True
            time.sleep(0.01)
        return False

    def health(self) -> dict[str, Any]:
        return {"line": "degraded" if self.state.failing else "ok", "line_reply_failures": self.client.failures,
                "line_dropped": self.dropped}

    # One event ----------------------------------------------------------------------------------
    def handle(self, event: Any) -> None:
        """Answer one event at most once; log, never raise."""
        try:
            if not self.state.claim(event.webhook_event_id):
                log.info("LINE event %s already answered (redelivery)", event.webhook_event_id)
                return
            with self.app.app_context():
                self._carry_out(event, ev.plan(event))
        except Exception:  # noqa: BLE001 - one bad event must not stop the worker
            log.exception("LINE event %s failed", getattr(event, "webhook_event_id", "?"))

    def _carry_out(self, event: Any, plan: ev.Plan) -> None:
        chat = ev.chat_of(event)
        token = getattr(event, "reply_token", None)
        if plan.action == ev.FORGET:
            self._forget(chat)
        elif plan.action == ev.IGNORE or not token:
            return
        elif plan.action == ev.ANSWER:
            self._answer(chat, token, plan.text or "")
        elif plan.action == ev.WELCOME:
            self.client.reply(token, line_with_chips(texts.WELCOME, self._chips()))
        elif plan.action == ev.JOIN:
            self.client.reply(token, line_with_chips(texts.GROUP_JOIN, self._chips()))
        elif plan.action == ev.POLITE:
            self.client.reply(token, line_with_chips(texts.polite(plan.text or ""), self._chips()))

    def _chips(self) -> list[tuple[str, str]]:
        return need_chips(self.app.extensions["knowledge"], COMMON_NEEDS)

    def _answer(self, chat: ev.Chat, token: str, text: str) -> None:
        """Run the dialogue with the chat's saved context, save the new one, reply, log the turn."""
        message = "".join(ch for ch in strip_bidi(text) if not "\ud800" <= ch <= "\udfff").strip()  # no lone surrogates
        if not message:
            self.client.reply(token, line_with_chips(texts.WELCOME, self._chips()))
            return
        if len(message) > MESSAGE_MAX_CHARS:
            self.client.reply(token, line_with_chips(texts.TOO_LONG.format(limit=MESSAGE_MAX_CHARS), self._chips()))
            return
        keys = self.state.keys(chat)
        context = self._load(keys[0]) if keys else None
        reply = respond(self.app.extensions["assistant"], message, context)
        if keys:  # the need is the owner's own words: masked like the log, as it waits in the database
            context = dict(reply.context)
            if isinstance(context.get("need"), str):
                context["need"] = mask(context["need"], self.app.extensions["assistant"].tokenizer)
            self._save(*keys, context)
        self.client.reply(token, reply_messages(reply, self.public_url))
        self.app.extensions["turn_hooks"].run(message, reply, channel="line")

    def _load(self, key: str) -> dict[str, Any] | None:
        try:
            return self.state.load(key)
        except StateUnavailable as exc:
            log.warning("LINE state not read (%s): answering without it", exc)
            return None

    def _save(self, key: str, owner: str, context: dict[str, Any]) -> None:
        try:
            self.state.save(key, owner, context)
        except StateUnavailable as exc:
            log.warning("LINE state not saved (%s)", exc)

    def _forget(self, chat: ev.Chat | None) -> None:
        """Unfollow: delete the user's conversation; leave: the group's or room's."""
        keys = self.state.keys(chat) if chat else None
        if keys is None:
            return
        try:
            gone = self.state.forget(keys[1])
            log.info("LINE %s left: %d conversation(s) deleted", chat.kind, gone)
        except StateUnavailable as exc:
            log.warning("LINE state not deleted now (%s); it expires on its own", exc)

    def close(self) -> None:
        for pool in self._workers if self._pid == os.getpid() else ():
            pool.shutdown(wait=False, cancel_futures=True)
        self.state.close()
