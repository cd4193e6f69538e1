"""The Flask app factory: everything expensive is built here once and held on the app."""
from __future__ import annotations

from typing import Any, Mapping

from flask import Flask

from assistant.engine import Assistant
from knowledge import load_knowledge
from web.errors import register_error_handlers
from web.hooks import TurnHooks
from web.settings import load_settings


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from environment settings, overridden by test_config."""
    app = Flask(__name__)
    app.config.update(load_settings())
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    knowledge = load_knowledge(app.config["DATA_DIR"])
    app.extensions["knowledge"] = knowledge
    app.extensions["assistant"] = Assistant(knowledge)
    app.extensions["turn_hooks"] = TurnHooks()

    from web import api
    app.register_blueprint(api.bp)
    register_error_handlers(app)
    from web import turnlog
    turnlog.init_app(app)
    from web.limits import init_limits
    init_limits(app)
    from web import admin
    admin.init_app(app)
    from web.front import register_front
    register_front(app)
    return app
