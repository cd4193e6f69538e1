"""Next year's edition, simulated: changed copies of the shipped document's text.

Each function makes one kind of yearly change the way the city's document would print it
(table of contents and body together) and says which changes the diff must list.
"""
from __future__ import annotations

from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "knowledge" / "source" / "shinko_program_r7.txt"


def current() -> str:
    return SOURCE.read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} is printed {text.count(old)} times"
    return text.replace(old, new)


MEDICAL_BLOCK = ("② ふくしまとともに創る医療機器生産促進事業\n\n県内企業に対して、大学発ベンチャー企業等とのマッチング支援、競争力強化支援及び"
                 "新規参入支援を実施することにより、多様な主体との連携を図り、医療機器生産額等の増加及び医療機器製造業登録者数の増加へ向けた取組を"
                 "行います。\n\n○[福島県医療関連産業集積推進室](#) TEL 024-521-7282\n\n")


def rename_and_renumber(text: str) -> tuple[str, set]:
    """8-2-2 becomes 8-1-4 (moved to the end of section (1), renamed, now on p.35)."""
    text = edit(text, MEDICAL_BLOCK, "")
    moved = MEDICAL_BLOCK.replace("② ふくしまとともに創る医療機器生産促進事業", "④ふくしまとともに創る医療機器生産拡大事業")
    text = edit(text, "8 企業立地の促進、医療福祉関連産業等の集積\n\n(2) 医療福祉関連産業等の集積",
                moved + "8 企業立地の促進、医療福祉関連産業等の集積\n\n(2) 医療福祉関連産業等の集積")
    text = edit(text, "\t②ふくしまとともに創る医療機器生産促進事業\t\t36\n", "")
    text = edit(text, "\t③第2期福島おおざそうインター工業団地整備事業\t\t35\n",
                "\t③第2期福島おおざそうインター工業団地整備事業\t\t35\n\t④ふくしまとともに創る医療機器生産拡大事業\t\t35\n")
    return text, {("moved", "8-1-4"), ("renamed", "8-1-4"), ("page", "8-1-4")}


CASHLESS_BLOCK = ("⑮キャッシュレス決済端末導入支援事業\n\nキャッシュレス決済端末導入率上昇のために、各商工団体等と連携し、キャッシュレス決済の普及に"
                  "向けて県内中小企業者等の意識醸成を図るとともに、キャッシュレス決済端末販売会社を通じてキャッシュレス決済機器導入の支援を"
                  "行います。\n\n○福島県経営金融課 TEL 024-521-7288\n\n")
NEW_1115 = ("⑮中小企業デジタル化相談事業\n\n市内中小企業のデジタル化について、専門家が無料で相談に応じ、業務に合ったツールの導入を"
            "支援します。\n\n○福島市産業雇用政策課 TEL 024-515-7746\n\n")
NEW_614 = ("④地域ブランド商品開発支援事業\n\n本市産の農産物を使った新しい商品の開発と販路開拓を支援し、地域ブランドの確立を図ります。\n\n"
           "○福島市ブランド戦略課 TEL 024-525-3990\n\n")


def add_two_end_one(text: str) -> tuple[str, set]:
    """1-1-15 ends; a new 1-1-15 and a new 6-1-4 (with a desk never printed before) are added."""
    text = edit(text, CASHLESS_BLOCK, NEW_1115)
    text = edit(text, "⑮キャッシュレス決済端末導入支援事業\t\t\t10", "⑮中小企業デジタル化相談事業\t\t\t10")
    text = edit(text, "○[福島市農業企画課](#) TEL 024-525-3726\n\n", "○[福島市農業企画課](#) TEL 024-525-3726\n\n" + NEW_614)
    text = edit(text, "\t③米粉等利用拡大支援事業\t\t30\n", "\t③米粉等利用拡大支援事業\t\t30\n\t④地域ブランド商品開発支援事業\t\t30\n")
    return text, {("ended", "1-1-15"), ("added", "1-1-15"), ("added", "6-1-4"), ("desk-added", "desk-089")}


def change_desk_phone(text: str) -> tuple[str, set]:
    """福島市デジタル推進課 gets a new number, printed under both its programs."""
    assert text.count("024-572-3943") == 2
    return text.replace("024-572-3943", "024-572-3950"), {("desk-phone", "desk-015")}


NEW_SECTION = ("\n(3) 医療福祉人材の確保\n\n①医療福祉人材確保支援事業\n\n医療・福祉分野の事業所の人材確保のため、就職面談会を開催し、"
               "求職者とのマッチングを支援します。\n\n○福島市産業雇用政策課 TEL 024-515-7746\n\n")


def add_section(text: str) -> tuple[str, set]:
    """Pillar 8 gets a section (3) with one program."""
    text = edit(text, "\n\n成果指標一覧\n\nNo\t", "\n" + NEW_SECTION + "成果指標一覧\n\nNo\t")
    text = edit(text, "\t成果指標一覧\t\t37\n", "\t(3)医療福祉人材の確保\t\t36\n\t①医療福祉人材確保支援事業\t\t36\n"
                "\t成果指標一覧\t\t37\n")
    return text, {("section-added", "8-3"), ("added", "8-3-1")}


def new_year_actuals(text: str) -> tuple[str, set]:
    """Every indicator table, in the body and in the list, gets its 6年度 column filled."""
    out = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) >= 6 and cells[-1] == cells[-2] == "" and cells[-3]:
            cells[-2] = cells[-3]  # this year's actual: the same as last year's, in every table
        out.append("\t".join(cells))
    return "\n".join(out), {("actual", f"kpi-{n}") for n in range(1, 21)}


def move_page_break(text: str) -> tuple[str, set]:
    """Page 9 now starts one program later: 1-1-7 is printed on p.8, and the contents say so."""
    header = "1 経営の革新・向上・改善、経営基盤の強化及び販路開拓\n\n"
    text = edit(text, "\n" + header + "⑦街なか店舗経営力向上支援事業\n", "\n⑦街なか店舗経営力向上支援事業\n")
    text = edit(text, "\n⑧ふくしまデジタル・イノベーション・アワード事業\n", "\n" + header + "⑧ふくしまデジタル・イノベーション・アワード事業\n")
    text = edit(text, "⑦街なか店舗経営力向上支援事業\t\t\t9", "⑦街なか店舗経営力向上支援事業\t\t\t8")
    return text, {("page", "1-1-7")}


def new_misprint(text: str) -> tuple[str, set]:
    """The table of contents prints a simplified 业 in 1-1-13's name: a finding, not a change."""
    return edit(text, "⑬ものづくり・商業・サービス生産性向上促進事業 (ものづくり補助金)\t\t\t10",
                "⑬ものづくり・商业・サービス生産性向上促進事業 (ものづくり補助金)\t\t\t10"), set()


NEW_MISPRINT_FINDING = ("name-toc", "1-1-13")


def next_year_title(text: str) -> tuple[str, set]:
    text = edit(text, "(令和 7 年度)\n\n令和 7 年 3 月", "(令和 8 年度)\n\n令和 8 年 3 月")
    return text, {("document", "document")}


VARIANTS = [rename_and_renumber, add_two_end_one, change_desk_phone, add_section, new_year_actuals, move_page_break,
            new_misprint]


def next_year() -> tuple[str, set]:
    """All of the year's changes at once, under next year's title."""
    text, expected = next_year_title(current())
    for make in VARIANTS:
        text, more = make(text)
        expected |= more
    return text, expected
