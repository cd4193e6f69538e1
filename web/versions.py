"""Knowledge versions: each applied edition or vocabulary edit is a complete, validated set of
the six data files; one of them is active, the ones before it stay for rollback.

Two stores with one interface: files under the data home (one instance), or tables in the
shared PostgreSQL (several instances). Publishing validates first and switches the active
marker last, in one atomic step, so a failure leaves the version in use untouched. The
installed package's data is never written: it is the version before the first one.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, create_engine, insert, select, text, update
from sqlalchemy.engine import Engine, make_url

from knowledge import KnowledgeError
from knowledge.loader import FILES, build, check_documents

log = logging.getLogger(__name__)

SHIPPED = None  # the history's name for the data the server was started with (package or DATA_DIR)
_PG_LOCK = 5_214_871


class VersionError(ValueError):
    """A version operation was refused; the message says why, for staff."""


@dataclass(frozen=True)
class VersionInfo:
    id: str
    created_at: str
    title: str            # the document's title, e.g. 第2期福島市中小企業振興プログラム(令和8年度)
    note: str             # what made it: an import, a vocabulary word, a confirmation
    parent: str | None
    review: tuple = field(default=())  # suggestions still to confirm (要確認), as dicts

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "review": list(self.review)}


def validate(docs: dict[str, Any]) -> None:
    """Every schema and cross-check of the loader, and the records build; raise KnowledgeError."""
    missing = [f"{name}.json: missing" for name in FILES if name not in docs]
    problems = missing or check_documents(docs)
    if problems:
        raise KnowledgeError(problems)
    build(docs)


def new_version_id(docs: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(docs, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:8]
    return f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{digest}-{secrets.token_hex(2)}"


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class VersionStore(Protocol):
    def active(self) -> str | None: ...
    def history(self) -> list[str | None]: ...
    def info(self, version_id: str) -> VersionInfo: ...
    def documents(self, version_id: str) -> dict[str, Any]: ...
    def versions(self) -> list[VersionInfo]: ...
    def publish(self, docs: dict[str, Any], note: str, review: list[dict] = (), activate: bool = True) -> VersionInfo: ...
    def activate(self, version_id: str | None) -> None: ...
    def rollback(self) -> str | None: ...
    def set_review(self, version_id: str, review: list[dict]) -> None: ...
    def dispose(self) -> None: ...


class FileVersions:
    """versions/<id>/*.json and version.json under a folder, and active.json naming the one in use."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.dir = self.root / "versions"

    def _state(self) -> dict[str, Any]:
        try:
            return json.loads((self.root / "active.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"active": SHIPPED, "history": []}

    def _write_state(self, state: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.root / "active.json", json.dumps(state, ensure_ascii=False, indent=1))

    def active(self) -> str | None:
        return self._state()["active"]

    def history(self) -> list[str | None]:
        return list(self._state()["history"])

    def info(self, version_id: str) -> VersionInfo:
        try:
            raw = json.loads((self.dir / version_id / "version.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            raise VersionError(f"版 {version_id} はありません。") from None
        return VersionInfo(**{**raw, "review": tuple(raw.get("review", ()))})

    def documents(self, version_id: str) -> dict[str, Any]:
        folder = self.dir / version_id
        return {name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8")) for name in FILES}

    def versions(self) -> list[VersionInfo]:
        if not self.dir.exists():
            return []
        found = [self.info(p.name) for p in self.dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
        return sorted(found, key=lambda v: v.id)

    def publish(self, docs: dict[str, Any], note: str, review: list[dict] = (), activate: bool = True) -> VersionInfo:
        """Validate, write the version, then (unless only staged for review) make it active."""
        validate(docs)
        state = self._state()
        info = VersionInfo(new_version_id(docs), _now(), docs["policy"]["document"]["title"], note, state["active"],
                           tuple(review))
        self.dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.dir))
        try:
            for name in FILES:
                _write_file(staging / f"{name}.json", json.dumps(docs[name], ensure_ascii=False, indent=1) + "\n")
            _write_file(staging / "version.json", json.dumps(info.as_dict(), ensure_ascii=False, indent=1))
            os.rename(staging, self.dir / info.id)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if activate:
            self._write_state({"active": info.id, "history": [*state["history"], state["active"]]})
        return info

    def activate(self, version_id: str | None) -> None:
        if version_id is not None:
            self.info(version_id)
        state = self._state()
        self._write_state({"active": version_id, "history": [*state["history"], state["active"]]})

    def rollback(self) -> str | None:
        state = self._state()
        if not state["history"]:
            raise VersionError("戻せる前の版がありません。")
        *rest, previous = state["history"]
        self._write_state({"active": previous, "history": rest})
        return previous

    def dispose(self) -> None:
        """Nothing held open (the database store closes its connections)."""

    def set_review(self, version_id: str, review: list[dict]) -> None:
        info = self.info(version_id)
        _write_atomically(self.dir / version_id / "version.json",
                          json.dumps({**info.as_dict(), "review": list(review)}, ensure_ascii=False, indent=1))


def _write_file(path: Path, content: str) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())


def _write_atomically(path: Path, content: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


metadata = MetaData()
versions_table = Table(
    "knowledge_versions", metadata,
    Column("id", String(40), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("title", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("parent", String(40)),
    Column("review", Text, nullable=False),      # JSON list
    Column("documents", Text, nullable=False))   # JSON object of the six files
active_table = Table(
    "knowledge_active", metadata,
    Column("name", String(20), primary_key=True),  # always "active": one row
    Column("version_id", String(40)),
    Column("history", Text, nullable=False),       # JSON list, oldest first
    Column("changed_at", DateTime, nullable=False))


def _engine(url: str, timeout_seconds: int) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        return create_engine(url, connect_args={"timeout": timeout_seconds, "check_same_thread": False})
    # A database that hangs must not hang the server: the poller times out and keeps the version in use.
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=2, connect_args={
        "connect_timeout": timeout_seconds, "options": f"-c statement_timeout={timeout_seconds * 1000}"})


class DbVersions:
    """The same versions in two tables of a shared database, so every instance sees one active version."""

    def __init__(self, url: str, timeout_seconds: int = 5):
        if url.startswith("postgresql://"):
            url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        self.engine = _engine(url, timeout_seconds)
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
            metadata.create_all(conn)

    def _state(self, conn) -> tuple[str | None, list]:
        row = conn.execute(select(active_table).where(active_table.c.name == "active")).first()
        return (row.version_id, json.loads(row.history)) if row else (SHIPPED, [])

    def _write_state(self, conn, active: str | None, history: list) -> None:
        values = {"version_id": active, "history": json.dumps(history), "changed_at": _utcnow()}
        if conn.execute(update(active_table).where(active_table.c.name == "active").values(**values)).rowcount == 0:
            conn.execute(insert(active_table).values(name="active", **values))

    def _lock(self, conn) -> None:
        if self.engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK + 1})

    def active(self) -> str | None:
        with self.engine.connect() as conn:
            return self._state(conn)[0]

    def history(self) -> list[str | None]:
        with self.engine.connect() as conn:
            return self._state(conn)[1]

    def _info(self, row) -> VersionInfo:
        return VersionInfo(row.id, row.created_at.replace(tzinfo=timezone.utc).isoformat(), row.title, row.note,
                           row.parent, tuple(json.loads(row.review)))

    def info(self, version_id: str) -> VersionInfo:
        with self.engine.connect() as conn:
            row = conn.execute(select(versions_table).where(versions_table.c.id == version_id)).first()
        if row is None:
            raise VersionError(f"版 {version_id} はありません。")
        return self._info(row)

    def documents(self, version_id: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            raw = conn.execute(select(versions_table.c.documents).where(versions_table.c.id == version_id)).scalar()
        if raw is None:
            raise VersionError(f"版 {version_id} はありません。")
        return json.loads(raw)

    def versions(self) -> list[VersionInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(versions_table).order_by(versions_table.c.id)).all()
        return [self._info(r) for r in rows]

    def publish(self, docs: dict[str, Any], note: str, review: list[dict] = (), activate: bool = True) -> VersionInfo:
        validate(docs)
        with self.engine.begin() as conn:  # the version and the switch to it: one transaction
            self._lock(conn)
            active, history = self._state(conn)
            info = VersionInfo(new_version_id(docs), _now(), docs["policy"]["document"]["title"], note, active,
                               tuple(review))
            conn.execute(insert(versions_table).values(
                id=info.id, created_at=_utcnow(), title=info.title, note=note, parent=active,
                review=json.dumps(list(review), ensure_ascii=False), documents=json.dumps(docs, ensure_ascii=False)))
            if activate:
                self._write_state(conn, info.id, [*history, active])
        return info

    def activate(self, version_id: str | None) -> None:
        if version_id is not None:
            self.info(version_id)
        with self.engine.begin() as conn:
            self._lock(conn)
            active, history = self._state(conn)
            self._write_state(conn, version_id, [*history, active])

    def rollback(self) -> str | None:
        with self.engine.begin() as conn:
            self._lock(conn)
            _, history = self._state(conn)
            if not history:
                raise VersionError("戻せる前の版がありません。")
            *rest, previous = history
            self._write_state(conn, previous, rest)
        return previous

    def set_review(self, version_id: str, review: list[dict]) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(versions_table).where(versions_table.c.id == version_id)
                         .values(review=json.dumps(list(review), ensure_ascii=False)))

    def dispose(self) -> None:
        self.engine.dispose()


def open_versions(config: dict[str, Any]) -> VersionStore:
    """The database when DATABASE_URL is set (shared by every instance), else files in the data home."""
    from web.store import data_home
    url = config.get("DATABASE_URL")
    if url:
        return DbVersions(url)
    return FileVersions(data_home(config) / "knowledge")
