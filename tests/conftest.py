"""Shared fixtures, scoped by cost: the knowledge base once per session, an app per test."""
from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import Knowledge, load_knowledge

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The shipped knowledge base, loaded and validated once."""
    return load_knowledge()


@pytest.fixture()
def app(tmp_path):
    """A fresh app on the shipped data, with its writable files under tmp_path."""
    from web import create_app
    return create_app({"TESTING": True, "DATA_HOME": str(tmp_path)})


@pytest.fixture()
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """A throwaway PostgreSQL cluster for the whole session (tests/pgcluster.py), stopped at the end."""
    import pgcluster
    try:
        cluster = pgcluster.start_cluster(tmp_path_factory.mktemp("pg"))
    except RuntimeError as exc:
        pytest.skip(str(exc))
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """An empty database URL, once for the embedded SQLite and once for a shared PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("postgres").create_database()
