"""The allow-list of embedding sites: one parser for CORS, frame-ancestors and the widget's postMessage."""
from __future__ import annotations

import pytest

from web import create_app
from web.origins import parse_origins
from web.settings import StartupError

LIST = ["https://portal.example.jp", "https://*.example.jp", "http://127.0.0.1:8080", "https://city.example.org:8443/"]

ALLOWED = ["https://portal.example.jp", "https://PORTAL.example.jp", "https://portal.example.jp:443",
           "https://a.example.jp", "https://a.b.example.jp", "http://127.0.0.1:8080", "https://city.example.org:8443"]
REFUSED = ["https://aexampleXjp.attacker.com", "https://example.jp", "http://portal.example.jp",
           "https://portal.example.jp.attacker.com", "https://attacker.com/.example.jp", "https://evil-example.jp",
           "https://a.example.jp:8443", "http://127.0.0.1", "http://127.0.0.1:8081", "https://city.example.org",
           "null", "", "https://*.example.jp", "https://a.example.jp/", "https://ａ.example.jp", "file://",
           "https://a.example.jp\n", "https://xexample.jp"]


@pytest.mark.parametrize("origin", ALLOWED)
def test_allowed_origins(origin):
    assert parse_origins(LIST).allows(origin)


@pytest.mark.parametrize("origin", REFUSED)
def test_refused_origins(origin):
    """Issue 9: `https://*.example.jp` was a regular expression for CORS: it admitted
    https://aexampleXjp.attacker.com and refused https://portal.example.jp."""
    assert not parse_origins(LIST).allows(origin)


def test_frame_ancestors_read_the_same_list():
    assert parse_origins(LIST).frame_ancestors() == ("'self' https://portal.example.jp https://*.example.jp "
                                                     "http://127.0.0.1:8080 https://city.example.org:8443")
    assert parse_origins(["*"]).frame_ancestors() == "*" and parse_origins([]).frame_ancestors() == "'self'"


@pytest.mark.parametrize("entry", ["https://*example.jp", "https://a.*.example.jp", "https://*.jp", "portal.example.jp",
                                   "https://portal.example.jp/path", "https://por tal.example.jp", "ftp://example.jp",
                                   r"https://.*\.example\.jp", "https://example.jp:99999", "https://*"])
def test_a_malformed_entry_stops_start_up_with_one_line(tmp_path, entry):
    with pytest.raises(StartupError, match="SHIEN_NAVI_ALLOWED_ORIGINS"):
        create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "ALLOWED_ORIGINS": [entry]})


@pytest.fixture()
def cors(tmp_path):
    return create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "ALLOWED_ORIGINS": LIST}).test_client()


@pytest.mark.parametrize("origin", ["https://portal.example.jp", "https://a.b.example.jp"])
def test_an_allowed_origin_is_echoed_with_vary_origin(cors, origin):
    r = cors.get("/api/search?q=創業", headers={"Origin": origin})
    assert r.headers["Access-Control-Allow-Origin"] == origin
    assert "Origin" in r.headers.get_all("Vary") or "Origin" in r.headers["Vary"]


@pytest.mark.parametrize("origin", [None, "https://aexampleXjp.attacker.com", "https://example.jp"])
def test_other_origins_get_no_cors_but_still_vary(cors, origin):
    """Issue 9: the reflected Access-Control-Allow-Origin had no Vary: Origin."""
    r = cors.get("/api/health", headers={"Origin": origin} if origin else {})
    assert "Access-Control-Allow-Origin" not in r.headers and "Origin" in r.headers["Vary"]


def test_a_preflight_from_an_allowed_origin(cors):
    r = cors.options("/api/chat", headers={"Origin": "https://a.example.jp", "Access-Control-Request-Method": "POST",
                                           "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 204 and r.data == b""
    assert r.headers["Access-Control-Allow-Origin"] == "https://a.example.jp"
    assert r.headers["Access-Control-Allow-Methods"] == "POST"
    assert r.headers["Access-Control-Allow-Headers"] == "Content-Type"
    assert int(r.headers["Access-Control-Max-Age"]) > 0


def test_a_preflight_from_another_origin_gets_no_permission(cors):
    r = cors.options("/api/chat", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204 and "Access-Control-Allow-Origin" not in r.headers
    assert "Access-Control-Allow-Methods" not in r.headers


def test_wildcard_origins_frame_the_widget_too(tmp_path):
    app = create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "ALLOWED_ORIGINS": ["https://*.example.jp"]})
    csp = app.test_client().get("/widget").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://*.example.jp" in csp
