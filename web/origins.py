"""The sites allowed to embed the widget and to call /api from a browser (SHIEN_NAVI_ALLOWED_ORIGINS).

One parser, read the same way by CORS, by the widget's CSP `frame-ancestors` and by the widget's
postMessage check. An entry is an exact origin (`https://portal.example.jp`, `http://127.0.0.1:8080`),
the subdomains of one domain (`https://*.example.jp`: any host ending in `.example.jp`, not
`example.jp` itself — CSP's own meaning of `*.`), or `*` for every site. Nothing is a regular
expression: `https://*.example.jp` can never admit `https://aexampleXjp.attacker.com`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ORIGIN = re.compile(rf"(?P<scheme>https?)://(?P<wild>\*\.)?(?P<host>{_LABEL}(?:\.{_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?")


@dataclass(frozen=True)
class OriginRule:
    """One allowed origin, or with `wildcard` every subdomain of `host`."""
    scheme: str
    host: str
    port: int
    wildcard: bool = False

    def matches(self, scheme: str, host: str, port: int) -> bool:
        if scheme != self.scheme or port != self.port:
            return False
        return host.endswith("." + self.host) if self.wildcard else host == self.host

    @property
    def source(self) -> str:
        """The entry as a CSP source expression (and for people): default ports left out."""
        port = "" if self.port == DEFAULT_PORTS[self.scheme] else f":{self.port}"
        return f"{self.scheme}://{'*.' if self.wildcard else ''}{self.host}{port}"

    def as_dict(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "host": self.host, "port": self.port, "wildcard": self.wildcard}


def split_origin(origin: str, *, wildcard: bool = False) -> tuple[str, str, int, bool] | None:
    """(scheme, host, port, is_wildcard) of an origin as browsers send it, or None when it is not one."""
    found = _ORIGIN.fullmatch(origin.lower()) if origin.isascii() else None
    if found is None or (found["wild"] and (not wildcard or "." not in found["host"])):
        return None  # a wildcard needs a domain of two labels at least: never https://*.jp
    port = int(found["port"]) if found["port"] else DEFAULT_PORTS[found["scheme"]]
    if not 0 < port < 65536:
        return None
    return found["scheme"], found["host"], port, bool(found["wild"])


@dataclass(frozen=True)
class AllowedOrigins:
    rules: tuple[OriginRule, ...] = ()
    any: bool = False

    def allows(self, origin: str | None) -> bool:
        """Tell whether a request's Origin header names an allowed site ("null" never is)."""
        if not origin:
            return False
        parts = split_origin(origin)
        if parts is None:
            return False
        return self.any or any(rule.matches(*parts[:3]) for rule in self.rules)

    @property
    def configured(self) -> bool:
        return self.any or bool(self.rules)

    def frame_ancestors(self) -> str:
        """`'self'` plus each allowed origin; `*` lets any site frame the widget."""
        if self.any:
            return "*"
        return " ".join(["'self'", *(rule.source for rule in self.rules)])


def parse_origins(entries: Iterable[str]) -> AllowedOrigins:
    """Read the allow-list; an entry that is not an origin raises ValueError naming it."""
    rules: list[OriginRule] = []
    any_site = False
    for entry in entries:
        entry = entry.strip().rstrip("/")
        if entry == "*":
            any_site = True
            continue
        parts = split_origin(entry, wildcard=True)
        if parts is None:
            raise ValueError(f"SHIEN_NAVI_ALLOWED_ORIGINS: {entry[:80]!r} is not an origin "
                             "like https://portal.example.jp or https://*.example.jp")
        rule = OriginRule(*parts)
        if rule not in rules:
            rules.append(rule)
    return AllowedOrigins(tuple(rules), any_site)
