"""The HTML pages, the widget, /api/furigana and /api/openapi.json, without a browser."""
from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate as validate_spec

from web import create_app
from web.openapi import document
from web.requests import CHAT_REQUEST, SEARCH_QUERY

PAGES = [
    ("/", "困りごと"),
    ("/widget", "ふくしま支援ナビ"),
    ("/programs", "よろず支援拠点"),
    ("/programs/1-1-3", "よろず支援拠点"),
    ("/programs?tag=創業", "創業応援利子補給事業"),
    ("/contacts", "024-515-7746"),
    ("/memo?ids=1-1-3,2-1-1&need=後継者がいない", "後継者がいない"),
]


@pytest.mark.parametrize(("path", "text"), PAGES)
def test_page_renders_in_japanese(client, path, text):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="ja">' in html
    assert text in html


def test_chat_page_chips_start_with_the_common_needs(client):
    html = client.get("/").get_data(as_text=True)
    chips = re.findall(r'data-message="([^"]+)"', html)
    assert chips[:4] == ["創業したい", "後継者がいない", "電気代を下げたい", "人手不足で困っている"]
    assert len(chips) == len(set(chips)) > 10


def test_pages_load_nothing_from_other_sites(client):
    for path in ("/", "/widget", "/programs", "/programs/1-1-3", "/contacts", "/memo?ids=1-1-3"):
        html = client.get(path).get_data(as_text=True)
        # the canonical link names the page's own address for search engines; it loads nothing
        html = re.sub(r'<link rel="canonical" href="http://localhost/[^"]*">', "", html)
        assert not re.search(r'(src|href)="(https?:)?//', html), path


def without_phrases(html: str) -> str:
    """The HTML with the phrase breaks (web/phrases.py) taken out: <wbr> and the span.jp around them."""
    return re.sub(r'<span class="jp">((?:(?!</?span).)*)</span>', r"\1", html.replace("<wbr>", ""))


def test_program_page_shows_why_a_text_or_a_name_is_not_the_programs_own(client):
    html = without_phrases(client.get("/programs/2-1-6").get_data(as_text=True))
    assert "この説明と窓口は二つの事業に共通です" in html
    html = without_phrases(client.get("/programs/8-1-3").get_data(as_text=True))
    assert "<h1>第2期福島おおざそうインター工業団地整備事業</h1>" in html
    assert "大笹生工業団地<span class=\"note\">（地名「大笹生（おおざそう）」の漢字表記" in html


def test_memo_escapes_the_visitors_words(client):
    need = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = client.get("/memo", query_string={"ids": "1-1-3", "need": need}).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_memo_lists_programs_desks_phones_source_and_date(client):
    html = without_phrases(client.get("/memo?ids=1-1-3&ids=2-1-10").get_data(as_text=True))
    assert "よろず支援拠点" in html and "事業承継" in html
    assert 'href="tel:' in html and "出典:" in html and "作成日" in html


@pytest.mark.parametrize("path", ["/programs/9-9-9", "/memo?ids=1-1-3,nope", "/no-such-page"])
def test_unknown_pages_get_the_html_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "ページが見つかりません" in response.get_data(as_text=True)


