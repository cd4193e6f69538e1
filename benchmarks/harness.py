"""What the benchmark scripts share: percentiles, a table printer, a served instance, RSS.

Standard library only; the scripts import it as a sibling (`python3 benchmarks/<script>.py`).
"""
from __future__ import annotations

import json
import os
import platform
import socket
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
DEV_QUERIES = ROOT / "tests" / "data" / "dev_queries.tsv"
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from assistant.evaluation import load_queries, percentile  # noqa: E402  (after the path is set)

__all__ = ["DEV_QUERIES", "load_queries", "percentile", "ms_stats", "print_table", "machine", "rss_mb", "pss_mb",
           "children", "free_port", "Server"]


def ms_stats(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds of timings in seconds."""
    return {f"p{q}": percentile(seconds, q / 100) * 1000 for q in (50, 95, 99)}


def print_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a Markdown table, numbers right-aligned, so it pastes into docs as is."""
    cells = [[str(h) for h in header]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        print("| " + " | ".join(c.rjust(w) if n and _numeric(c) else c.ljust(w) for c, w in zip(row, widths)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def _numeric(cell: str) -> bool:
    return cell.replace(".", "", 1).replace(",", "").lstrip("-").isdigit()


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def machine() -> str:
    """One line naming the machine the numbers come from."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine())
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()} {platform.release()}"


def rss_mb(pid: int | None = None) -> float:
    """Resident set size of a process (this one by default), from /proc/<pid>/status."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return kb / 1024


def pss_mb(pid: int) -> float:
    """Proportional set size: private pages plus a share of the shared ones (forked workers share most)."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    kb = next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return kb / 1024


def children(pid: int) -> list[int]:
    """The direct child processes of a process (a pre-forking server's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command() -> str:
    """The installed `shien-navi` script itself, not a version manager's shim in front of it."""
    script = Path(sysconfig.get_path("scripts")) / "shien-navi"
    return str(script) if script.exists() else (shutil.which("shien-navi") or "shien-navi")


class Server:
    """`shien-navi serve` on a free loopback port, stopped on exit; `.ready_s` is the time to healthy."""

    def __init__(self, *extra_args: str, data_home: str | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.args = [serve_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port), *extra_args]
        self.env = dict(os.environ, SHIEN_NAVI_RATE_LIMIT="off")  # a benchmark is one client sending a lot
        if data_home:
            self.env["SHIEN_NAVI_DATA_HOME"] = data_home
        self.proc: subprocess.Popen | None = None
        self.ready_s = float("nan")

    def __enter__(self) -> "Server":
        start = time.perf_counter()
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
        self._wait_healthy(60.0)
        self.ready_s = time.perf_counter() - start
        return self

    def _wait_healthy(self, seconds: float) -> None:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early with status {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/api/health", timeout=2) as r:
                    if json.loads(r.read()).get("status") == "ok":
                        return
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                time.sleep(0.01)
        raise RuntimeError(f"no healthy answer from {self.base} in {seconds:.0f} s")

    def memory_mb(self) -> float:
        """The server's memory: PSS of the master and its workers added up (RSS would count shared pages twice)."""
        return sum(pss_mb(pid) for pid in [self.proc.pid, *children(self.proc.pid)])

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
