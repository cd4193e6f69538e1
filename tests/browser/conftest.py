"""Browser fixtures: the app under waitress on a free port, a second origin for the embed, and
Debian's chromium driven by Playwright (never a downloaded browser)."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"  # screenshots (git-ignored)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
    pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)", allow_module_level=True)


class Server:
    """A WSGI app under waitress in a daemon thread, on a port the OS picks."""

    def __init__(self, wsgi_app) -> None:
        from waitress.server import create_server
        self._server = create_server(wsgi_app, host="127.0.0.1", port=0, threads=4, ident="test")
        self.url = f"http://127.0.0.1:{self._server.effective_port}"
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> "Server":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.task_dispatcher.shutdown()
        self._server.close()
        self._thread.join(timeout=5)


def portal_app(environ, start_response):
    """The second origin: a portal page that embeds the widget with one script tag."""
    widget_origin = environ["shien.widget_origin"]
    body = (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>ポータル</title></head>'
            f'<body><h1>よろず支援ポータル(テスト)</h1><p>埋め込みのテスト</p>'
            f'<script src="{widget_origin}/embed.js" async data-title="支援ナビ" data-accent="#8a1538" '
            f'data-position="left" data-first-message="ご用件をどうぞ"></script></body></html>').encode()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture(scope="session")
def portal_server() -> tuple[Server, dict[str, str]]:
    """The portal's server (not started) and where it learns the app's origin."""
    holder: dict[str, str] = {}
    return Server(lambda environ, sr: portal_app({**environ, "shien.widget_origin": holder["app"]}, sr)), holder


@pytest.fixture(scope="session")
def served_app(tmp_path_factory, portal_server):
    """The Flask app the browser talks to: tests read its store (`extensions["store"]`)."""
    from web import create_app
    portal, _ = portal_server
    return create_app({"TESTING": True, "DATA_HOME": str(tmp_path_factory.mktemp("data")),
                       "ALLOWED_ORIGINS": [portal.url], "RATELIMIT_ENABLED": False})


@pytest.fixture(scope="session")
def servers(served_app, portal_server) -> Iterator[dict[str, str]]:
    """The app, and a portal on another port whose origin the app allows to frame /widget."""
    portal, holder = portal_server
    server = Server(served_app)
    holder["app"] = server.url
    server.start()
    portal.start()
    yield {"app": server.url, "portal": portal.url}
    portal.stop()
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, servers):
    """A fresh page at 1280 px that fails the test on any console error or page error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.base = servers["app"]
    page.console_errors = errors  # a test that expects an error (a 404 page) clears it
    yield page
    context.close()
    assert not errors, f"console errors: {errors}"


@pytest.fixture(scope="session")
def shoot():
    """Save a page's screenshots at 360×740 and 1280×800 under test-output/."""
    return save_screenshots


@pytest.fixture(scope="session")
def axe():
    """Return the serious and critical axe-core violations of a page."""
    return axe_violations


def save_screenshots(page, name: str, full_page: bool = True) -> None:
    """Save a screenshot at 360×740 and at 1280×800 under test-output/ (the viewport is left at 1280×800)."""
    OUTPUT.mkdir(exist_ok=True)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.screenshot(path=str(OUTPUT / f"{name}-{size['width']}.png"), full_page=full_page)


def axe_violations(page) -> list[dict]:
    """Run the vendored axe-core in the page (evaluate is not subject to the page's CSP)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""() => axe.run(document, {resultTypes: ['violations']})
        .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))""")
    return [v for v in result if v["impact"] in ("serious", "critical")]
