"""LINE webhook timings: how fast LINE gets its 200, and how long until the reply reaches the Messaging API.

Starts `shien-navi serve` with LINE on (SQLite in a temp data home, or --database-url), a local
stand-in for the Messaging API (tests/line_standin.py), and posts signed webhooks:
  1. one event at a time (dev queries, each followed by 「もっと」 from the same user): the time to
     the webhook's 200 and the time until the stand-in has the reply;
  2. --burst webhooks from --clients at once: webhook latency under load, and how fast the replies
     all reach the stand-in (the events' throughput, end to end).
Also prints the in-process cost of building the LINE messages of a reply.

usage: python3 benchmarks/line_webhook.py [--events 60] [--clients 8] [--burst 400] [--database-url URL]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time
import urllib.request

from harness import DEV_QUERIES, ROOT, Server, load_queries, machine, ms_stats, print_table

sys.path.insert(0, str(ROOT / "tests"))
import line_standin as L  # noqa: E402  (the tests' stand-in and signing helpers)


def post(conn: http.client.HTTPConnection, *events: dict) -> float:
    """Post one signed webhook; return the seconds until its 200."""
    body = L.payload(*events)
    started = time.perf_counter()
    conn.request("POST", "/line/webhook", body, {"Content-Type": "application/json", "X-Line-Signature": L.sign(body)})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"webhook answered {response.status}")
    return time.perf_counter() - started


def one_at_a_time(server: Server, standin: L.StandIn, events: int) -> tuple[list[float], list[float]]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    queries = [q.text for q in load_queries(DEV_QUERIES)]
    to_200, to_reply = [], []
    for i in range(events):
        user = L.user(f"U{i // 2:032x}")
        message = queries[(i // 2) % len(queries)] if i % 2 == 0 else "もっと"
        before = len(standin.replies())
        started = time.perf_counter()
        to_200.append(post(conn, L.text(message, user)))
        if len(standin.wait_for(before + 1, timeout=30)) <= before:
            raise RuntimeError("no reply reached the stand-in")
        to_reply.append(time.perf_counter() - started)
    conn.close()
    return to_200, to_reply


def burst(server: Server, standin: L.StandIn, clients: int, events: int) -> tuple[list[float], int, float]:
    """`events` webhooks from `clients` at once; the webhook latencies, replies delivered, seconds to the last."""
    latencies: list[float] = []
    before = len(standin.replies())
    per_client = events // clients

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        for i in range(per_client):
            latencies.append(post(conn, L.text("創業したい" if i % 2 == 0 else "もっと", L.user(f"U{n:016x}{i // 2:016x}"))))
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    standin.wait_for(before + len(latencies), timeout=300)
    return latencies, len(standin.replies()) - before, time.perf_counter() - started


def build_cost(rounds: int = 200) -> dict[str, float]:
    from assistant.dialogue import respond
    from assistant.engine import Assistant
    from knowledge import load_knowledge
    from web.line.messages import reply_messages
    assistant = Assistant(load_knowledge())
    replies = [respond(assistant, q.text, None) for q in load_queries(DEV_QUERIES)]
    timings = []
    for i in range(rounds):
        started = time.perf_counter()
        reply_messages(replies[i % len(replies)], "https://shien.example.jp")
        timings.append(time.perf_counter() - started)
    return ms_stats(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--burst", type=int, default=400)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    standin = L.StandIn().start()
    os.environ.update({"SHIEN_NAVI_LINE_CHANNEL_SECRET": L.SECRET, "SHIEN_NAVI_LINE_CHANNEL_ACCESS_TOKEN": L.TOKEN,
                       "SHIEN_NAVI_LINE_API_URL": standin.url, "SHIEN_NAVI_PUBLIC_URL": "https://shien.example.jp"})
    if args.database_url:
        os.environ["SHIEN_NAVI_DATABASE_URL"] = args.database_url
    print(f"# {machine()}; store: {'PostgreSQL' if args.database_url else 'SQLite'}")
    with tempfile.TemporaryDirectory() as home, Server(data_home=home) as server:
        to_200, to_reply = one_at_a_time(server, standin, args.events)
        latencies, replied, elapsed = burst(server, standin, args.clients, args.burst)
        dropped = json.loads(urllib.request.urlopen(server.base + "/api/health", timeout=10).read())["line_dropped"]
    standin.stop()
    rows = [("one at a time: webhook 200", len(to_200), *ms_stats(to_200).values()),
            ("one at a time: reply at LINE", len(to_reply), *ms_stats(to_reply).values()),
            (f"{args.clients} clients: webhook 200", len(latencies), *ms_stats(latencies).values())]
    print_table(["measure", "n", "p50 ms", "p95 ms", "p99 ms"], rows)
    print(f"\n{args.clients} clients, {len(latencies)} webhooks: all replies at LINE after {elapsed:.1f} s "
          f"({replied / elapsed:.0f} events/s end to end; {replied} replied, {dropped} dropped)")
    cost = build_cost()
    print(f"building a reply's LINE messages in-process: p50 {cost['p50']:.3f} ms, p95 {cost['p95']:.3f} ms")


if __name__ == "__main__":
    main()
