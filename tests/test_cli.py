"""The `shien-navi` command's edges: each failure is one line on stderr and an exit status, never a traceback."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from web.requests import MESSAGE_MAX_CHARS

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "web.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_one_line(proc: subprocess.CompletedProcess, command: str, status: int, *words: str) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert proc.returncode == status, line
    assert line.startswith(f"shien-navi {command}: ")
    for word in words:
        assert word in line
    return line


@pytest.fixture()
def eval_files(tmp_path):
    files = {
        "missing": tmp_path / "missing.tsv",
        "no_tab": tmp_path / "no_tab.tsv",
        "no_ids": tmp_path / "no_ids.tsv",
        "not_utf8": tmp_path / "not_utf8.tsv",
    }
    files["no_tab"].write_text("# query\tids\n創業したい\t2-1-1\n\n後継者がいない 2-1-10\n", encoding="utf-8")
    files["no_ids"].write_text("創業したい\t2-1-1\n後継者がいない\t\n", encoding="utf-8")
    files["not_utf8"].write_bytes("創業したい\t2-1-1\n".encode() + "後継者\t2-1-10\n".encode("shift_jis"))
    return files


# (case, file, the line number the message names)
EVAL_CASES = [("missing", None), ("no_tab", "line 4"), ("no_ids", "line 2"), ("not_utf8", "line 2")]


@pytest.mark.parametrize("case, where", EVAL_CASES)
def test_an_unreadable_or_malformed_eval_file_is_one_line_naming_it(eval_files, case, where):
    path = eval_files[case]
    line = assert_one_line(run(["eval", str(path)]), "eval", 2, path.name)
    if where:
        assert where in line
    else:
        assert "No such file" in line


def test_the_eval_folder_of_sets_missing_is_one_line(tmp_path):
    assert_one_line(run(["eval", "--sets", str(tmp_path / "nowhere")]), "eval", 1, "nowhere")


def test_a_busy_port_is_one_line_naming_it_and_a_free_one():
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        proc = run(["serve", "--port", str(port)])
    line = assert_one_line(proc, "serve", 1, f"127.0.0.1:{port}", "in use", "--port")
    assert proc.stdout == ""  # it never claimed to serve
    suggested = int(line.rsplit("--port ", 1)[1])
    assert suggested != port


def test_an_unknown_host_is_one_line():
    assert_one_line(run(["serve", "--host", "no-such-host.invalid"]), "serve", 1, "no-such-host.invalid", "--host")


@pytest.mark.parametrize("command", [["report"], ["versions"], ["rollback"]])
def test_an_unreachable_database_is_one_line(command):
    url = f"postgresql://someone@127.0.0.1:{closed_port()}/db"
    proc = run(command, {"SHIEN_NAVI_DATABASE_URL": url, "SHIEN_NAVI_DB_CONNECT_TIMEOUT": "2"})
    assert_one_line(proc, command[0], 1, "database", "127.0.0.1")


@pytest.mark.parametrize("message, why", [("", "空です"), ("  \u202e ", "空です"),
                                          ("あ" * (MESSAGE_MAX_CHARS + 1), "長すぎます")])
def test_ask_refuses_what_the_api_refuses(message, why):
    assert_one_line(run(["ask", message]), "ask", 2, why)


def test_unloadable_knowledge_data_is_one_line(tmp_path):
    assert_one_line(run(["ask", "創業したい", "--data-dir", str(tmp_path)]), "ask", 1, "knowledge data", "missing")


def test_a_closed_pipe_is_one_line_and_status_1():
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "ask", "創業したい"], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    proc.stdout.close()  # the reader goes away before the answer is written, as `| head -0` does
    stderr = proc.stderr.read()
    proc.stderr.close()
    status = proc.wait(60)
    assert_one_line(subprocess.CompletedProcess(proc.args, status, "", stderr), "ask", 1, "pipe")


def test_version_and_help_with_defaults():
    assert run(["--version"]).stdout.strip() == f"shien-navi {version('shien-navi')}"
    serve_help = " ".join(run(["serve", "--help"]).stdout.split())  # unwrapped
    assert "(default: 127.0.0.1)" in serve_help and "(default: 8000)" in serve_help and "(default: 4)" in serve_help
    assert "(default: None)" not in serve_help
    assert "(default: tests/data)" in run(["eval", "--help"]).stdout
    assert "chat" in run(["--help"]).stdout
