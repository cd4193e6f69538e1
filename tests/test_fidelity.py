"""The data says what the document prints: names, descriptions, desks, with only the listed errata."""
from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from knowledge.fidelity import check_fidelity, printed_part
from knowledge.loader import PACKAGE_DIR
from knowledge.models import Evidence
from knowledge.printed import compact, read_document

SOURCE = (PACKAGE_DIR / "source" / "shinko_program_r7.txt").read_text(encoding="utf-8")


def _with_program(knowledge, pid, **changes):
    """A copy of the knowledge with one program changed."""
    programs = tuple(dataclasses.replace(p, **changes) if p.id == pid else p for p in knowledge.programs)
    return dataclasses.replace(knowledge, programs=programs, program_by_id=MappingProxyType({p.id: p for p in programs}))


def _with_contact_name(knowledge, desk_id, name):
    contact = dataclasses.replace(knowledge.contact_by_id[desk_id], name=name)
    programs = tuple(dataclasses.replace(p, contacts=tuple(dataclasses.replace(c, contact=contact)
                                                           if c.contact.id == desk_id else c for c in p.contacts))
                     for p in knowledge.programs)
    return dataclasses.replace(knowledge, programs=programs, program_by_id=MappingProxyType({p.id: p for p in programs}))


def test_the_shipped_knowledge_is_the_printed_document(knowledge):
    assert check_fidelity(knowledge, SOURCE) == []


def test_the_reader_finds_every_program_and_the_table_of_contents():
    doc = read_document(SOURCE)
    assert len(doc.programs) == 102 and len(doc.indicator_rows) == 20
    assert {pid for pid, p in doc.programs.items() if p.toc_name is None} == {"7-2-4", "7-2-5"}
    assert {pid for pid, p in doc.programs.items() if not p.text} == {"2-1-6"}
    assert doc.programs["8-1-3"].toc_name == "第2期福島おおざそうインター工業団地整備事業"
    assert doc.programs["8-1-3"].heading == "第2期福島おおぞうインター工業団地整備事業"
    assert "①保育の受け皿の拡大" in doc.programs["5-2-3"].text  # a list inside a description is no heading
    assert "福島県よろず支援拠点福島サテライト" in doc.programs["2-1-2"].desks  # desks continue over the page break
    assert "(食品加工産業創出事業助成件数)" in compact(doc.indicator_rows[14])


@pytest.mark.parametrize("erratum_id", ["err-01", "err-02", "err-06", "err-09", "err-10", "err-16", "err-17", "err-20",
                                        "err-23"])
def test_each_listed_change_is_needed(knowledge, erratum_id):
    """Without its erratum the change is reported, so the list holds no stale entries."""
    erratum = next(e for e in knowledge.errata if e.id == erratum_id)
    without = dataclasses.replace(knowledge, errata=tuple(e for e in knowledge.errata if e.id != erratum_id))
    problems = check_fidelity(without, SOURCE)
    assert problems and all(p.startswith(erratum.target) for p in problems), problems


def test_every_name_description_and_desk_erratum_is_needed(knowledge):
    for erratum in knowledge.errata:
        if erratum.kind in ("name-toc", "name-body", "text", "contact"):
            without = dataclasses.replace(knowledge, errata=tuple(e for e in knowledge.errata if e is not erratum))
            assert check_fidelity(without, SOURCE), f"{erratum.id} changes nothing"


SILENT_EDITS = [
    ("8-1-3", {"name": "第2期福島大笹生インター工業団地整備事業"}, "8-1-3 name"),
    ("4-1-5", {"name": "福島市就職応援ポータルサイトえふWORK!"}, "4-1-5 name"),
    ("4-2-7", {"description": "在職者を対象に、業務に必要な技術・技能・知識のレベルアップを図る短期間の職業訓練(能力開発セミナー)を実施します。"},
     "4-2-7 description"),
    ("2-1-6", {"shared_text_with": None}, "2-1-6 description"),
    ("1-1-3", {"page": 9}, "1-1-3 page"),
]


@pytest.mark.parametrize("pid,changes,expected", SILENT_EDITS, ids=[e[2] for e in SILENT_EDITS])
def test_a_change_without_erratum_is_reported(knowledge, pid, changes, expected):
    problems = check_fidelity(_with_program(knowledge, pid, **changes), SOURCE)
    assert any(p.startswith(expected) for p in problems), problems


def test_an_indicator_name_not_printed_is_reported(knowledge):
    indicators = tuple(dataclasses.replace(k, name="産学共同研究の件数") if k.id == "kpi-10" else k for k in knowledge.indicators)
    problems = check_fidelity(dataclasses.replace(knowledge, indicators=indicators), SOURCE)
    assert [p[:13] for p in problems] == ["kpi-10 name: "]


def test_a_desk_name_not_printed_is_reported(knowledge):
    changed = _with_contact_name(knowledge, "desk-057", "福島県職業能力開発促進センター(ポリテクセンター福島)")
    assert check_fidelity(changed, SOURCE) == [
        "4-2-7 contacts: 「福島県職業能力開発促進センター(ポリテクセンター福島)」 is not printed among the desks of 4-2-7"]


