"""The `shien-navi` command: serve, check, ask."""
from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Sequence

from knowledge.loader import DATA_DIR, PACKAGE_DIR, check_documents, read_documents
from web import edition_cli
from web.cli_errors import REFUSED, CommandFailed, is_port_in_use, port_in_use, run_command
from web.line import cli as line_cli


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web UI and API: gunicorn workers (one per core) where fork exists, else waitress."""
    from web import create_app
    from web.logs import configure_logging
    from web.server import can_fork, default_workers, serve_gunicorn, serve_waitress
    from web.settings import StartupError, load_settings
    listening = claim_port(args.host, args.port)  # before the slow start-up, so a busy port is said at once
    configure_logging(load_settings()["LOG_LEVEL"])
    try:
        app = create_app()
    except StartupError as exc:  # one clear line, no traceback: the operator fixes a setting
        print(f"shien-navi: cannot start: {exc}", file=sys.stderr, flush=True)
        return 1
    workers = args.workers or default_workers()
    if can_fork():
        listening.close()  # gunicorn's arbiter binds the address itself, a moment later
        print(f"shien-navi: serving on http://{args.host}:{args.port}/ ({workers} workers × {args.threads} threads)",
              flush=True)
        serve_gunicorn(app, args.host, args.port, workers, args.threads)
    else:
        print(f"shien-navi: serving on http://{args.host}:{args.port}/ (waitress, {args.threads} threads; "
              "no fork on this platform, so one process)", flush=True)
        serve_waitress(app, listening, args.threads)
    return 0


def claim_port(host: str, port: int) -> socket.socket:
    """Bind the listening socket; a busy port or an unknown host is one line naming what to change."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except socket.gaierror as exc:
        raise CommandFailed(f"cannot listen on {host}:{port}: {exc.strerror}; check --host") from None
    except OSError as exc:
        if is_port_in_use(exc):
            raise port_in_use(host, port) from None
        raise CommandFailed(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every data file and print the counts; exit 1 on any problem."""
    data_dir = Path(args.data_dir) if args.data_dir else DATA_DIR
    docs, problems = read_documents(data_dir)
    problems += check_documents(docs)
    for p in problems:
        print(f"problem: {p}")
    if not problems:
        from knowledge.fidelity import check_fidelity
        from knowledge.loader import build
        k = build(docs)
        source = args.source or (None if args.data_dir else PACKAGE_DIR / "source" / "shinko_program_r7.txt")
        if source:
            problems = [f"not as printed: {p}" for p in check_fidelity(k, Path(source).read_text(encoding="utf-8"))]
            for p in problems:
                print(f"problem: {p}")
        phones = k.all_phone_numbers()
        print(f"programs {len(k.programs)}")
        print(f"desks {len(k.contacts)} ({sum(1 for c in k.contacts if not c.phones)} without a number)")
        print(f"phone numbers {len(phones)}")
        print(f"indicators {len(k.indicators)}")
        print(f"errata {len(k.errata)}")
        print(f"vocabulary entries {len(k.vocabulary.entries)}, tags {len(k.vocabulary.tags)}")
    print(f"problems {len(problems)}")
    return 1 if problems else 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Measure search quality in-process on a labelled queries TSV; exit 1 when a --min-* bound is missed.

    Without a file, every labelled set under --sets (dev, and the blind sets' tuning and held-out
    halves) is measured through the chat.
    """
    from assistant.engine import Assistant
    from assistant.evaluation import evaluate, format_misses
    from knowledge import load_knowledge
    queries = None if args.queries is None else read_queries(args.queries)
    assistant = Assistant(load_knowledge(args.data_dir))
    if queries is None:
        from assistant.benchmark_sets import report_all
        from assistant.dialogue import respond
        print("\n".join(report_all(lambda message, context: respond(assistant, message, context), Path(args.sets))))
        return 0
    report = evaluate(lambda text, limit: [h.program.id for h in assistant.search(text, limit)], queries)
    if args.show_misses:
        print("\n".join(format_misses(report)))
    print(report.summary())
    bounds = ((args.min_hit1, report.hit1), (args.min_recall5, report.recall5), (args.min_mrr, report.mrr))
    return 0 if all(low is None or value >= low for low, value in bounds) else 1


def read_queries(path: str) -> list:
    """The labelled queries of an eval file, or a one-line refusal naming the file (and the line)."""
    from assistant.evaluation import QueriesFileError, load_queries
    try:
        return load_queries(path)
    except QueriesFileError as exc:
        raise CommandFailed(str(exc), REFUSED) from None
    except OSError as exc:
        raise CommandFailed(f"cannot read {path}: {exc.strerror or exc}", REFUSED) from None


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one message on the terminal, as the chat would; refuse what the API refuses."""
    import json

    from assistant.dialogue import respond
    from assistant.engine import Assistant
    from knowledge import load_knowledge
    from web.serialize import reply_dict
    from web.terminal import MessageRefused, checked_message, render_single
    try:
        message = checked_message(args.message)
    except MessageRefused as refused:
        raise CommandFailed(str(refused), REFUSED) from None
    knowledge = load_knowledge(args.data_dir)
    assistant = Assistant(knowledge)
    reply = respond(assistant, message, None)
    if args.json:
        print(json.dumps(reply_dict(knowledge, reply), ensure_ascii=False, indent=2))
    else:
        print(render_single(lambda text, context: respond(assistant, text, context), reply))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """Talk with the assistant on the terminal; each reply's context goes with the next message."""
    from assistant.dialogue import respond
    from assistant.engine import Assistant
    from knowledge import load_knowledge
    from web.terminal import Conversation, converse, enable_line_editing
    assistant = Assistant(load_knowledge(args.data_dir))
    conversation = Conversation(lambda text, context: respond(assistant, text, context))
    enable_line_editing(conversation)
    return converse(conversation, input, lambda text: print(text, flush=True))


def cmd_report(args: argparse.Namespace) -> int:
    """Print the gap board's figures (the same as /admin) since a date, as text or CSV."""
    from datetime import datetime

    from assistant.tokenizer import get_tokenizer
    from knowledge import load_knowledge
    from web.gaps import build_report, report_csv, report_dict, report_text
    from web.settings import load_settings
    from web.store import open_store
    settings = load_settings()
    try:
        since = datetime.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(f"--since: {args.since!r} is not a date like 2026-04-01", file=sys.stderr)
        return 2
    store = open_store(settings)
    report = build_report(store, load_knowledge(settings["DATA_DIR"]), get_tokenizer().terms, since,
                          settings["LOW_SCORE"])
    data = report_dict(report)
    sys.stdout.write(report_csv(data) if args.csv else report_text(data) + "\n")
    store.dispose()
    return 0


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


class DefaultsHelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """--help shows each option's default, except where there is none to show (None, off)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False) or action.default is argparse.SUPPRESS:
            return action.help
        return super()._get_help_string(action)


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as installed
    try:
        return installed("shien-navi")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shien-navi", description="ふくしま支援ナビ", formatter_class=DefaultsHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the web UI and the API")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    serve.add_argument("--port", type=int, default=8000, help="TCP port to listen on")
    # Measured on 2 cores (docs/deployment.md): the work is CPU-bound Python, so more threads
    # only contend for the GIL; 4 serve 32 concurrent clients best. Scale out with processes.
    serve.add_argument("--threads", type=int, default=4, help="threads per worker process")
    serve.add_argument("--workers", type=positive_int, default=None,
                       help="worker processes (gunicorn, preloaded app); default one per core")
    serve.set_defaults(func=cmd_serve)
    check = sub.add_parser("check", help="validate the knowledge data and print counts")
    check.add_argument("--data-dir", default=None, help="the data files to check (default: the shipped data)")
    check.add_argument("--source", default=None,
                       help="the document's text to compare the data with (default: the shipped edition's, "
                            "when --data-dir is not given)")
    check.set_defaults(func=cmd_check)
    evaluate = sub.add_parser("eval", help="measure search quality on a labelled queries TSV, in-process")
    evaluate.add_argument("queries", nargs="?", default=None,
                          help='TSV: "<query>\\t<relevant ids, best first>" per line; none: every labelled set, through the chat')
    evaluate.add_argument("--sets", default="tests/data", help="folder of the labelled sets")
    evaluate.add_argument("--data-dir", default=None, help="knowledge data folder (default: the shipped data)")
    evaluate.add_argument("--show-misses", action="store_true", help="print each query whose first result is wrong")
    evaluate.add_argument("--min-hit1", type=float, default=None, help="exit 1 when hit@1 is lower")
    evaluate.add_argument("--min-recall5", type=float, default=None, help="exit 1 when recall@5 is lower")
    evaluate.add_argument("--min-mrr", type=float, default=None, help="exit 1 when MRR is lower")
    evaluate.set_defaults(func=cmd_eval)
    ask = sub.add_parser("ask", help="answer one message on the terminal (a conversation: shien-navi chat)")
    ask.add_argument("message", help="the need in everyday words, e.g. 創業したい")
    ask.add_argument("--json", action="store_true", help="print the API's JSON reply")
    ask.add_argument("--data-dir", default=None, help="knowledge data folder (default: the shipped data)")
    ask.set_defaults(func=cmd_ask)
    chat = sub.add_parser("chat", help="talk on the terminal: もっと and 2番目を詳しく follow the last answer")
    chat.add_argument("--data-dir", default=None, help="knowledge data folder (default: the shipped data)")
    chat.set_defaults(func=cmd_chat)
    report = sub.add_parser("report", help="print the staff gap board's figures from the conversation log")
    report.add_argument("--since", default=None, help="first day (YYYY-MM-DD, UTC); default: everything kept")
    report.add_argument("--csv", action="store_true", help="CSV (section,key,count,detail) instead of text")
    report.set_defaults(func=cmd_report)
    edition_cli.add_commands(sub)  # import, rollback, versions
    for command in sub.choices.values():
        command.formatter_class = DefaultsHelpFormatter
    line_cli.add_commands(sub)     # line rich-menu
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(args.command, lambda: args.func(args))


if __name__ == "__main__":
    sys.exit(main())
