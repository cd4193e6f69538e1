"""The one error body of the API: {"error": {"code", "message"}}, never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("bad_request", "リクエストの形式が正しくありません。"),
    404: ("not_found", "見つかりません。"),
    405: ("method_not_allowed", "このメソッドは使えません。"),
    413: ("too_large", "リクエストが大きすぎます。"),
    415: ("unsupported_media_type", "JSON で送ってください。"),
    429: ("rate_limited", "リクエストが多すぎます。少し待ってからお試しください。"),
    500: ("internal_error", "内部エラーが発生しました。"),
    503: ("unavailable", "ただいま利用できません。時間をおいてお試しください。"),
}

# The HTML pages' headings; the message is the same as the API's.
HEADINGS = {
    400: "リクエストの形式が正しくありません", 401: "ログインが必要です", 403: "この操作はできません",
    404: "ページが見つかりません", 405: "この方法では開けません", 413: "送られた内容が大きすぎます",
    429: "アクセスが集中しています", 500: "エラーが発生しました", 503: "ただいま利用できません",
}


class ApiError(Exception):
    """Raised by views for a client error with a specific code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str | None = None, message: str | None = None) -> Response:
    default_code, default_message = MESSAGES.get(status, ("error", "エラーが発生しました。"))
    response = jsonify({"error": {"code": code or default_code, "message": message or default_message}})
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def handle_api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message)

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        status = exc.code or 500
        if request.path.startswith("/api/") or not _html_pages(app):
            response = error_response(status)
        else:
            response = error_page(status)
        for name in ("Allow", "Retry-After"):  # a 405 names the methods that work (RFC 9110); a 429 when to retry
            value = dict(exc.get_headers()).get(name) or (exc.response.headers.get(name) if exc.response else None)
            if value:
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.path)
        return error_response(500)


def error_page(status: int) -> Response:
    """A Japanese HTML page for an HTTP error on the pages (never the framework's English one)."""
    heading = HEADINGS.get(status, "エラーが発生しました")
    message = MESSAGES.get(status, ("error", "エラーが発生しました。"))[1]
    response = make_response(render_template("error.html", heading=heading, message=message), status)
    return response


def _html_pages(app: Flask) -> bool:
    return "pages" in app.blueprints
