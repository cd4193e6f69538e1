"""The conversation log and feedback store (SQLAlchemy Core): SQLite embedded, PostgreSQL shared.

One row per chat turn with the message already masked; no IP address, no cookie id.
The program creates and migrates its own schema (table `schema_migrations`).
"""
from __future__ import annotations

import json
import logging
import math
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import (
    JSON, Boolean, Column, DateTime, Engine, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
    create_engine, delete, event, func, insert, inspect, select, text,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError

from web.privacy import mask
from web.settings import StartupError

log = logging.getLogger(__name__)

SQLITE_FILE = "shien-navi.sqlite3"
PURGE_EVERY_SECONDS = 3600
COMMENT_MAX_CHARS = 1000
_PG_MIGRATION_LOCK = 5_214_870  # any constant: serializes migrations of instances sharing one database
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_STATEMENT_TIMEOUT = 5.0

metadata = MetaData()
migrations_table = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime, nullable=False))
turns = Table(
    "turns", metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("message", Text, nullable=False),
    Column("intent", String(40), nullable=False),
    Column("results", JSON, nullable=False),  # [{"id": "1-1-3", "score": 0.82}, ...] best first
    Column("top_score", Float),
    Column("answered", Boolean, nullable=False),
    Column("instance", String(80), nullable=False),
    Column("channel", String(16), nullable=False, server_default="web"))  # where the turn came from: web, line
feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("turn_id", String(32), ForeignKey("turns.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("helpful", Boolean, nullable=False),
    Column("comment", Text),
    Index("ix_feedback_turn", "turn_id", unique=True))


admin_sessions = Table(
    "admin_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),   # SHA-256 of the random id in the cookie
    Column("token_tag", String(64), nullable=False),   # HMAC of the id under the admin token in force
    Column("csrf", String(64), nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True))


# LINE (web/line/): no raw LINE id is stored, only HMACs of it (web/line/state.py).
line_conversations = Table(
    "line_conversations", metadata,
    Column("key", String(64), primary_key=True),          # HMAC of the chat (user, or group and user)
    Column("owner", String(64), nullable=False, index=True),  # HMAC of the user: unfollow deletes by it
    Column("context", JSON, nullable=False),               # the dialogue's context after the last turn
    Column("updated_at", DateTime, nullable=False, index=True))
line_events = Table(
    "line_events", metadata,
    Column("id", String(64), primary_key=True),            # the webhookEventId: each event is answered once
    Column("received_at", DateTime, nullable=False, index=True))
LINE_IDLE = timedelta(minutes=30)    # a LINE conversation's state is forgotten after this long without a turn
LINE_EVENTS_KEPT = timedelta(days=1)  # redeliveries come within this time


def _migration_1(conn: Connection) -> None:
    """Create the turns and feedback tables."""
    metadata.create_all(conn, tables=[turns, feedback])


def _migration_2(conn: Connection) -> None:
    """Create the staff's login sessions (server side, so logging out revokes them)."""
    metadata.create_all(conn, tables=[admin_sessions])


def _migration_3(conn: Connection) -> None:
    """Record each turn's channel; keep LINE conversations and the LINE events already answered."""
    if "channel" not in {c["name"] for c in inspect(conn).get_columns("turns")}:  # a new database has it already
        conn.execute(text("ALTER TABLE turns ADD COLUMN channel VARCHAR(16) NOT NULL DEFAULT 'web'"))
    metadata.create_all(conn, tables=[line_conversations, line_events])


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_migration_1, _migration_2, _migration_3)  # version n is MIGRATIONS[n - 1]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Turn:
    """One chat turn as logged: the message is masked before it gets here."""
    id: str
    created_at: datetime
    message: str
    intent: str
    results: tuple[tuple[str, float], ...]
    answered: bool
    instance: str = ""
    channel: str = "web"

    @property
    def top_score(self) -> float | None:
        return self.results[0][1] if self.results else None


@dataclass(frozen=True)
class AdminSession:
    token_tag: str
    csrf: str
    expires_at: datetime


@dataclass(frozen=True)
class Feedback:
    turn: Turn
    created_at: datetime
    helpful: bool
    comment: str | None


def utcnow() -> datetime:
    """Naive UTC, the one time zone the store holds (SQLite has no time zones)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def database_url(config: dict[str, Any]) -> str:
    """The configured URL, defaulting to a SQLite file in the data home (created here)."""
    url = config.get("DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    home = data_home(config)
    return f"sqlite:///{home / SQLITE_FILE}"


def data_home(config: dict[str, Any]) -> Path:
    """The writable folder: DATA_HOME, else $XDG_DATA_HOME/shien-navi; created on first use."""
    raw = config.get("DATA_HOME")
    if raw:
        home = Path(raw)
    else:
        home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "shien-navi"
    home.mkdir(parents=True, exist_ok=True)
    return home


def writable_data_home(config: dict[str, Any]) -> Path:
    """The data home, created and proven writable by writing a file, else a one-line StartupError."""
    try:
        home = data_home(config)
        with tempfile.TemporaryFile(dir=home):
            pass
    except OSError as exc:
        where = config.get("DATA_HOME") or "$XDG_DATA_HOME/shien-navi"
        raise StartupError(f"the data home {where} cannot be written ({exc.strerror or exc}); "
                           "set SHIEN_NAVI_DATA_HOME to a writable folder") from None
    return home


def _pg_connect_args(connect_timeout: float, statement_timeout: float) -> dict[str, Any]:
    """libpq's connect timeout (whole seconds, at least 2) and a server-side statement timeout."""
    return {"connect_timeout": max(2, math.ceil(connect_timeout)),
            "options": f"-c statement_timeout={int(statement_timeout * 1000)}"}


