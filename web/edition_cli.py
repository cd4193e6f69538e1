"""`shien-navi import FILE [--report [DIR]] [--apply]`, `shien-navi rollback`, `shien-navi versions`.

The import reads a new edition and prints what would change; --report also writes the diff as
text and HTML; --apply stores the new knowledge as a new version under the data home (or the
shared database) and every running server switches to it without a restart.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from knowledge import KnowledgeError
from knowledge.loader import DATA_DIR, read_documents


@contextmanager
def _versions(settings):
    """The version store the servers read (database or data home), closed when the command ends."""
    from web.versions import open_versions
    store = open_versions(settings)
    try:
        yield store
    finally:
        store.dispose()


def _documents_in_use(settings, store) -> dict:
    active = store.active()
    if active is not None:
        return store.documents(active)
    docs, problems = read_documents(Path(settings.get("DATA_DIR") or DATA_DIR))
    if problems:
        raise KnowledgeError(problems)
    return docs


def cmd_import(args: argparse.Namespace) -> int:
    """Read a new edition, print the diff, optionally write the report and apply it."""
    from web.edition_import import ImportRefused, document_text, load_errata, prepare
    from web.settings import load_settings
    settings = load_settings()
    path = Path(args.file)
    try:
        text = document_text(path.read_bytes(), path.name)
    except (OSError, ImportRefused) as exc:
        print(f"shien-navi import: {exc}", file=sys.stderr)
        return 2
    with _versions(settings) as store:
        try:
            prepared = prepare(_documents_in_use(settings, store), text, path.name,
                               load_errata(Path(args.errata) if args.errata else None))
        except (OSError, ImportRefused, ValueError) as exc:
            print(f"shien-navi import: {exc}", file=sys.stderr)
            return 2
        return _report_and_apply(args, settings, store, prepared, path)


def _report_and_apply(args: argparse.Namespace, settings, store, prepared, path: Path) -> int:
    from knowledge.edition.report import report_text
    from web.edition_import import write_report
    print(report_text(prepared.data))
    if args.report is not None:
        for written in write_report(prepared, Path(args.report)):
            print(f"書き出し: {written}")
    if not args.apply:
        print("\n(まだ反映していません。反映するには --apply を付けます)")
        return 0
    if prepared.blocking:
        print("反映できません(使用中の版はそのまま)。次を原本で確かめ、正しい番号を --errata で渡してください:\n  "
              + "\n  ".join(prepared.blocking), file=sys.stderr)
        return 1
    try:
        info = store.publish(prepared.assembly.docs, f"取り込み: {path.name}", prepared.review)
    except KnowledgeError as exc:
        print("反映できません(使用中の版はそのまま):\n  " + "\n  ".join(exc.problems), file=sys.stderr)
        return 1
    print(f"\n反映しました: 版 {info.id}({info.title})。動いているサーバーは {settings['KNOWLEDGE_POLL_SECONDS']:g} 秒"
          "以内に切り替わります。元に戻すには shien-navi rollback。")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Make the version before the active one active again."""
    from web.settings import load_settings
    from web.versions import VersionError
    with _versions(load_settings()) as store:
        try:
            previous = store.rollback()
        except VersionError as exc:
            print(f"shien-navi rollback: {exc}", file=sys.stderr)
            return 1
    label = "最初のデータ(同梱または SHIEN_NAVI_DATA_DIR)" if previous is None else f"版 {previous}"
    print(f"{label} に戻しました。動いているサーバーも切り替わります。")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    """List the stored versions, the active one marked."""
    from web.settings import load_settings
    with _versions(load_settings()) as store:
        active, versions = store.active(), store.versions()
    print(f"{'*' if active is None else ' '} (最初のデータ)")
    for v in versions:
        pending = f" 要確認 {len(v.review)}件" if v.review else ""
        print(f"{'*' if v.id == active else ' '} {v.id}  {v.title}  {v.note}{pending}")
    return 0


def add_commands(sub) -> None:
    """Register import, rollback and versions on the `shien-navi` parser."""
    imp = sub.add_parser("import", help="read a new edition (text or PDF), show what changes, apply it")
    imp.add_argument("file", help="the edition: UTF-8 text extracted from the PDF, or the PDF itself")
    imp.add_argument("--report", nargs="?", const=".", default=None, metavar="DIR",
                     help="write <name>.diff.txt, .diff.html and .findings.json into DIR (default: here)")
    imp.add_argument("--apply", action="store_true", help="store it as the new active version")
    imp.add_argument("--errata", default=None, metavar="FILE",
                     help="corrections staff confirmed for this edition, in errata.json's form")
    imp.set_defaults(func=cmd_import)
    rollback = sub.add_parser("rollback", help="go back to the version before the active one")
    rollback.set_defaults(func=cmd_rollback)
    versions = sub.add_parser("versions", help="list the stored knowledge versions")
    versions.set_defaults(func=cmd_versions)
