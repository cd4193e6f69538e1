"""Reading an edition: the shipped document's text reproduces the shipped data, misprints are flagged."""
from __future__ import annotations

import pytest

from knowledge.edition.assemble import assemble
from knowledge.edition.diff import diff_editions
from knowledge.edition.errata import explains
from knowledge.edition.figures import parse_figure
from knowledge.edition.parse import parse_edition
from knowledge.edition.text import fold, phone_is_well_formed, restore_radicals, tidy
from knowledge.loader import DATA_DIR, FILES, read_documents

SOURCE = DATA_DIR.parent / "source" / "shinko_program_r7.txt"



@pytest.fixture(scope="module")
def shipped():
    docs, problems = read_documents(DATA_DIR)
    assert not problems
    return docs


@pytest.fixture(scope="module")
def edition():
    return parse_edition(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def assembly(edition, shipped):
    return assemble(edition, shipped, shipped["policy"]["document"]["source_file"])


def test_cover_gives_title_and_edition(edition):
    assert edition.title == "第2期福島市中小企業振興プログラム(令和7年度)"
    assert (edition.issued, edition.publisher, edition.edition) == ("令和7年3月", "福島市", "令和7年度")


def test_every_program_is_read_with_its_page(edition, shipped):
    expected = [(p["id"], p["page"], p["page_inferred"]) for p in shipped["programs"]["programs"]]
    assert [(p.id, p.page, p.page_inferred) for p in edition.programs] == expected


def test_round_trip_reproduces_every_program_field(assembly, shipped):
    got = {p["id"]: p for p in assembly.docs["programs"]["programs"]}
    assert list(got) == [p["id"] for p in shipped["programs"]["programs"]]
    for want in shipped["programs"]["programs"]:
        for key in set(want) | set(got[want["id"]]):
            assert got[want["id"]].get(key) == want.get(key), (want["id"], key)


@pytest.mark.parametrize("name", [n for n in FILES if n != "programs"])
def test_round_trip_reproduces_the_other_files(assembly, shipped, name):
    assert assembly.docs[name] == shipped[name]


def test_round_trip_diff_is_empty(assembly, shipped):
    diff = diff_editions(shipped, assembly)
    assert diff.empty and diff.changes == []
    assert not diff.errata_dropped and not diff.suggestions and not diff.findings


def test_every_indicator_figure_is_read(edition, shipped):
    indicators = shipped["indicators"]["indicators"]
    assert [k.number for k in edition.indicators] == list(range(1, 21))
    values = [(q or {}).get("value") for k in indicators for s in k["series"]
              for q in (s["baseline"], s["target"], *s["actuals"].values())]
    cells = [a for k in edition.indicators for s in k.series for a in (s.baseline, s.target, *(x for _, x in s.actuals))]
    assert [a.value if a else None for a in cells] == values
    assert sum(1 for a in cells if a and a.text) == 84  # 21 rows of 4 printed cells, 5 of them 「—」
    assert sum(1 for a in cells if a and a.value is not None) == 84 - 5


DETECTABLE = {"name-toc", "indicator-number", "toc-omission"}


def test_known_misprints_are_flagged(edition, shipped):
    errata = shipped["errata"]["errata"]
    for e in errata:
        if fold(e["original"]) == fold(e["corrected"]):
            continue  # full-width （） in the contents, half-width in the body: a difference of print only
        if e["kind"] in DETECTABLE or e["original"] in ("产学官連携", "産学協同研究等を実施した件数"):
            assert any(explains(e, f) for f in edition.findings), e["id"]
    unexplained = {(f.kind, f.target) for f in edition.findings if not any(explains(e, f) for e in errata)}
    assert unexplained == set()


def test_findings_quote_their_source_line(edition):
    for f in edition.findings:
        assert f.line > 0 and f.text, f
        if f.kind == "indicator-number" and f.field == "indicator":
            assert f.original in f.text  # 成果指標④ printed on that line
        if f.kind == "name-toc":
            assert fold(f.original) in fold(f.text)


# --- misprints in a changed copy of the document ------------------------------------------

def variant(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) >= count, old
    return text.replace(old, new, count)


def findings_of(text: str):
    return {(f.kind, f.target, f.field): f for f in parse_edition(text).findings}


@pytest.fixture(scope="module")
def text():
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def baseline_findings(text):
    return set(findings_of(text))


CASES = [
    ("phone of the wrong shape", "○福島市デジタル推進課 TEL 024-572-3943\n\n⑨", "○福島市デジタル推進課 TEL 024-572-39430\n\n⑨",
     ("phone", "1-1-8", "phones")),
    ("gap in the numbering", "⑮キャッシュレス決済端末導入支援事業\n\nキャッシュレス決済端末導入率",
     "⑯キャッシュレス決済端末導入支援事業\n\nキャッシュレス決済端末導入率", ("numbering", "1-1-16", "number")),
    ("duplicate number", "⑨デジタル人材バンク事業\n\nデジタルの課題", "⑧デジタル人材バンク事業\n\nデジタルの課題",
     ("numbering", "1-1-9", "number")),
    ("simplified character", "市内企業が開発又は製造した最終製品", "市内企业が開発又は製造した最終製品",
     ("text", "1-2-3", "description")),
    ("name differs between contents and body", "④航空宇宙産業集積推進事業\t\t\t12", "④航空宇宙産業集積促進事業\t\t\t12",
     ("name-toc", "1-2-4", "name")),
    ("indicator number out of order", "成果指標③\t基準値", "成果指標⑬\t基準値", ("indicator-number", "1-2-1", "indicator")),
    ("indicator list out of order", "③\t新製品・新技術開発に係る", "㉓\t新製品・新技術開発に係る",
     ("indicator-number", "kpi-23", "number")),
    ("page the contents gives differently", "③よろず支援拠点\t\t\t8", "③よろず支援拠点\t\t\t9", ("page", "1-1-3", "page")),
]


@pytest.mark.parametrize("what,old,new,key", CASES, ids=[c[0] for c in CASES])
def test_a_new_misprint_is_found_with_its_line(text, baseline_findings, what, old, new, key):
    found = findings_of(variant(text, old, new))
    assert key in found and key not in baseline_findings
    f = found[key]
    assert f.line > 0 and f.text and f.reason and f.original and f.corrected


def test_a_simplified_character_gets_its_japanese_form(text):
    f = findings_of(variant(text, "市内企業が開発又は製造した最終製品", "市内企业が開発又は製造した最終製品"))[
        ("text", "1-2-3", "description")]
    assert "业" in f.original and f.corrected == f.original.replace("业", "業") and "市内企业" in f.text


# --- what extraction does ----------------------------------------------------------------

TIDY = [("サービス等生産性向上 IT 導入支援事業", "サービス等生産性向上IT導入支援事業"), ("JR 福島駅東口より徒歩 10 分", "JR福島駅東口より徒歩10分"),
        ("(代表者が女性の法人含む) …2年", "(代表者が女性の法人含む) …2年"), ("M&A 補助金", "M&A補助金"),
        ("適応 ～ウィズ", "適応 ～ウィズ"), ("健康増進・福利厚生の充実、 子育て支援", "健康増進・福利厚生の充実、子育て支援"),
        ("いきいき！ふくしEXPO", "いきいき！ふくしEXPO"), ("職業訓練（能力開発セミナー）", "職業訓練（能力開発セミナー）")]


@pytest.mark.parametrize("printed,tidied", TIDY)
def test_tidy_drops_only_extraction_spaces(printed, tidied):
    assert tidy(printed) == tidied


def test_radicals_come_back_as_kanji_and_nothing_else_changes():
    assert restore_radicals("中⼩企業の活⽤（ＩＴ）") == "中小企業の活用（ＩＴ）"


@pytest.mark.parametrize("number,ok", [("024-515-7746", True), ("0570-008503", True), ("050-3133-3272", True),
                                       ("0120-541-516", True), ("03-4335-7595", True), ("024-515-77460", False),
                                       ("024-5157746", False), ("050-313-3272", False)])
def test_phone_shapes(number, ok):
    assert phone_is_well_formed(number) is ok


@pytest.mark.parametrize("cell,text,value,unit,year,qualifier", [
    ("30,926 t (R1)", "30,926t(R1)", 30926, "t", "令和元年度", None),
    ("24,200 t 以下", "24,200t 以下", 24200, "t", None, "以下"),
    ("313 事業所 (R3.8 月現在)", "313事業所(R3.8月現在)", 313, "事業所", "令和3年8月現在", None),
    ("71.2%", "71.2%", 71.2, "%", None, None), ("—", "—", None, None, None, None)])
def test_figures(cell, text, value, unit, year, qualifier):
    f = parse_figure(cell)
    assert (f.text, f.value, f.unit, f.year, f.qualifier) == (text, value, unit, year, qualifier)


def facts(p) -> tuple:
    """A program's printed facts, without the line numbers."""
    return (p.id, p.name, p.description, p.page, tuple((d.name, d.phones, d.qualifier, d.role) for d in p.desks))


def test_page_furniture_and_broken_headings_do_not_change_the_reading(text, edition):
    noisy = text.replace("\n③よろず支援拠点", "\n8\n\x0c③よろず支援拠点", 1)
    noisy = variant(noisy, "\n2 創業と承継、\n\n経済的・社会的環境の変化への適応\n", "\n2 創業と\n承継、\n経済的・社会的環境の変化への適応\n")
    again = parse_edition(noisy)
    assert [facts(p) for p in again.programs] == [facts(p) for p in edition.programs]
    assert [p.title for p in again.pillars] == [p.title for p in edition.pillars]


def test_circled_numbers_and_width_variants_in_headings(text, edition):
    wide = variant(text, "⑤チャレンジショップ\n", "⑤　チャレンジショップ\n")
    wide = variant(wide, "(2)人材の育成\n", "（２）人材の育成\n")
    again = parse_edition(wide)
    assert [(p.id, p.name) for p in again.programs] == [(p.id, p.name) for p in edition.programs]
