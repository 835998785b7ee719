"""mkdocs hook: make sure the built site never fetches anything from a CDN or font host.

Why: learners may be on a locked-down network, and the course must not leak page views to
third parties. ``theme.font: false`` stops Google Fonts; icons and search are local. What is
left is Material's JavaScript bundle, which carries two fallback URLs on unpkg.com: Mermaid
(loaded only when a page has a ``mermaid`` diagram, which this course does not configure;
our diagrams are SVG files) and a ResizeObserver polyfill (only for browsers from before
2020). After the build we point both at an empty local script, then scan every HTML, CSS
and JS file and warn (failing ``--strict``) on any remaining CDN or font-host URL.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("leadworks-offline")

# Hosts that serve libraries or fonts to other sites.
CDN_HOSTS = (
    "unpkg.com",
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "ajax.googleapis.com",
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "use.fontawesome.com",
    "kit.fontawesome.com",
    "use.typekit.net",
    "code.jquery.com",
    "stackpath.bootstrapcdn.com",
    "maxcdn.bootstrapcdn.com",
    "polyfill.io",
    "cdn.polyfill.io",
    "esm.sh",
    "cdn.skypack.dev",
)
CDN_URL_RE = re.compile(
    r"(?:https?:)?//(?:[a-z0-9-]+\.)*(?:"
    + "|".join(re.escape(host) for host in CDN_HOSTS)
    + r")(?=[/\"'\s)?#]|$)[^\"'\s)]*",
    re.IGNORECASE,
)
# Material's fallbacks, e.g. the Mermaid and ResizeObserver scripts on unpkg.
_BUNDLE_FALLBACK_RE = re.compile(r"https://" + re.escape("unpkg.com") + r"/[^\"'\s)`]*")
EMPTY_SCRIPT = "data:text/javascript,"
SCANNED_SUFFIXES = (".html", ".css", ".js", ".mjs", ".svg")


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    for path in sorted((site / "assets" / "javascripts").glob("bundle.*.js*")):
        text = path.read_text(encoding="utf-8")
        patched = _BUNDLE_FALLBACK_RE.sub(EMPTY_SCRIPT, text)
        if patched != text:
            path.write_text(patched, encoding="utf-8")
    for path, url in find_cdn_urls(site):
        log.warning(f"{path.relative_to(site).as_posix()} refers to {url}: serve it from the site")


def find_cdn_urls(site: Path) -> list[tuple[Path, str]]:
    """Every (file, URL) in the built site that points at a CDN or font host."""
    hits = []
    for path in sorted(site.rglob("*")):
        if path.suffix in SCANNED_SUFFIXES and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            hits += [(path, match.group(0)) for match in CDN_URL_RE.finditer(text)]
    return hits
