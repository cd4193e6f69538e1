"""LINE state in the store: HMAC keys, events claimed once across instances, calls bounded in time."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, insert, select, text

from web.line.events import Chat
from web.line.state import LineState, StateUnavailable
from web.store import MIGRATIONS, SCHEMA_VERSION, Store, migrations_table, turns, utcnow

SECRET = "state-test-secret"


@pytest.fixture()
def state(store_url):
    Store(store_url).dispose()  # the app's store creates the tables
    s = LineState(store_url, SECRET, timeout=1.0)
    yield s
    s.close()


def test_keys_are_hmacs_of_the_ids_a_users_own_and_one_per_group():
    s = LineState("sqlite://", SECRET)
    alone = s.keys(Chat("user", "U1"))
    assert alone[0] == alone[1] == s.owner_key("U1") and len(alone[0]) == 64 and "U1" not in alone[0]
    group = s.keys(Chat("group", "U1", "C1"))
    assert group == s.keys(Chat("group", "U2", "C1")) and group[0] == group[1]  # the members share it
    assert len({alone[0], group[0], s.keys(Chat("group", "U1", "C2"))[0], s.keys(Chat("room", "U1", "C1"))[0]}) == 4
    assert LineState("sqlite://", "another secret").owner_key("U1") != s.owner_key("U1")
    assert s.keys(Chat("user", None)) is None


def test_an_event_is_claimed_once_even_by_another_instance(state, store_url):
    other = LineState(store_url, SECRET)
    try:
        assert state.claim("01HEVENT0000000000000000A")
        assert not state.claim("01HEVENT0000000000000000A")   # this process remembers
        assert not other.claim("01HEVENT0000000000000000A")   # the other one asks the database
        assert other.claim("01HEVENT0000000000000000B")
    finally:
        other.close()


def test_save_load_and_forget(state):
    key, owner = state.keys(Chat("user", "U1"))
    assert state.load(key) is None
    state.save(key, owner, {"need": "創業したい"})
    state.save(key, owner, {"need": "後継者がいない"})
    assert state.load(key) == {"need": "後継者がいない"} and state.count() == 1
    assert state.forget(owner) == 1 and state.load(key) is None


def test_a_call_that_outlasts_the_timeout_gives_up_and_the_next_ones_fail_at_once(state):
    state.timeout = 0.2
    started = time.monotonic()
    with pytest.raises(StateUnavailable):
        state._call(lambda: time.sleep(2))
    with pytest.raises(StateUnavailable):
        state._call(lambda: 1)
    assert time.monotonic() - started < 1.5 and state.failing
    state._down_until = 0.0
    assert state._call(lambda: 1) == 1 and not state.failing


def test_without_a_database_claims_fall_back_to_memory():
    s = LineState("postgresql+psycopg://nobody@/none?host=/nonexistent&port=1", SECRET, timeout=0.5)
    try:
        assert s.claim("E1") and not s.claim("E1") and s.claim("E2")
        with pytest.raises(StateUnavailable):
            s.load("k")
    finally:
        s.close()


def test_a_schema_2_database_gains_the_channel_and_the_line_tables(store_url):
    engine = create_engine(store_url)
    with engine.begin() as conn:  # a database as the previous release left it
        conn.execute(text("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"))
        for version in (1, 2):
            MIGRATIONS[version - 1](conn)
            conn.execute(insert(migrations_table).values(version=version, applied_at=utcnow()))
        conn.execute(text("ALTER TABLE turns DROP COLUMN channel"))
        conn.execute(text("INSERT INTO turns (id, created_at, message, intent, results, answered, instance) "
                          "VALUES ('old', :now, '創業したい', 'need', '[]', true, 'x')"), {"now": utcnow()})
    engine.dispose()
    store = Store(store_url, retention_days=0)
    assert store.schema_version() == SCHEMA_VERSION >= 3
    [old] = list(store.turns_since())
    assert old.channel == "web"
    with store.engine.connect() as conn:
        assert conn.execute(select(turns.c.channel)).scalar() == "web"
        assert conn.execute(text("SELECT count(*) FROM line_conversations")).scalar() == 0
    store.dispose()


def test_the_purge_forgets_idle_conversations_and_old_event_ids_even_when_the_log_is_kept(state, store_url):
    from datetime import timedelta

    from sqlalchemy import update

    from web.store import line_conversations, line_events
    state.save("idle", "o1", {"need": "創業したい"})
    state.save("fresh", "o2", {"need": "後継者がいない"})
    state.claim("old-event")
    state.claim("new-event")
    with state.engine.begin() as conn:
        conn.execute(update(line_conversations).where(line_conversations.c.key == "idle")
                     .values(updated_at=utcnow() - timedelta(minutes=31)))
        conn.execute(update(line_events).where(line_events.c.id == "old-event")
                     .values(received_at=utcnow() - timedelta(days=2)))
    store = Store(store_url, retention_days=0)  # the log is kept forever; LINE state still is not
    store.purge()
    with store.engine.connect() as conn:
        assert conn.execute(select(line_conversations.c.key)).scalars().all() == ["fresh"]
        assert conn.execute(select(line_events.c.id)).scalars().all() == ["new-event"]
    store.dispose()
