"""Structured logs: one JSON object per line on stderr, set up in one place."""
from __future__ import annotations

import json
import logging
import sys
import threading
import time
from datetime import datetime, timezone

_RESERVED = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as {"time", "level", "logger", "message", ...extra, "exception"?}."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class QueueDepthDigest(logging.Filter):
    """Let waitress's "Task queue depth is N" through at most once a period, with the peak and count.

    Under load waitress warns on every queued request (22,981 lines in 60 s); one line a minute
    saying how deep the queue got says the same.
    """

    def __init__(self, every_seconds: float = 60.0, clock=time.monotonic) -> None:
        super().__init__()
        self.every, self.clock = every_seconds, clock
        self._lock = threading.Lock()
        self._next = 0.0
        self._peak = self._count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != "Task queue depth is %d" or not record.args:
            return True
        depth = int(record.args[0])
        with self._lock:
            self._peak, self._count = max(self._peak, depth), self._count + 1
            now = self.clock()
            if now < self._next:
                return False
            peak, count, self._peak, self._count, self._next = self._peak, self._count, 0, 0, now + self.every
        record.msg, record.args = "waitress task queue depth peaked at %d (%d warnings since the last report)", (peak, count)
        record.queue_depth_peak, record.queue_warnings = peak, count
        return True


def configure_logging(level: str = "INFO", stream=None) -> None:
    """Send every logger's records to stderr as JSON lines (replacing earlier handlers)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, str(level).upper(), logging.INFO))
    queue_logger = logging.getLogger("waitress.queue")
    queue_logger.filters[:] = [f for f in queue_logger.filters if not isinstance(f, QueueDepthDigest)]
    queue_logger.addFilter(QueueDepthDigest())