def test_another_edition_is_compared_the_same_way(knowledge):
    """A renamed program in a later edition's text shows up as a name the data does not carry."""
    edition = SOURCE.replace("③よろず支援拠点", "③よろず支援センター")
    problems = check_fidelity(knowledge, edition)
    assert any(p.startswith("1-1-3 name (body heading)") for p in problems)


def test_replies_say_when_a_description_is_shared(knowledge):
    from assistant import replies
    program = knowledge.program_by_id["2-1-6"]
    assert program.description_note in replies.detail_text(program, knowledge.document.title)
    assert program.summary.startswith("【女性の創業応援利子補給事業と共通の説明】")
    assert knowledge.program_by_id["1-1-3"].summary.startswith("生産性向上や人手不足への対応など")


def test_every_kind_of_all_programs_has_a_supporting_phrase_in_the_source(knowledge):
    doc = read_document(SOURCE)
    assert len(knowledge.programs) == 102
    for program in knowledge.programs:
        for kind in program.kinds:
            evidence = program.evidence_for("kind", kind)
            assert evidence is not None, f"{program.id} {kind}"
            assert compact(evidence.phrase) in printed_part(doc, program, evidence.part), f"{program.id} {kind}"
        for tag in program.tags:
            evidence = program.evidence_for("tag", tag)
            assert evidence is not None and compact(evidence.phrase) in printed_part(doc, program, evidence.part)


def test_a_claim_without_its_phrase_is_reported(knowledge):
    program = knowledge.program_by_id["2-2-7"]
    claimed = _with_program(knowledge, "2-2-7", kinds=("補助金・助成金",), evidence=(
        Evidence("kind", "補助金・助成金", "LED照明器具の購入費を補助します", "description"),
        *(e for e in program.evidence if e.about == "tag")))
    assert check_fidelity(claimed, SOURCE) == [
        "2-2-7 evidence for kind 補助金・助成金: 「LED照明器具の購入費を補助します」 is not printed in its description"]
    unquoted = _with_program(knowledge, "2-2-7", kinds=program.kinds + ("補助金・助成金",))
    assert check_fidelity(unquoted, SOURCE) == ["2-2-7 kinds: 補助金・助成金 has no evidence"]


def test_a_phrase_from_another_part_of_the_entry_does_not_count(knowledge):
    program = knowledge.program_by_id["1-1-10"]
    moved = tuple(dataclasses.replace(e, part="description") if e.phrase == "価格転嫁サポート窓口" else e
                  for e in program.evidence)
    problems = check_fidelity(_with_program(knowledge, "1-1-10", evidence=moved), SOURCE)
    assert problems and all("is not printed in its description" in p for p in problems)


NO_MONEY_IN_THE_DOCUMENT = ["1-1-15", "2-1-8", "2-2-1", "2-2-5", "2-2-6", "2-2-7", "6-1-3", "7-2-3", "8-1-2"]
MONEY_WORDS = ("補助金・助成金", "補助", "助成")


@pytest.mark.parametrize("pid", NO_MONEY_IN_THE_DOCUMENT)
def test_programs_whose_text_mentions_no_money_never_claim_it(knowledge, client, pid):
    program = knowledge.program_by_id[pid]
    assert not any(w in program.description for w in MONEY_WORDS)  # the premise: the document says none
    assert "補助金・助成金" not in program.kinds
    assert not any(w in name for name in program.short_names for w in MONEY_WORDS)
    api = client.get(f"/api/programs/{pid}").get_json()
    assert "補助金・助成金" not in api["kinds"] and "補助金・助成金" not in str(api["evidence"])
    for path in (f"/programs/{pid}", f"/memo?ids={pid}"):
        assert "補助金・助成金" not in client.get(path).get_data(as_text=True), path
    for hit in client.get("/api/search", query_string={"q": program.name, "limit": 20}).get_json()["results"]:
        if hit["id"] == pid:
            assert "補助金・助成金" not in hit["kinds"] and not any("補助金" in w for w in hit["why"])


def test_a_money_question_shows_those_programs_without_money(client):
    body = client.post("/api/chat", json={"message": "LED照明に替えたいので補助金を教えて"}).get_json()
    for result in body["results"]:
        if result["id"] in NO_MONEY_IN_THE_DOCUMENT:
            assert "補助金・助成金" not in result["kinds"]
            assert not any("補助金・助成金" in why for why in result["why"])
    assert "2-2-7" in [r["id"] for r in body["results"]]


def test_check_command_compares_the_data_with_a_documents_text(tmp_path, capsys):
    from web.cli import main
    edition = tmp_path / "edition.txt"
    edition.write_text(SOURCE.replace("④県北技塾", "④県北ものづくり技塾"), encoding="utf-8")
    assert main(["check", "--source", str(edition)]) == 1
    assert "problem: not as printed: 4-2-4 name (body heading)" in capsys.readouterr().out
    assert main(["check"]) == 0
