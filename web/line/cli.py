"""`shien-navi line rich-menu [--font FILE] [--save FILE]`: make the LINE account's rich menu."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def cmd_rich_menu(args: argparse.Namespace) -> int:
    """Draw the menu of headline needs; with --save write it out, else create it through the API as the default."""
    from knowledge import load_knowledge
    from web.line import public_base
    from web.line.client import LineClient
    from web.line.richmenu import RichMenuError, find_font, menu_image, menu_items, publish, rich_menu
    from web.settings import StartupError, load_settings
    settings = load_settings()
    try:
        items = menu_items(load_knowledge(settings["DATA_DIR"]))
        image = menu_image(items, find_font(args.font))
    except RichMenuError as exc:
        print(f"shien-navi line rich-menu: {exc}", file=sys.stderr)
        return 2
    menu = rich_menu(items)
    if args.save:
        Path(args.save).write_bytes(image)
        print(json.dumps(menu, ensure_ascii=False, indent=2))
        print(f"image: {args.save} ({len(image)} bytes)", file=sys.stderr)
        return 0
    token = settings.get("LINE_CHANNEL_ACCESS_TOKEN")
    if not token:
        print("shien-navi line rich-menu: set SHIEN_NAVI_LINE_CHANNEL_ACCESS_TOKEN (or use --save to only draw it)",
              file=sys.stderr)
        return 2
    try:
        api_url = public_base(settings.get("LINE_API_URL"), "SHIEN_NAVI_LINE_API_URL")
        menu_id = publish(LineClient(token, api_url, float(settings.get("LINE_API_TIMEOUT") or 5.0)), menu, image)
    except StartupError as exc:
        print(f"shien-navi line rich-menu: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - LINE refused or did not answer: say so in one line
        status = getattr(exc, "status", None)
        body = getattr(exc, "body", None)
        print(f"shien-navi line rich-menu: LINE refused the menu ({status or type(exc).__name__}): "
              f"{(body or str(exc))[:300]!s}", file=sys.stderr)
        return 1
    print(f"rich menu {menu_id} created and set as the default for every user")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    line = sub.add_parser("line", help="the LINE official account")
    commands = line.add_subparsers(dest="line_command", required=True)
    menu = commands.add_parser("rich-menu", help="create the rich menu of headline needs and make it the default")
    menu.add_argument("--font", default=None, help="a font file with Japanese glyphs (default: found on the machine)")
    menu.add_argument("--save", default=None, metavar="FILE",
                      help="only draw: write the image to FILE and print the menu's JSON, without calling LINE")
    menu.set_defaults(func=cmd_rich_menu)
