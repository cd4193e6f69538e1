"""The desk view and the 相談メモ in real headless Chromium."""
from __future__ import annotations

from playwright.sync_api import expect


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
    assert 0 < len(visible_ids(page)) < total
    page.fill("#f-q", "存在しない言葉ですよ")
    expect(page.locator("#empty")).to_be_visible()
    expect(page.locator("section.pillar:not([hidden])")).to_have_count(0)
    page.fill("#f-q", "")
    page.select_option("#f-kind", "融資")
    assert "kind=" in page.url
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
