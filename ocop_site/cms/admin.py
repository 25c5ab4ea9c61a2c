"""The files of admin/: the web form, one per site language (`admin/`, `en/admin/`).

Decap CMS and js-yaml are served from the site itself (vendored, vendored.py), with the
form's own script (static/admin.js: front-matter as the checker reads it, file names
by the project's slug rule, the product preview) and its configuration (cms/config.py).
Only these pages load the editor: no other page links a script of it, so visitors'
pages weigh what they weighed. The pages are for people editing, not for search
engines: `noindex`, and not in the sitemap or the search index (neither lists them).

Published when site.yaml's `cms:` names a backend; under `serve` always, saving
through the local write API (localapi.py).
"""
from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from typing import Iterator

from ..site.catalogue import Catalogue
from .config import choices, config_yaml
from .vendored import FILES, VENDOR_DIR

STATIC_DIR = Path(__file__).resolve().parent / "static"
FOLDER = "admin/"
SCRIPT = "admin.js"
STYLESHEET = "admin.css"  # the login screen's contrast, the language switch
# interface strings the preview pane and admin.js show (filled in the browser)
PREVIEW_KEYS = (
    "product.rating", "product.category", "product.commune", "product.formerly",
    "product.producer", "product.stars", "product.description", "product.contact",
    "product.phone", "product.call", "format.price", "format.thousands",
    "certificate.heading", "certificate.decision", "certificate.date",
    "certificate.issued_by", "certificate.valid_until", "stars.aria",
    "cms.translation_of_missing")

File = tuple[str, bytes]


def folder_of(catalogue: Catalogue, lang: str) -> str:
    """'admin/' for the default language, '<lang>/admin/' for the others."""
    default = catalogue.config.default_language
    return FOLDER if lang == default else f"{lang}/{FOLDER}"


def _copied() -> list[tuple[str, Path]]:
    """The files served as they are: Decap, js-yaml, their licences, admin.js, admin.css."""
    found = [(FOLDER + item.name, VENDOR_DIR / item.name) for item in FILES]
    found += [(FOLDER + notice.name + ".txt", notice)
              for notice in sorted(VENDOR_DIR.glob("*.NOTICE")) + sorted(
                  VENDOR_DIR.glob("*.LICENSE"))]
    return found + [(FOLDER + name, STATIC_DIR / name) for name in (SCRIPT, STYLESHEET)]


def site_paths(catalogue: Catalogue) -> tuple[str, ...]:
    """What files() writes, known before it is made (a build plans its outputs)."""
    if not catalogue.config.cms.published:
        return ()
    return tuple(path for path, _ in _copied()) + tuple(
        folder_of(catalogue, lang) + name for lang in catalogue.config.languages
        for name in ("config.yml", "index.html"))


def copied_digest() -> str:
    """What the copied files hold (they are not code, so not in the project's version)."""
    digest = hashlib.blake2b(digest_size=16)
    for path, source in _copied():
        digest.update(path.encode() + b"\0" + hashlib.sha256(source.read_bytes()).digest())
    return digest.hexdigest()


def files(catalogue: Catalogue) -> Iterator[File]:
    """Every file of the form, or none when the site publishes no form."""
    config = catalogue.config
    if not config.cms.published:
        return
    for path, source in _copied():
        yield path, source.read_bytes()
    for lang in config.languages:
        folder = folder_of(catalogue, lang)
        yield folder + "config.yml", config_yaml(catalogue, lang)
        yield folder + "index.html", page(catalogue, lang)


def page(catalogue: Catalogue, lang: str) -> bytes:
    """The form's page: Decap's scripts and the data admin.js needs. No `</head>`
    (allowed by HTML): serve's live reload puts its script before that tag, and the
    form must not reload under someone's typing when a save rebuilds the site."""
    from ..site.render import star_text  # here: render imports outputs, which import this

    config = catalogue.config
    t = config.translator(lang)
    here = folder_of(catalogue, lang)
    up = "../" * here.count("/")  # to the site's root
    shared = "" if here == FOLDER else up + FOLDER  # one copy of the scripts
    data = {
        "lang": lang, "languages": list(config.languages),
        "strings": {key: t.raw(key) for key in PREVIEW_KEYS},
        "stars": {str(n): star_text(n) for n in (3, 4, 5)},
        "css": up + "assets/css/site.css",
        "choices": choices(catalogue, lang),
    }
    island = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    site = config.localized(lang).title
    alternates = "".join(
        f'<link rel="alternate" hreflang="{other}" href="{up}{folder_of(catalogue, other)}">\n'
        for other in config.languages)
    switch = "".join(
        f'<a href="{up}{folder_of(catalogue, other)}" hreflang="{other}" lang="{other}">'
        f"{html.escape(config.translator(other)('cms.switch'))}</a>"
        for other in config.languages if other != lang)
    nav = f'<nav class="languages">{switch}</nav>\n' if switch else ""
    text = f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{html.escape(t("cms.title", site=site))}</title>
{alternates}<link rel="icon" href="{up}assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{shared}{STYLESHEET}">
<link rel="cms-config-url" type="text/yaml" href="config.yml">
<script type="application/json" id="ocop-cms">{island}</script>
<script>window.CMS_MANUAL_INIT = true;</script>
<script defer src="{shared}js-yaml.min.js"></script>
<script defer src="{shared}decap-cms.js"></script>
<script defer src="{shared}{SCRIPT}"></script><body>
<noscript><p>{html.escape(t("cms.noscript"))}</p></noscript>
{nav}</body>
</html>
"""
    return text.encode("utf-8")
