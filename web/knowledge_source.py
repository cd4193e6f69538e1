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
        log.exception("knowledge versions unavailable, answering from %s", base_dir)
        source.error, source.version = str(exc)[:200], None
    source.next_check = time.monotonic() + source.poll_seconds
    app.before_request(_poll)
    app.context_processor(_edition_context)
    return knowledge or load_knowledge(base_dir)


def _edition_context() -> dict[str, Any]:
    k = current_app.extensions["knowledge"]
    return {"edition_title": k.edition, "knowledge_version": k.version}


def _poll() -> None:
    app = current_app._get_current_object()
    source: Source = app.extensions["knowledge_source"]
    if source.store is None or time.monotonic() < source.next_check or not source.lock.acquire(blocking=False):
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
        active = source.store.active()
        source.error = None
        if active == source.version:
            return False
        switch(app, active)
        return True
    except Exception as exc:  # noqa: BLE001 - keep answering from the version in use
        log.exception("could not switch knowledge version")
        source.error = str(exc)[:200]
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


def documents_in_use(app: Flask) -> dict[str, Any]:
    """The six documents of the version in use, to derive the next version from."""
    source: Source = app.extensions["knowledge_source"]
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
