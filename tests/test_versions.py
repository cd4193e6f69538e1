"""Applying a new edition: stored as a version, validated, atomic, switched to without a restart, rolled back."""
from __future__ import annotations

import hashlib
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import edition_variants as v
from knowledge import KnowledgeError
from knowledge.loader import DATA_DIR, read_documents
from web import create_app
from web.cli import main as cli_main
from web.knowledge_source import check_now
from web.versions import FileVersions, VersionError

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from harness import Server  # noqa: E402  (the benchmarks' served-instance helper)


@pytest.fixture()
def shipped():
    return read_documents(DATA_DIR)[0]


@pytest.fixture()
def next_year_file(tmp_path):
    path = tmp_path / "shinko_program_r8.txt"
    path.write_text(v.next_year()[0], encoding="utf-8")
    return path


@pytest.fixture()
def home(tmp_path, monkeypatch):
    """The data home the commands and the app share (no SHIEN_NAVI_DATA_DIR: the installed data)."""
    home = tmp_path / "home"
    monkeypatch.setenv("SHIEN_NAVI_DATA_HOME", str(home))
    monkeypatch.delenv("SHIEN_NAVI_DATA_DIR", raising=False)
    monkeypatch.delenv("SHIEN_NAVI_DATABASE_URL", raising=False)
    return home


def package_fingerprint() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(DATA_DIR.glob("*.json")))).hexdigest()


# --- the file store -----------------------------------------------------------------------

def test_publish_then_rollback_to_the_installed_data(tmp_path, shipped):
    store = FileVersions(tmp_path)
    assert store.active() is None and store.versions() == []
    first = store.publish(shipped, "一つ目")
    second = store.publish(shipped, "二つ目")
    assert store.active() == second.id and second.parent == first.id
    assert store.documents(second.id) == shipped
    assert store.rollback() == first.id and store.active() == first.id
    assert store.rollback() is None and store.active() is None
    with pytest.raises(VersionError):
        store.rollback()


def test_invalid_knowledge_is_refused_and_nothing_is_written(tmp_path, shipped):
    store = FileVersions(tmp_path)
    good = store.publish(shipped, "使用中")
    broken = json.loads(json.dumps(shipped))
    broken["contacts"]["contacts"][0]["phones"][0]["number"] = "024-5"
    with pytest.raises(KnowledgeError) as info:
        store.publish(broken, "壊れた版")
    assert "contacts.json" in str(info.value)
    assert store.active() == good.id and [x.id for x in store.versions()] == [good.id]


def test_a_failure_while_writing_leaves_the_version_in_use(tmp_path, shipped, monkeypatch):
    import web.versions as versions
    store = FileVersions(tmp_path)
    good = store.publish(shipped, "使用中")
    calls = {"n": 0}
    real = versions._write_file

    def failing(path, content):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real(path, content)
    monkeypatch.setattr(versions, "_write_file", failing)
    with pytest.raises(OSError):
        store.publish(shipped, "途中で失敗")
    assert store.active() == good.id and [x.id for x in store.versions()] == [good.id]
    assert not [p for p in (tmp_path / "versions").iterdir() if p.name.startswith(".")]


# --- the commands and an app in the same process -------------------------------------------

def test_import_shows_the_diff_and_changes_nothing_without_apply(home, next_year_file, capsys, tmp_path):
    assert cli_main(["import", str(next_year_file), "--report", str(tmp_path / "report")]) == 0
    out = capsys.readouterr().out
    assert "新しい版: 第2期福島市中小企業振興プログラム(令和8年度)" in out and "事業の追加 3件" in out
    assert "024-572-3943 → 024-572-3950" in out and "まだ反映していません" in out
    assert FileVersions(home / "knowledge").active() is None
    html = (tmp_path / "report" / "shinko_program_r8.diff.html").read_text(encoding="utf-8")
    assert "地域ブランド商品開発支援事業" in html and "<script" not in html
    findings = json.loads((tmp_path / "report" / "shinko_program_r8.findings.json").read_text(encoding="utf-8"))
    assert any(f["target"] == "1-1-13" and "业" in f["original"] for f in findings["errata"])


def test_apply_switches_the_app_and_rollback_switches_it_back(home, next_year_file, capsys):
    before = package_fingerprint()
    app = create_app({"TESTING": True, "RATE_LIMIT": "off"})
    client = app.test_client()
    assert client.get("/api/programs/6-1-4").status_code == 404
    assert cli_main(["import", str(next_year_file), "--apply"]) == 0
    assert "反映しました" in capsys.readouterr().out
    assert check_now(app)
    health = client.get("/api/health").get_json()
    assert health["edition"] == "第2期福島市中小企業振興プログラム(令和8年度)" and health["knowledge_version"]
    assert client.get("/api/programs/6-1-4").get_json()["name"] == "地域ブランド商品開発支援事業"
    assert "（令和8年度）" in client.get("/programs").get_data(as_text=True)
    digital = client.get("/api/programs/1-1-8").get_json()
    assert [p for c in digital["contacts"] for p in c["phones"]] == ["024-572-3950"]
    assert cli_main(["rollback"]) == 0
    assert check_now(app)
    assert client.get("/api/programs/6-1-4").status_code == 404
    assert client.get("/api/health").get_json()["knowledge_version"] is None
    assert "（令和7年度）" in client.get("/programs").get_data(as_text=True)
    assert cli_main(["rollback"]) == 1  # nothing before the installed data
    assert package_fingerprint() == before  # the installed package's data was never written


