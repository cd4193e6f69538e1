"""The contract endpoints return the documented shapes; bad input gets the JSON error body."""
from __future__ import annotations

import pytest

PHONE_SHAPE = r"^0\d{1,4}-\d{2,6}(-\d{3,4})?$"


def _assert_result(result):
    assert {"id", "name", "summary", "contacts"} <= set(result)
    for contact in result["contacts"]:
        assert isinstance(contact["name"], str) and isinstance(contact["phones"], list)


def _assert_error(response, status):
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])


def test_health(client):
    response = client.get("/api/health")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


def test_programs_lists_all_with_readable_utf8(client):
    response = client.get("/api/programs")
    assert response.status_code == 200
    assert "よろず支援拠点".encode() in response.data  # not \u-escaped
    programs = response.get_json()["programs"]
    assert len(programs) == 102
    for result in programs:
        _assert_result(result)
        assert result["tags"] and result["kinds"] and "indicator_id" in result


def test_program_by_id(client):
    result = client.get("/api/programs/2-1-10").get_json()
    _assert_result(result)
    assert result["name"] == "福島県事業承継・引継ぎ支援センター"
    assert result["contacts"][0]["phones"] == ["024-954-4163"]


def test_program_names_are_the_printed_ones(client):
    result = client.get("/api/programs/8-1-3").get_json()
    assert result["name"] == "第2期福島おおざそうインター工業団地整備事業"
    assert set(result["short_name_notes"]) == {"大笹生インター工業団地", "大笹生工業団地"}
    assert all("地名" in note for note in result["short_name_notes"].values())


def test_a_shared_description_says_so(client):
    for pid in ("2-1-6", "2-1-7"):
        result = client.get(f"/api/programs/{pid}").get_json()
        assert "共通" in result["description_note"] and "共通の説明" in result["summary"]
    assert "description_note" not in client.get("/api/programs/1-1-3").get_json()


@pytest.mark.parametrize("path", ["/api/programs/9-9-9", "/api/programs/..%2F..%2Fetc", "/api/indicators/kpi-21",
                                  "/api/programs/" + "1" * 300, "/api/nothing"])
def test_unknown_ids_are_404_with_the_error_body(client, path):
    _assert_error(client.get(path), 404)


def test_indicators(client):
    indicators = client.get("/api/indicators").get_json()["indicators"]
    assert [i["id"] for i in indicators] == [f"kpi-{n}" for n in range(1, 21)]
    kpi5 = client.get("/api/indicators/kpi-5").get_json()
    assert kpi5["program_id"] == "2-1-1"
    assert kpi5["target"]["text"] == "15人/年"
    assert kpi5["actuals"]["5年度"]["value"] == 18 and kpi5["actuals"]["6年度"] is None


def test_search_shape_and_limit(client):
    body = client.get("/api/search", query_string={"q": "創業したい", "limit": 3}).get_json()
    assert body["query"] == "創業したい"
    assert 1 <= len(body["results"]) <= 3
    for result in body["results"]:
        _assert_result(result)
        assert result["score"] > 0 and result["why"]


def test_search_matching_nothing_is_empty(client):
    assert client.get("/api/search", query_string={"q": "xqzv"}).get_json()["results"] == []


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "a", "limit": 0}, {"q": "a", "limit": 21},
                                    {"q": "a", "limit": "x"}, {"q": "あ" * 501}])
def test_search_bad_input(client, params):
    _assert_error(client.get("/api/search", query_string=params), 400)


def test_chat_shape_and_context_round_trip(client):
    first = client.post("/api/chat", json={"message": "創業したい"}).get_json()
    assert {"reply", "results", "suggestions", "context"} <= set(first)
    assert first["results"] and isinstance(first["context"], dict)
    second = client.post("/api/chat", json={"message": "もっと", "context": first["context"]}).get_json()
    assert second["results"] and {r["id"] for r in second["results"]}.isdisjoint({r["id"] for r in first["results"]})


@pytest.mark.parametrize("body", [{}, {"message": ""}, {"message": "  "}, {"message": 3}, {"message": None},
                                  {"message": ["a"]}, {"message": "あ" * 501}, [], "text", 5])
def test_chat_bad_input(client, body):
    _assert_error(client.post("/api/chat", json=body), 400)


def test_chat_invalid_json(client):
    _assert_error(client.post("/api/chat", data=b"{not json", content_type="application/json"), 400)


def test_wrong_method(client):
    _assert_error(client.put("/api/chat", json={"message": "x"}), 405)


def test_a_repeated_search_gives_the_same_answer_from_the_cache(app, client):
    first = client.get("/api/search", query_string={"q": "創業したい", "limit": 3})
    again = client.get("/api/search", query_string={"q": "創業したい", "limit": 3})
    assert first.data == again.data and first.mimetype == "application/json"
    assert len(client.get("/api/search", query_string={"q": "創業したい", "limit": 4}).get_json()["results"]) == 4
    assert app.extensions["search_answers"].encoded.cache_info().hits >= 1


def test_prepared_answers_are_the_records_as_serialized(app, client, knowledge):
    from web.reasons import need_of
    from web.serialize import hit_dict, program_dict
    assert client.get("/api/programs").get_json()["programs"] == [program_dict(knowledge, p) for p in knowledge.programs]
    assistant = app.extensions["assistant"]
    analysis = assistant.analyze("事業承継")
    hits = assistant.rank(analysis, 5)
    body = client.get("/api/search", query_string={"q": "事業承継"}).get_json()
    assert body["results"] == [hit_dict(knowledge, h, need_of(analysis)) for h in hits]


def test_json_is_utf8_and_text_orjson_refuses_is_escaped_not_a_500():
    from web.jsonprovider import encode
    assert encode({"名": "よろず", "n": [1, 2.5, None]}) == '{"名":"よろず","n":[1,2.5,null]}'.encode()
    assert encode({"old": "\ud800創業"}) == b'{"old": "\\ud800\\u5275\\u696d"}'
