"""What search engines read (web/seo.py): descriptions, canonical URLs, GovernmentService JSON-LD, sitemap, robots."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from web.seo import SITEMAP_NS, script_json, shorten
from web.settings import StartupError

PUBLIC = "https://navi.example.jp/shien"


class Head(HTMLParser):
    """The parts of a page a search engine reads first."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.json_ld: list[str] = []
        self._in_json_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content") or ""
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


@pytest.fixture()
def public_client(tmp_path):
    from web import create_app
    return create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "PUBLIC_URL": PUBLIC + "/"}).test_client()


def head(client, path: str) -> Head:
    response = client.get(path)
    assert response.status_code == 200, path
    return Head(response.get_data(as_text=True))


def json_ld_phones(data: dict) -> list[str]:
    phones = []
    for org in data["provider"]:
        phones += [org["telephone"]] if "telephone" in org else []
        phones += [c["telephone"] for c in org.get("contactPoint", [])]
    return phones


def test_every_program_page_describes_itself_and_is_a_government_service(public_client, knowledge):
    known_phones = knowledge.all_phone_numbers()
    descriptions = set()
    for p in knowledge.programs:
        page = head(public_client, f"/programs/{p.id}")
        description = page.meta["description"]
        assert description.startswith(f"{p.name}: ") and shorten(p.description, 40)[:20] in description
        assert len(description) <= 200 and description not in descriptions
        descriptions.add(description)
        if p.phones:
            assert p.phones[0] in description or any(c.phones[0] in description for c in p.contacts if c.phones)
        assert page.canonical == f"{PUBLIC}/programs/{p.id}" and "robots" not in page.meta
        [raw] = page.json_ld
        assert "</" not in raw
        data = json.loads(raw)
        assert data["@context"] == "https://schema.org" and data["@type"] == "GovernmentService"
        assert data["name"] == p.name and data["description"] == p.description and data["url"] == page.canonical
        assert [org["name"] for org in data["provider"]] == [c.name for c in p.contacts]
        phones = json_ld_phones(data)
        assert set(phones) <= known_phones and set(phones) == set(p.phones), p.id  # every number, only the data's
        levels = {c.name: c.contact.level for c in p.contacts}
        for org in data["provider"]:
            government = levels[org["name"]] in ("市", "県", "国")
            assert org["@type"] == ("GovernmentOrganization" if government else "Organization")


@pytest.mark.parametrize("path", ["/", "/programs", "/programs?tag=創業", "/contacts"])
def test_the_public_pages_have_their_own_description_and_a_canonical_url(public_client, knowledge, path):
    page = head(public_client, path)
    assert str(len(knowledge.programs)) in page.meta["description"] or str(len(knowledge.contacts)) in page.meta["description"]
    assert page.canonical == PUBLIC + urlsplit(path).path  # a filtered list is the same page
    assert "robots" not in page.meta


def test_the_descriptions_differ_from_page_to_page(public_client):
    descriptions = [head(public_client, p).meta["description"] for p in ("/", "/programs", "/contacts", "/programs/1-1-3")]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path, status", [("/memo?ids=1-1-3&need=後継ぎ", 200), ("/widget", 200),
                                          ("/programs/9-9-9", 404), ("/no-such-page", 404)])
def test_private_framed_and_missing_pages_stay_out_of_the_index(public_client, path, status):
    response = public_client.get(path)
    assert response.status_code == status
    page = Head(response.get_data(as_text=True))
    assert page.meta["robots"] == "noindex" and page.canonical is None and page.meta["description"]


def test_the_sitemap_lists_every_program_and_page(public_client, knowledge):
    response = public_client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    locs = [e.text for e in ElementTree.fromstring(response.data).iter(f"{{{SITEMAP_NS}}}loc")]
    programs = [loc for loc in locs if "/programs/" in loc]
    assert len(programs) == len(knowledge.programs) == 102
    assert set(programs) == {f"{PUBLIC}/programs/{p.id}" for p in knowledge.programs}
    assert {f"{PUBLIC}/", f"{PUBLIC}/programs", f"{PUBLIC}/contacts"} <= set(locs) and len(set(locs)) == len(locs)
    for loc in locs[:4] + programs[:2]:  # the addresses answer (the client serves them at the root)
        assert public_client.get(loc.removeprefix(PUBLIC) or "/").status_code == 200


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_off_private_pages(public_client):
    response = public_client.get("/robots.txt")
    lines = response.get_data(as_text=True).splitlines()
    assert response.mimetype == "text/plain" and lines[0] == "User-agent: *"
    assert {"Disallow: /admin", "Disallow: /memo", "Disallow: /api/", "Disallow: /widget"} <= set(lines)
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in lines


def test_without_a_public_url_the_request_address_is_used(client):
    assert head(client, "/programs").canonical == "http://localhost/programs"
    assert "Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt").get_data(as_text=True)


@pytest.mark.parametrize("value", ["navi.example.jp", "ftp://navi.example.jp", "https://navi.example.jp/?a=1",
                                   "https:///path", "https://navi.example.jp/#top"])
def test_a_public_url_that_cannot_prefix_a_page_stops_start_up(tmp_path, value):
    from web import create_app
    with pytest.raises(StartupError, match="SHIEN_NAVI_PUBLIC_URL"):
        create_app({"TESTING": True, "DATA_HOME": str(tmp_path), "PUBLIC_URL": value})


def test_json_ld_cannot_end_its_script_block():
    hostile = {"name": "</script><script>alert(1)</script><!-- & '"}
    text = str(script_json(hostile))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == hostile


@pytest.mark.parametrize("text, limit, expected", [
    ("短い。", 10, "短い。"),
    ("一つ目の文はここまでです。二つ目は入りきりません。", 20, "一つ目の文はここまでです。"),
    ("句点のないとても長い説明文がずっと続いていく", 10, "句点のないとても長…"),
    ("改行\n  と  空白", 20, "改行 と 空白"),
])
def test_shorten(text, limit, expected):
    assert shorten(text, limit) == expected
