"""The LINE official account: the same assistant answering on LINE (webhook, messages, state, rich menu).

On only when both the channel secret and the channel access token are set; otherwise
/line/webhook does not exist (404).
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask

from web.settings import StartupError

log = logging.getLogger(__name__)


def public_base(value: str | None, name: str = "SHIEN_NAVI_PUBLIC_URL") -> str | None:
    """An http(s) base URL without a trailing slash, or None; anything else stops start-up."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise StartupError(f"{name} must be an http(s) URL like https://shien.example.jp, not {value[:80]!r}")
    return value.strip().rstrip("/")


def init_app(app: Flask) -> None:
    """Mount POST /line/webhook when LINE is configured, with its state in the app's store."""
    secret, token = app.config.get("LINE_CHANNEL_SECRET"), app.config.get("LINE_CHANNEL_ACCESS_TOKEN")
    if not (secret and token):
        if secret or token:
            log.warning("LINE is off: set both SHIEN_NAVI_LINE_CHANNEL_SECRET and SHIEN_NAVI_LINE_CHANNEL_ACCESS_TOKEN")
        return
    from linebot.v3 import WebhookParser

    from web.line import webhook
    from web.line.bot import LineBot
    from web.line.client import LineClient
    from web.line.state import LineState
    public_url = public_base(app.config.get("PUBLIC_URL"))
    api_url = public_base(app.config.get("LINE_API_URL"), "SHIEN_NAVI_LINE_API_URL")
    state = LineState(app.extensions["store"].url, secret, timeout=float(app.config.get("LINE_STATE_TIMEOUT") or 2.0))
    client = LineClient(token, api_url, timeout=float(app.config.get("LINE_API_TIMEOUT") or 5.0))
    app.extensions["line"] = LineBot(app, state, client, public_url)
    app.extensions["line_parser"] = WebhookParser(secret)
    app.register_blueprint(webhook.bp)
    app.extensions["rate_limiter"].exempt(webhook.bp)  # every user's messages come from LINE's few addresses