def _make_engine(url: str, connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
                 statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT) -> Engine:
    """Create the engine; SQLite gets WAL, a busy timeout and explicit BEGIN (IMMEDIATE for writes)."""
    backend = make_url(url).get_backend_name()
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_timeout=connect_timeout,
                             connect_args=_pg_connect_args(connect_timeout, statement_timeout))
    if backend != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_timeout=connect_timeout)
    engine = create_engine(url, connect_args={"timeout": statement_timeout, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses no commit
        cursor.execute(f"PRAGMA busy_timeout={int(statement_timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so busy_timeout applies instead of a deadlock error.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("writing") else "BEGIN")

    return engine


class Store:
    """The log of turns and their feedback, on any SQLAlchemy database."""

    def __init__(self, url: str, *, retention_days: int = 90, instance: str | None = None,
                 connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
                 statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT) -> None:
        self.url = url
        self.engine = _make_engine(url, connect_timeout, statement_timeout)
        self.retention_days = retention_days
        self.instance = (instance or f"{os.uname().nodename}:{os.getpid()}")[:80]
        self._next_purge = 0.0
        self._purge_lock = threading.Lock()
        self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _write(self):
        return self.engine.execution_options(writing=True).begin()

    # Schema -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            if not self.engine.dialect.has_table(conn, "schema_migrations"):
                return 0
            return conn.execute(select(func.max(migrations_table.c.version))).scalar() or 0

    def migrate(self) -> int:
        """Apply the missing migrations in one transaction; return the version now in place."""
        with self._write() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            metadata.create_all(conn, tables=[migrations_table])
            current = conn.execute(select(func.max(migrations_table.c.version))).scalar() or 0
            for version in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version - 1](conn)
                conn.execute(insert(migrations_table).values(version=version, applied_at=utcnow()))
                log.info("store schema migrated to version %d", version)
        return SCHEMA_VERSION

    # Writes -------------------------------------------------------------------------------
    def record_turn(self, turn: Turn) -> None:
        """Insert one turn (message masked again here, to be safe), purging old rows now and then."""
        self.record_turns([turn])

    def record_turns(self, batch: list[Turn]) -> None:
        """Insert turns in one transaction (the writer thread drains its queue this way)."""
        rows = [{"id": turn.id, "created_at": turn.created_at, "message": mask(turn.message), "intent": turn.intent,
                 "results": [{"id": pid, "score": round(score, 4)} for pid, score in turn.results],
                 "top_score": turn.top_score, "answered": turn.answered, "instance": turn.instance or self.instance,
                 "channel": turn.channel}
                for turn in batch]
        with self._write() as conn:
            conn.execute(insert(turns), rows)
        self.purge_if_due()

    def ping(self) -> None:
        """Ask the database for one row: raises when it is unreachable."""
        with self.engine.connect() as conn:
            conn.execute(select(1)).scalar_one()

    def record_feedback(self, turn_id: str, helpful: bool, comment: str | None = None) -> bool:
        """Store (or replace) the feedback on a turn; False when the turn is not in the log."""
        comment = mask(comment.strip())[:COMMENT_MAX_CHARS] if comment and comment.strip() else None
        with self._write() as conn:
            if conn.execute(select(turns.c.id).where(turns.c.id == turn_id)).first() is None:
                return False
            conn.execute(delete(feedback).where(feedback.c.turn_id == turn_id))
            conn.execute(insert(feedback).values(turn_id=turn_id, created_at=utcnow(), helpful=helpful,
                                                 comment=comment))
        return True

    def purge(self, now: datetime | None = None) -> int:
        """Delete turns (and their feedback) older than the retention, and LINE state past its idle time;
        return how many turns went."""
        now = now or utcnow()
        self.purge_line(now)
        if self.retention_days <= 0:
            return 0
        cutoff = now - timedelta(days=self.retention_days)
        old = select(turns.c.id).where(turns.c.created_at < cutoff)
        with self._write() as conn:
            conn.execute(delete(feedback).where(feedback.c.turn_id.in_(old)))
            gone = conn.execute(delete(turns).where(turns.c.created_at < cutoff)).rowcount
        if gone:
            log.info("purged %d turns older than %d days", gone, self.retention_days)
        return gone

    def purge_line(self, now: datetime | None = None) -> None:
        """Delete LINE conversations idle longer than LINE_IDLE and event ids older than LINE_EVENTS_KEPT."""
        now = now or utcnow()
        with self._write() as conn:
            conn.execute(delete(line_conversations).where(line_conversations.c.updated_at < now - LINE_IDLE))
            conn.execute(delete(line_events).where(line_events.c.received_at < now - LINE_EVENTS_KEPT))

    # Staff sessions ---------------------------------------------------------------------------
    def create_admin_session(self, id_hash: str, session: AdminSession) -> None:
        with self._write() as conn:
            conn.execute(delete(admin_sessions).where(admin_sessions.c.expires_at < utcnow()))
            conn.execute(insert(admin_sessions).values(id_hash=id_hash, token_tag=session.token_tag,
                                                       csrf=session.csrf, expires_at=session.expires_at))

    def admin_session(self, id_hash: str) -> AdminSession | None:
        """The session under this id hash, unless it has expired."""
        query = select(admin_sessions).where(admin_sessions.c.id_hash == id_hash,
                                             admin_sessions.c.expires_at > utcnow())
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return AdminSession(row["token_tag"], row["csrf"], row["expires_at"]) if row else None

    def delete_admin_session(self, id_hash: str) -> None:
        with self._write() as conn:
            conn.execute(delete(admin_sessions).where(admin_sessions.c.id_hash == id_hash))

    def purge_if_due(self) -> None:
        """Purge at most once an hour per process (the first call purges at once)."""
        if time.monotonic() < self._next_purge or not self._purge_lock.acquire(blocking=False):
            return
        try:
            self._next_purge = time.monotonic() + PURGE_EVERY_SECONDS
            self.purge()
        finally:
            self._purge_lock.release()

    # Reads --------------------------------------------------------------------------------
    def turns_since(self, since: datetime | None = None) -> Iterator[Turn]:
        """Every logged turn since a time, oldest first."""
        query = select(turns).order_by(turns.c.created_at, turns.c.id)
        if since is not None:
            query = query.where(turns.c.created_at >= since)
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield _turn(row._mapping)

    def feedback_since(self, since: datetime | None = None) -> list[Feedback]:
        """Every feedback since a time with its turn, newest first."""
        query = (select(feedback, turns).join(turns, feedback.c.turn_id == turns.c.id)
                 .order_by(feedback.c.created_at.desc()))
        if since is not None:
            query = query.where(feedback.c.created_at >= since)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [Feedback(_turn(row), row[feedback.c.created_at], bool(row[feedback.c.helpful]), row[feedback.c.comment])
                for row in rows]

    def count_turns(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(turns)).scalar_one()

    def dispose(self) -> None:
        self.engine.dispose()


def _turn(m: Any) -> Turn:
    """Build a Turn from a row mapping keyed by the turns table's columns."""
    results = m[turns.c.results]
    if isinstance(results, str):  # some drivers hand JSON back as text
        results = json.loads(results)
    return Turn(id=m[turns.c.id], created_at=m[turns.c.created_at], message=m[turns.c.message],
                intent=m[turns.c.intent], results=tuple((r["id"], float(r["score"])) for r in results),
                answered=bool(m[turns.c.answered]), instance=m[turns.c.instance], channel=m[turns.c.channel])


def open_store(config: dict[str, Any]) -> Store:
    """Open the store the settings name (DATABASE_URL, else SQLite in a writable DATA_HOME) within the
    connect and statement timeouts; anything else stops start-up with a one-line StartupError."""
    if not config.get("DATABASE_URL"):
        writable_data_home(config)
    url = database_url(config)
    connect_timeout = float(config.get("DB_CONNECT_TIMEOUT") or DEFAULT_CONNECT_TIMEOUT)
    statement_timeout = float(config.get("DB_STATEMENT_TIMEOUT") or DEFAULT_STATEMENT_TIMEOUT)
    try:
        where = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        raise StartupError(f"SHIEN_NAVI_DATABASE_URL is not a database URL: {url[:80]!r}") from None
    opened: dict[str, Any] = {}

    def attempt() -> None:
        try:
            opened["store"] = Store(url, retention_days=int(config.get("RETENTION_DAYS") or 0),
                                    connect_timeout=connect_timeout, statement_timeout=statement_timeout)
        except Exception as exc:  # noqa: BLE001 - reported below as one line
            opened["error"] = exc

    # libpq's connect timeout bounds the connection; a thread bounds the rest (a server that
    # accepts and then never answers would otherwise hold start-up forever).
    limit = connect_timeout + statement_timeout + 1
    thread = threading.Thread(target=attempt, name="store-open", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        raise StartupError(f"the database at {where} did not answer within {limit:.0f} s "
                           "(SHIEN_NAVI_DB_CONNECT_TIMEOUT, SHIEN_NAVI_DB_STATEMENT_TIMEOUT)")
    if "error" in opened:
        error = opened["error"]
        reason = " ".join(str(getattr(error, "orig", None) or error).split())[:200]  # the driver's words, not the wrapper's
        raise StartupError(f"cannot open the database at {where}: {reason}")
    return opened["store"]
