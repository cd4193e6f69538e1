"""A PDF of the edition (printed by chromium in the Noto CJK font) imports to the same knowledge as its text."""
from __future__ import annotations

import pytest

import edition_pdf
import edition_variants as v
from knowledge.edition.assemble import assemble
from knowledge.edition.diff import diff_editions
from knowledge.edition.parse import parse_edition
from knowledge.edition.pdf import pdf_text
from knowledge.loader import DATA_DIR, read_documents
from web.cli import main as cli_main

if not edition_pdf.available():
    pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def shipped():
    return read_documents(DATA_DIR)[0]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    return {"current": edition_pdf.make_pdf(v.current(), folder / "shinko_program_r7.pdf"),
            "next": edition_pdf.make_pdf(v.next_year()[0], folder / "shinko_program_r8.pdf")}


def without_source(docs):
    return {**docs, "policy": {**docs["policy"], "document": {**docs["policy"]["document"], "source_file": ""}}}


def test_the_pdf_text_layer_needs_the_repairs(pdfs):
    raw = pdf_text(pdfs["current"].read_bytes())
    assert "\x0c" in raw and raw.count("\x0c") >= 30  # one PDF page per document page
    assert any(0x2E80 <= ord(c) <= 0x2FDF for c in raw)  # kanji given as radicals (中⼩企業)
    assert "\t" in raw  # table cells and contents' page numbers come out as tabs


def test_the_pdf_imports_to_the_same_knowledge_as_the_text(pdfs, shipped):
    from_text = assemble(parse_edition(v.current()), shipped, "source/x")
    from_pdf = assemble(parse_edition(pdf_text(pdfs["current"].read_bytes())), shipped, "source/x")
    for name in from_text.docs:
        assert from_pdf.docs[name] == from_text.docs[name], name
    assert [(f.kind, f.target) for f in from_pdf.new_findings] == [(f.kind, f.target) for f in from_text.new_findings]


def test_next_year_s_pdf_gives_the_same_diff_as_its_text(pdfs, shipped):
    text, _ = v.next_year()
    by_text = diff_editions(shipped, assemble(parse_edition(text), shipped, "s"))
    by_pdf = diff_editions(shipped, assemble(parse_edition(pdf_text(pdfs["next"].read_bytes())), shipped, "s"))
    assert [c.as_dict() for c in by_pdf.changes] == [c.as_dict() for c in by_text.changes]
    assert {(f.kind, f.target) for f in by_pdf.findings} == {(f.kind, f.target) for f in by_text.findings}


def test_the_command_reads_a_pdf(pdfs, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SHIEN_NAVI_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("SHIEN_NAVI_DATABASE_URL", raising=False)
    assert cli_main(["import", str(pdfs["next"])]) == 0
    out = capsys.readouterr().out
    assert "新しい版: 第2期福島市中小企業振興プログラム(令和8年度)" in out and "024-572-3950" in out
