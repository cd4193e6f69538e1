"""The chat's answer as a person on a phone uses it: measured in Chromium at 360×740 and 1280×800.

Boxes and text are measured, not looked at: whom to call first, thumb-sized tel: buttons, an
input that leaves the screen to the answer, the 相談メモ bar, furigana, phrase line breaks,
keyboard focus and a conversation that survives a reload.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360x740", "1280x800"])
KEY = "shien-navi:conversation"


def ask(page, text: str):
    """Send text from the input and return the answer's list item once it has arrived."""
    count = page.locator(".msg.bot:not(.pending)").count()
    page.fill("#message", text)
    page.keyboard.press("Enter")
    answer = page.locator(".msg.bot:not(.pending)").nth(count)
    expect(answer).to_be_visible()
    return answer


def open_chat(page, size) -> None:
    page.set_viewport_size(size)
    page.goto(page.base + "/")


def in_view(page, box, below: float = 0) -> bool:
    """Whether a box lies wholly inside the viewport, above y = `below` when given."""
    height = page.viewport_size["height"]
    return box["y"] >= 0 and box["y"] + box["height"] <= (below or height)


@SIZES
def test_the_lead_names_the_desk_to_call_first_and_its_number(page, served_app, size):
    open_chat(page, size)
    lead = ask(page, "後継者がいなくて困っている").locator(".lead")
    tel = lead.locator("a.tel")
    expect(tel).to_have_count(1)
    number = tel.inner_text()
    expect(tel).to_have_attribute("href", "tel:" + number)
    desks = [c for c in served_app.extensions["knowledge"].contacts if number in {p.number for p in c.phones}]
    text = lead.inner_text()
    assert desks and any(d.name in text for d in desks), text
    # 「電話」 and its number stay on one line
    top_bottom = tel.evaluate("""a => {
        const t = a.previousSibling, r = document.createRange(), i = t.data.lastIndexOf("電話");
        r.setStart(t, i); r.setEnd(t, i + 2);
        const w = r.getBoundingClientRect(), n = a.getBoundingClientRect();
        return [w.top, w.bottom, n.top, n.bottom]; }""")
    word_top, word_bottom, number_top, number_bottom = top_bottom
    assert word_top < number_bottom and number_top < word_bottom, top_bottom


@SIZES
def test_cards_are_numbered_with_a_level_and_thumb_sized_tel_buttons(page, size):
    open_chat(page, size)
    answer = ask(page, "電気代を下げたい")
    cards = answer.locator(".card")
    expect(cards).to_have_count(3)
    assert answer.locator(".card-number").all_inner_texts() == ["1", "2", "3"]
    def level(program_id: str) -> str:
        return re.sub(r"^窓口:\s*", "", answer.locator(f".card[data-program-id='{program_id}'] .level").inner_text())
    assert (level("2-2-7"), level("2-2-8")) == ("市の制度", "県の制度")  # the two no longer look alike
    answer.locator(".card-more summary").first.click()  # 詳しく: the buttons inside too
    buttons = answer.locator("a.tel-button:visible")
    assert buttons.count() >= 4
    for i in range(buttons.count()):
        button = buttons.nth(i)
        assert button.bounding_box()["height"] >= 44
        label = button.text_content()
        assert re.fullmatch(r"電話\u00a00\d{1,4}-\d{1,4}-\d{3,5}", label), label
        assert button.get_attribute("href") == "tel:" + label[3:]
    ask(page, "もっと")
    assert page.locator(".msg.bot").last.locator(".card-number").all_inner_texts() == ["4", "5", "6"]


def test_a_card_says_which_desk_first_and_details_show_every_desk(page, served_app):
    open_chat(page, PHONE)
    card = ask(page, "創業したい").locator(".card").first
    program = served_app.extensions["knowledge"].program_by_id[card.get_attribute("data-program-id")]
    assert len(program.contacts) > 1
    expect(card.locator(".call-first .call-first-label")).to_have_text("まずはここへ")
    first = next(c for c in program.contacts if c.phones)
    expect(card.locator(".call-first .desk-name")).to_have_text(first.name)
    expect(card.locator(".call-first a.tel-button")).to_have_count(len(first.phones))
    expect(card.locator(".card-more .description")).to_be_hidden()
    card.locator(".card-more summary").click()
    expect(card.locator(".card-more .description")).to_have_text(program.description)
    expect(card.locator(".card-more .desks > li")).to_have_count(len(program.contacts))
    expect(card.locator(".card-more .first-mark")).to_have_count(1)
    reasons = card.locator(".why").inner_text()
    assert "のご相談に合います" in reasons and "→" not in reasons and "支援の種類:" not in reasons


