"""Next year, simulated: each yearly change shows in the diff exactly, and nothing else does."""
from __future__ import annotations

import pytest

import edition_variants as v
from knowledge.edition.assemble import assemble
from knowledge.edition.curation import REVIEW_MARK
from knowledge.edition.diff import diff_editions
from knowledge.edition.parse import parse_edition
from knowledge.loader import DATA_DIR, check_documents, read_documents


@pytest.fixture(scope="module")
def shipped():
    return read_documents(DATA_DIR)[0]


def import_text(text: str, base: dict):
    assembly = assemble(parse_edition(text), base, "source/next.txt")
    return assembly, diff_editions(base, assembly)


@pytest.fixture(scope="module")
def baseline(shipped):
    """What importing the current edition shows: nothing (the round trip), so all else is next year's news."""
    _, diff = import_text(v.current(), shipped)
    assert diff.changes == [] and diff.findings == []
    return set(), set()


@pytest.mark.parametrize("make", v.VARIANTS, ids=lambda f: f.__name__)
def test_each_change_is_listed_and_nothing_else(shipped, baseline, make):
    text, expected = make(v.current())
    assembly, diff = import_text(text, shipped)
    assert set(diff.kinds()) - baseline[0] == expected
    new_findings = {(f.kind, f.target) for f in diff.findings} - baseline[1]
    assert new_findings == ({v.NEW_MISPRINT_FINDING} if make is v.new_misprint else set())
    assert check_documents(assembly.docs) == []


def test_the_whole_next_year_at_once(shipped, baseline):
    text, expected = v.next_year()
    assembly, diff = import_text(text, shipped)
    assert set(diff.kinds()) - baseline[0] == expected
    assert {(f.kind, f.target) for f in diff.findings} - baseline[1] == {v.NEW_MISPRINT_FINDING}
    assert check_documents(assembly.docs) == []
    assert assembly.docs["policy"]["document"]["title"] == "第2期福島市中小企業振興プログラム(令和8年度)"


def test_a_renamed_and_renumbered_program_keeps_its_curated_fields(shipped):
    assembly, _ = import_text(v.rename_and_renumber(v.current())[0], shipped)
    old = next(p for p in shipped["programs"]["programs"] if p["id"] == "8-2-2")
    new = next(p for p in assembly.docs["programs"]["programs"] if p["id"] == "8-1-4")
    assert new["name"] == "ふくしまとともに創る医療機器生産拡大事業" and new["page"] == 35
    assert (new["tags"], new["kinds"], new["short_names"]) == (old["tags"], old["kinds"], old["short_names"])
    assert "8-2-2" not in {p["id"] for p in assembly.docs["programs"]["programs"]}


def test_new_programs_get_suggestions_marked_for_review(shipped):
    assembly, diff = import_text(v.add_two_end_one(v.current())[0], shipped)
    suggested = {(s.target, s.field) for s in diff.suggestions}
    assert suggested == {("1-1-15", "tags"), ("1-1-15", "kinds"), ("6-1-4", "tags"), ("6-1-4", "kinds"),
                         ("desk-089", "level")}
    assert all(s.as_dict()["mark"] == REVIEW_MARK and s.values for s in diff.suggestions)
    new = next(p for p in assembly.docs["programs"]["programs"] if p["id"] == "1-1-15")
    assert new["short_names"] == [] and new["tags"] and new["kinds"]
    assert "相談" in new["kinds"]  # the description says 相談に応じ
    desk = next(c for c in assembly.docs["contacts"]["contacts"] if c["id"] == "desk-089")
    assert (desk["name"], desk["level"], desk["phones"]) == ("福島市ブランド戦略課", "市",
                                                             [{"number": "024-525-3990", "label": None}])


def test_a_changed_number_reaches_every_program_and_no_old_number_stays(shipped):
    assembly, diff = import_text(v.change_desk_phone(v.current())[0], shipped)
    [change] = [c for c in diff.changes if c.kind == "desk-phone"]
    assert (change.before, change.after, set(change.programs)) == ("024-572-3943", "024-572-3950", {"1-1-8", "1-1-9"})
    assert "024-572-3943" not in str(assembly.docs)


def test_new_actuals_are_read_as_figures(shipped):
    assembly, diff = import_text(v.new_year_actuals(v.current())[0], shipped)
    kpi2 = next(k for k in assembly.docs["indicators"]["indicators"] if k["id"] == "kpi-2")
    assert kpi2["series"][0]["actuals"]["6年度"] == {"text": "387件", "value": 387, "unit": "件"}
    change = next(c for c in diff.changes if c.target == "kpi-2")
    assert change.after == "6年度 387件"


def test_an_erratum_whose_misprint_is_gone_is_dropped(shipped):
    fixed = v.edit(v.current(), "高率的な照明機器", "効率的な照明機器")
    assembly, diff = import_text(fixed, shipped)
    assert [e["id"] for e in diff.errata_dropped] == ["err-07"]
    assert "err-07" not in {e["id"] for e in assembly.docs["errata"]["errata"]}
    assert diff.changes == []


@pytest.mark.parametrize("make", v.VARIANTS, ids=lambda f: f.__name__)
def test_every_imported_edition_passes_the_printed_text_check_but_its_new_misprint(shipped, make):
    """The fidelity check the shipped data is held to (knowledge/fidelity.py) holds for each import;
    the only thing it finds is the misprint the import lists for review."""
    from web.edition_import import prepare
    text, _ = make(v.current())
    prepared = prepare(shipped, text, "next.txt")
    expected = {v.NEW_MISPRINT_FINDING[1]} if make is v.new_misprint else set()
    assert {problem.split()[0] for problem in prepared.fidelity} == expected
    assert {f.target for f in prepared.diff.findings} == expected


def test_a_reviewed_misprint_joins_the_errata_and_the_check_passes(shipped):
    from web.edition_import import prepare
    text, _ = v.new_misprint(v.current())
    first = prepare(shipped, text, "next.txt")
    reviewed = [f.as_erratum(f"new-{i}") for i, f in enumerate(first.diff.findings)]
    again = prepare(shipped, text, "next.txt", reviewed)
    assert again.fidelity == [] and again.diff.findings == []
    [added] = [e for e in again.assembly.docs["errata"]["errata"] if "商业" in e["original"]]
    assert added["id"] == "err-24" and added["target"] == "1-1-13"
