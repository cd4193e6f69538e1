"""What search engines read: each page's description and canonical URL, programs as schema.org data, the sitemap.

Owners look for 「福島市 創業 補助金」 in a search engine before they find any chat, so every public
page says what it holds in its own words, and each program page is a GovernmentService with its
desks and their numbers as the data prints them. Pages that hold a visitor's own words (the
相談メモ), the framed widget and the staff pages are kept out of the index.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

from flask import Blueprint, Flask, Response, current_app, request, url_for
from markupsafe import Markup

from assistant.replies import first_contact
from knowledge.models import Knowledge, Program, ProgramContact
from web.settings import StartupError

bp = Blueprint("seo", __name__)

DESCRIPTION_CHARS = 110  # of the program's own text; search results show about 120 Japanese characters
INDEXED = ("pages.chat", "pages.programs", "pages.program", "pages.contacts")  # everything else: noindex
NOT_CRAWLED = ("/admin", "/api/", "/memo", "/widget")
GOVERNMENT_LEVELS = ("市", "県", "国")
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

PAGE_DESCRIPTIONS = {
    "pages.chat": "福島市の事業者の方へ。困りごとを普段の言葉で書くと、{edition}の{programs}事業から合う支援制度と、"
                  "相談・申し込みの窓口、電話番号をお知らせします。",
    "pages.programs": "{edition}の支援制度{programs}事業の一覧。困りごと、支援の種類(補助金・融資・相談など)、"
                      "市・県・国で絞り込み、窓口と電話番号を確かめられます。",
    "pages.contacts": "{edition}の支援制度を担当する窓口{desks}か所の電話番号と、それぞれが扱う制度の一覧です。",
    "pages.memo": "相談メモ: ご案内した支援制度と窓口、電話番号を一枚にまとめ、次の窓口でお見せいただけます。",
}
SITE_DESCRIPTION = "福島市の事業者向け支援制度と、相談・申し込みの窓口、電話番号のご案内(ふくしま支援ナビ)。"


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut after a sentence when one ends late enough, else with …."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line.rfind("。", 0, limit)
    return line[:cut + 1] if cut >= limit // 2 else line[:limit - 1] + "…"


def program_description(program: Program) -> str:
    """The program's name and own text, then the desk to call with its number as printed."""
    desk = first_contact(program)  # the one the chat's lead names
    call = ""
    if desk is not None:
        call = f" 窓口: {desk.name}" + (f"(電話 {desk.phones[0]})" if desk.phones else "")
    return f"{program.name}: {shorten(program.description, DESCRIPTION_CHARS)}{call}"


def page_description(knowledge: Knowledge, endpoint: str | None) -> str:
    template = PAGE_DESCRIPTIONS.get(endpoint or "")
    if template is None:
        return SITE_DESCRIPTION
    return template.format(edition=knowledge.edition, programs=len(knowledge.programs), desks=len(knowledge.contacts))


def provider(desk: ProgramContact) -> dict[str, Any]:
    """A desk as a schema.org organisation, with the numbers printed for it on the program's page."""
    kind = "GovernmentOrganization" if desk.contact.level in GOVERNMENT_LEVELS else "Organization"
    org: dict[str, Any] = {"@type": kind, "name": desk.name}
    if desk.phones:
        org["telephone"] = desk.phones[0]
    if len(desk.phones) > 1:
        org["contactPoint"] = [{"@type": "ContactPoint", "telephone": n,
                                **({"name": label} if (label := desk.contact.label_of(n)) else {})}
                               for n in desk.phones]
    return org


def government_service(knowledge: Knowledge, program: Program, url: str) -> dict[str, Any]:
    """A program as schema.org GovernmentService: name, its own text, desks and numbers, all from the data."""
    service: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": program.name,
        "description": program.description,
        "url": url,
        "provider": [provider(c) for c in program.contacts],
    }
    if program.short_names:
        service["alternateName"] = list(program.short_names)
    if program.kinds:
        service["serviceType"] = list(program.kinds)
    service["subjectOf"] = {"@type": "CreativeWork", "name": knowledge.document.title,
                            "publisher": {"@type": "GovernmentOrganization", "name": knowledge.document.publisher}}
    return service


def script_json(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block: `<`, `>` and `&` escaped so no text can end the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def public_base(configured: str | None) -> str:
    """The site's address for canonical URLs and the sitemap: SHIEN_NAVI_PUBLIC_URL, else the request's."""
    return (configured or request.url_root).rstrip("/")


def check_public_url(value: str | None) -> str | None:
    """Refuse at start a PUBLIC_URL that cannot prefix a page's address."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise StartupError(f"SHIEN_NAVI_PUBLIC_URL must be the site's address like https://navi.example.jp "
                           f"(no query or #), not {value[:80]!r}")
    return value.rstrip("/")


def knowledge() -> Knowledge:
    return current_app.extensions["knowledge"]


def canonical_url() -> str:
    return public_base(current_app.config.get("PUBLIC_URL")) + request.path


def indexed() -> bool:
    return request.endpoint in INDEXED


def sitemap_xml(base: str, paths: list[str]) -> bytes:
    root = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    for path in paths:
        ElementTree.SubElement(ElementTree.SubElement(root, "url"), "loc").text = base + path
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


@bp.get("/sitemap.xml")
def sitemap():
    k = knowledge()
    paths = [url_for(e) for e in INDEXED if e != "pages.program"]
    paths += [url_for("pages.program", program_id=p.id) for p in k.programs]
    return Response(sitemap_xml(public_base(current_app.config.get("PUBLIC_URL")), paths),
                    mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in NOT_CRAWLED),
             f"Sitemap: {public_base(current_app.config.get('PUBLIC_URL'))}/sitemap.xml"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


def init_app(app: Flask) -> None:
    """Serve /sitemap.xml and /robots.txt and give the templates the page's metadata."""
    app.config["PUBLIC_URL"] = check_public_url(app.config.get("PUBLIC_URL"))
    app.register_blueprint(bp)
    app.add_template_global(canonical_url)
    app.add_template_global(indexed)
    app.add_template_global(lambda: page_description(knowledge(), request.endpoint), "page_description")
    app.add_template_global(program_description)
    app.add_template_global(lambda p: script_json(government_service(knowledge(), p, canonical_url())),
                            "program_json_ld")