def test_asking_for_details_opens_the_card_at_its_description(page):
    open_chat(page, PHONE)
    ask(page, "創業したい")
    answer = ask(page, "2番目を詳しく")
    card = answer.locator(".card")
    expect(card).to_have_count(1)
    expect(card.locator(".card-more")).to_have_attribute("open", "")
    expect(card.locator(".card-more .description")).to_be_visible()
    expect(answer.locator(".bubble.body")).to_have_count(0)  # the text is the card's, not said twice
    expect(answer.locator(".source")).to_have_count(1)


def test_a_desk_without_a_number_says_so(page):
    open_chat(page, DESKTOP)
    card = ask(page, "電気代を下げたい").locator(".card[data-program-id='2-2-9']")
    card.locator(".card-more summary").click()
    desk = card.locator(".card-more .desks > li", has_text="経済産業省製造産業局")
    expect(desk.locator(".no-phone")).to_have_text("電話番号の記載なし")


@SIZES
@pytest.mark.parametrize("need", ["後継者がいない", "創業したい", "電気代を下げたい"])
def test_after_an_answer_the_lead_and_the_first_cards_phone_are_in_view(page, size, need):
    open_chat(page, size)
    answer = ask(page, need)
    dock_top = page.locator("#dock").bounding_box()["y"]
    card = answer.locator(".card").first
    for part in (answer.locator(".lead"), card.locator("h3"), card.locator(".call-first a.tel-button").first):
        assert in_view(page, part.bounding_box(), below=dock_top), part
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


def test_on_a_phone_the_input_leaves_the_screen_to_the_answer(page, shoot):
    open_chat(page, PHONE)
    limit = 0.15 * PHONE["height"]
    dock = page.locator("#dock")
    assert dock.bounding_box()["height"] <= limit
    ask(page, "後継者がいない")
    assert dock.bounding_box()["height"] <= limit
    shoot(page, "chat-phone-answer", full_page=False)
    page.set_viewport_size(PHONE)
    page.fill("#message", "お店を継いでくれる人がいないので、どこに相談したらいいか知りたい。" * 3)
    grown = page.locator("#message").bounding_box()["height"]
    assert 44 < grown <= 160  # one line that grows as one types, within bounds
    page.fill("#message", "")
    expect(page.locator("#message")).to_have_js_property("offsetHeight", 44)


@SIZES
def test_the_memo_bar_stays_in_view_above_the_input_once_it_holds_something(page, size):
    open_chat(page, size)
    answer = ask(page, "社員を育てたい")
    expect(page.locator("#memo-bar")).to_be_hidden()
    answer.locator(".memo-pick").first.click()
    bar = page.locator("#memo-bar")
    expect(bar).to_be_visible()
    expect(page.locator("#memo-count")).to_have_text("1")
    for y in (0, 100_000):
        page.evaluate(f"window.scrollTo(0, {y})")
        box, composer = bar.bounding_box(), page.locator("#composer").bounding_box()
        assert in_view(page, box) and box["y"] + box["height"] <= composer["y"] + 1, (y, box, composer)
    if size is PHONE:
        assert page.locator("#dock").bounding_box()["height"] <= 0.15 * PHONE["height"]


def test_the_skip_link_lands_in_the_input(page):
    open_chat(page, DESKTOP)
    page.keyboard.press("Tab")
    expect(page.locator("#skip")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#message")).to_be_focused()


def test_after_a_chip_focus_returns_to_the_input(page):
    open_chat(page, PHONE)
    page.locator(".intro .chip").first.click()
    expect(page.locator(".msg.bot:not(.pending)")).to_have_count(1)
    expect(page.locator("#message")).to_be_focused()
    chip = page.locator(".suggestions .chip", has_text="もっと見る")
    chip.focus()
    page.keyboard.press("Enter")  # by keyboard alone
    expect(page.locator(".msg.bot:not(.pending)")).to_have_count(2)
    expect(page.locator("#message")).to_be_focused()


def test_a_reload_restores_the_conversation_and_saishokara_clears_it(page):
    open_chat(page, PHONE)
    assert page.evaluate("sessionStorage.length") == 0  # nothing before the first message
    answer = ask(page, "創業したい")
    names = answer.locator(".card h3 a").all_inner_texts()
    answer.locator(".memo-pick").first.click()
    page.reload()
    expect(page.locator(".msg.user")).to_have_text(["創業したい"])
    assert page.locator(".msg.bot .card h3 a").all_inner_texts() == names
    expect(page.locator("#memo-count")).to_have_text("1")
    more = ask(page, "もっと")  # the context came back too: the next page of the same need
    expect(more.locator(".card-number").first).to_have_text("4")
    more.locator(".card h3 a").first.click()  # Back from a program page
    expect(page.locator("h1")).not_to_have_text("ふくしま支援ナビ チャット")
    page.go_back()
    expect(page.locator(".msg.bot")).to_have_count(2)
    page.get_by_role("button", name="最初から").click()
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.locator("#memo-bar")).to_be_hidden()
    expect(page.locator("#message")).to_be_focused()
    assert page.evaluate(f"sessionStorage.getItem('{KEY}')") is None
    page.reload()
    expect(page.locator(".intro .chip").first).to_be_visible()
    expect(page.locator(".msg")).to_have_count(0)
    reply = ask(page, "もっと")  # a fresh conversation: no need to continue
    expect(reply.locator(".card")).to_have_count(0)


