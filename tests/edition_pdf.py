"""A PDF of an edition, made from its extracted text the way the city's PDF looks: one PDF page per
document page (a page starts at each running header), tables as cells, paragraphs wrapping.

Printed with Debian's chromium through Playwright (page.pdf) in the Noto CJK font.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

from knowledge.edition.text import unmark

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
CSS = """
@page { size: 297mm 420mm; margin: 12mm; }
body { font-family: 'Noto Sans CJK JP', sans-serif; font-size: 9pt; line-height: 1.4; }
p { margin: 0 0 .7em; white-space: pre-wrap; }
div.row { display: flex; column-gap: 3em; white-space: nowrap; margin: 0 0 .7em; }
.page { break-before: page; }
"""
PILLAR = re.compile(r"^\d \S")


def available() -> bool:
    return Path(CHROMIUM).exists() or bool(shutil.which("chromium"))


def _line_html(line: str, new_page: bool) -> str:
    cls = ' class="page"' if new_page else ""
    s = line.strip()
    if s.startswith("- "):
        s = s[2:]
        s = ("○" + s) if s.startswith("[") else s  # a desk in a bulleted list is a ○ item on paper
    if s.startswith("|"):
        if re.fullmatch(r"[|\s:\-]+", s):
            return ""
        s = "\t".join(c.strip() for c in s.strip("|").split("|"))
    s = unmark(s)
    if "\t" in line:
        cells = [c for c in s.split("\t") if c.strip()]
        row = "".join(f"<span>{html.escape(c.strip())}</span>" for c in cells)
        return f'<div class="row{" page" if new_page else ""}">{row}</div>'
    return f"<p{cls}>{html.escape(s)}</p>"


def edition_html(text: str) -> str:
    """The text as pages: a new page before chapters and before each run of pillar headings."""
    out, previous = [], ""
    for line in text.split("\n"):
        if not line.strip():
            continue
        s = line.strip()
        new_page = (s.startswith(("第1章", "第2章", "成果指標一覧")) and "\t" not in s) or \
            (PILLAR.match(s) is not None and "\t" not in s and not PILLAR.match(previous) and "TEL" not in s)
        out.append(_line_html(line, new_page))
        previous = s
    return f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>{CSS}</style></head><body>' \
           + "\n".join(out) + "</body></html>"


def make_pdf(text: str, path: Path) -> Path:
    """Print the text to path in a child process: the browser tests may hold Playwright in this one."""
    source = path.with_suffix(".source.txt")
    source.write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, __file__, str(source), str(path)], check=True, timeout=300,
                   cwd=Path(__file__).resolve().parent.parent)
    return path


def _print_pdf(text: str, path: Path) -> None:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.set_content(edition_html(text))
        page.pdf(path=str(path), prefer_css_page_size=True, print_background=False)
        browser.close()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    _print_pdf(Path(sys.argv[1]).read_text(encoding="utf-8"), Path(sys.argv[2]))
