"""Knowledge versions in the shared database: every instance switches, vocabulary edits reach them all."""
from __future__ import annotations

import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import edition_variants as v
from knowledge.loader import DATA_DIR, read_documents
from test_versions import get, wait_for
from web.cli import main as cli_main
from web.versions import DbVersions, VersionError

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from harness import Server  # noqa: E402

TOKEN = "shared-admin-token-0123456789"


def test_database_store_publishes_and_rolls_back(store_url):
    shipped = read_documents(DATA_DIR)[0]
    store = DbVersions(store_url)
    assert store.active() is None
    first = store.publish(shipped, "一つ目", [{"target": "1-1-1", "field": "tags", "values": ["創業"]}])
    assert store.active() == first.id and store.documents(first.id) == shipped
    assert store.info(first.id).review[0]["target"] == "1-1-1"
    store.set_review(first.id, [])
    assert store.info(first.id).review == ()
    again = DbVersions(store_url)  # a second instance sees the same active version
    assert again.active() == first.id
    assert again.rollback() is None and store.active() is None
    with pytest.raises(VersionError):
        store.rollback()
    store.dispose()
    again.dispose()


def search(server: Server, text: str) -> list[str]:
    return [r["id"] for r in get(f"{server.base}/api/search?q={urllib.parse.quote(text)}")[1]["results"]]


def add_word(server: Server, word: str, tag: str) -> int:
    body = urllib.parse.urlencode({"word": word, "tag": tag}).encode()
    request = urllib.request.Request(server.base + "/admin/vocabulary", body,
                                     {"Authorization": f"Bearer {TOKEN}"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=30).status
    except urllib.error.HTTPError as e:
        return e.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_two_instances_on_one_postgresql_both_switch(postgres, tmp_path, monkeypatch):
    url = postgres.create_database()
    monkeypatch.setenv("SHIEN_NAVI_DATABASE_URL", url)
    monkeypatch.setenv("SHIEN_NAVI_KNOWLEDGE_POLL_SECONDS", "0.5")
    monkeypatch.setenv("SHIEN_NAVI_ADMIN_TOKEN", TOKEN)
    monkeypatch.setenv("SHIEN_NAVI_DATA_HOME", str(tmp_path / "cli"))
    edition = tmp_path / "shinko_program_r8.txt"
    edition.write_text(v.next_year()[0], encoding="utf-8")
    with Server(data_home=str(tmp_path / "a")) as a, Server(data_home=str(tmp_path / "b")) as b:
        both = (a, b)
        assert cli_main(["import", str(edition), "--apply"]) == 0
        assert wait_for(lambda: all(get(s.base + "/api/programs/8-1-4")[0] == 200 for s in both))
        store = DbVersions(url)
        assert wait_for(lambda: {get(s.base + "/api/health")[1]["knowledge_version"] for s in both} == {store.active()})
        # a word staff add on one instance is understood by the other
        assert "2-1-1" not in search(b, "ぴよぴよ")
        assert add_word(a, "ぴよぴよ", "創業") == 303
        assert wait_for(lambda: "2-1-1" in search(b, "ぴよぴよ"))
        assert get(b.base + "/api/programs/8-1-4")[0] == 200  # the edit was made on the new edition
        assert cli_main(["rollback"]) == 0  # back to the edition, without the word
        assert wait_for(lambda: all("2-1-1" not in search(s, "ぴよぴよ") for s in both))
        assert cli_main(["rollback"]) == 0  # back to the installed data
        assert wait_for(lambda: all(get(s.base + "/api/programs/8-1-4")[0] == 404 for s in both))
    assert store.history() == [] and store.active() is None
    store.dispose()
