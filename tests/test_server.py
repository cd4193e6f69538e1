"""`shien-navi serve`: gunicorn workers sharing one preloaded app where fork exists, waitress elsewhere."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from web.cli import build_parser
from web.server import bind_address, default_workers
from web.store import Store

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from harness import Server, children, free_port  # noqa: E402


def chat(base: str, message: str) -> dict:
    request = urllib.request.Request(base + "/api/chat", json.dumps({"message": message}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_workers_default_to_one_per_core_and_must_be_positive():
    assert build_parser().parse_args(["serve"]).workers is None and default_workers() >= 1
    assert build_parser().parse_args(["serve", "--workers", "3", "--threads", "2"]).workers == 3
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--workers", "0"])
    assert bind_address("::1", 8000) == "[::1]:8000" and bind_address("127.0.0.1", 80) == "127.0.0.1:80"


def test_serve_forks_the_workers_and_each_answers(tmp_path):
    """Issue 12: serve ran one process, so the default install used one core of two."""
    with Server("--workers", "2", "--threads", "2", data_home=str(tmp_path)) as server:
        deadline = time.monotonic() + 30
        while len(children(server.proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(children(server.proc.pid)) == 2
        replies = [chat(server.base, "創業したい") for _ in range(8)]
        assert all(r["results"] for r in replies)


def test_a_stopped_server_writes_the_turns_it_had_queued(tmp_path):
    with Server("--workers", "2", data_home=str(tmp_path)) as server:
        turn_ids = [chat(server.base, m)["turn_id"] for m in ["創業したい", "後継者がいない", "電気代を下げたい"] * 10]
    store = Store(f"sqlite:///{tmp_path / 'shien-navi.sqlite3'}")
    try:
        assert set(turn_ids) <= {t.id for t in store.turns_since()}
    finally:
        store.dispose()


def test_without_fork_serve_runs_waitress(tmp_path):
    port = free_port()
    code = ("import os, sys; del os.fork; from web.cli import main; "
            f"sys.exit(main(['serve', '--port', '{port}', '--threads', '2']))")
    env = dict(os.environ, SHIEN_NAVI_DATA_HOME=str(tmp_path), SHIEN_NAVI_RATE_LIMIT="off")
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        assert "waitress" in proc.stdout.readline()
        deadline = time.monotonic() + 30
        while True:
            try:
                turn_id = chat(f"http://127.0.0.1:{port}", "創業したい")["turn_id"]
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        assert children(proc.pid) == []  # one process
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
    store = Store(f"sqlite:///{tmp_path / 'shien-navi.sqlite3'}")
    try:
        assert turn_id in {t.id for t in store.turns_since()}  # SIGTERM wrote the queued turn first
    finally:
        store.dispose()
