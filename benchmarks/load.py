"""Load: N concurrent clients for T seconds against `shien-navi serve` on loopback.

Each client loops over a mix of chat turns (carrying the context, as a browser does), searches
and pages, on its own keep-alive connection. Prints throughput, p50/p95/p99 per kind, errors,
and the server's memory (PSS of all its processes) before and after.

    python3 benchmarks/load.py --clients 32 --seconds 60
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import DEV_QUERIES, Server, load_queries, machine, ms_stats, print_table  # noqa: E402

PAGES = ["/", "/programs", "/contacts", "/programs/1-1-3", "/api/programs/2-1-1", "/api/health"]
MIX = ["chat"] * 4 + ["search"] * 4 + ["page"] * 2  # 40 % chat, 40 % search, 20 % pages


class Client(threading.Thread):
    """One user: a keep-alive connection, chat turns that follow up with もっと, searches, pages."""

    def __init__(self, port: int, queries: list[str], until: float, seed: int):
        super().__init__(daemon=True)
        self.port, self.queries, self.until = port, queries, until
        self.random = random.Random(seed)
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.context: dict | None = None

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while time.perf_counter() < self.until:
            kind = self.random.choice(MIX)
            started = time.perf_counter()
            try:
                ok = getattr(self, kind)(conn)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                ok = False
                self.errors[type(exc).__name__] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.timings[kind].append(time.perf_counter() - started)
            if not ok:
                self.errors[kind] += 1
        conn.close()

    def _get(self, conn: http.client.HTTPConnection, path: str) -> bytes | None:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return body if response.status == 200 else None

    def chat(self, conn: http.client.HTTPConnection) -> bool:
        follow = self.context is not None and self.random.random() < 0.3
        body = {"message": "もっと" if follow else self.random.choice(self.queries), "context": self.context}
        conn.request("POST", "/api/chat", json.dumps(body, ensure_ascii=False).encode(),
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            return False
        self.context = json.loads(data)["context"]
        return True

    def search(self, conn: http.client.HTTPConnection) -> bool:
        return self._get(conn, "/api/search?q=" + quote(self.random.choice(self.queries))) is not None

    def page(self, conn: http.client.HTTPConnection) -> bool:
        return self._get(conn, self.random.choice(PAGES)) is not None


def run_load(port: int, clients: int, seconds: float) -> tuple[dict[str, list[float]], dict[str, int], float]:
    queries = [q.text for q in load_queries(DEV_QUERIES)]
    until = time.perf_counter() + seconds
    threads = [Client(port, queries, until, seed=i) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for t in threads:
        for kind, values in t.timings.items():
            timings[kind] += values
        for kind, n in t.errors.items():
            errors[kind] += n
    return timings, errors, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=None, help="waitress threads (default: the CLI's)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring memory 'before'")
    parser.add_argument("--json", action="store_true", help="also print one JSON summary line at the end")
    args = parser.parse_args(argv)
    extra = ("--threads", str(args.threads)) if args.threads else ()
    with tempfile.TemporaryDirectory(prefix="shien-navi-load-") as home, Server(*extra, data_home=home) as server:
        run_load(server.port, min(args.clients, 4), args.warmup)  # fill caches, pools and the log's first pages
        rss_before = server.memory_mb()
        timings, errors, elapsed = run_load(server.port, args.clients, args.seconds)
        rss_after = server.memory_mb()
    total = sum(len(v) for v in timings.values())
    print(f"machine: {machine()}")
    print(f"{args.clients} clients for {elapsed:.1f} s: {total} requests, {total / elapsed:.1f} req/s, "
          f"errors {sum(errors.values())} {dict(errors) or ''}")
    rows = [[kind, len(v), len(v) / elapsed, *ms_stats(v).values()] for kind, v in sorted(timings.items())]
    rows.append(["all", total, total / elapsed, *ms_stats([x for v in timings.values() for x in v]).values()])
    print_table(["kind", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms"], rows)
    print(f"server memory (PSS, all processes): {rss_before:.1f} MB before, {rss_after:.1f} MB after "
          f"({rss_after - rss_before:+.1f} MB)")
    if args.json:
        print(json.dumps({"requests": total, "seconds": elapsed, "errors": sum(errors.values()),
                          "rss_before_mb": rss_before, "rss_after_mb": rss_after}))
    return 1 if sum(errors.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
