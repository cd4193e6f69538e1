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
