"""The store's one worker thread: chat turns are written off the request path.

A request never waits on the database. A turn goes into a bounded queue and the answer goes
out; when the queue is full the turn is counted as dropped, never waited on. Feedback and the
staff's reads run on the same thread and are waited on for at most a few seconds, then the
caller answers 503. Jobs run in order, so feedback always finds a turn queued before it.

The thread starts on first use in each process, so a pre-forking server (gunicorn with
preload_app) gets one per worker, each with its own database connections.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections import OrderedDict
from typing import Any, Callable

from web.store import Store, Turn

log = logging.getLogger(__name__)

BATCH = 100                 # turns written in one transaction when they queued up
PING_EVERY_SECONDS = 30.0   # an idle writer checks the database this often, so health stays true
LOST_IDS_KEPT = 10_000      # ids of turns that could not be stored, for feedback's 503
WARN_EVERY_SECONDS = 60.0
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 0.5, 5.0  # while the database cannot be reached
_STOP = object()


class StoreBusy(Exception):
    """The store did not take the job in time (down, frozen or its queue full): answer 503."""


class _Job:
    """A call to run on the writer thread, with its outcome for the waiting request."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn, self.done, self.lock = fn, threading.Event(), threading.Lock()
        self.started = self.cancelled = False
        self.result: Any = None
        self.error: BaseException | None = None


