"""Every page at 360×740 and 1280×800: axe finds no serious or critical violation, nothing overflows
sideways, and a screenshot of each is saved under test-output/; the embedded widget opens cleanly."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

PAGES = [
    ("chat", "/"),
    ("widget", "/widget"),
    ("programs", "/programs"),
    ("programs-keyword", "/programs?q=" + quote("しょうえね")),
    ("program", "/programs/2-1-1"),
    ("program-no-phone", "/programs/2-2-9"),
    ("contacts", "/contacts"),
    ("memo", "/memo?ids=2-1-1,2-2-7&need=" + quote("電気代を下げたい")),
    ("not-found", "/no-such-page"),
]


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_at_both_sizes(page, axe, shoot, name, path):
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(page.base + path)
        expect(page.locator("h1")).to_have_count(1)
        assert axe(page) == [], (name, size)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], (name, size)
    shoot(page, "page-" + name)
    if name == "not-found":
        page.console_errors.clear()  # the browser logs the 404 response itself


def test_an_answer_with_details_and_furigana_at_both_sizes(page, axe, shoot):
    page.goto(page.base + "/")
    page.fill("#message", "創業したい")
    page.keyboard.press("Enter")
    expect(page.locator(".card").first).to_be_visible()
    page.locator(".card-more summary").first.click()
    page.locator(".memo-pick").first.click()
    page.get_by_role("switch").click()
    expect(page.locator(".card h3 rt").first).to_be_attached()
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert axe(page) == [], size
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    shoot(page, "chat-answer-details")


def overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360x740", "1280x800"])
def test_the_widget_opens_without_console_messages_and_its_launcher_says_close(page, servers, shoot, size):
    page.set_viewport_size(size)
    messages: list[str] = []  # warnings too: Chromium reports a postMessage sent too early as one
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.goto(servers["portal"] + "/")
    launcher = page.locator("[data-shien-navi=launcher]")
    expect(launcher).to_have_text("支援ナビに相談")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_have_text("閉じる")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    frame = page.frame_locator("iframe[title^='支援ナビ']")
    expect(frame.locator(".welcome")).to_have_text("ご用件をどうぞ")
    expect(frame.locator("#message")).to_be_focused()
    frame_box = page.locator("iframe[title^='支援ナビ']").bounding_box()
    inner = frame.locator("#message").bounding_box()  # in the page's coordinates already
    assert inner["y"] + inner["height"] <= frame_box["y"] + frame_box["height"] + 1
    assert not overlaps(launcher.bounding_box(), inner), (launcher.bounding_box(), inner)
    assert not overlaps(launcher.bounding_box(), frame_box)
    frame.locator("#message").fill("後継者がいない")
    frame.locator("#message").press("Enter")
    expect(frame.locator(".card a.tel-button").first).to_be_visible()
    shoot(page, "widget-open", full_page=False)
    page.set_viewport_size(size)
    launcher.click()
    expect(launcher).to_have_text("支援ナビに相談")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#shien-navi-panel")).to_be_hidden()
    launcher.click()  # open again: the frame is kept and takes the focus
    expect(frame.locator("#message")).to_be_focused()
    expect(frame.locator(".card").first).to_be_visible()
    assert messages == []
