"""The rich menu: six headline needs in a 3 × 2 grid, each tap sending that need's chip.

The labels are the menu's own; what a tap sends is the chip of a needs tag in the knowledge
data, so the menu asks exactly what the web's chips ask. The image is drawn here (Pillow) with
a Japanese font found on the machine.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.models import Knowledge
from web.line.messages import chip_action

WIDTH, HEIGHT = 2500, 1686   # LINE's large rich menu size
COLUMNS, ROWS = 3, 2
MAX_IMAGE_BYTES = 1_000_000  # LINE's limit for a rich menu image
NAME = "ふくしま支援ナビ"
CHAT_BAR = "支援をさがす"     # at most 14 characters
# (label on the menu, needs tag whose chip a tap sends, cell colour)
HEADLINES = (("創業", "創業", "#2E7D32"), ("事業承継", "事業承継", "#1565C0"), ("省エネ", "省エネ・脱炭素", "#00838F"),
             ("人材", "人材確保", "#6A1B9A"), ("資金", "資金繰り・融資", "#EF6C00"), ("相談窓口", "経営相談", "#455A64"))
FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")


class RichMenuError(RuntimeError):
    """The menu cannot be made as asked (no font, a tag missing from the data)."""


@dataclass(frozen=True)
class MenuItem:
    label: str
    message: str
    color: str


def menu_items(knowledge: Knowledge) -> list[MenuItem]:
    """The six headline needs with the chip each sends, taken from the vocabulary's tags."""
    tags = {t.id: t for t in knowledge.vocabulary.tags}
    missing = [tag for _, tag, _ in HEADLINES if tag not in tags]
    if missing:
        raise RichMenuError(f"needs tags missing from the vocabulary: {', '.join(missing)}")
    return [MenuItem(label, tags[tag].chip, color) for label, tag, color in HEADLINES]


def cell(index: int) -> dict[str, int]:
    """The bounds of the index-th cell, left to right, top to bottom (the last column takes the rest)."""
    width, height = WIDTH // COLUMNS, HEIGHT // ROWS
    column, row = index % COLUMNS, index // COLUMNS
    return {"x": column * width, "y": row * height,
            "width": WIDTH - column * width if column == COLUMNS - 1 else width,
            "height": HEIGHT - row * height if row == ROWS - 1 else height}


def rich_menu(items: list[MenuItem]) -> dict[str, Any]:
    """The rich menu object for the Messaging API: one tappable area per item."""
    return {"size": {"width": WIDTH, "height": HEIGHT}, "selected": True, "name": NAME, "chatBarText": CHAT_BAR,
            "areas": [{"bounds": cell(i), "action": chip_action(item.label, item.message)} for i, item in enumerate(items)]}


def find_font(explicit: str | None = None) -> Path:
    """A font with Japanese glyphs: the one given, a known file, or what fontconfig offers for Japanese."""
    if explicit:
        if not Path(explicit).is_file():
            raise RichMenuError(f"font not found: {explicit}")
        return Path(explicit)
    for name in FONT_FILES:
        if Path(name).is_file():
            return Path(name)
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", ":lang=ja:weight=bold"], capture_output=True, text=True,
                               timeout=10).stdout.strip()
        if found and Path(found).is_file():
            return Path(found)
    raise RichMenuError("no Japanese font found: install fonts-noto-cjk or pass --font <file.ttf|.ttc|.otf>")


def menu_image(items: list[MenuItem], font: Path) -> bytes:
    """Draw the menu as a PNG: a coloured cell per item, its label large and the message it sends small."""
    from PIL import Image, ImageDraw, ImageFont
    image = Image.new("RGB", (WIDTH, HEIGHT), "#FFFFFF")
    draw = ImageDraw.Draw(image)
    big, small = ImageFont.truetype(str(font), 170), ImageFont.truetype(str(font), 64)
    for i, item in enumerate(items):
        b = cell(i)
        draw.rectangle((b["x"] + 8, b["y"] + 8, b["x"] + b["width"] - 8, b["y"] + b["height"] - 8), fill=item.color)
        middle = (b["x"] + b["width"] // 2, b["y"] + b["height"] // 2)
        draw.text((middle[0], middle[1] - 40), item.label, font=big, fill="#FFFFFF", anchor="mm")
        draw.text((middle[0], middle[1] + 130), f"「{item.message}」", font=small, fill="#FFFFFF", anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    data = out.getvalue()
    if len(data) > MAX_IMAGE_BYTES:
        raise RichMenuError(f"the menu image is {len(data)} bytes, over LINE's {MAX_IMAGE_BYTES}")
    return data


def publish(client: Any, menu: dict[str, Any], image: bytes) -> str:
    """Validate and create the menu, upload its image, make it every user's default; return its id.

    Raises what the SDK raises when LINE refuses a step, so the command can say which one.
    """
    from linebot.v3.messaging import RichMenuRequest
    api = client.messaging()
    request = RichMenuRequest.from_dict(menu)
    api.validate_rich_menu_object(request, _request_timeout=client.timeout)
    menu_id = api.create_rich_menu(request, _request_timeout=client.timeout).rich_menu_id
    client.blob().set_rich_menu_image(menu_id, image, _headers={"Content-Type": "image/png"},
                                      _request_timeout=max(client.timeout, 30.0))
    api.set_default_rich_menu(menu_id, _request_timeout=client.timeout)
    return menu_id
