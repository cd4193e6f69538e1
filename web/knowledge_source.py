"""Which knowledge the app answers from, and switching to another version without a restart.

At start the active stored version is loaded (else the data the server was installed with).
Each request checks, at most every KNOWLEDGE_POLL_SECONDS, whether another version became
active (an import, a rollback, a vocabulary edit on any instance); the check and the rebuild run
in a background thread, so no request waits on the database, and the switch is one swap.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from knowledge import Knowledge, load_knowledge
from knowledge.loader import DATA_DIR, build, read_documents
from web.versions import VersionInfo, VersionStore, open_versions, validate

log = logging.getLogger(__name__)
DEFAULT_POLL_SECONDS = 20


@dataclass
class Source:
    store: VersionStore | None
    base_dir: Path
    poll_seconds: float
    version: str | None = None
    next_check: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    error: str | None = None  # the last failure to read the store, for /api/health


def load_version(source: Source, version: str | None) -> Knowledge:
    """The knowledge of a stored version (validated again), or of the base data for None."""
    if version is None:
        return load_knowledge(source.base_dir)
    docs = source.store.documents(version)
    validate(docs)
    return dataclasses.replace(build(docs), version=version)


def init_app(app: Flask) -> Knowledge:
    """Open the version store and load the active version; a broken store degrades to the base data."""
    base_dir = Path(app.config.get("DATA_DIR") or DATA_DIR)
    poll = app.config.get("KNOWLEDGE_POLL_SECONDS")
    source = Source(None, base_dir, DEFAULT_POLL_SECONDS if poll is None else float(poll))
    app.extensions["knowledge_source"] = source
    knowledge = None
    try:
        source.store = open_versions(app.config)
        source.version = source.store.active()
        knowledge = load_version(source, source.version)
    except Exception as exc:  # noqa: BLE001 - answer from the base data rather than not at all
        # Not logged here: if the database is down the store stops the start with its own one line;
        # if only this failed, /api/health says so and the poller retries and logs.
        source.store, source.error, source.version = None, _one_line(exc), None
    source.next_check = time.monotonic() + source.poll_seconds
    app.before_request(_poll)
    app.context_processor(_edition_context)
    return knowledge or load_knowledge(base_dir)


def _one_line(exc: Exception) -> str:
    """An error as one short line for the log: no trace for a database that does not answer."""
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]


def _edition_context() -> dict[str, Any]:
    k = current_app.extensions["knowledge"]
    return {"edition_title": k.edition, "knowledge_version": k.version}


def _poll() -> None:
    app = current_app._get_current_object()
    source: Source = app.extensions["knowledge_source"]
    if time.monotonic() < source.next_check or not source.lock.acquire(blocking=False):
        return
    threading.Thread(target=_check, args=(app, source), name="knowledge-poll", daemon=True).start()


def _check(app: Flask, source: Source) -> None:
    try:
        check_now(app)
    finally:
        source.next_check = time.monotonic() + source.poll_seconds
        source.lock.release()


def check_now(app: Flask) -> bool:
    """Switch to the store's active version if it is not the one in use; True when it switched."""
    source: Source = app.extensions["knowledge_source"]
    try:
        if source.store is None:  # the store could not be opened at start: try again
            source.store = open_versions(app.config)
        active = source.store.active()
        source.error = None
        if active == source.version:
            return False
        switch(app, active)
        return True
    except Exception as exc:  # noqa: BLE001 - keep answering from the version in use
        source.error = _one_line(exc)
        log.warning("could not check or switch the knowledge version (%s); keeping %s", source.error,
                    source.version or "the base data")
        return False


def switch(app: Flask, version: str | None) -> Knowledge:
    """Build the knowledge and assistant of a version, then swap them in (requests in flight keep theirs)."""
    from assistant.engine import Assistant
    source: Source = app.extensions["knowledge_source"]
    knowledge = load_version(source, version)
    assistant = Assistant(knowledge, app.extensions["assistant"].tokenizer)
    app.extensions["assistant"], app.extensions["knowledge"] = assistant, knowledge
    source.version = version
    log.info("knowledge version in use: %s (%s)", version or "base data", knowledge.edition)
    return knowledge


def health(app: Flask) -> dict[str, Any]:
    """The version in use and whether the version store answers, for /api/health."""
    source: Source = app.extensions["knowledge_source"]
    return {"knowledge_version": source.version, "knowledge_store": "degraded" if source.error else "ok"}


def documents_in_use(app: Flask) -> dict[str, Any]:
    """The six documents of the store's active version, to derive the next version from. This worker may not
    have polled since another worker or instance switched: it switches first, so a staff edit never drops an
    edition published elsewhere."""
    source: Source = app.extensions["knowledge_source"]
    check_now(app)
    if source.version is not None:
        return source.store.documents(source.version)
    docs, problems = read_documents(source.base_dir)
    if problems:
        raise ValueError("; ".join(problems))
    return docs


def publish(app: Flask, docs: dict[str, Any], note: str, review: list[dict] = ()) -> VersionInfo:
    """Store docs as a new active version (validated first) and answer from it at once."""
    source: Source = app.extensions["knowledge_source"]
    if source.store is None:
        raise RuntimeError(source.error or "knowledge versions unavailable")
    info = source.store.publish(docs, note, list(review))
    switch(app, info.id)
    return info