def test_api_404_stays_json(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_programs_filters_work_without_javascript(client):
    html = client.get("/programs?level=県&kind=融資").get_data(as_text=True)
    shown = re.findall(r'<li class="program"[^>]*>', html)
    visible = [li for li in shown if " hidden" not in li]
    assert 0 < len(visible) < len(shown)
    assert all("県" in re.search(r'data-levels="([^"]*)"', li).group(1) for li in visible)


def test_widget_frame_ancestors_default_to_self(client):
    csp = client.get("/widget").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp
    assert "script-src 'self'" in csp


def test_widget_frame_ancestors_follow_allowed_origins(tmp_path):
    app = create_app({"TESTING": True, "DATA_HOME": str(tmp_path),
                      "ALLOWED_ORIGINS": ["https://portal.example.jp"]})
    client = app.test_client()
    assert "frame-ancestors 'self' https://portal.example.jp" in client.get("/widget").headers["Content-Security-Policy"]
    allowed = client.get("/api/health", headers={"Origin": "https://portal.example.jp"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://portal.example.jp"
    other = client.get("/api/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_api_has_no_cors_by_default(client):
    response = client.get("/api/health", headers={"Origin": "https://portal.example.jp"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_widget_takes_no_title_or_greeting_from_its_url(client):
    """Issue 7: /widget?title=福島市公式&first=ご相談は090-0000-0000へ showed that text as the greeting."""
    html = without_phrases(client.get("/widget", query_string={"title": "福島市公式", "first": "ご相談は090-0000-0000へ"}).get_data(as_text=True))
    assert "福島市公式" not in html and "090-0000-0000" not in html
    assert "<h1>ふくしま支援ナビ</h1>" in html and "困りごとを普段の言葉で書いてください" in html


def test_widget_names_the_sites_that_may_configure_it(tmp_path):
    """chat.js takes a title and greeting by postMessage only from these (the CORS rules)."""
    app = create_app({"TESTING": True, "DATA_HOME": str(tmp_path),
                      "ALLOWED_ORIGINS": ["https://portal.example.jp", "https://*.example.org"]})
    html = app.test_client().get("/widget").get_data(as_text=True)
    raw = re.search(r'data-embedders="([^"]*)"', html).group(1)
    import html as html_lib
    import json
    assert json.loads(html_lib.unescape(raw)) == [
        {"scheme": "https", "host": "portal.example.jp", "port": 443, "wildcard": False},
        {"scheme": "https", "host": "example.org", "port": 443, "wildcard": True}]
    assert 'data-embedders="[]"' in create_app({"TESTING": True, "DATA_HOME": str(tmp_path)}).test_client().get(
        "/widget").get_data(as_text=True)


BIDI = ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
        "\u200f", "\u061c"]


@pytest.mark.parametrize("control", BIDI)
def test_memo_strips_bidi_controls_from_the_visitors_words(client, control):
    """Issue 7: /memo?need= kept right-to-left override characters."""
    html = client.get("/memo", query_string={"ids": "1-1-3", "need": f"電話{control}0987-654-321"}).get_data(as_text=True)
    assert control not in html and "電話0987-654-321" in html


def test_chat_strips_bidi_controls_before_anything_sees_them(client):
    r = client.post("/api/chat", json={"message": "\u202e創業したい\u2066"})
    assert r.status_code == 200 and "\u202e" not in r.get_data(as_text=True)
    assert client.post("/api/chat", json={"message": "\u202e\u202c"}).status_code == 400


def test_embed_js_is_served_as_javascript(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert b"shien-navi:close" in response.data


def test_furigana_gives_readings_for_kanji(client):
    response = client.post("/api/furigana", json={"text": "創業の相談"})
    segments = response.get_json()["segments"]
    assert "".join(s["text"] for s in segments) == "創業の相談"
    assert {"text": "創業", "reading": "そうぎょう"} in segments


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": 3}, {"text": "あ" * 2001}])
def test_furigana_rejects_bad_input(client, body):
    response = client.post("/api/furigana", json=body)
    assert response.status_code == 400
    assert set(response.get_json()["error"]) == {"code", "message"}


def test_openapi_is_a_valid_3_1_document(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    validate_spec(spec)


def test_openapi_uses_the_validating_schemas(app):
    spec = document(app)
    assert spec["components"]["schemas"]["ChatRequest"] is CHAT_REQUEST
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params == SEARCH_QUERY["properties"]


def test_openapi_documents_the_chat_replys_turn_id(client):
    """The id the chat page's 役に立った/役に立たなかった buttons send to /api/feedback."""
    from jsonschema import Draft202012Validator
    spec = client.get("/api/openapi.json").get_json()
    chat_reply = spec["components"]["schemas"]["ChatReply"]
    assert "turn_id" in chat_reply["required"] and chat_reply["properties"]["turn_id"]["type"] == "string"
    reply = client.post("/api/chat", json={"message": "創業したい"}).get_json()
    validator = Draft202012Validator({"$ref": "#/components/schemas/ChatReply", **spec})
    assert not list(validator.iter_errors(reply))
    assert list(validator.iter_errors({k: v for k, v in reply.items() if k != "turn_id"}))  # required


def test_openapi_documents_every_api_route(app):
    documented = set(document(app)["paths"])
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", "{id}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/")}
    assert routes <= documented, f"add these to web/openapi.py (or add_paths): {sorted(routes - documented)}"


def ranked_on_page(html: str) -> list[str]:
    ranked = re.search(r'<ol class="program-list ranked" id="ranked">(.*?)</ol>', html, re.S).group(1)
    return re.findall(r'id="pick-([0-9-]+)"', ranked)


@pytest.mark.parametrize("word", ["電気代", "しょうえね", "省エネ"])
def test_programs_keyword_ranks_with_the_chats_search_without_javascript(app, client, word):
    html = client.get("/programs", query_string={"q": word}).get_data(as_text=True)
    ranked = ranked_on_page(html)
    assert {"2-2-7", "2-2-8"} <= set(ranked[:3])
    searched = [r["id"] for r in client.get("/api/search", query_string={"q": word, "limit": 20}).get_json()["results"]]
    assert ranked[:len(searched)] == searched  # the same ranking as the browser gets from /api/search
    hidden = re.findall(r'<li class="program"[^>]*hidden>', html)
    assert len(ranked) + len(hidden) == 102


def test_programs_keyword_without_a_match_shows_the_empty_note(client):
    html = client.get("/programs", query_string={"q": "存在しない言葉ですよ"}).get_data(as_text=True)
    assert ranked_on_page(html) == [] and '<p class="empty" id="empty">' in html


def test_program_page_marks_the_desk_to_call_first_and_a_desk_without_a_number(client):
    html = without_phrases(client.get("/programs/2-2-9").get_data(as_text=True))
    html = html[html.index("<body"):]  # the head's description and JSON-LD name the desks too
    assert html.count('class="first-mark"') == 1
    first = html.index('class="first-mark"')
    assert html.index("次世代自動車振興センター") > first > html.index("経済産業省製造産業局")
    assert "電話番号の記載なし" in html and '<span class="tel-label">電話</span>&nbsp;0570-001-136' in html


def test_one_citation_format_on_cards_and_pages(client):
    card = client.post("/api/chat", json={"message": "創業したい"}).get_json()["results"][0]
    assert card["source"] == "第2期福島市中小企業振興プログラム(令和7年度) p.13"  # the edition's own title
    cited = ("出典: " + card["source"]).replace("(", "（").replace(")", "）")
    for path in (card["url"], f"/memo?ids={card['id']}"):
        html = without_phrases(client.get(path).get_data(as_text=True))
        assert html.count(cited) == 1, path


def test_chat_results_carry_what_the_cards_show(client):
    body = client.post("/api/chat", json={"message": "電気代を下げたい"}).get_json()
    assert body["first"] == 1 and "電話" in body["lead"]
    levels = {r["id"]: r["level"] for r in body["results"]}
    assert levels["2-2-7"] == "市" and levels["2-2-8"] == "県"
    for r in body["results"]:
        assert r["description"] and r["reasons"] and all("→" not in x for x in r["reasons"])
        first = [c for c in r["contacts"] if c["call_first"]]
        assert len(first) == 1 and first[0]["phones"]
        assert first[0] is next(c for c in r["contacts"] if c["phones"])
    assert set(body["phrases"]) >= {body["lead"], body["follow_up"], *(r["name"] for r in body["results"])}
    assert "".join(body["phrases"][body["lead"]]).replace("\u00a0", " ").replace("（", "(").replace("）", ")") == body["lead"]


def test_furigana_batch_reads_every_text_in_one_request(client):
    response = client.post("/api/furigana/batch", json={"texts": ["創業の相談", "電話", "もっと"]})
    results = response.get_json()["results"]
    assert [("".join(s["text"] for s in r["segments"])) for r in results] == ["創業の相談", "電話", "もっと"]
    assert {"text": "電話", "reading": "でんわ"} in results[1]["segments"]


@pytest.mark.parametrize("body", [{}, {"texts": []}, {"texts": "創業"}, {"texts": [3]}, {"texts": ["あ" * 2001]},
                                  {"texts": ["a" * 2000] * 3}, {"texts": ["あ"] * 101}])
def test_furigana_batch_rejects_bad_input(client, body):
    response = client.post("/api/furigana/batch", json=body)
    assert response.status_code == 400
    assert set(response.get_json()["error"]) == {"code", "message"}


@pytest.mark.parametrize("path", ["/", "/widget", "/programs", "/programs?q=創業", "/programs/2-1-1", "/contacts",
                                  "/memo?ids=2-1-1", "/no-such-page"])
def test_pages_have_no_inline_script_or_style(client, path):
    """The CSP has no 'unsafe-inline': anything inline would simply not run."""
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    # a JSON-LD block is data the browser never runs (the CSP holds); any other inline script would be code
    assert not re.search(r'<script(?![^>]*\ssrc=)(?![^>]*type="application/ld\+json")[^>]*>', html)
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


NESTED = re.compile(r"[(（][^)）]*[(（]")


@pytest.mark.parametrize("message", ["住民票がほしい", "あいうえおかきくけこ", "創業したい", "よろず支援拠点の電話番号"])
def test_no_reply_nests_parentheses(client, message):
    body = client.post("/api/chat", json={"message": message}).get_json()
    for text in (body["lead"], *body["body"]):
        assert not NESTED.search(text), text
