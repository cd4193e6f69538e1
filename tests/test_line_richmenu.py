"""`shien-navi line rich-menu`: the headline needs as a rich menu, created through the stand-in."""
from __future__ import annotations

import io

import pytest
from PIL import Image

import line_standin as L
from assistant.dialogue import respond
from assistant.engine import Assistant
from line_limits import actions, action_problems
from web.cli import main
from web.line.messages import chip_message
from web.line.richmenu import HEIGHT, WIDTH, find_font, menu_image, menu_items, rich_menu

HEADLINES = ["創業", "事業承継", "省エネ", "人材", "資金", "相談窓口"]


@pytest.fixture()
def standin(monkeypatch):
    s = L.StandIn().start()
    monkeypatch.setenv("SHIEN_NAVI_LINE_CHANNEL_ACCESS_TOKEN", L.TOKEN)
    monkeypatch.setenv("SHIEN_NAVI_LINE_API_URL", s.url)
    yield s
    s.stop()


def test_the_menu_is_the_six_headline_needs_each_sending_its_tags_chip(knowledge):
    items = menu_items(knowledge)
    assert [i.label for i in items] == HEADLINES
    chips = {t.chip for t in knowledge.vocabulary.tags}
    assert all(i.message in chips for i in items)
    menu = rich_menu(items)
    areas = menu["areas"]
    assert len(areas) == 6 and len(menu["chatBarText"]) <= 14
    assert sum(a["bounds"]["width"] * a["bounds"]["height"] for a in areas) == WIDTH * HEIGHT  # the grid covers it all
    assert not [p for where, a in actions(menu, "richMenu") for p in action_problems(where, a)]


def test_every_menu_tap_gets_programs_from_the_dialogue(knowledge):
    assistant = Assistant(knowledge)
    for area in rich_menu(menu_items(knowledge))["areas"]:
        reply = respond(assistant, chip_message(area["action"]["data"]), None)
        assert reply.hits and reply.intent == "need", area["action"]["label"]


def test_the_image_is_a_png_of_lines_size_within_its_limit(knowledge):
    data = menu_image(menu_items(knowledge), find_font())
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) and len(data) <= 1_000_000
    colours = {image.getpixel((x, y)) for x in range(0, WIDTH, 50) for y in range(0, HEIGHT, 50)}
    assert len(colours) > 6  # six coloured cells with white lettering


def test_the_command_creates_the_menu_uploads_the_image_and_makes_it_the_default(standin, knowledge, capsys):
    assert main(["line", "rich-menu"]) == 0
    paths = [(c.method, c.path) for c in standin.calls]
    menu_id = "richmenu-0123456789abcdef"
    assert paths == [("POST", "/v2/bot/richmenu/validate"), ("POST", "/v2/bot/richmenu"),
                     ("POST", f"/v2/bot/richmenu/{menu_id}/content"), ("POST", f"/v2/bot/user/all/richmenu/{menu_id}")]
    assert all(c.headers["Authorization"] == f"Bearer {L.TOKEN}" for c in standin.calls)
    assert standin.calls[1].json == rich_menu(menu_items(knowledge))
    upload = standin.calls[2]
    assert upload.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(upload.body)).size == (WIDTH, HEIGHT)
    assert menu_id in capsys.readouterr().out


def test_a_refusing_line_gives_one_line_and_status_1(standin, capsys):
    standin.mode = "error"
    assert main(["line", "rich-menu"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("shien-navi line rich-menu: LINE refused") and "500" in err and len(err.splitlines()) == 1


def test_save_only_draws_and_never_calls_line(standin, tmp_path, capsys):
    out = tmp_path / "menu.png"
    assert main(["line", "rich-menu", "--save", str(out)]) == 0
    with Image.open(out) as image:
        assert image.size == (WIDTH, HEIGHT) and standin.calls == []
    assert '"chatBarText"' in capsys.readouterr().out


def test_without_a_token_or_a_font_the_command_says_what_is_missing(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("SHIEN_NAVI_LINE_CHANNEL_ACCESS_TOKEN", raising=False)
    assert main(["line", "rich-menu"]) == 2
    assert "SHIEN_NAVI_LINE_CHANNEL_ACCESS_TOKEN" in capsys.readouterr().err
    assert main(["line", "rich-menu", "--font", str(tmp_path / "none.ttf"), "--save", str(tmp_path / "m.png")]) == 2
    assert "font not found" in capsys.readouterr().err