def test_an_edition_that_fails_validation_is_not_applied(home, tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(v.current().replace("TEL 024-525-3784", "TEL 024-525-37840"), encoding="utf-8")
    assert cli_main(["import", str(bad), "--apply"]) == 1
    err = capsys.readouterr().err
    assert "反映できません" in err and "024-525-37840" in err
    assert FileVersions(home / "knowledge").active() is None


def test_a_misshapen_phone_blocks_the_apply_until_staff_correct_it(home, tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(v.current().replace("TEL 024-525-3784", "TEL 024-52-3784"), encoding="utf-8")
    assert cli_main(["import", str(bad), "--apply", "--report", str(tmp_path)]) == 1
    assert "024-52-3784" in capsys.readouterr().err and FileVersions(home / "knowledge").active() is None
    findings = json.loads((tmp_path / "bad.findings.json").read_text(encoding="utf-8"))
    [phone] = [f for f in findings["errata"] if f["kind"] == "phone"]
    phone["corrected"] = "024-525-3784"  # what staff read in the original
    (tmp_path / "reviewed.json").write_text(json.dumps(findings, ensure_ascii=False), encoding="utf-8")
    assert cli_main(["import", str(bad), "--apply", "--errata", str(tmp_path / "reviewed.json")]) == 0
    store = FileVersions(home / "knowledge")
    docs = store.documents(store.active())
    program = next(p for p in docs["programs"]["programs"] if p["id"] == "2-1-3")
    assert program["contacts"][0]["phones"] == ["024-525-3784"]
    assert any(e["original"] == "024-52-3784" and e["corrected"] == "024-525-3784" for e in docs["errata"]["errata"])


@pytest.mark.parametrize("content", [b"", b"\xff\xfe not utf-8 \x80", "ただの文章です。".encode()])
def test_a_file_that_is_not_an_edition_is_refused_clearly(home, tmp_path, capsys, content):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    assert cli_main(["import", str(path)]) == 2
    assert "shien-navi import" in capsys.readouterr().err


def test_versions_lists_the_active_one(home, next_year_file, capsys):
    cli_main(["import", str(next_year_file), "--apply"])
    capsys.readouterr()
    assert cli_main(["versions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("  (最初のデータ)") and lines[1].startswith("* ") and "令和8年度" in lines[1]
    assert "要確認 7件" in lines[1]


def test_a_vocabulary_edit_never_writes_the_installed_data(home):
    before = package_fingerprint()
    app = create_app({"TESTING": True, "ADMIN_TOKEN": "t" * 20, "RATE_LIMIT": "off"})
    r = app.test_client().post("/admin/vocabulary", headers={"Authorization": "Bearer " + "t" * 20},
                               data={"word": "ぴよぴよ", "tag": "創業"})
    assert r.status_code == 303 and "notice" in r.headers["Location"]
    assert package_fingerprint() == before
    store = FileVersions(home / "knowledge")
    assert "ぴよぴよ" in json.dumps(store.documents(store.active())["vocabulary"], ensure_ascii=False)


def test_a_staff_edit_on_a_worker_that_has_not_polled_keeps_the_new_edition(home, next_year_file):
    """Two workers of one instance: the edition is applied while the second has not polled yet. A word it
    adds is derived from the store's active version, not from the data it still answers with."""
    token = "t" * 20
    first = create_app({"TESTING": True, "ADMIN_TOKEN": token, "RATE_LIMIT": "off"})
    second = create_app({"TESTING": True, "ADMIN_TOKEN": token, "RATE_LIMIT": "off"})
    assert cli_main(["import", str(next_year_file), "--apply"]) == 0
    assert check_now(first)
    r = second.test_client().post("/admin/vocabulary", headers={"Authorization": "Bearer " + token},
                                  data={"word": "ぴよぴよ", "tag": "創業"})
    assert r.status_code == 303
    for app in (first, second):
        check_now(app)
        assert app.test_client().get("/api/programs/6-1-4").status_code == 200  # the edition is still there


# --- a running server -----------------------------------------------------------------------

def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, None


def wait_for(check, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_apply_and_rollback_on_a_running_server(home, next_year_file, monkeypatch):
    monkeypatch.setenv("SHIEN_NAVI_KNOWLEDGE_POLL_SECONDS", "0.5")
    with Server(data_home=str(home)) as server:
        def answer():
            query = urllib.parse.quote("地域ブランドの商品開発")
            return [r["id"] for r in get(server.base + f"/api/search?q={query}")[1]["results"]]
        assert "6-1-4" not in answer() and get(server.base + "/api/programs/8-1-4")[0] == 404
        assert cli_main(["import", str(next_year_file), "--apply"]) == 0
        assert wait_for(lambda: get(server.base + "/api/programs/8-1-4")[0] == 200)
        assert wait_for(lambda: "6-1-4" in answer())  # every worker process switches within its poll
        assert wait_for(lambda: get(server.base + "/api/health")[1]["edition"].endswith("(令和8年度)"))
        assert cli_main(["rollback"]) == 0
        assert wait_for(lambda: get(server.base + "/api/programs/8-1-4")[0] == 404)
        assert wait_for(lambda: "6-1-4" not in answer())
        assert wait_for(lambda: get(server.base + "/api/health")[1]["edition"].endswith("(令和7年度)"))
