"""Embedding on other sites: /embed.js adds a launcher, /widget is the compact chat it frames.

The sites allowed to frame /widget are the same allow-list as the API's CORS (ALLOWED_ORIGINS).
The widget's title and greeting are never read from its URL (anyone could link an official-looking
page saying anything): the embedding page sends them by postMessage, and the widget takes them
only from an allowed origin (the rules are in the page for chat.js to check).
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, current_app, render_template

from web.pages import chips, knowledge

bp = Blueprint("widget", __name__)

TITLE_MAX_CHARS = 40      # the same limits are applied again in chat.js to postMessage values
GREETING_MAX_CHARS = 200


def embedders(app: Flask) -> list | str:
    """The allowed origins for chat.js's postMessage check: "*" or a list of rules."""
    origins = app.extensions["allowed_origins"]
    return "*" if origins.any else [rule.as_dict() for rule in origins.rules]


def widget_csp(app: Flask) -> str:
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {app.extensions['allowed_origins'].frame_ancestors()}")


@bp.get("/widget")
def widget():
    html = render_template("chat.html", chips=chips(knowledge()), compact=True, title="ふくしま支援ナビ",
                           embedders=embedders(current_app), title_max=TITLE_MAX_CHARS, greeting_max=GREETING_MAX_CHARS)
    response = current_app.make_response(html)
    response.headers["Content-Security-Policy"] = widget_csp(current_app)
    response.headers.pop("X-Frame-Options", None)
    return response


@bp.get("/embed.js")
def embed_js():
    source = Path(current_app.static_folder, "embed.js").read_text(encoding="utf-8")
    response = current_app.response_class(source, mimetype="text/javascript")
    response.cache_control.public, response.cache_control.max_age = True, 300
    response.headers["Access-Control-Allow-Origin"] = "*"  # a public script; lets portals use SRI/crossorigin
    return response
