"""One declarative table of settings, read from environment variables.

The README's settings table is generated from SETTINGS (tests check it stays in step).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Mapping


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
    Setting("DATA_DIR", "SHIEN_NAVI_DATA_DIR", None, "知識データ(JSON)のフォルダ。未設定なら同梱のデータ。"),
    Setting("MAX_MESSAGE_CHARS", "SHIEN_NAVI_MAX_MESSAGE_CHARS", 500, "1メッセージ・検索語の最大文字数。", _int),
    Setting("MAX_CONTENT_LENGTH", "SHIEN_NAVI_MAX_REQUEST_BYTES", 16384, "リクエスト本文の最大バイト数。", _int),
)


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read every setting from the environment, falling back to its default."""
    environ = os.environ if environ is None else environ
    values = {}
    for s in SETTINGS:
        raw = environ.get(s.env)
        values[s.key] = s.default if raw in (None, "") else s.parse(raw)
    return values
