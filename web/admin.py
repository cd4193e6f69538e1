"""The staff gap board /admin: only when ADMIN_TOKEN is set; token by Bearer header or a login form.

The session cookie is set for admins only (at login), signed with a key derived from the token,
so every instance sharing the token accepts it and changing the token logs everyone out.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask import (Blueprint, Flask, abort, current_app, jsonify, redirect, render_template, request, session,
                   url_for)
from itsdangerous import BadData, URLSafeTimedSerializer

from assistant.engine import Assistant
from knowledge import KnowledgeError, load_knowledge
from web.curation import (REGRESSIONS_FILE, CurationError, add_regression, add_vocabulary_word, data_dir_in_use)
from web.display import strip_bidi
from web.gaps import build_report, report_csv, report_dict
from web.store import data_home, utcnow
from web.writer import StoreBusy

bp = Blueprint("admin", __name__, url_prefix="/admin")
DEFAULT_DAYS = 30
MESSAGE_MAX_AGE_SECONDS = 600


def _token() -> str:
    return current_app.config["ADMIN_TOKEN"]


def _token_digest() -> str:
    return hashlib.sha256(_token().encode()).hexdigest()


def token_matches(candidate: str) -> bool:
    """Compare in constant time, so timing tells nothing about the token."""
    return hmac.compare_digest(candidate.encode("utf-8", "surrogatepass"), _token().encode())


def authorized() -> bool:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return token_matches(header.removeprefix("Bearer ").strip())
    return hmac.compare_digest(str(session.get("admin", "")), _token_digest())


@bp.before_request
def require_admin():
    if request.endpoint == "admin.login":
        return None
    if not authorized():
        if request.endpoint == "admin.board":
            return render_template("admin_login.html", failed=False), 401
        abort(401)
    if request.method == "POST" and "Authorization" not in request.headers:
        if not hmac.compare_digest(request.form.get("csrf", ""), session.get("csrf", "-")):
            abort(403)
    return None


@bp.post("/login")
def login():
    if not token_matches(request.form.get("token", "")):
        return render_template("admin_login.html", failed=True), 401
    session.clear()
    session["admin"], session["csrf"] = _token_digest(), secrets.token_urlsafe(24)
    return redirect(url_for("admin.board"), 303)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("admin.board"), 303)


def _since() -> datetime:
    raw = request.args.get("since", "")
    try:
        return datetime.fromisoformat(raw) if raw else utcnow() - timedelta(days=DEFAULT_DAYS)
    except ValueError:
        abort(400)


def current_report(since: datetime) -> dict:
    """Build the report on the store's thread (after the turns queued before it), waiting a bounded time."""
    app = current_app
    store, knowledge, terms = app.extensions["store"], app.extensions["knowledge"], app.extensions["assistant"].tokenizer.terms
    low_score = app.config.get("LOW_SCORE") or 0.0
    report = app.extensions["store_writer"].call(lambda: build_report(store, knowledge, terms, since, low_score))
    return report_dict(report)


@bp.get("")
def board():
    since = _since()
    try:
        data = current_report(since)
    except StoreBusy:
        abort(503)
    if request.args.get("format") == "json":
        return jsonify(data)
    if request.args.get("format") == "csv":
        return current_app.response_class(report_csv(data), mimetype="text/csv")
    return render_template("admin.html", data=data, since=since.date().isoformat(), notice=own_message("notice"),
                           error=own_message("error"),
                           tags=current_app.extensions["knowledge"].vocabulary.tags, csrf=session.get("csrf", ""))


@bp.post("/vocabulary")
def add_word():
    """One step: the word into the vocabulary (then reload), the question into the regression list."""
    form = request.form
    word, tag, question = form.get("word", ""), form.get("tag", ""), form.get("question", "").strip()
    ids = form.get("expected", "").split()
    try:
        if ids and question:  # check the ids before changing anything
            unknown = [i for i in ids if i not in current_app.extensions["knowledge"].program_by_id]
            if unknown:
                raise CurationError([f"事業 ID {' '.join(unknown)} はありません。"])
        add_vocabulary_word(data_dir_in_use(current_app.config), word, tag)
        reload_assistant(current_app)
        if question and ids:
            add_regression(regressions_path(current_app), question, ids)
    except (CurationError, KnowledgeError) as exc:
        return redirect(url_for("admin.board", error=signed(" / ".join(exc.problems)[:500])), 303)
    return redirect(url_for("admin.board", notice=signed(f"「{word.strip()}」を「{tag}」に追加しました。")), 303)


def _messages() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="shien-navi admin message")


def signed(message: str) -> str:
    """A message for the board to show after a redirect, signed so that only ours are shown."""
    return _messages().dumps(message)


def own_message(param: str) -> str | None:
    """The board's own message from the query string; any other text there is never shown."""
    raw = request.args.get(param)
    if not raw:
        return None
    try:
        return strip_bidi(str(_messages().loads(raw, max_age=MESSAGE_MAX_AGE_SECONDS)))
    except BadData:
        return None


def regressions_path(app: Flask) -> Path:
    return data_home(app.config) / REGRESSIONS_FILE


def reload_assistant(app: Flask) -> None:
    """Rebuild the knowledge and the assistant from the data dir in use, then swap them in."""
    knowledge = load_knowledge(data_dir_in_use(app.config))
    assistant = Assistant(knowledge, app.extensions["assistant"].tokenizer)
    app.extensions["knowledge"], app.extensions["assistant"] = knowledge, assistant


def init_app(app: Flask) -> None:
    """Mount /admin only when a token is set; there is no default token."""
    if not app.config.get("ADMIN_TOKEN"):
        return
    if not app.secret_key:
        app.secret_key = hmac.new(app.config["ADMIN_TOKEN"].encode(), b"shien-navi admin session",
                                  hashlib.sha256).hexdigest()
    app.config.update(SESSION_COOKIE_NAME="shien_navi_admin", SESSION_COOKIE_SAMESITE="Strict",
                      SESSION_COOKIE_HTTPONLY=True, PERMANENT_SESSION_LIFETIME=timedelta(hours=8))
    app.register_blueprint(bp)
