"""The desk view and the 相談メモ in real headless Chromium."""
from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all("li.program:not([hidden]) input.pick", "els => els.map(e => e.value)")


def test_filters_narrow_the_list_instantly(page, shoot):
    page.goto(page.base + "/programs")
    total = len(visible_ids(page))
    assert total == 102
    page.select_option("#f-tag", "事業承継")
    after_tag = visible_ids(page)
    assert 0 < len(after_tag) < total and "2-1-10" in after_tag
    expect(page.locator("#shown")).to_have_text(str(len(after_tag)))
    page.select_option("#f-tag", "")
    page.select_option("#f-level", "県")
    assert 0 < len(visible_ids(page)) < total
    page.select_option("#f-level", "")
    page.fill("#f-q", "ＩＴ")  # full width folds like the server (NFKC)
    expect(page.locator("#ranked-results")).to_be_visible()
    assert 0 < len(visible_ids(page)) < total
    page.fill("#f-q", "存在しない言葉ですよ")
    expect(page.locator("#empty")).to_be_visible()
    expect(page.locator("section.pillar:not([hidden])")).to_have_count(0)
    page.fill("#f-q", "")
    expect(page.locator("#ranked-results")).to_be_hidden()
    page.select_option("#f-kind", "融資")
    assert "kind=" in page.url and "q=" not in page.url
    shoot(page, "programs", full_page=False)


def test_checked_programs_make_a_printable_memo(page, shoot):
    page.goto(page.base + "/programs")
    page.check("#pick-1-1-3")
    page.check("#pick-2-1-10")
    page.fill("#memo-need", "父の店を継ぐか迷っている。<b>相談先</b>を知りたい")
    page.click("#memo-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("相談メモ")
    expect(page.locator(".need-text")).to_have_text("父の店を継ぐか迷っている。<b>相談先</b>を知りたい")
    expect(page.locator(".memo-programs > li")).to_have_count(2)
    expect(page.locator(".memo-programs a.tel").first).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator("#print")).to_be_hidden()
    page.emulate_media(media="screen")
    shoot(page, "memo")


def test_program_page_and_axe(page, axe, shoot):
    page.goto(page.base + "/programs/1-1-2")
    expect(page.locator("h1")).to_have_text("産業支援コーディネート事業")
    expect(page.locator("a.tel").first).to_have_attribute("href", "tel:024-515-7746")
    expect(page.locator("table.indicator")).to_contain_text("480件/年")
    assert axe(page) == []
    shoot(page, "program")


def test_programs_page_has_no_serious_axe_violations(page, axe):
    page.goto(page.base + "/programs")
    assert axe(page) == []


def test_unknown_program_is_a_404_page(page):
    response = page.goto(page.base + "/programs/9-9-99")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("ページが見つかりません")
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 404 (NOT FOUND)"]
    page.console_errors.clear()


def ranked_ids(page) -> list[str]:
    return page.eval_on_selector_all("#ranked > li.program:not([hidden]) input.pick", "els => els.map(e => e.value)")


# The chat understands these (a word for the cost, kana for 省エネ, a typo); so must the staff list.
KEYWORDS = [("電気代", {"2-2-7", "2-2-8"}), ("しょうえね", {"2-2-7", "2-2-8"}), ("後継車", {"2-1-10"})]


@pytest.mark.parametrize(("word", "expected"), KEYWORDS)
def test_keyword_ranks_with_the_chats_search(page, word, expected):
    page.goto(page.base + "/programs")
    page.fill("#f-q", word)
    expect(page.locator("#ranked-results")).to_be_visible()
    in_browser = ranked_ids(page)
    assert expected <= set(in_browser[:3]), in_browser
    expect(page.locator("#shown")).to_have_text(str(len(in_browser)))
    expect(page.locator("section.pillar:not([hidden])")).to_have_count(0)
    page.goto(page.base + "/programs?q=" + word)  # the server ranks the same without JavaScript
    assert ranked_ids(page) == in_browser


def test_keyword_still_finds_ids_and_numbers_literally(page):
    page.goto(page.base + "/programs")
    page.fill("#f-q", "024-954-4163")
    expect(page.locator("#ranked-results")).to_be_visible()
    assert ranked_ids(page) == ["2-1-10"]
    page.select_option("#f-level", "市")  # the selects still narrow a keyword's list
    expect(page.locator("#empty")).to_be_visible()


def test_the_sticky_bar_counts_what_is_checked(page, shoot):
    page.set_viewport_size(PHONE)
    page.goto(page.base + "/programs")
    bar = page.locator("#memo-form")
    expect(page.locator("#picked-count")).to_have_text("0")
    expect(page.locator("#memo-need")).to_be_hidden()
    page.check("#pick-1-1-3")
    page.check("#pick-2-1-10")
    expect(page.locator("#picked-count")).to_have_text("2")
    for y in (0, 6000, 12000):  # wherever the list is scrolled, the bar sits at the foot of the screen
        page.evaluate(f"window.scrollTo(0, {y})")
        box = bar.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"] + 1, (y, box)
    button = bar.get_by_role("button", name="相談メモを作る")
    assert button.bounding_box()["height"] >= 44
    shoot(page, "programs-checked", full_page=False)
    page.set_viewport_size(PHONE)
    page.fill("#memo-need", "電気代を下げたい")
    button.click()
    expect(page.locator(".memo-programs > li")).to_have_count(2)
    expect(page.locator(".need-text")).to_have_text("電気代を下げたい")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF (NFKC: pdfminer returns some kanji as Kangxi radicals)."""
    import io
    import logging
    import unicodedata

    from pdfminer.high_level import extract_text
    from pdfminer.pdfpage import PDFPage
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    count = sum(1 for _ in PDFPage.get_pages(io.BytesIO(pdf)))
    return [unicodedata.normalize("NFKC", extract_text(io.BytesIO(pdf), page_numbers=[i])) for i in range(count)]


# The four programs with the most desks (11, 10, 9 and 8), and four ordinary ones.
MEMOS = ["2-1-2,1-1-5,2-1-1,1-1-4", "1-1-3,2-1-10,2-2-7,4-1-7"]


@pytest.mark.parametrize("ids", MEMOS)
def test_four_programs_print_on_at_most_two_pages(page, ids):
    need = "父の店を継ぐか迷っている。電気代も上がって資金繰りが苦しい。" * 3
    page.goto(page.base + "/memo?" + urlencode({"ids": ids, "need": need}))
    pages = pdf_pages(page.pdf(format="A4"))
    assert len(pages) <= 2
    assert "内容は変わることがあります" in pages[-1]  # the footer is printed ...
    for text in pages:  # ... and no page holds only the footer and the notes: each lists desks
        assert re.search(r"電話\s*0\d{1,4}-\d{1,4}-\d{3,5}", text), text[:200]
