"""Show the grader's evidence where it came from: marked spans in the learner's own text.

A check's evidence quotes ``submission[field][start:end]``. Spans from several checks may
overlap, so the text is cut at every span boundary and each piece is marked with all the
checks that cover it. Everything is escaped here; the result is safe Markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from leadworks.feedback.grades import CheckView

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
LONG_TEXT_FIELDS = ("subject", "body", "analysis", "notes")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    check_id: str
    anchor: str


@dataclass(frozen=True)
class MarkedField:
    path: str
    html: Markup
    marks: int


def resolve(payload: Any, path: str) -> str | None:
    """``steps[1].body`` -> that string inside the payload, or None when absent."""
    node = payload
    for name, index in _PART.findall(path):
        if name and isinstance(node, Mapping):
            node = node.get(name)
        elif index and isinstance(node, list) and int(index) < len(node):
            node = node[int(index)]
        else:
            return None
    return node if isinstance(node, str) else None


def anchor(check_id: str, n: int) -> str:
    return f"ev-{re.sub(r'[^A-Za-z0-9_-]', '-', check_id)}-{n}"


def _locate(text: str, evidence: Mapping[str, Any]) -> tuple[int, int] | None:
    """The span's offsets, re-found by its quote if the offsets no longer match."""
    try:
        start, end = int(evidence["start"]), int(evidence["end"])
    except (KeyError, TypeError, ValueError):
        return None
    quote = evidence.get("quote")
    if 0 <= start < end <= len(text) and (quote is None or text[start:end] == quote):
        return start, end
    if isinstance(quote, str) and quote:
        found = text.find(quote)
        if found >= 0:
            return found, found + len(quote)
    return None


def spans_by_field(payload: Any, checks: Iterable[CheckView]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {}
    for check in checks:
        for n, evidence in enumerate(check.evidence):
            path = evidence.get("field")
            text = resolve(payload, path) if isinstance(path, str) else None
            where = _locate(text, evidence) if text is not None else None
            if where is not None:
                out.setdefault(str(path), []).append(Span(*where, check.id, anchor(check.id, n)))
    return out


def mark(text: str, spans: list[Span]) -> Markup:
    """``text`` with every evidence span wrapped in <mark>, overlaps included."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= a and s.end >= b]
        for span in spans:
            if span.start == a:  # a jump target for the check's evidence link
                pieces.append(Markup('<span class="ev-anchor" id="{}"></span>').format(span.anchor))
        piece = escape(text[a:b])
        if covering:
            ids = " ".join(dict.fromkeys(s.check_id for s in covering))
            piece = Markup('<mark class="evidence" data-checks="{}" title="{}">{}</mark>').format(
                ids, ids.replace(" ", ", "), piece
            )
        pieces.append(piece)
    return Markup("").join(pieces)


def text_paths(payload: Any, prefix: str = "") -> list[str]:
    """Paths of the prose fields (subject, body, analysis, notes, and a call's turns) at
    any depth: a call's whole transcript is shown, its evidence marked."""
    found: list[str] = []
    if isinstance(payload, Mapping):
        for key, value in payload.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            prose = key in LONG_TEXT_FIELDS or (key == "text" and prefix.startswith("turns["))
            if prose and isinstance(value, str) and value:
                found.append(path)
            elif isinstance(value, Mapping | list):
                found += text_paths(value, path)
    elif isinstance(payload, list):
        for index, value in enumerate(payload):
            found += text_paths(value, f"{prefix}[{index}]")
    return found


def marked_fields(payload: Any, checks: Iterable[CheckView]) -> list[MarkedField]:
    """The learner's prose with evidence marked, then any other field a check quoted."""
    spans = spans_by_field(payload, checks)
    paths = text_paths(payload)
    paths += sorted(p for p in spans if p not in paths)
    out = []
    for path in paths:
        own = spans.get(path, [])
        out.append(MarkedField(path, mark(resolve(payload, path) or "", own), len(own)))
    return out
