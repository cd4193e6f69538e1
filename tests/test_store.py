"""The conversation log and feedback store, on SQLite and on PostgreSQL alike."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from web.store import SCHEMA_VERSION, Store, Turn, database_url, utcnow

WRITER = Path(__file__).resolve().parent / "store_writer.py"


def make_turn(message: str = "創業したい", *, age_days: float = 0, results=(("2-1-1", 0.9),)) -> Turn:
    return Turn(uuid.uuid4().hex, utcnow() - timedelta(days=age_days), message, "search", tuple(results),
                bool(results))


@pytest.fixture()
def store(store_url):
    s = Store(store_url, retention_days=30)
    yield s
    s.dispose()


def test_store_creates_and_versions_its_schema(store, store_url):
    assert store.schema_version() == SCHEMA_VERSION
    again = Store(store_url)  # a second start migrates nothing and keeps the rows
    assert again.migrate() == SCHEMA_VERSION
    again.dispose()


def test_record_turn_keeps_fields_and_masks_personal_data(store):
    turn = make_turn("024-525-1234 か taro@example.jp へ。〒960-8601", results=(("2-1-1", 0.91234), ("1-1-3", 0.5)))
    store.record_turn(turn)
    [logged] = list(store.turns_since())
    assert logged.id == turn.id and logged.intent == "search" and logged.answered
    assert logged.results == (("2-1-1", 0.9123), ("1-1-3", 0.5))
    assert "024" not in logged.message and "taro" not in logged.message and "960" not in logged.message
    assert logged.message == "[電話番号] か [メール] へ。[郵便番号]"


def test_feedback_is_stored_with_its_turn_and_replaced_on_change(store):
    turn = make_turn()
    store.record_turn(turn)
    assert store.record_feedback(turn.id, True)
    assert store.record_feedback(turn.id, False, "  窓口が違った 090-1234-5678 ")
    [fb] = store.feedback_since()
    assert fb.turn.id == turn.id and fb.helpful is False and fb.comment == "窓口が違った [電話番号]"


def test_feedback_on_an_unknown_turn_is_refused(store):
    assert store.record_feedback("0" * 32, True) is False
    assert store.feedback_since() == []


def test_purge_drops_turns_and_feedback_past_the_retention(store):
    old, new = make_turn(age_days=31), make_turn(age_days=29)
    store.retention_days = 0  # write both first
    for t in (old, new):
        store.record_turn(t)
    store.record_feedback(old.id, False, "古い")
    store.retention_days = 30
    assert store.purge() == 1
    assert [t.id for t in store.turns_since()] == [new.id]
    assert store.feedback_since() == []


def test_writes_purge_automatically_at_the_first_write(store):
    store.record_turn(make_turn(age_days=31))
    assert store.count_turns() == 0


def test_retention_zero_keeps_everything(store_url):
    s = Store(store_url, retention_days=0)
    s.record_turn(make_turn(age_days=3650))
    assert s.purge() == 0 and s.count_turns() == 1
    s.dispose()


def test_turns_since_filters_by_time(store):
    store.record_turn(make_turn(age_days=10))
    recent = make_turn(age_days=1)
    store.record_turn(recent)
    assert [t.id for t in store.turns_since(utcnow() - timedelta(days=2))] == [recent.id]


def test_default_url_is_sqlite_in_the_data_home(tmp_path):
    url = database_url({"DATA_HOME": str(tmp_path / "new" / "home")})
    assert url == f"sqlite:///{tmp_path / 'new' / 'home' / 'shien-navi.sqlite3'}"
    assert (tmp_path / "new" / "home").is_dir()
    assert database_url({"DATABASE_URL": "postgresql://u@h/db"}) == "postgresql+psycopg://u@h/db"


def test_sqlite_store_runs_in_wal_mode(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    s.dispose()


def test_concurrent_threads_lose_no_turn(store):
    ids: list[str] = []
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for _ in range(n):
                t = make_turn()
                store.record_turn(t)
                ids.append(t.id)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(25,)) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert {t.id for t in store.turns_since()} == set(ids) and len(ids) == 200


def _writer(url: str, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WRITER), url, str(count)], stdout=subprocess.PIPE, text=True)


def test_two_writer_processes_lose_no_turn(store, store_url):
    procs = [_writer(store_url, 100) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert {t.id for t in store.turns_since()} == set(outputs[0] + outputs[1])
    assert store.count_turns() == 200


def test_kill_9_mid_run_keeps_every_committed_turn(store, store_url):
    proc = _writer(store_url, 0)
    committed = [proc.stdout.readline().strip() for _ in range(50)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    with proc.stdout:  # read through the reader: its buffer may hold lines already (communicate skips it)
        rest = proc.stdout.read().split()
    committed += rest  # every id printed was committed before it was printed
    reopened = Store(store_url)
    logged = {t.id for t in reopened.turns_since()}
    assert set(committed) <= logged
    assert len(logged) - len(committed) <= 1  # at most the one in flight when killed
    if reopened.dialect == "sqlite":
        with reopened.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    reopened.record_turn(make_turn())  # and it still takes writes
    reopened.dispose()


def test_store_on_postgresql_is_shared_by_two_stores(postgres):
    url = postgres.create_database()
    a, b = Store(url, instance="a"), Store(url, instance="b")
    a.record_turn(make_turn())
    b.record_turn(make_turn())
    assert sorted(t.instance for t in a.turns_since()) == ["a", "b"]
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT max(version) FROM schema_migrations")).scalar() == SCHEMA_VERSION
    engine.dispose(), a.dispose(), b.dispose()
