"""Reading lesson Markdown the way a reader sees it: front matter, headings and sections.

Why hand-rolled and small: the catalog, the glossary check and the sources check only need
to know where the front matter ends, which lines are headings (outside fenced code) and
which lines belong to which section. Using mkdocs' own front-matter rule keeps the catalog
and the built site in agreement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

# The same front-matter rule as mkdocs.utils.meta, so the catalog and the site agree.
_FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_ATTR_LIST_RE = re.compile(r"\s*\{[^}]*\}\s*$")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Line:
    """One body line with what a reader knows about it: its section and whether it is code."""

    number: int  # 1-based, within the body
    text: str
    in_code: bool
    heading: Heading | None  # set when this line is itself a heading
    section: tuple[str, ...]  # heading texts from level 2 down, e.g. ("Worked example", "Before")


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """Return (front matter or None, body)."""
    text = text.lstrip("\ufeff")
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return None, text
    data = yaml.safe_load(match.group(1))
    return (data if isinstance(data, dict) else None), text[match.end() :]


def scan_lines(markdown: str) -> Iterator[Line]:
    """Every line with its heading path; fenced code is marked so callers can skip it."""
    fence: str | None = None
    path: list[Heading] = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        fence_match = _FENCE_RE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
                yield Line(number, line, True, None, _section(path))
                continue
        if fence is not None or fence_match:
            yield Line(number, line, True, None, _section(path))
            continue
        match = _ATX_HEADING_RE.match(line)
        heading = None
        if match:
            heading = Heading(len(match.group(1)), _ATTR_LIST_RE.sub("", match.group(2)).strip())
            path = [h for h in path if h.level < heading.level] + [heading]
        yield Line(number, line, False, heading, _section(path))


def _section(path: list[Heading]) -> tuple[str, ...]:
    return tuple(h.text for h in path if h.level >= 2)


def scan_headings(markdown: str) -> tuple[Heading, ...]:
    """ATX headings outside fenced code blocks (what a reader sees as headings)."""
    return tuple(line.heading for line in scan_lines(markdown) if line.heading is not None)


def section_lines(markdown: str, title: str) -> list[Line]:
    """The lines under the level-2 heading ``title`` (heading excluded), code excluded."""
    return [
        line
        for line in scan_lines(markdown)
        if line.section[:1] == (title,) and line.heading is None and not line.in_code
    ]
