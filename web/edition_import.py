"""One import of a new edition, shared by `shien-navi import` and /admin/edition.

Read the file (text, or a PDF's text layer), parse it, assemble it on the documents in use
with the assistant's suggestions, and diff it: nothing is stored until it is applied.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from knowledge.edition.assemble import Assembly, assemble
from knowledge.edition.diff import EditionDiff, diff_editions
from knowledge.edition.parse import parse_edition
from knowledge.edition.report import diff_dict, report_text
from knowledge.loader import build

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class ImportRefused(ValueError):
    """The file is not an edition this program can read; the message says why, for staff."""


@dataclass
class Prepared:
    source: str
    assembly: Assembly
    diff: EditionDiff
    fidelity: list[str] | None = None  # the data against the document's text; None when not checkable

    @property
    def data(self) -> dict[str, Any]:
        return {**diff_dict(self.diff), "fidelity": self.fidelity}

    @property
    def review(self) -> list[dict[str, Any]]:
        return [s.as_dict() for s in self.diff.suggestions]

    @property
    def blocking(self) -> list[str]:
        """What must be corrected before applying: a phone number nobody should be sent to."""
        return [f"{f.target} {f.original}: {f.reason}(原本の {f.line} 行目)" for f in self.diff.findings
                if f.kind == "phone"]


def document_text(raw: bytes, filename: str) -> str:
    """The text of a document file: a PDF through its text layer, anything else as UTF-8 text."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ImportRefused(f"{filename}: ファイルが大きすぎます({len(raw) // 1024 // 1024} MB)。")
    if raw[:5] == b"%PDF-" or filename.lower().endswith(".pdf"):
        from knowledge.edition.pdf import pdf_text
        try:
            return pdf_text(raw)
        except Exception as exc:  # noqa: BLE001 - a damaged PDF is the staff's to fix, not a crash
            raise ImportRefused(f"{filename}: PDF として読めません({type(exc).__name__})。") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(f"{filename}: UTF-8 の文字として読めません(PDF か、PDF から取り出した文字を渡してください)。") from None


def load_errata(path: Path | None) -> list[dict[str, Any]]:
    """Errata staff confirmed for this edition, in errata.json's form."""
    if path is None:
        return []
    doc = json.loads(path.read_text(encoding="utf-8"))
    return list(doc["errata"] if isinstance(doc, dict) else doc)


def prepare(docs_in_use: dict[str, Any], text: str, source: str, extra_errata: list[dict[str, Any]] = (),
            assistant=None) -> Prepared:
    """Parse and assemble a new edition on the documents in use; refuse text with no programs in it."""
    from assistant.edition_suggest import assistant_suggester
    from assistant.engine import Assistant
    edition = parse_edition(text)
    if not edition.programs:
        raise ImportRefused(f"{source}: 事業が一つも読み取れません。振興プログラムの本文か確かめてください。")
    assistant = assistant or Assistant(build(docs_in_use))
    assembly = assemble(edition, docs_in_use, f"source/{Path(source).name}", assistant_suggester(assistant),
                        list(extra_errata))
    return Prepared(source, assembly, diff_editions(docs_in_use, assembly), fidelity_problems(assembly, text))


def fidelity_problems(assembly: Assembly, text: str) -> list[str] | None:
    """The check every edition is held to (knowledge/fidelity.py): each name, description, desk and
    quote as printed, or listed in the errata. Its reader knows the extracted text's layout only, so a
    PDF's text is not checked (None)."""
    from knowledge.fidelity import check_fidelity
    try:
        return check_fidelity(build(assembly.docs), text)
    except Exception:  # noqa: BLE001 - a layout that reader does not know
        return None


def render_report(prepared: Prepared) -> str:
    """The diff as a standalone HTML page (the same partial /admin/edition shows)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env.get_template("edition_report.html").render(diff=prepared.data, source=prepared.source,
                                                          generated=datetime.now().strftime("%Y-%m-%d %H:%M"))


def write_report(prepared: Prepared, folder: Path) -> list[Path]:
    """Write <name>.diff.txt, <name>.diff.html and <name>.findings.json (new misprints, errata form)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = Path(prepared.source).stem
    data = prepared.data
    findings = [{k: v for k, v in f.items() if k not in ("line", "text")} for f in data["findings"]]
    paths = [folder / f"{stem}.diff.txt", folder / f"{stem}.diff.html", folder / f"{stem}.findings.json"]
    paths[0].write_text(report_text(data) + "\n", encoding="utf-8")
    paths[1].write_text(render_report(prepared), encoding="utf-8")
    paths[2].write_text(json.dumps({"errata": findings}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return paths
