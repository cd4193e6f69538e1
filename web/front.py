"""Register the web front on an app: pages, widget, OpenAPI, furigana, CORS and the HTML 404."""
from __future__ import annotations

from flask import Flask
from flask_cors import CORS


def register_front(app: Flask) -> None:
    """Add the HTML pages and their API helpers; /api/* answers CORS only for ALLOWED_ORIGINS."""
    from web import furigana, openapi, pages, widget
    for blueprint in (pages.bp, widget.bp, openapi.bp, furigana.bp):
        app.register_blueprint(blueprint)
    app.register_error_handler(404, pages.not_found)
    origins = app.config.get("ALLOWED_ORIGINS") or []
    if origins:
        CORS(app, resources={r"/api/*": {"origins": "*" if "*" in origins else list(origins)}}, max_age=600)
