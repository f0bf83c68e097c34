"""Great Expectations Data Docs that render without the network.

GX 1.x writes every Data Docs page with ``<script>``/``<link>`` tags pointing at CDNs
(jQuery, Bootstrap, bootstrap-table, vega, Font Awesome, …) and its logo at an S3 bucket.
Without the network — an air-gapped reviewer, a CI runner, a laptop on a train — the pages
come up unstyled and their tables never fill (bootstrap-table builds them in the browser).

:func:`localize_data_docs` runs after GX has written the site: it copies the vendored copies
of those files (``docs_assets/``, re-vendored from npm by ``docs_assets/fetch.sh``; NOTICE at
the repository root lists packages, versions and licenses) into ``<site>/static/vendor/`` and
rewrites each page's references to relative paths, so the site can also be moved or zipped
whole. A CDN URL without a local copy (a GX upgrade adding one) is logged as a warning and
returned, never silently left.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Final

logger = logging.getLogger(__name__)

ASSETS_DIR: Final = Path(__file__).with_name("docs_assets")
VENDOR_DIR: Final = PurePosixPath("static/vendor")  # beside GX's own static/images, styles

_BT19_FC: Final = "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
_JSDELIVR: Final = "https://cdn.jsdelivr.net/npm/"
_CDNJS: Final = "https://cdnjs.cloudflare.com/ajax/libs/"
# every CDN URL of GX 1.24's page templates → its copy under docs_assets/ (= static/vendor/)
CDN_ASSETS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/dist/jquery.min.js",
        "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
            "bootstrap-4.3.1/dist/css/bootstrap.min.css"
        ),
        "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
            "bootstrap-4.3.1/dist/js/bootstrap.min.js"
        ),
        _CDNJS + "popper.js/1.12.9/umd/popper.min.js": "popper.js-1.12.9/dist/umd/popper.min.js",
        "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
            "bootstrap-table-1.19.1/dist/bootstrap-table.min.css"
        ),
        "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
            "bootstrap-table-1.19.1/dist/bootstrap-table.min.js"
        ),
        "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
        "bootstrap-table-filter-control.min.js": (
            "bootstrap-table-1.19.1/dist/extensions/filter-control/"
            "bootstrap-table-filter-control.min.js"
        ),
        # the index page links the minified stylesheet, the others the plain one: one copy
        _BT19_FC + "bootstrap-table-filter-control.css": (
            "bootstrap-table-1.19.0/dist/extensions/filter-control/"
            "bootstrap-table-filter-control.min.css"
        ),
        _BT19_FC + "bootstrap-table-filter-control.min.css": (
            "bootstrap-table-1.19.0/dist/extensions/filter-control/"
            "bootstrap-table-filter-control.min.css"
        ),
        _CDNJS + "bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
            "bootstrap-datepicker-1.9.0/dist/css/bootstrap-datepicker.min.css"
        ),
        _CDNJS + "bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
            "bootstrap-datepicker-1.9.0/dist/js/bootstrap-datepicker.min.js"
        ),
        # the minified build of the stylesheet GX links (which carries an 880 kB source map)
        _JSDELIVR + "@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
            "bootstrap-dark-1.1.0/dist/css/bootstrap-prefers-dark.min.css"
        ),
        _CDNJS + "font-awesome/6.6.0/css/all.min.css": "fontawesome-free-6.6.0/css/all.min.css",
        # loaded by major version only: the copies are the newest of that major on npm
        _JSDELIVR + "vega@5": "vega-5.33.1/build/vega.min.js",
        _JSDELIVR + "vega-lite@5": "vega-lite-5.23.0/build/vega-lite.min.js",
        _JSDELIVR + "vega-embed@6": "vega-embed-6.29.0/build/vega-embed.min.js",
    }
)
_GX_S3: Final = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
# GX's logo comes from S3 with the build time and the data context id in its query string (a
# beacon); GX already copies the same picture into the site's static/images/. The dark-mode
# logo has no local copy: the light one stands in.
SITE_FILES: Final[Mapping[str, str]] = MappingProxyType(
    {
        _GX_S3 + "logo-long.png": "static/images/logo-long.png",
        _GX_S3 + "full_logo_dark.png": "static/images/logo-long.png",
    }
)

# tags whose src/href the browser fetches while loading the page (an <a href> is only a link)
_TAG: Final = re.compile(r"<(?:script|link|img)\b[^>]*>", re.IGNORECASE)
_URL_ATTR: Final = re.compile(r"""(?<![-\w])(src|href)(\s*=\s*)(["'])([^"']*)\3""", re.IGNORECASE)
# GX links its own static/ folder with a depth off by one on validation pages (the favicon of
# validations/<suite>/<run>/<time>/x.html points inside validations/): every site-root
# static/ reference is re-anchored to the page's real depth
_SITE_STATIC: Final = re.compile(r"^(?:\./|(?:\.\./)+)?(static/.*)$")
# Subresource Integrity needs a CORS response, which a file:// page never gets: the pinned
# scripts would be refused. fetch.sh checks the vendored bytes against those pins instead.
_SRI: Final = re.compile(r"""\s+(?:integrity|crossorigin)(?:\s*=\s*(["']).*?\1)?""", re.I)
_CSS_URL: Final = re.compile(r"""url\((["']?)(https?://[^"')]+)\1\)""", re.IGNORECASE)


@dataclass(frozen=True)
class LocalizedDocs:
    """What :func:`localize_data_docs` did: pages rewritten, files copied, URLs left remote."""

    pages: int
    rewritten: int
    copied: int
    remote: tuple[str, ...]


def _site_path(url: str) -> PurePosixPath | None:
    """The local file (relative to the site root) standing in for ``url``, if there is one."""
    if url in CDN_ASSETS:
        return VENDOR_DIR / CDN_ASSETS[url]
    bare = url.split("?", 1)[0].split("#", 1)[0]  # the S3 logo's query string varies per build
    if bare in SITE_FILES:
        return PurePosixPath(SITE_FILES[bare])
    return None


def localize_page(text: str, depth: int, remote: set[str]) -> str:
    """``text`` (a page ``depth`` folders below the site root) loading local copies.

    URLs without a local copy stay as they are and are added to ``remote``.
    """
    up = "../" * depth

    def local(url: str) -> str | None:
        if not re.match(r"(?i)(https?:)?//", url):
            static = _SITE_STATIC.match(url)
            return up + static.group(1) if static else None
        path = _site_path(url)
        if path is None:
            remote.add(url)
            return None
        return up + str(path)

    def tag(match: re.Match[str]) -> str:
        found = _URL_ATTR.search(match.group(0))
        target = local(found.group(4)) if found else None
        if found is None or target is None:
            return match.group(0)
        name, eq, quote = found.group(1, 2, 3)
        out = match.group(0)[: found.start()] + f"{name}{eq}{quote}{target}{quote}"
        return _SRI.sub("", out + match.group(0)[found.end() :])

    def css(match: re.Match[str]) -> str:
        target = local(match.group(2))
        return match.group(0) if target is None else f"url('{target}')"

    return _CSS_URL.sub(css, _TAG.sub(tag, text))


def _copy_assets(target: Path) -> int:
    """Copy the vendored packages under ``target``; files already there (same size) stay."""
    copied = 0
    for package in sorted(p for p in ASSETS_DIR.iterdir() if p.is_dir()):
        for source in package.rglob("*"):
            if not source.is_file():
                continue
            dest = target / source.relative_to(ASSETS_DIR)
            if dest.is_file() and dest.stat().st_size == source.stat().st_size:
                continue  # one folder per package version: same name and size, same file
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            copied += 1
    return copied


def site_pages(site: Path) -> Iterable[Path]:
    """The HTML pages of a Data Docs site (not the vendored files under ``static/``)."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "static")


def localize_data_docs(site: Path) -> LocalizedDocs:
    """Make the Data Docs site under ``site`` load only files inside it.

    Idempotent and cheap to repeat (GX re-renders the index and adds a page per validation
    each run): a page already local is read, not written; vendored files are copied once.
    """
    if not site.is_dir():
        return LocalizedDocs(0, 0, 0, ())
    copied = _copy_assets(site / VENDOR_DIR)
    remote: set[str] = set()
    pages = rewritten = 0
    for page in site_pages(site):
        pages += 1
        text = page.read_text(encoding="utf-8")
        depth = len(page.relative_to(site).parts) - 1
        out = localize_page(text, depth, remote)
        if out != text:
            page.write_text(out, encoding="utf-8")
            rewritten += 1
    for url in sorted(remote):
        logger.warning("Data Docs still load %s (no local copy): it fails offline", url)
    logger.info(
        "Data Docs offline: %d of %d pages rewritten, %d files copied", rewritten, pages, copied
    )
    return LocalizedDocs(pages, rewritten, copied, tuple(sorted(remote)))
