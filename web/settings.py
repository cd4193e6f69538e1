"""One declarative table of settings, read from environment variables.

README.md's settings table is generated from SETTINGS by settings_table() (tests check it stays in step;
README.en.md gives the same variables and defaults in English).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Mapping


class StartupError(RuntimeError):
    """The service cannot start as configured; the message is one line for the operator."""


def _int(value: str) -> int:
    return int(value)


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class Setting:
    key: str
    env: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", "SHIEN_NAVI_DATA_DIR", None,
            "最初の知識データ(JSON)のフォルダ。未設定なら同梱のデータ。shien-navi import --apply した版があればそちらを使う。"),
    Setting("KNOWLEDGE_POLL_SECONDS", "SHIEN_NAVI_KNOWLEDGE_POLL_SECONDS", 20,
            "別の版(取り込み・巻き戻し・語彙の追加)に切り替わったかを確かめる間隔(秒)。複数台でも 1 分以内にそろう。", float),
    Setting("MAX_CONTENT_LENGTH", "SHIEN_NAVI_MAX_REQUEST_BYTES", 16384, "リクエスト本文の最大バイト数。", _int),
    Setting("ALLOWED_ORIGINS", "SHIEN_NAVI_ALLOWED_ORIGINS", (),
            "埋め込みを許すサイトのオリジン(カンマ区切り、例 https://portal.example.jp)。https://*.example.jp で"
            "そのドメインの下のサイトすべて(example.jp 自体は含まない。正規表現ではない)。/api/* の CORS、"
            "/widget の CSP frame-ancestors と postMessage の確認に同じ読み方で使う。空なら同一オリジンのみ"
            "('self')。* で全サイト。形の正しくない項目があると起動しない。", _list),
    Setting("PUBLIC_URL", "SHIEN_NAVI_PUBLIC_URL", None,
            "公開しているサイトのアドレス(例 https://navi.example.jp、パスを含めてもよい)。各ページの canonical、"
            "/sitemap.xml と /robots.txt のアドレス、制度ページの構造化データ(schema.org)の url に使う。"
            "未設定なら、リクエストされたアドレスをもとにする。形の正しくない値では起動しない。"
            "LINE のカードの「詳しく」も <この URL>/programs/<事業 ID> を開く(未設定なら LINE の中で説明を返す)。"),
    # Operations (web/store.py, web/admin.py, web/limits.py)
    Setting("DATA_HOME", "SHIEN_NAVI_DATA_HOME", None,
            "書き込むファイル(会話ログの SQLite、回帰リスト)のフォルダ。初回起動時に作る。"
            "未設定なら $XDG_DATA_HOME/shien-navi(既定 ~/.local/share/shien-navi)。"),
    Setting("DATABASE_URL", "SHIEN_NAVI_DATABASE_URL", None,
            "会話ログ・評価の保存先(SQLAlchemy の URL、例 postgresql://user@host/db)。"
            "未設定なら DATA_HOME の shien-navi.sqlite3。複数台で動かすときは PostgreSQL を共有する。"),
    Setting("DB_CONNECT_TIMEOUT", "SHIEN_NAVI_DB_CONNECT_TIMEOUT", 5.0,
            "データベースへの接続を待つ秒数(PostgreSQL は 2 以上の整数に切り上げ)。起動時にこの時間内に"
            "つながらなければ、1 行のメッセージで止まる。", float),
    Setting("DB_STATEMENT_TIMEOUT", "SHIEN_NAVI_DB_STATEMENT_TIMEOUT", 5.0,
            "1 つの SQL 文を待つ秒数(PostgreSQL の statement_timeout)。評価の保存や /admin の集計も"
            "この時間で諦めて 503 を返し、書き込みがこれより長く止まると /api/health が degraded になる。", float),
    Setting("LOG_QUEUE_SIZE", "SHIEN_NAVI_LOG_QUEUE_SIZE", 1000,
            "会話ログの書き込み待ちの上限(件)。データベースが遅いあいだはここにためて、あふれた分は"
            "待たずに捨てて数える(/api/health の dropped)。", _int),
    Setting("RETENTION_DAYS", "SHIEN_NAVI_RETENTION_DAYS", 90,
            "会話ログと評価を残す日数。起動時と 1 時間ごとに古いものを消す。0 なら消さない。", _int),
    Setting("ADMIN_TOKEN", "SHIEN_NAVI_ADMIN_TOKEN", None,
            "職員用ページ /admin の合言葉(長い乱数を推奨)。未設定なら /admin は無効(404)。既定値はない。"),
    Setting("LOW_SCORE", "SHIEN_NAVI_LOW_SCORE", 0.0,
            "/admin で「答えが弱い」とみなす最上位スコアの上限(この値未満)。0 なら結果なしの質問だけ。", float),
    Setting("RATE_LIMIT", "SHIEN_NAVI_RATE_LIMIT", "120/minute",
            "1 クライアント(IP)あたりの上限(flask-limiter の書式、例 120/minute;60/second)。off で無効。"),
    Setting("RATE_LIMIT_STORAGE_URI", "SHIEN_NAVI_RATE_LIMIT_STORAGE_URI", "memory://",
            "レート制限の記録先(例 redis://host:6379)。複数台なら共有の記録先にする。"),
    Setting("PROXIES", "SHIEN_NAVI_PROXIES", 0,
            "前に立つリバースプロキシの段数。1 以上なら、その段数分の X-Forwarded-For と X-Forwarded-Proto を"
            "信じる(werkzeug の ProxyFix)。HTTPS の判定(職員用 Cookie の Secure)とレート制限の利用者の区別に"
            "使う。プロキシなしで公開するときは 0 のまま。", _int),
    Setting("LOG_LEVEL", "SHIEN_NAVI_LOG_LEVEL", "INFO", "標準エラーに出す JSON ログの水準(DEBUG/INFO/WARNING/ERROR)。"),
    # LINE official account (web/line/, docs/line.md)
    Setting("LINE_CHANNEL_SECRET", "SHIEN_NAVI_LINE_CHANNEL_SECRET", None,
            "LINE のチャネルシークレット。アクセストークンと両方そろうと POST /line/webhook が有効になる"
            "(ないと 404)。署名の確認と、利用者 ID の HMAC(ID そのものは保存しない)に使う。"),
    Setting("LINE_CHANNEL_ACCESS_TOKEN", "SHIEN_NAVI_LINE_CHANNEL_ACCESS_TOKEN", None,
            "LINE のチャネルアクセストークン(長期)。返信とリッチメニューの登録に使う。"),
    Setting("LINE_API_URL", "SHIEN_NAVI_LINE_API_URL", None,
            "Messaging API の送り先。未設定なら LINE の api.line.me / api-data.line.me。試験用の代役に向けるときだけ設定する。"),
    Setting("LINE_API_TIMEOUT", "SHIEN_NAVI_LINE_API_TIMEOUT", 5.0,
            "LINE への返信を待つ秒数(接続と応答それぞれ)。失敗はログに残し、webhook には影響しない。", float),
    Setting("LINE_STATE_TIMEOUT", "SHIEN_NAVI_LINE_STATE_TIMEOUT", 2.0,
            "LINE の会話の状態をデータベースで読み書きするときに待つ秒数。過ぎたら文脈なしで答える"
            "(ほかの機能は待たせない)。", float),
)


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read every setting from the environment, falling back to its default."""
    environ = os.environ if environ is None else environ
    values = {}
    for s in SETTINGS:
        raw = environ.get(s.env)
        values[s.key] = s.default if raw in (None, "") else s.parse(raw)
    return values


def shown_default(setting: Setting) -> str:
    """A default as the README's tables write it."""
    if setting.default is None:
        return "(なし)"
    if setting.default in ((), []):
        return "(空)"
    return str(setting.default)


def settings_table() -> str:
    """README.md's settings table (Japanese, as the operators read it)."""
    rows = [f"| `{s.env}` | `{shown_default(s)}` | {s.help} |" for s in SETTINGS]
    return "\n".join(["| 環境変数 | 既定値 | 意味 |", "|---|---|---|", *rows])
