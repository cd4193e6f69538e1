"""Per-client rate limit (flask-limiter) and the security headers every response carries."""
from __future__ import annotations

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# Views that need another policy (the framed /widget) set their own; this one is for the rest.
DEFAULT_CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
               "form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
UNLIMITED_PATHS = ("/api/health", "/static/")


def rate_limit_enabled(app: Flask) -> bool:
    value = str(app.config.get("RATE_LIMIT") or "").strip().lower()
    return value not in ("", "off", "0", "none", "false")


def init_limits(app: Flask) -> Limiter:
    """Limit each client (by address, held in memory or the configured storage, never logged)."""
    enabled = rate_limit_enabled(app)
    # after_request functions run last-registered first: this one runs after the limiter's headers
    app.after_request(drop_retry_after_unless_refused)
    limiter = Limiter(get_remote_address, app=app, enabled=enabled,
                      application_limits=[app.config["RATE_LIMIT"]] if enabled else [],  # one budget per client, all routes
                      storage_uri=app.config.get("RATE_LIMIT_STORAGE_URI") or "memory://",
                      headers_enabled=True, swallow_errors=True)  # a storage outage must not stop answers
    limiter.request_filter(lambda: request.method == "OPTIONS" or request.path.startswith(UNLIMITED_PATHS))
    app.extensions["rate_limiter"] = limiter
    app.after_request(add_security_headers)
    return limiter


def drop_retry_after_unless_refused(response: Response) -> Response:
    """Retry-After only where it means something (429, 503): flask-limiter adds it to every answer."""
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    return response


def add_security_headers(response: Response) -> Response:
    """Add nosniff, a referrer policy and (unless the view set one) a strict CSP."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = DEFAULT_CSP
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response
