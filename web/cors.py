"""CORS on /api/* and the answer to OPTIONS, from the one allow-list (web/origins.py).

An allowed Origin is echoed in Access-Control-Allow-Origin with `Vary: Origin` (every /api
response varies by it once an allow-list is set, so a cache never hands one site's answer to
another); a preflight also gets the methods, `Content-Type` and a max age. OPTIONS answers
204 with `Allow` for any /api route, with the CORS headers only for an allowed origin.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request

from web.origins import AllowedOrigins

API_PREFIX = "/api/"
MAX_AGE_SECONDS = 600
ALLOWED_HEADERS = "Content-Type"


def allowed_origins() -> AllowedOrigins:
    return current_app.extensions["allowed_origins"]


def answer_options() -> Response | None:
    """OPTIONS on an /api route: 204 and the methods it takes (a wrong path stays a 404)."""
    if request.method != "OPTIONS" or not request.path.startswith(API_PREFIX) or request.routing_exception:
        return None
    adapter = current_app.url_map.bind_to_environ(request.environ)
    response = current_app.response_class(status=204)
    del response.headers["Content-Type"]  # no body, so no media type
    response.headers["Allow"] = ", ".join(sorted(adapter.allowed_methods()))
    return response


def add_cors_headers(response: Response) -> Response:
    if not request.path.startswith(API_PREFIX):
        return response
    origins = allowed_origins()
    if not origins.configured:
        return response
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if not origins.allows(origin):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*" if origins.any else origin
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        methods = [m for m in response.headers.get("Allow", "").split(", ") if m not in ("", "OPTIONS", "HEAD")]
        response.headers["Access-Control-Allow-Methods"] = ", ".join(methods)
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = str(MAX_AGE_SECONDS)
    return response


def init_cors(app: Flask, origins: AllowedOrigins) -> None:
    app.extensions["allowed_origins"] = origins
    app.before_request(answer_options)
    app.after_request(add_cors_headers)
