"""A frozen PostgreSQL (SIGSTOP on all its processes) under 8 concurrent clients takes nothing down.

Search, pages and health keep answering within 1 s and chat within 2 s; health says the store is
degraded; a new instance refuses to start with one clear line; after SIGCONT every queued turn is
written. The cluster is this module's own, so freezing it cannot disturb other tests.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import pytest

from web.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from harness import Server, serve_command  # noqa: E402  (the benchmarks' served-instance helper)

CLIENTS = 8
FROZEN_SECONDS = 5.0
LIMITS = {"search": 1.0, "page": 1.0, "health": 1.0, "chat": 2.0}
REQUESTS = [("chat", "POST", "/api/chat"), ("search", "GET", "/api/search?" + urllib.parse.urlencode({"q": "創業"})),
            ("page", "GET", "/"), ("health", "GET", "/api/health"), ("page", "GET", "/programs/1-1-3")]
MESSAGES = ["創業したい", "後継者がいない", "電気代を下げたい", "人手不足で困っている"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import pgcluster
    try:
        c = pgcluster.start_cluster(tmp_path_factory.mktemp("pgfreeze"))
    except RuntimeError as exc:
        pytest.skip(str(exc))
    yield c
    for pid in server_pids(c):  # never leave it frozen
        os.kill(pid, signal.SIGCONT)
    c.stop()


def server_pids(cluster) -> list[int]:
    """The postmaster and every process it started."""
    postmaster = int((cluster.root / "data" / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            children.append(int(stat.parent.name))
    return [postmaster, *children]


def signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def client_loop(base: str, offset: int, stop: float, latencies: dict, failures: list, turn_ids: list,
                stores: list) -> None:
    """Send the request mix back to back on one keep-alive connection until `stop`."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    i = offset
    while time.perf_counter() < stop:
        kind, method, path = REQUESTS[i % len(REQUESTS)]
        body = json.dumps({"message": MESSAGES[i % len(MESSAGES)]}).encode() if method == "POST" else None
        i += 1
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            failures.append(f"{kind}: {exc!r}")
            conn.close()
            conn = http.client.HTTPConnection(host, int(port), timeout=10)
            continue
        latencies[kind].append(time.perf_counter() - started)
        if response.status != 200:
            failures.append(f"{kind}: {response.status}")
        elif kind == "chat":
            turn_ids.append(json.loads(data)["turn_id"])
        elif kind == "health":  # this connection's worker has been writing to the frozen database
            stores.append((stop - time.perf_counter(), json.loads(data)["store"]))
    conn.close()


def get_json(base: str, path: str) -> dict:
    import urllib.request
    with urllib.request.urlopen(base + path, timeout=5) as r:
        return json.loads(r.read())


def test_a_frozen_postgresql_takes_nothing_down(cluster, tmp_path, monkeypatch):
    url = cluster.create_database()
    monkeypatch.setenv("SHIEN_NAVI_DATABASE_URL", url)
    monkeypatch.setenv("SHIEN_NAVI_DB_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("SHIEN_NAVI_DB_STATEMENT_TIMEOUT", "2")
    monkeypatch.setenv("SHIEN_NAVI_LOG_QUEUE_SIZE", "5000")  # room for every chat turn sent while frozen
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    turn_ids: list[str] = []
    stores: list[tuple[float, str]] = []  # (seconds before the end of the freeze, the store's state)
    with Server(data_home=str(tmp_path / "home")) as server:
        assert get_json(server.base, "/api/health")["store"] == "ok"
        pids = server_pids(cluster)
        signal_all(pids, signal.SIGSTOP)
        try:
            stop = time.perf_counter() + FROZEN_SECONDS
            threads = [threading.Thread(target=client_loop,
                                        args=(server.base, n, stop, latencies, failures, turn_ids, stores))
                       for n in range(CLIENTS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            # a new instance cannot reach the frozen database: it stops in time with one clear line
            started = time.perf_counter()
            refused = subprocess.run([serve_command(), "serve", "--port", "0"], capture_output=True, text=True,
                                     timeout=60, env=dict(os.environ, SHIEN_NAVI_DATA_HOME=str(tmp_path / "other")))
            refused_after = time.perf_counter() - started
        finally:
            signal_all(pids, signal.SIGCONT)
        assert failures == []
        worst = {kind: max(values) for kind, values in latencies.items()}
        assert set(worst) == set(LIMITS) and all(len(latencies[k]) >= 5 for k in LIMITS)
        assert all(worst[kind] < LIMITS[kind] for kind in LIMITS), worst
        late = [state for left, state in stores if left < FROZEN_SECONDS - 3.5]  # past the 2 s statement timeout
        assert late and set(late) == {"degraded"}
        assert refused.returncode == 1 and refused_after < 15 and "Traceback" not in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1 and refused.stderr.startswith("shien-navi: cannot start:")

        store = Store(url)
        try:  # thawed: every queued turn is written (each worker drains its own queue)
            deadline = time.perf_counter() + 60
            while not set(turn_ids) <= (stored := {t.id for t in store.turns_since()}):
                assert time.perf_counter() < deadline, f"{len(set(turn_ids) - stored)} turns never written"
                time.sleep(0.3)
        finally:
            store.dispose()
        after = [get_json(server.base, "/api/health") for _ in range(10)]  # new connections: any worker
    assert len(turn_ids) >= 5
    assert all(h["store"] == "ok" and h["dropped"] == 0 and h["queued"] == 0 for h in after), after
