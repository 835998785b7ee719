"""Reading the built site with the standard library's HTML parser (no browser, no network)."""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.config import load_config

from course.build import CONFIG_FILE

SITE_PATH = urlsplit(load_config(str(CONFIG_FILE)).site_url or "/").path  # "/course/"
# Routes of the app that the course links to on purpose (same origin, outside the site).
APP_ROUTE_RE = re.compile(
    r"^/(?:sandbox/exercises/(?P<exercise>[a-z0-9-]+)|drills/(?P<drill>[a-z0-9-]+)|me/progress)$"
)
# Hosts that serve libraries or fonts to other sites (kept apart from the hook's own list).
CDN_RE = re.compile(
    r"(?:https?:)?//(?:[\w-]+\.)*(?:fonts\.googleapis\.com|fonts\.gstatic\.com|unpkg\.com"
    r"|jsdelivr\.net|cdnjs\.cloudflare\.com|ajax\.googleapis\.com|use\.fontawesome\.com"
    r"|kit\.fontawesome\.com|use\.typekit\.net|code\.jquery\.com|bootstrapcdn\.com|polyfill\.io"
    r"|esm\.sh|skypack\.dev)",
    re.IGNORECASE,
)
ASSET_TAGS = {("script", "src"), ("img", "src"), ("link", "href"), ("source", "src")}


class PageParser(HTMLParser):
    """Collects links (tag, attribute, value), element ids, visible text and start tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        self.tags.append((tag, values))
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for key in ("href", "src"):
            if values.get(key):
                self.links.append((tag, key, values[key]))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Start tags of this kind whose attributes contain the given values."""
        wanted = {key.rstrip("_"): value for key, value in attrs.items()}
        found = []
        for name, values in self.tags:
            if name != tag:
                continue
            if all(
                value in values.get(key, "").split() if key == "class" else values.get(key) == value
                for key, value in wanted.items()
            ):
                found.append(values)
        return found


@cache
def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def plain(text: str) -> str:
    """Markdown-ish source text as it reads on the page (for comparing with page text)."""
    for marker in ("**", "`"):
        text = text.replace(marker, "")
    return " ".join(html.unescape(text).split())


def resolve(site: Path, page: Path, url: str) -> tuple[Path | None, str]:
    """The file an internal URL points at (None for an app route), and its fragment."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    if path.startswith("/"):
        if not path.startswith(SITE_PATH):
            return None, parts.fragment
        target = site / path.removeprefix(SITE_PATH)
    else:
        target = page.parent / path
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target.resolve(), parts.fragment


def broken_links(
    site: Path, exercise_ids: set[str], drill_ids: set[str] | frozenset[str] = frozenset()
) -> list[str]:
    """Every href/src in the site's HTML that points at no file, no anchor or no app route
    (an exercise or a drill the catalog does not know is a broken route)."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for tag, attribute, url in parse_page(page).links:
            where = f"{page.relative_to(site)}: <{tag} {attribute}={url!r}>"
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:  # external: see cdn_urls and external_assets
                continue
            target, fragment = resolve(site, page, url)
            if target is None:
                if not _known_route(parts.path, exercise_ids, drill_ids):
                    broken.append(where)
            elif not target.is_file():
                broken.append(f"{where}: no file {target}")
            elif fragment and target.suffix == ".html" and fragment not in parse_page(target).ids:
                broken.append(f"{where}: no #{fragment}")
    return broken


def _known_route(path: str, exercise_ids: set[str], drill_ids: set[str] | frozenset[str]) -> bool:
    route = APP_ROUTE_RE.match(path)
    if route is None:
        return False
    if route["exercise"]:
        return route["exercise"] in exercise_ids
    if route["drill"]:
        return route["drill"] in drill_ids
    return True


def cdn_urls(site: Path) -> list[str]:
    """CDN or font-host URLs anywhere in the site's HTML, CSS, JS or SVG."""
    hits = []
    for path in sorted(site.rglob("*")):
        if path.suffix in {".html", ".css", ".js", ".svg"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            hits += [f"{path.relative_to(site)}: {m.group(0)}" for m in CDN_RE.finditer(text)]
    return hits


def external_assets(site: Path) -> list[str]:
    """Scripts, styles, images or CSS url()s loaded from another origin."""
    external = []
    for page in sorted(site.rglob("*.html")):
        for tag, values in parse_page(page).tags:
            for attribute in ("src", "href"):
                url = values.get(attribute, "")
                if (tag, attribute) not in ASSET_TAGS or values.get("rel") == "canonical":
                    continue
                if urlsplit(url).scheme in ("http", "https") or url.startswith("//"):
                    external.append(f"{page.relative_to(site)}: <{tag} {attribute}={url!r}>")
    for css in sorted(site.rglob("*.css")):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", css.read_text()):
            external.append(f"{css.relative_to(site)}: url({url})")
    return external
