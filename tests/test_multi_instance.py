"""Two `shien-navi serve` instances share one PostgreSQL; one conversation alternates between them."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path


from web.store import Store

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from harness import Server  # noqa: E402  (the benchmarks' served-instance helper)


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_two_instances_alternate_one_conversation_and_log_to_one_database(postgres, tmp_path, monkeypatch):
    url = postgres.create_database()
    monkeypatch.setenv("SHIEN_NAVI_DATABASE_URL", url)
    with Server(data_home=str(tmp_path / "a")) as a, Server(data_home=str(tmp_path / "b")) as b:
        context, replies = None, []
        for server, message in zip([a, b, a, b], ["創業したい", "もっと", "創業したい", "1番目の電話番号は？"]):
            reply = post(server.base + "/api/chat", {"message": message, "context": context})
            replies.append(reply)
            context = reply["context"]  # the state travels with the client, not the server
        first, more = ({r["id"] for r in replies[i]["results"]} for i in (0, 1))
        assert first and more and not first & more  # b continued a's list
        assert post(b.base + "/api/feedback", {"turn_id": replies[0]["turn_id"], "helpful": True})["stored"]
    store = Store(url)
    turns = list(store.turns_since())
    assert [t.id for t in turns] == [r["turn_id"] for r in replies]
    assert len({t.instance for t in turns}) == 2  # each instance wrote its own turns
    assert [f.turn.id for f in store.feedback_since()] == [replies[0]["turn_id"]]
    store.dispose()


def test_load_benchmark_smoke_run_has_no_errors():
    out = subprocess.run([sys.executable, str(BENCHMARKS / "load.py"), "--clients", "4", "--seconds", "3",
                          "--warmup", "0.5", "--json"], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stdout + out.stderr
    summary = json.loads(out.stdout.splitlines()[-1])
    assert summary["errors"] == 0 and summary["requests"] > 20
