"""HTTP load on loopback against `shien-navi serve` with 1 and then 2 worker processes.

/api/health (the empty request), /api/search and /api/chat at 1, 8 and 32 concurrent clients:
throughput and latency percentiles, so the search's cost reads against an empty request's in
the same run. `search` cycles the dev queries, which repeat (as the chips' queries do), so after
the first pass they come from the search cache; `search-new` makes every query new (a serial
number after it, which the ranking ignores) to show the uncached cost. Clients are keep-alive
http.client connections, one per thread, spread over a few processes so the client's own GIL
does not cap the numbers. Standard library only.

Printed after the table: /api/search p50 over /api/health p50 at 8 clients (the target is ≤ 2×),
and throughput at 32 clients with 1 worker against 2.

Usage: python3 benchmarks/http_load.py [--seconds 4] [--concurrency 1 8 32] [--workers 1 2] [--threads N]
       [--instances 1]
Note the clients share the machine's cores with the server: on 2 cores they take a part of the CPU.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import tempfile
import threading
import time
import urllib.parse
from contextlib import ExitStack

from harness import DEV_QUERIES, Server, load_queries, machine, ms_stats, print_table

ENDPOINTS = ("health", "search", "search-new", "chat")


def request_for(endpoint: str, text: str, serial: int) -> tuple[str, str, bytes | None]:
    if endpoint == "health":
        return "GET", "/api/health", None
    if endpoint == "search":
        return "GET", "/api/search?" + urllib.parse.urlencode({"q": text, "limit": 5}), None
    if endpoint == "search-new":
        return "GET", "/api/search?" + urllib.parse.urlencode({"q": f"{text} {serial}", "limit": 5}), None
    return "POST", "/api/chat", json.dumps({"message": text}, ensure_ascii=False).encode()


def client_thread(ports: list[int], endpoint: str, texts: list[str], offset: int, start: float, stop: float,
                  out: list[float], errors: list[int]) -> None:
    """Send requests back to back on one keep-alive connection; record latencies after `start`."""
    port = ports[offset % len(ports)]  # clients spread over the instances, as a load balancer would
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
    i = offset
    while True:
        now = time.perf_counter()
        if now >= stop:
            break
        method, path, body = request_for(endpoint, texts[i % len(texts)], offset * 10_000_000 + i)
        i += 1
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        if now >= start:
            out.append(time.perf_counter() - now)
            if not ok:
                errors.append(1)
    conn.close()


def client_process(ports: list[int], endpoint: str, texts: list[str], threads: int, first: int, start: float,
                   stop: float, queue: mp.Queue) -> None:
    latencies: list[float] = []
    errors: list[int] = []
    workers = [threading.Thread(target=client_thread,
                                args=(ports, endpoint, texts, first + n, start, stop, latencies, errors))
               for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put((latencies, len(errors)))


def load(ports: list[int], endpoint: str, texts: list[str], clients: int, seconds: float, warmup: float = 0.5) -> dict:
    """Run `clients` concurrent clients for warmup + seconds; measure the last `seconds`."""
    processes = min(clients, 4)
    per = [clients // processes + (1 if n < clients % processes else 0) for n in range(processes)]
    start = time.perf_counter() + warmup + 0.3  # perf_counter is system-wide (CLOCK_MONOTONIC) on Linux
    stop = start + seconds
    queue: mp.Queue = mp.Queue()
    procs = [mp.Process(target=client_process, args=(ports, endpoint, texts, n, sum(per[:k]), start, stop, queue))
             for k, n in enumerate(per)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = [x for lat, _ in results for x in lat]
    return {"rps": len(latencies) / seconds, "errors": sum(e for _, e in results), **ms_stats(latencies)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker processes, one server each")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (default: serve's default)")
    parser.add_argument("--instances", type=int, default=1, help="servers on as many ports, clients spread over them")
    parser.add_argument("--endpoints", nargs="+", default=list(ENDPOINTS), choices=ENDPOINTS)
    parser.add_argument("--warmup", type=float, default=2.0,
                        help="seconds of load on every endpoint after start-up, not measured: the first cell after a "
                             "start-up was measured while the workers were still warming (health 5 ms instead of 2)")
    args = parser.parse_args()
    texts = [q.text for q in load_queries(DEV_QUERIES)]
    rows, table = [], {}
    for workers in args.workers:
        extra = ("--workers", str(workers)) + (("--threads", str(args.threads)) if args.threads else ())
        with tempfile.TemporaryDirectory() as home, ExitStack() as stack:
            ports = [stack.enter_context(Server(*extra, data_home=home)).port for _ in range(args.instances)]
            for endpoint in args.endpoints:
                load(ports, endpoint, texts, max(args.concurrency), args.warmup)
            for clients in args.concurrency:
                for endpoint in args.endpoints:
                    r = table[(workers, endpoint, clients)] = load(ports, endpoint, texts, clients, args.seconds)
                    rows.append((workers, f"/api/{endpoint}", clients, f"{r['rps']:.0f}", r["p50"], r["p95"], r["p99"],
                                 r["errors"]))
    print(f"# {args.instances} × `shien-navi serve --workers N{' --threads ' + str(args.threads) if args.threads else ''}`"
          f" (gunicorn, preloaded app), {args.seconds:.0f} s per cell, {len(texts)} dev queries cycled; {machine()}")
    print_table(("workers", "endpoint", "clients", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"), rows)
    for workers in args.workers:
        health = table.get((workers, "health", 8))
        for endpoint in ("search", "search-new"):
            found = table.get((workers, endpoint, 8))
            if health and found:
                ratio = found["p50"] / health["p50"]
                print(f"{workers} worker(s): /api/{endpoint} p50 / /api/health p50 at 8 clients = {ratio:.2f}× "
                      f"(target ≤ 2×: {'met' if ratio <= 2 else 'MISSED'})")
    if len(args.workers) > 1 and 32 in args.concurrency:
        one, two = args.workers[0], args.workers[1]
        for endpoint in args.endpoints:
            a, b = table.get((one, endpoint, 32)), table.get((two, endpoint, 32))
            if a and b:
                print(f"/api/{endpoint} at 32 clients: {a['rps']:.0f} req/s with {one} worker(s), "
                      f"{b['rps']:.0f} with {two} ({b['rps'] / a['rps']:.2f}×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
