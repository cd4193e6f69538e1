"""/admin/edition: upload next year's edition, see the same diff, confirm each suggestion, apply, roll back."""
from __future__ import annotations

import io
import re

import pytest

import edition_variants as v
from web import create_app
from web.versions import FileVersions

TOKEN = "edition token for the desk staff"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def app(tmp_path):
    return create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "ADMIN_TOKEN": TOKEN, "RATE_LIMIT": "off"})


@pytest.fixture()
def client(app):
    return app.test_client()


def store(tmp_path) -> FileVersions:
    return FileVersions(tmp_path / "knowledge")


def upload(client, text: str, name: str = "shinko_program_r8.txt", **kw):
    data = {"document": (io.BytesIO(text.encode("utf-8")), name)}
    return client.post("/admin/edition/preview", headers=BEARER, data=data, content_type="multipart/form-data", **kw)


def test_the_page_needs_the_admin_token(client):
    assert client.get("/admin/edition").status_code == 401
    assert client.get("/admin/edition", headers=BEARER).status_code == 200
    assert create_app({"TESTING": True}).test_client().get("/admin/edition").status_code == 404


def test_upload_shows_the_diff_and_applies_nothing(client, tmp_path):
    r = upload(client, v.next_year()[0])
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "新しい版との違い" in page
    for expected in ("地域ブランド商品開発支援事業", "024-572-3950", "事業の終了", "商业", "要確認"):
        assert expected in page
    assert store(tmp_path).active() is None  # staged, not active
    assert client.get("/api/programs/6-1-4").status_code == 404


def test_the_diff_is_the_same_as_the_command_s(client):
    from knowledge.loader import DATA_DIR, read_documents
    from web.edition_import import prepare
    data = upload(client, v.next_year()[0], query_string={"format": "json"}).get_json()
    expected = prepare(read_documents(DATA_DIR)[0], v.next_year()[0], "shinko_program_r8.txt").data
    assert {k: data[k] for k in expected} == expected


def test_each_suggestion_is_confirmed_or_changed_then_applied(client, tmp_path):
    page = upload(client, v.next_year()[0]).get_data(as_text=True)
    staged = re.search(r'name="staged" value="([^"]+)"', page).group(1)
    items = re.findall(r"<legend>(\S+) ([^<]*?) — (\S+) ", page)
    index = {(target, field): i for i, (target, _, field) in enumerate(items)}
    form = {"staged": staged,
            f"values-{index[('1-1-15', '分野')]}": ["IT・デジタル"], f"confirm-{index[('1-1-15', '分野')]}": "1",
            f"confirm-{index[('desk-089', '窓口の区分')]}": "1", f"values-{index[('desk-089', '窓口の区分')]}": "市"}
    r = client.post("/admin/edition/apply", headers=BEARER, data=form)
    assert r.status_code == 303 and "notice" in r.headers["Location"]
    assert client.get("/api/programs/1-1-15").get_json()["name"] == "中小企業デジタル化相談事業"
    s = store(tmp_path)
    docs = s.documents(s.active())
    program = next(p for p in docs["programs"]["programs"] if p["id"] == "1-1-15")
    assert program["tags"] == ["IT・デジタル"]
    remaining = {(i["target"], i["field"]) for i in s.info(s.active()).review}
    assert ("1-1-15", "tags") not in remaining and ("desk-089", "level") not in remaining
    assert ("6-1-4", "kinds") in remaining and len(remaining) == 5
    overview = client.get("/admin/edition", headers=BEARER).get_data(as_text=True)
    assert "要確認 5件" in overview and "(令和8年度)" in overview
    # confirm everything left, changing one kind on the way
    i = {(x["target"], x["field"]): n for n, x in enumerate(s.info(s.active()).review)}
    form = {f"confirm-{n}": "1" for n in i.values()} | {f"values-{i[('6-1-4', 'kinds')]}": ["研修・セミナー", "相談"]}
    assert client.post("/admin/edition/confirm", headers=BEARER, data=form).status_code == 303
    assert s.info(s.active()).review == ()
    program = next(p for p in s.documents(s.active())["programs"]["programs"] if p["id"] == "6-1-4")
    assert program["kinds"] == ["研修・セミナー", "相談"]
    assert "確認が必要な項目" not in client.get("/admin/edition", headers=BEARER).get_data(as_text=True)


def test_rollback_from_the_page(client, tmp_path):
    page = upload(client, v.next_year()[0]).get_data(as_text=True)
    staged = re.search(r'name="staged" value="([^"]+)"', page).group(1)
    client.post("/admin/edition/apply", headers=BEARER, data={"staged": staged})
    assert client.get("/api/programs/8-1-4").status_code == 200
    r = client.post("/admin/edition/rollback", headers=BEARER)
    assert r.status_code == 303 and "notice" in r.headers["Location"]
    assert client.get("/api/programs/8-1-4").status_code == 404
    assert "error" in client.post("/admin/edition/rollback", headers=BEARER).headers["Location"]


@pytest.mark.parametrize("content,name", [(b"\x80\x81 not text", "x.txt"), ("ただの文章。".encode(), "x.txt"),
                                          (b"%PDF-1.4 broken", "x.pdf")])
def test_a_bad_upload_is_refused_with_a_message(client, tmp_path, content, name):
    r = client.post("/admin/edition/preview", headers=BEARER, content_type="multipart/form-data",
                    data={"document": (io.BytesIO(content), name)})
    assert r.status_code == 303 and "error=" in r.headers["Location"]
    assert store(tmp_path).versions() == []


def test_apply_of_an_unknown_staged_version_is_404(client):
    assert client.post("/admin/edition/apply", headers=BEARER, data={"staged": "nope"}).status_code == 404


def test_a_form_post_needs_the_csrf_token(client):
    client.post("/admin/login", data={"token": TOKEN})
    r = client.post("/admin/edition/rollback", data={"csrf": "forged"})
    assert r.status_code == 403


def test_a_misshapen_phone_is_not_staged(client, tmp_path):
    r = upload(client, v.current().replace("TEL 024-525-3784", "TEL 024-52-3784"))
    assert r.status_code == 303
    assert "024-52-3784" in client.get(r.headers["Location"], headers=BEARER).get_data(as_text=True)  # the signed message
    assert store(tmp_path).versions() == []
