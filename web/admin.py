"""The staff gap board /admin: only when ADMIN_TOKEN is set; token by Bearer header or a login form.

The login form sets a cookie for admins only: a random session id whose session lives in the
store (shared by every instance), so logging out revokes it; the session is bound to the token in
force, so changing the token logs everyone out. The cookie is Secure when the request came over
HTTPS (behind a proxy, as ProxyFix reads X-Forwarded-Proto; see SHIEN_NAVI_PROXIES).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, g, jsonify, redirect, render_template, request, url_for
from itsdangerous import BadData, URLSafeTimedSerializer

from knowledge import KnowledgeError
from web.curation import REGRESSIONS_FILE, CurationError, add_regression, add_vocabulary_word
from web.display import strip_bidi
from web.knowledge_source import documents_in_use, publish
from web.gaps import build_report, report_csv, report_dict
from web.store import AdminSession, data_home, utcnow
from web.writer import StoreBusy

bp = Blueprint("admin", __name__, url_prefix="/admin")
DEFAULT_DAYS = 30
MESSAGE_MAX_AGE_SECONDS = 600


SESSION_COOKIE = "shien_navi_admin"
SESSION_LIFETIME = timedelta(hours=8)


def _token() -> str:
    return current_app.config["ADMIN_TOKEN"]


def token_matches(candidate: str) -> bool:
    """Compare in constant time, so timing tells nothing about the token."""
    return hmac.compare_digest(candidate.encode("utf-8", "surrogatepass"), _token().encode())


def _id_hash(session_id: str) -> str:
    """What the store keeps of a session id: its hash, so the table alone logs no one in."""
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


def _token_tag(session_id: str) -> str:
    """Binds a session to the token in force: changing the token logs everyone out."""
    return hmac.new(_token().encode(), session_id.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _store_call(fn):
    """Run a store call on the store's thread; a store that does not answer is a 503."""
    try:
        return current_app.extensions["store_writer"].call(fn)
    except StoreBusy:
        abort(503)


def current_session() -> AdminSession | None:
    """The staff session named by the cookie, if it exists, has not expired and fits the token."""
    session_id = request.cookies.get(SESSION_COOKIE, "")
    if not session_id or len(session_id) > 100:
        return None
    store = current_app.extensions["store"]
    found = _store_call(lambda: store.admin_session(_id_hash(session_id)))
    if found is None or not hmac.compare_digest(found.token_tag, _token_tag(session_id)):
        return None
    return found


def authorized() -> bool:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return token_matches(header.removeprefix("Bearer ").strip())
    g.admin_session = current_session()
    return g.admin_session is not None


@bp.before_request
def require_admin():
    if request.endpoint == "admin.login":
        return None
    if not authorized():
        if request.endpoint == "admin.board":
            return render_template("admin_login.html", failed=False), 401
        abort(401)
    if request.method == "POST" and "Authorization" not in request.headers:
        if not hmac.compare_digest(request.form.get("csrf", ""), g.admin_session.csrf):
            abort(403)
    return None


@bp.post("/login")
def login():
    """Start a session: a random id in the cookie, the session itself in the store."""
    if not token_matches(request.form.get("token", "")):
        return render_template("admin_login.html", failed=True), 401
    session_id = secrets.token_urlsafe(32)
    session = AdminSession(_token_tag(session_id), secrets.token_urlsafe(24), utcnow() + SESSION_LIFETIME)
    store = current_app.extensions["store"]
    _store_call(lambda: store.create_admin_session(_id_hash(session_id), session))
    response = redirect(url_for("admin.board"), 303)
    response.set_cookie(SESSION_COOKIE, session_id, max_age=int(SESSION_LIFETIME.total_seconds()), path="/admin",
                        secure=request.is_secure, httponly=True, samesite="Strict")
    return response


@bp.post("/logout")
def logout():
    """End the session in the store, so the cookie is worthless even if it was copied."""
    session_id = request.cookies.get(SESSION_COOKIE, "")
    store = current_app.extensions["store"]
    if session_id:
        _store_call(lambda: store.delete_admin_session(_id_hash(session_id)))
    response = redirect(url_for("admin.board"), 303)
    response.delete_cookie(SESSION_COOKIE, path="/admin", secure=request.is_secure, httponly=True, samesite="Strict")
    return response


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
                           tags=current_app.extensions["knowledge"].vocabulary.tags,
                           csrf=g.admin_session.csrf if g.get("admin_session") else "")


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
        docs = add_vocabulary_word(documents_in_use(current_app), word, tag)
        publish(current_app, docs, f"語彙: 「{word.strip()}」→{tag}")  # a new version; every instance follows
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


def init_app(app: Flask) -> None:
    """Mount /admin only when a token is set; there is no default token."""
    if not app.config.get("ADMIN_TOKEN"):
        return
    if not app.secret_key:  # signs the board's own messages; the same on every instance sharing the token
        app.secret_key = hmac.new(app.config["ADMIN_TOKEN"].encode(), b"shien-navi admin messages",
                                  hashlib.sha256).hexdigest()
    app.register_blueprint(bp)
