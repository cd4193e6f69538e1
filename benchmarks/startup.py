"""Start-up: seconds from `shien-navi serve` to a healthy /api/health, and the server's memory then
(PSS of all its processes).

Median over several cold starts (a new process each time; the OS page cache stays warm, as on a restart).
Usage: python3 benchmarks/startup.py [--runs 7]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile

from harness import Server, machine, print_table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    seconds, rss = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as home, Server(data_home=home) as server:
            seconds.append(server.ready_s)
            rss.append(server.memory_mb())
    print(f"# {args.runs} starts of `shien-navi serve`; {machine()}")
    print_table(("measure", "median", "min", "max"),
                [("seconds to healthy /api/health", statistics.median(seconds), min(seconds), max(seconds)),
                 ("memory (PSS) when healthy, MB", statistics.median(rss), min(rss), max(rss))])
    ready, mem = statistics.median(seconds), statistics.median(rss)
    print(f"target healthy within 2 s: {'met' if ready <= 2 else 'MISSED'} ({ready:.2f} s)")
    print(f"target memory under 250 MB at 102 programs: {'met' if mem < 250 else 'MISSED'} ({mem:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
