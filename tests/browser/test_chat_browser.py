"""The chat page and the widget in real headless Chromium (Debian's package, via Playwright)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


def send(page, text: str) -> None:
    page.fill("#message", text)
    page.keyboard.press("Enter")


def kept_keys(page) -> list[str]:
    """What the page keeps: no cookie, nothing in localStorage, sessionStorage's keys."""
    assert page.evaluate("document.cookie") == "" and page.evaluate("localStorage.length") == 0
    return page.evaluate("Object.keys(sessionStorage)")


def test_need_gives_a_card_with_a_tel_link(page, shoot):
    page.goto(page.base + "/")
    assert kept_keys(page) == []  # nothing before the first message
    send(page, "後継者がいなくて廃業を考えている")
    card = page.locator(".card").first
    expect(card).to_be_visible()
    expect(card.locator("a.tel").first).to_have_attribute("href", re.compile(r"^tel:0[0-9-]+$"))
    expect(card.locator("h3 a")).to_have_attribute("href", re.compile(r"^/programs/\d-\d-\d+$"))
    expect(card.locator(".source")).to_contain_text("p.")
    expect(page.locator("#announce")).to_contain_text("件の制度")
    expect(page.locator("#message")).to_have_value("")
    assert kept_keys(page) == ["shien-navi:conversation"]
    shoot(page, "chat-answer")


def test_chip_sends_its_need_and_suggestions_stay(page):
    page.goto(page.base + "/")
    page.get_by_role("button", name="創業したい").first.click()
    expect(page.locator(".msg.user")).to_have_text("創業したい")
    expect(page.locator(".card").first).to_be_visible()
    expect(page.locator(".suggestions .chip").first).to_be_visible()