class StoreWriter:
    """Own the store's writes (and staff reads) on one thread; report the store's state."""

    def __init__(self, store: Store, *, maxsize: int = 1000, stuck_after: float = 5.0) -> None:
        self.store, self.maxsize, self.stuck_after = store, maxsize, stuck_after
        self.dropped = 0
        self._lock = threading.Lock()
        self._lost: OrderedDict[str, None] = OrderedDict()
        self._failing = False            # the last database call failed
        self._turns_refused = False      # the last turn write was refused (a ping cannot clear this)
        self._busy_since: float | None = None
        self._pid = os.getpid()  # the process whose connections the engine's pool holds
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._next_warning = 0.0
        self._dropped_since_warning = 0

    # The thread ---------------------------------------------------------------------------
    def _started(self) -> queue.Queue:
        """The queue of this process, starting the thread first (again after a fork)."""
        if self._pid == os.getpid() and self._queue is not None:
            return self._queue
        with self._lock:
            if self._pid != os.getpid():  # forked (a pre-forking server's worker)
                self.store.engine.dispose(close=False)  # the parent's connections stay the parent's
                self._pid, self._queue, self._busy_since, self._failing = os.getpid(), None, None, False
            if self._queue is None:
                self._queue = queue.Queue(self.maxsize)
                self._thread = threading.Thread(target=self._run, args=(self._queue,), name="store-writer",
                                                daemon=True)
                self._thread.start()
        return self._queue

    def _run(self, q: queue.Queue) -> None:
        item: Any = None
        if q.empty():
            self._ping()  # learn the database's state at once, so health tells the truth from the start
        while True:
            if item is None:
                try:
                    item = q.get(timeout=PING_EVERY_SECONDS)
                except queue.Empty:
                    self._ping()
                    continue
            if item is _STOP:
                q.task_done()
                return
            if isinstance(item, Turn):
                batch, item = [item], None
                while len(batch) < BATCH:
                    try:
                        following = q.get_nowait()
                    except queue.Empty:
                        break
                    if not isinstance(following, Turn):
                        item = following
                        break
                    batch.append(following)
                self._write_turns(batch)
                for _ in batch:
                    q.task_done()
            else:
                job, item = item, None
                self._run_job(job)
                q.task_done()

    def _attempt(self, fn: Callable[[], Any]) -> Any:
        """Run fn against the database, keeping the state health reports; re-raise its error."""
        self._busy_since = time.monotonic()
        try:
            result = fn()
        except Exception:
            self._failing = True
            raise
        finally:
            self._busy_since = None
        self._failing = False
        return result

    def _ping(self) -> None:
        try:
            self._attempt(self.store.ping)
        except Exception as exc:  # noqa: BLE001 - health now says degraded; the next write or ping tries again
            self._warn(f"store ping failed: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}")

    def _reachable(self) -> bool:
        try:
            self._attempt(self.store.ping)
        except Exception:  # noqa: BLE001 - unreachable is the answer
            return False
        return True

    def _write_turns(self, batch: list[Turn]) -> None:
        """Write a batch; while the database cannot be reached the batch waits (the queue behind it
        fills and then drops), but a database that answers and refuses the write twice loses it
        (once may be transient: a frozen server's statement timeout fires as soon as it thaws)."""
        pause, refusals = RETRY_FIRST_SECONDS, 0
        while True:
            try:
                self._attempt(lambda: self.store.record_turns(batch))
                self._turns_refused = False
                return
            except Exception as exc:  # noqa: BLE001 - decided below: wait for the database, or lose the turns
                reason = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
            if self._reachable():
                refusals += 1
                if refusals < 2:
                    continue
                self._turns_refused = True
                self._lose([t.id for t in batch], f"turn log write failed: {reason}")
                return
            self._warn(f"database unreachable, {len(batch)} turn(s) wait for it: {reason}")
            time.sleep(pause)
            pause = min(pause * 2, RETRY_MAX_SECONDS)

    def _run_job(self, job: _Job) -> None:
        with job.lock:
            if job.cancelled:
                return
            job.started = True
        try:
            job.result = self._attempt(job.fn)
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request
            job.error = exc
        job.done.set()

    # What requests call ---------------------------------------------------------------------
    def submit_turn(self, turn: Turn) -> bool:
        """Queue a turn for writing; False (and counted as dropped) when the queue is full."""
        try:
            self._started().put_nowait(turn)
        except queue.Full:
            self._lose([turn.id], "turn log queue full")
            return False
        return True

    def call(self, fn: Callable[[], Any], timeout: float | None = None) -> Any:
        """Run fn(), which uses the store, on the writer thread; wait at most timeout seconds.

        Raises StoreBusy when the store is stuck, the queue is full or the time runs out.
        """
        if self._stuck():
            raise StoreBusy("the store has not answered for a while")
        job = _Job(fn)
        try:
            self._started().put_nowait(job)
        except queue.Full:
            raise StoreBusy("the store's queue is full") from None
        if not job.done.wait(self.stuck_after if timeout is None else timeout):
            with job.lock:
                job.cancelled = not job.started
            raise StoreBusy("the store did not answer in time")
        if job.error is not None:
            raise job.error
        return job.result

    def is_lost(self, turn_id: str) -> bool:
        """Tell whether this process could not store the turn (queue full or write failed)."""
        with self._lock:
            return turn_id in self._lost

    # State --------------------------------------------------------------------------------
    def _stuck(self) -> bool:
        busy = self._busy_since
        return busy is not None and time.monotonic() - busy > self.stuck_after

    def state(self) -> str:
        """"ok", or "degraded" when the last database call or turn write failed, one hangs, or the queue is full."""
        q = self._queue
        full = q is not None and self._pid == os.getpid() and q.full()
        return "degraded" if self._failing or self._turns_refused or self._stuck() or full else "ok"

    def health(self) -> dict[str, Any]:
        """The store's state as this process sees it (each worker process has its own writer)."""
        q = self._started()  # a process that has written nothing yet starts probing the database now
        return {"store": self.state(), "dropped": self.dropped, "queued": q.qsize()}

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued job is done; False when timeout ran out first."""
        q = self._queue if self._pid == os.getpid() else None
        if q is None:
            return True
        deadline = time.monotonic() + timeout
        with q.all_tasks_done:
            while q.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                q.all_tasks_done.wait(remaining)
        return True

    def close(self, timeout: float = 5.0) -> bool:
        """Write what is queued (waiting at most timeout), then stop the thread."""
        flushed = self.flush(timeout)
        q = self._queue if self._pid == os.getpid() else None
        if q is not None and flushed:
            q.put(_STOP)
            if self._thread is not None:
                self._thread.join(1.0)
            self._queue = None
        return flushed

    def _lose(self, turn_ids: list[str], why: str) -> None:
        """Count turns that will never be stored, remember their ids, warn at most once a minute."""
        with self._lock:
            self.dropped += len(turn_ids)
            self._dropped_since_warning += len(turn_ids)
            for turn_id in turn_ids:
                self._lost[turn_id] = None
            while len(self._lost) > LOST_IDS_KEPT:
                self._lost.popitem(last=False)
            count = self._dropped_since_warning
        if self._warn(f"{why}: {count} turn(s) not stored ({self.dropped} in all)"):
            with self._lock:
                self._dropped_since_warning = 0

    def _warn(self, message: str) -> bool:
        """Log a warning about the store at most once a minute; tell whether this one went out."""
        with self._lock:
            now = time.monotonic()
            if now < self._next_warning:
                return False
            self._next_warning = now + WARN_EVERY_SECONDS
        log.warning(message, extra={"dropped": self.dropped})
        return True