def test_a_stored_conversation_from_elsewhere_is_read_safely(page):
    open_chat(page, PHONE)
    page.evaluate(f"""sessionStorage.setItem('{KEY}', JSON.stringify({{v: 1, turns: [{{message: '<img src=x onerror=alert(1)>',
        data: {{lead: '<b>x</b>', results: [{{id: '1-1-3', name: '<i>n</i>', url: '//evil.example/', contacts: []}}]}}}}]}}))""")
    page.reload()
    expect(page.locator(".msg.user")).to_have_text("<img src=x onerror=alert(1)>")
    expect(page.locator(".lead")).to_have_text("<b>x</b>")
    assert page.locator(".card h3 a").get_attribute("href") == "/programs/1-1-3"
    expect(page.locator(".msg img, .msg b, .msg i")).to_have_count(0)


RT_MIN_PX = 12


@SIZES
def test_furigana_is_a_switch_and_reads_at_12px_on_names_desks_chips_and_text(page, size, shoot):
    open_chat(page, size)
    ask(page, "人手不足で困っている")
    switch = page.get_by_role("switch", name="やさしい日本語（ふりがな）")
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    for where in (".card h3 a", ".call-first .desk-name", ".intro .chip", ".suggestions .chip", ".lead", ".card .summary",
                  ".welcome"):
        rt = page.locator(f"{where} rt").first
        expect(rt).to_be_attached()
        size_px = rt.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size_px >= RT_MIN_PX, (where, size_px)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.locator(".msg.bot .card").first.scroll_into_view_if_needed()
    shoot(page, "chat-furigana", full_page=False)
    page.set_viewport_size(size)
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(page.locator("#chat ruby")).to_have_count(0)


# Each line of a text must start where BudouX put a phrase boundary (a <wbr>) or after a space.
LINE_STARTS = """el => {
  const starts = new Set([0]), chars = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  let offset = 0;
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (n.nodeType === Node.ELEMENT_NODE) { if (n.tagName === "WBR") starts.add(offset); continue; }
    for (let i = 0; i < n.data.length; i++) {
      if (/\\s/.test(n.data[i])) starts.add(offset + i + 1);
      chars.push([n, i, offset + i]);
    }
    offset += n.data.length;
  }
  const bad = []; let lastTop = null;
  for (const [node, i, at] of chars) {
    if (/\\s/.test(node.data[i])) continue;
    const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
    const rect = r.getClientRects()[0];
    if (!rect) continue;
    if (lastTop !== null && rect.top > lastTop + rect.height / 2 && !starts.has(at)) bad.push(node.data.slice(Math.max(0, i - 3), i + 3));
    lastTop = lastTop === null || rect.top > lastTop + rect.height / 2 ? rect.top : lastTop;
  }
  return bad;
}"""


def test_japanese_lines_break_between_phrases_on_a_phone(page):
    open_chat(page, PHONE)
    answer = ask(page, "後継者がいない")
    for target in (page.locator(".welcome"), answer.locator(".lead"), answer.locator(".card .summary").first):
        assert target.evaluate("e => e.getClientRects().length > 0 && e.offsetHeight > 30"), "wraps at 360 px"
        assert target.evaluate(LINE_STARTS) == []


def test_a_phrase_broken_text_still_reads_as_one_text(page):
    open_chat(page, PHONE)
    answer = ask(page, "後継者がいない")
    response = page.request.post(page.base + "/api/chat", data={"message": "後継者がいない"})
    lead = response.json()["lead"]
    shown = answer.locator(".lead").inner_text()
    assert shown.replace("\u00a0", " ").replace("（", "(").replace("）", ")") == lead.replace("\u00a0", " ")


def test_more_is_offered_only_when_there_is_more(page):
    open_chat(page, DESKTOP)
    answer = ask(page, "後継者がいない")  # three programs, all shown
    expect(answer.locator(".follow-up")).to_contain_text("ほかの候補はありません")
    expect(answer.locator(".suggestions .chip", has_text="もっと")).to_have_count(0)
    answer = ask(page, "創業したい")
    expect(answer.locator(".suggestions .chip", has_text="もっと見る")).to_have_count(1)
