"""The Flask app factory: everything expensive is built here once and held on the app."""
from __future__ import annotations

from typing import Any, Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from assistant.engine import Assistant
from web import admin, admin_edition, api, knowledge_source, line, turnlog
from web.errors import register_error_handlers
from web.front import register_front
from web.hooks import TurnHooks
from web.jsonprovider import OrjsonProvider
from web.limits import init_limits
from web.serialize import PublicJson
from web.settings import load_settings


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from environment settings, overridden by test_config."""
    app = Flask(__name__)
    app.config.update(load_settings())
    if test_config:
        app.config.update(test_config)
    app.json = OrjsonProvider(app)  # UTF-8 as is, keys in order, fast
    proxies = int(app.config.get("PROXIES") or 0)
    if proxies > 0:  # trust exactly that many proxies' X-Forwarded-For/-Proto (client address, HTTPS)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    knowledge = knowledge_source.init_app(app)  # the active version, switched without a restart
    app.extensions["knowledge"] = knowledge
    app.extensions["assistant"] = Assistant(knowledge)
    app.extensions["public_json"] = PublicJson(knowledge)  # each program's public JSON, built once
    app.extensions["turn_hooks"] = TurnHooks()

    app.register_blueprint(api.bp)
    register_error_handlers(app)
    turnlog.init_app(app)  # the conversation log and /api/feedback
    init_limits(app)       # rate limit and security headers
    admin.init_app(app)    # /admin, only with an admin token
    admin_edition.init_app(app)  # /admin/edition: the yearly update
    register_front(app)    # pages, widget, embed.js, openapi, furigana
    line.init_app(app)     # POST /line/webhook, only with a LINE channel secret and access token
    return app
