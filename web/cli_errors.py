"""How a `shien-navi` command fails: one line on stderr naming the problem and the fix, and an exit status.

The operator at the terminal acts on the line; a traceback would only hide it. Exit status 2 is
for input the command refuses (a message, a file), 1 for everything else.
"""
from __future__ import annotations

import errno
import os
import socket
import sys
from typing import Callable

REFUSED = 2
FAILED = 1
INTERRUPTED = 130  # the shell's status for a command stopped by Ctrl-C


class CommandFailed(Exception):
    """A command cannot go on; the message is the one line the operator reads."""

    def __init__(self, message: str, status: int = FAILED):
        super().__init__(message)
        self.status = status


def port_in_use(host: str, port: int) -> CommandFailed:
    """The busy-port failure, with a free port nearby to pick instead."""
    free = next((p for p in range(port + 1, min(port + 50, 65536)) if _bindable(host, p)), None)
    pick = f", e.g. --port {free}" if free else ""
    return CommandFailed(f"{host}:{port} is already in use by another program; "
                         f"stop it or pick another port with --port{pick}")


def _bindable(host: str, port: int) -> bool:
    try:
        with socket.create_server((host, port)):
            return True
    except OSError:
        return False


def is_port_in_use(exc: OSError) -> bool:
    return exc.errno == errno.EADDRINUSE


def describe(exc: BaseException) -> tuple[str, int] | None:
    """The line and status for a failure the operator can fix; None for a bug (it keeps its traceback)."""
    from sqlalchemy.exc import SQLAlchemyError

    from knowledge import KnowledgeError
    from web.settings import StartupError
    if isinstance(exc, CommandFailed):
        return str(exc), exc.status
    if isinstance(exc, StartupError):
        return str(exc), FAILED
    if isinstance(exc, KnowledgeError):
        problems = exc.problems
        more = f" (and {len(problems) - 1} more; shien-navi check --data-dir DIR lists them all)" if len(problems) > 1 else ""
        return f"the knowledge data cannot be loaded: {problems[0] if problems else exc}{more}", FAILED
    if isinstance(exc, SQLAlchemyError):
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
        return f"cannot reach the database (SHIEN_NAVI_DATABASE_URL): {reason}", FAILED
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}", FAILED
    return None


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not fail again on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file descriptor (a test's capture)
        pass


def run_command(command: str, run: Callable[[], int]) -> int:
    """Run a command; report a failure as `shien-navi <command>: <line>` and return its exit status."""
    def say(line: str) -> None:
        print(f"shien-navi {command}: {line}", file=sys.stderr, flush=True)

    try:
        return run()
    except BrokenPipeError:  # `| head` stopped reading: the output is cut, not wrong
        silence_stdout()
        say("the output was cut short: its reader closed the pipe (| head or similar)")
        return FAILED
    except KeyboardInterrupt:
        say("interrupted")
        return INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - sorted by describe(); anything else is re-raised
        described = describe(exc)
        if described is None:
            raise
        say(described[0])
        return described[1]
