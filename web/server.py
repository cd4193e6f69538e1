"""How `shien-navi serve` runs the app: gunicorn workers sharing one preloaded app, or waitress.

Where the platform can fork, gunicorn's master builds the app once (preload_app) and forks the
workers, so the Sudachi dictionary's mmapped pages, the index and the prepared JSON are shared
copy-on-write; each worker answers on --threads threads (gthread). A request holds the GIL for
most of its time, so processes, not threads, use the cores. Without fork (Windows) one waitress
process serves. Either way a stopped server first writes the conversation turns it has queued.
"""
from __future__ import annotations

import os
import signal
import socket
from typing import Any

from flask import Flask

STOP_FLUSH_SECONDS = 5.0


def can_fork() -> bool:
    return hasattr(os, "fork")


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def close_store(app: Flask) -> None:
    """Write what is queued (a bounded wait), so a restart loses no answered turn."""
    writer = app.extensions.get("store_writer")
    if writer is not None:
        writer.close(STOP_FLUSH_SECONDS)


def serve_gunicorn(app: Flask, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn: `workers` forked processes of `threads` threads each, one preloaded app."""
    from gunicorn.app.base import BaseApplication

    options: dict[str, Any] = {
        "bind": bind_address(host, port), "workers": workers, "threads": threads, "worker_class": "gthread",
        "preload_app": True, "proc_name": "shien-navi", "accesslog": None, "errorlog": "-", "loglevel": "warning",
        "timeout": 30, "graceful_timeout": 10, "worker_exit": lambda _arbiter, _worker: close_store(app),
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    Server().run()


def serve_waitress(app: Flask, listening: socket.socket, threads: int) -> None:
    """Serve with waitress in this one process on a bound socket; SIGTERM stops it after writing the queued turns."""
    import waitress

    def stop(_signum, _frame) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        waitress.serve(app, sockets=[listening], threads=threads, ident="shien-navi")
    finally:
        close_store(app)
