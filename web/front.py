"""Register the web front on an app: pages, widget, OpenAPI, furigana, CORS and the HTML 404."""
from __future__ import annotations

from flask import Flask

from web.cors import init_cors
from web.origins import parse_origins
from web.phrases import Phraser
from web.settings import StartupError


def register_front(app: Flask) -> None:
    """Add the HTML pages and their API helpers; /api/* answers CORS only for ALLOWED_ORIGINS."""
    from web import furigana, openapi, pages, seo, widget
    try:
        origins = parse_origins(app.config.get("ALLOWED_ORIGINS") or ())
    except ValueError as exc:
        raise StartupError(str(exc)) from None
    tokenizer = app.extensions["assistant"].tokenizer
    # BudouX: Japanese lines break between phrases, on every page and reply; Sudachi's words veto
    # a break inside a kanji compound
    phraser = Phraser(words=lambda text: (surface for surface, _ in tokenizer.furigana(text)))
    app.extensions["phraser"] = phraser
    app.add_template_filter(phraser.html, "phrased")
    for blueprint in (pages.bp, widget.bp, openapi.bp, furigana.bp):
        app.register_blueprint(blueprint)
    seo.init_app(app)  # meta description, canonical URL, JSON-LD, /sitemap.xml, /robots.txt
    app.register_error_handler(404, pages.not_found)
    init_cors(app, origins)