def compose(page, kana: str):
    """Leave kana composing in the focused input, as a Japanese IME does; return the CDP session."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": kana, "selectionStart": len(kana), "selectionEnd": len(kana)})
    return cdp


def test_enter_while_ime_composes_does_not_send(page):
    page.goto(page.base + "/")
    page.focus("#message")
    cdp = compose(page, "そうぎょう")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    expect(page.locator(".msg")).to_have_count(0)
    cdp.send("Input.insertText", {"text": "創業"})
    page.wait_for_timeout(200)  # past the Safari compositionend guard
    page.keyboard.press("Shift+Enter")
    expect(page.locator(".msg")).to_have_count(0)
    assert page.input_value("#message").startswith("創業")
    page.click("#send")
    expect(page.locator(".msg.user")).to_have_count(1)


def test_follow_up_uses_the_context(page):
    page.goto(page.base + "/")
    send(page, "創業したい")
    expect(page.locator(".card")).not_to_have_count(0)
    first = page.locator(".card").count()
    page.get_by_role("button", name="もっと").first.click()
    expect(page.locator(".msg.bot")).to_have_count(2)
    expect(page.locator(".msg.bot").nth(1).locator(".card").first).to_be_visible()
    shown = page.locator(".msg.bot").nth(0).locator(".card h3").all_text_contents()
    more = page.locator(".msg.bot").nth(1).locator(".card h3").all_text_contents()
    assert first and not set(shown) & set(more)
    send(page, "電話番号は？")
    expect(page.locator(".msg.bot")).to_have_count(3)
    expect(page.locator(".msg.bot").nth(2).locator("a.tel").first).to_be_visible()


def test_card_button_builds_a_memo(page):
    page.goto(page.base + "/")
    send(page, "社員を育てたい")
    page.locator(".card .memo-pick").first.click()
    expect(page.locator("#memo-bar")).to_be_visible()
    href = page.get_attribute("#memo-link", "href")
    assert "ids=" in href and "need=" in href
    page.goto(page.base + href)
    expect(page.locator("h1")).to_have_text("相談メモ")
    expect(page.locator(".need-text")).to_have_text("社員を育てたい")


def test_furigana_toggle_adds_ruby(page):
    page.goto(page.base + "/")
    send(page, "電気代を下げたい")
    expect(page.locator(".card").first).to_be_visible()
    page.click("#ruby-toggle")
    expect(page.locator("#ruby-toggle")).to_have_attribute("aria-checked", "true")
    expect(page.locator(".msg.bot ruby rt").first).to_be_attached()
    page.click("#ruby-toggle")
    expect(page.locator(".msg.bot ruby")).to_have_count(0)


def test_keyboard_alone_at_phone_width(page, shoot):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    font = page.eval_on_selector("#message", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 16
    page.focus("#message")
    page.keyboard.type("人手不足で困っている")
    page.keyboard.press("Enter")
    expect(page.locator(".card").first).to_be_visible()
    page.keyboard.press("Tab")  # from the input onwards: focus is visible somewhere
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, "chat-phone")


@pytest.mark.parametrize("path", ["/", "/widget"])
def test_chat_pages_have_no_serious_axe_violations(page, axe, path):
    page.goto(page.base + path)
    if path == "/":
        send(page, "販路を開拓したい")
        expect(page.locator(".card").first).to_be_visible()
    assert axe(page) == []


def test_widget_on_another_origin_opens_and_answers(page, servers, shoot):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(servers["portal"] + "/")
    launcher = page.locator("[data-shien-navi=launcher]")
    expect(launcher).to_have_text("支援ナビに相談")
    assert not [u for u in requests if "/widget" in u or "/api/" in u]
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    frame = page.frame_locator("iframe[title^='支援ナビ']")
    expect(frame.locator(".welcome")).to_have_text("ご用件をどうぞ")  # sent by postMessage from the allowed portal
    expect(frame.locator(".widget-head h1")).to_have_text("支援ナビ")
    frame.locator("#message").fill("省エネの設備に補助金はある？")
    frame.locator("#message").press("Enter")
    expect(frame.locator(".card a.tel").first).to_be_visible()
    shoot(page, "widget-embedded")
    frame.locator("#message").press("Escape")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_be_focused()


def chat_turn_id(page_or_frame_page, act) -> str:
    """Run act() and return the turn_id of the /api/chat reply it caused."""
    with page_or_frame_page.expect_response(lambda r: r.url.endswith("/api/chat")) as reply:
        act()
    return reply.value.json()["turn_id"]


def feedback_of(served_app, turn_id: str):
    return [f for f in served_app.extensions["store"].feedback_since() if f.turn.id == turn_id]


def test_unhelpful_with_a_comment_is_stored_and_thanked(page, served_app, shoot):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base + "/")
    turn_id = chat_turn_id(page, lambda: send(page, "電気代を下げたい"))
    answer = page.locator(".msg.bot").last
    expect(answer.locator(".card").first).to_be_visible()
    feedback = answer.get_by_role("group", name="この回答は役に立ちましたか？")
    yes = feedback.get_by_role("button", name="役に立った", exact=True)
    no = feedback.get_by_role("button", name="役に立たなかった")
    for button in (yes, no):
        expect(button).to_have_attribute("aria-pressed", "false")
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        assert button.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    no.focus()
    page.keyboard.press("Enter")  # keyboard alone
    expect(no).to_have_attribute("aria-pressed", "true")
    comment = feedback.get_by_label("よろしければ理由をひとこと(任意)")
    expect(comment).to_be_focused()
    assert comment.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    assert comment.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    feedback.scroll_into_view_if_needed()
    shoot(page, "chat-feedback", full_page=False)
    page.set_viewport_size({"width": 360, "height": 740})
    page.keyboard.type("窓口の受付時間も知りたい")
    page.keyboard.press("Enter")
    thanks = answer.locator(".feedback-thanks")
    expect(thanks).to_have_text("ご意見ありがとうございました。")
    expect(page.locator("#announce")).to_have_text("ご意見ありがとうございました。")
    expect(answer.locator(".feedback-vote")).to_have_count(0)
    [stored] = feedback_of(served_app, turn_id)
    assert stored.helpful is False and stored.comment == "窓口の受付時間も知りたい"
    assert kept_keys(page) == ["shien-navi:conversation"]


def test_enter_in_the_comment_while_ime_composes_does_not_send(page, served_app):
    page.goto(page.base + "/")
    turn_id = chat_turn_id(page, lambda: send(page, "創業したい"))
    page.get_by_role("button", name="役に立たなかった").click()
    comment = page.get_by_label("よろしければ理由をひとこと(任意)")
    expect(comment).to_be_focused()
    cdp = compose(page, "まどぐち")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    expect(page.locator(".feedback-thanks")).to_have_count(0)
    cdp.send("Input.insertText", {"text": "窓口"})
    page.locator(".feedback").get_by_role("button", name="送信", exact=True).click()
    expect(page.locator(".feedback-thanks")).to_be_visible()
    [stored] = feedback_of(served_app, turn_id)
    assert stored.helpful is False and stored.comment == "窓口"


def test_feedback_that_fails_gets_a_polite_message(page):
    page.goto(page.base + "/")
    send(page, "人手不足で困っている")
    page.route("**/api/feedback", lambda route: route.fulfill(
        status=503, content_type="application/json",
        body='{"error": {"code": "unavailable", "message": "x"}}'))
    page.get_by_role("button", name="役に立った", exact=True).click()
    expect(page.locator(".feedback-status")).to_contain_text("評価を送れませんでした")
    expect(page.locator("#announce")).to_contain_text("評価を送れませんでした")
    expect(page.get_by_role("button", name="役に立った", exact=True)).to_be_visible()  # can try again
    page.console_errors.clear()  # the browser logs the failed request


def test_the_widget_takes_no_title_from_its_url_nor_config_when_not_framed(page, servers):
    page.goto(servers["app"] + "/widget?title=福島市公式&first=ご相談は090-0000-0000へ")
    expect(page.locator(".widget-head h1")).to_have_text("ふくしま支援ナビ")
    page.evaluate("""window.postMessage({type: "shien-navi:config", title: "偽", greeting: "偽の案内"}, "*")""")
    page.wait_for_timeout(200)
    expect(page.locator(".widget-head h1")).to_have_text("ふくしま支援ナビ")
    expect(page.locator(".welcome")).not_to_contain_text("偽")


def test_helpful_in_the_widget_is_stored(page, servers, served_app):
    page.goto(servers["portal"] + "/")
    page.get_by_role("button", name="支援ナビに相談").click()
    frame = page.frame_locator("iframe[title^='支援ナビ']")
    frame.locator("#message").fill("後継者がいない")
    turn_id = chat_turn_id(page, lambda: frame.locator("#message").press("Enter"))
    helpful = frame.get_by_role("button", name="役に立った", exact=True)
    expect(helpful).to_be_visible()
    helpful.click()
    expect(frame.locator(".feedback-thanks")).to_have_text("ご意見ありがとうございました。")
    expect(frame.locator("#announce")).to_have_text("ご意見ありがとうございました。")
    [stored] = feedback_of(served_app, turn_id)
    assert stored.helpful is True and stored.comment is None
