"""LINE's conversation state and the events already answered, in the store's database.

LINE does not carry the dialogue's `context`, so it is kept here, where every instance sharing
the database finds it. Rows are keyed by an HMAC of the LINE ids under the channel secret: the
raw user id is never stored. The state is forgotten after LINE_IDLE without a turn.

Everything runs on this module's own engine and threads with short timeouts, so a slow or
frozen database makes LINE forget the context for a while and nothing else; the callers treat
StateUnavailable as "no state".
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from typing import Any, Callable

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from web.line.events import Chat
from web.store import LINE_IDLE, _make_engine, line_conversations, line_events, utcnow

log = logging.getLogger(__name__)

MAX_RUNNING = 8         # database calls in flight per process; more are refused at once
RETRY_AFTER = 10.0      # after a call ran out of time, the next calls fail at once for this long
SEEN_KEPT = 10_000      # event ids remembered in memory too (a database outage still drops most repeats)


class StateUnavailable(Exception):
    """The database did not answer within the LINE state timeout."""


class LineState:
    """Claim events, load, save and forget conversation states, each call bounded by `timeout` seconds."""

    def __init__(self, url: str, secret: str, *, timeout: float = 2.0) -> None:
        self.engine = _make_engine(url, connect_timeout=timeout, statement_timeout=timeout)
        self.timeout = timeout
        self._secret = secret.encode()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._running = 0
        self._idle = threading.Condition(self._lock)
        self._down_until = 0.0
        self.failing = False

    # Keys -----------------------------------------------------------------------------------
    def digest(self, *parts: str) -> str:
        """HMAC-SHA256 of the parts under the channel secret, as hex."""
        return hmac.new(self._secret, "\x00".join(parts).encode(), hashlib.sha256).hexdigest()

    def owner_key(self, user_id: str) -> str:
        return self.digest("user", user_id)

    def keys(self, chat: Chat) -> tuple[str, str] | None:
        """(conversation key, owner key): a user's own chat belongs to the user (unfollow deletes it); a group
        or room shares one conversation, as its members all see the same answers and chips (leave deletes it)."""
        if chat.kind == "user":
            return (self.owner_key(chat.user_id), self.owner_key(chat.user_id)) if chat.user_id else None
        if not chat.chat_id:
            return None
        key = self.digest(chat.kind, chat.chat_id)
        return key, key

    # Bounded calls ----------------------------------------------------------------------------
    def _call(self, fn: Callable[[], Any]) -> Any:
        """Run fn on a daemon thread and wait at most the timeout; raise StateUnavailable otherwise.

        A daemon thread, so a database that never answers holds neither the caller nor the process's exit.
        """
        if self._pid != os.getpid():  # after a fork: the parent's connections stay the parent's
            with self._lock:
                if self._pid != os.getpid():
                    if self._pid:
                        self.engine.dispose(close=False)
                    self._running, self._pid = 0, os.getpid()
        if time.monotonic() < self._down_until:  # one slow answer costs one timeout, not one per call
            raise StateUnavailable("the database did not answer in time a moment ago")
        with self._lock:
            if self._running >= MAX_RUNNING:
                raise StateUnavailable("too many LINE state calls still wait on the database")
            self._running += 1
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            try:
                outcome["result"] = fn()
            except Exception as exc:  # noqa: BLE001 - handed to the caller below
                outcome["error"] = exc
            finally:
                with self._lock:
                    self._running -= 1
                    self._idle.notify_all()
                done.set()
        threading.Thread(target=run, name="line-state", daemon=True).start()
        if not done.wait(self.timeout + 0.5):
            self.failing, self._down_until = True, time.monotonic() + RETRY_AFTER
            raise StateUnavailable("the database did not answer in time")
        if "error" in outcome:
            self.failing = True
            exc = outcome["error"]
            raise StateUnavailable(f"{type(exc).__name__}: {exc}"[:200]) from exc
        self.failing = False
        return outcome["result"]

    # Events -----------------------------------------------------------------------------------
    def claim(self, event_id: str) -> bool:
        """True the first time an event id is seen by any instance; False for a redelivery already answered.

        When the database does not answer, only this process's memory decides.
        """
        with self._lock:
            if event_id in self._seen:
                return False
            self._seen[event_id] = None
            while len(self._seen) > SEEN_KEPT:
                self._seen.popitem(last=False)
        try:
            return self._call(lambda: self._insert_event(event_id))
        except StateUnavailable as exc:
            log.warning("LINE event %s not checked against the store (%s): answered", event_id, exc)
            return True

    def _insert(self, table):
        return (postgresql.insert(table) if self.engine.dialect.name == "postgresql" else sqlite.insert(table))

    def _insert_event(self, event_id: str) -> bool:
        stmt = (self._insert(line_events).values(id=event_id[:64], received_at=utcnow()).on_conflict_do_nothing()
                .returning(line_events.c.id))  # a row back only when this call inserted it
        with self.engine.execution_options(writing=True).begin() as conn:
            return conn.execute(stmt).first() is not None

    # Conversations ------------------------------------------------------------------------------
    def load(self, key: str) -> dict[str, Any] | None:
        """The context saved for this conversation, unless it has been idle longer than LINE_IDLE."""
        def read() -> Any:
            query = select(line_conversations.c.context).where(
                line_conversations.c.key == key, line_conversations.c.updated_at >= utcnow() - LINE_IDLE)
            with self.engine.connect() as conn:
                return conn.execute(query).scalar()
        value = self._call(read)
        if isinstance(value, str):  # some drivers hand JSON back as text
            value = json.loads(value)
        return value if isinstance(value, dict) else None

    def save(self, key: str, owner: str, context: dict[str, Any]) -> None:
        now = utcnow()
        stmt = self._insert(line_conversations).values(key=key, owner=owner, context=context, updated_at=now)
        stmt = stmt.on_conflict_do_update(index_elements=[line_conversations.c.key],
                                          set_={"owner": owner, "context": context, "updated_at": now})

        def write() -> None:
            with self.engine.execution_options(writing=True).begin() as conn:
                conn.execute(stmt)
        self._call(write)

    def forget(self, owner: str) -> int:
        """Delete every conversation of one user (its own chat and what it said in groups)."""
        def write() -> int:
            with self.engine.execution_options(writing=True).begin() as conn:
                return conn.execute(delete(line_conversations).where(line_conversations.c.owner == owner)).rowcount
        return self._call(write)

    def count(self) -> int:
        """How many conversations are stored (any age): for tests and health."""
        def read() -> int:
            with self.engine.connect() as conn:
                return len(conn.execute(select(line_conversations.c.key)).all())
        return self._call(read)

    def close(self, wait: float = 5.0) -> None:
        """Wait at most `wait` for calls still talking to the database, then close the connections."""
        with self._lock:
            self._idle.wait_for(lambda: self._running == 0, wait)
        self.engine.dispose()
