"""A stored grade made readable: each check's evidence resolved against the learner's own
text, and that text with every cited span marked.

Pure: the grader's stored result and the submission in, template data out. Evidence that
no longer matches the text (an edited quote, offsets out of range) is shown as a plain
quote rather than a wrong highlight.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from leadworks.practice.present import HANDOFF_FIELDS
from leadworks.submissions.check_rows import check_row
from leadworks.submissions.labels import (
    CONTACT_ID,
    field_label,
    humanize,
    record_label,
)
from simulator import Sandbox

_PATH_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def field_text(payload: Any, path: str) -> str | None:
    """The text at a grader field path such as 'body' or 'steps[1].body'."""
    value = payload
    for index, name in _PATH_TOKEN.findall(path or ""):
        if index:
            position = int(index)
            value = value[position] if isinstance(value, list) and position < len(value) else None
        else:
            value = value.get(name) if isinstance(value, dict) else None
        if value is None:
            return None
    return value if isinstance(value, str) else None


def _valid_span(text: str | None, evidence: Mapping[str, Any]) -> bool:
    start, end = evidence.get("start"), evidence.get("end")
    return (
        text is not None
        and isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start < end <= len(text)
        and text[start:end] == evidence.get("quote")
    )


def highlight(text: str, spans: list[tuple[int, int, str]]) -> Markup:
    """The learner's text with every evidence span marked; overlapping spans nest into
    segments that name every check citing them."""
    cuts = sorted({0, len(text), *[s for s, _, _ in spans], *[e for _, e, _ in spans]})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[start:end])
        checks = sorted({c for s, e, c in spans if s <= start and end <= e})
        if checks:
            names = " ".join(checks)
            out.append(
                Markup('<mark class="ev" data-checks="{}" title="Cited by: {}">{}</mark>').format(
                    names, ", ".join(checks), piece
                )
            )
        else:
            out.append(piece)
    return Markup("").join(out)


def in_context(text: str, start: int, end: int, width: int = 60) -> Markup:
    """A quote shown inside its sentence: '…before <mark>quote</mark> after…'."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return Markup("{}{}<mark>{}</mark>{}{}").format(
        "…" if start > width else "",
        before,
        text[start:end],
        after,
        "…" if end + width < len(text) else "",
    )


def _text_fields(kind: str, payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, label) of the learner's own text, in reading order."""
    if kind == "outreach":
        return [("subject", "Subject"), ("body", "Message")]
    if kind == "sequence":
        out = []
        for index, _ in enumerate(payload.get("steps") or []):
            out += [
                (f"steps[{index}].subject", f"Step {index + 1} subject"),
                (f"steps[{index}].body", f"Step {index + 1} message"),
            ]
        return out
    if kind == "report":
        return [("analysis", "Analysis")]
    if kind == "prospect_list":
        return [("notes", "Notes")]
    if kind == "handoff":  # the note, then the turns of the call it hands over
        note = [(name, label) for name, label in HANDOFF_FIELDS if payload.get(name)]
        return note + _text_fields("call", payload)
    if kind in ("call", "interview"):  # the learner's own turns of the transcript, numbered as said
        turns = payload.get("turns") or []
        mine = [
            i
            for i, t in enumerate(turns)
            if isinstance(t, Mapping) and t.get("speaker") == "learner"
        ]
        return [(f"turns[{i}].text", f"You, turn {n}") for n, i in enumerate(mine, 1)]
    return []


Spans = dict[str, list[tuple[int, int, str]]]  # field path -> (start, end, check id)


def _quote_item(
    payload: Mapping[str, Any], evidence: Mapping[str, Any], cid: str, spans: Spans
) -> dict[str, Any]:
    """A quoted span, shown in its sentence (and noted in ``spans`` for the marked text)
    when it still matches the learner's text; else the quote as the grader gave it."""
    text = field_text(payload, evidence["field"])
    if not _valid_span(text, evidence):
        return {
            "kind": "quote",
            "field": evidence["field"],
            "quote": evidence.get("quote", ""),
            "note": evidence.get("note", ""),
        }
    assert text is not None
    spans.setdefault(evidence["field"], []).append((evidence["start"], evidence["end"], cid))
    return {
        "kind": "span",
        "field": evidence["field"],
        "html": in_context(text, evidence["start"], evidence["end"]),
        "note": evidence.get("note", ""),
    }


def _records_item(sandbox: Sandbox, base: str, evidence: Mapping[str, Any]) -> dict[str, Any]:
    """Cited records, each linked to its prospect's profile when the market knows it."""
    records = []
    labels = evidence.get("labels") or []
    for n, rid in enumerate(evidence.get("record_ids", [])):
        contact = sandbox.world.contact(rid)
        stored = labels[n] if n < len(labels) else ""
        records.append(
            {
                "id": rid,
                "href": f"{base}/prospects/{rid}" if contact else None,
                "name": contact.name if contact else (stored or record_label(rid, {})),
            }
        )
    return {"kind": "records", "records": records, "note": evidence.get("note", "")}


def _words(sandbox: Sandbox, text: str) -> str:
    """Names for the contact ids in a grader sentence (grades stored before names were)."""
    names = {}
    for rid in CONTACT_ID.findall(text or ""):
        contact = sandbox.world.contact(rid)
        if contact is not None:
            names[rid] = contact.name
    return humanize(text, names)


def _checks_view(
    sandbox: Sandbox,
    base: str,
    payload: Mapping[str, Any],
    grade: Mapping[str, Any],
    spans: Spans,
    prefix: str = "",
) -> list[dict[str, Any]]:
    out = []
    for check in grade.get("checks", []):
        cid = f"{prefix}{check['id']}"
        items = [
            _quote_item(payload, evidence, cid, spans)
            if "field" in evidence
            else _records_item(sandbox, base, evidence)
            for evidence in check.get("evidence", [])
        ]
        out.append(check_row(check, items, check_id=cid, words=lambda t: _words(sandbox, t)))
    return out


def grade_view(
    sandbox: Sandbox, base: str, kind: str, payload: Mapping[str, Any], result: Mapping[str, Any]
) -> dict[str, Any]:
    """The stored grade ready to show: checks (and nested parts) with their evidence
    resolved against the learner's own text, and that text with every citation marked."""
    spans: Spans = {}
    checks = _checks_view(sandbox, base, payload, result, spans)
    parts = [
        {
            "index": i,
            "checks": _checks_view(sandbox, base, payload, part, spans, f"step{i + 1}."),
            "grade": part,
        }
        for i, part in enumerate(result.get("parts") or [])
    ]
    texts = []
    for path, title in _text_fields(kind, payload):
        text = field_text(payload, path)
        if text:
            texts.append(
                {"path": path, "label": title, "html": highlight(text, spans.get(path, []))}
            )
    known = {t["path"] for t in texts}
    for path, marks in spans.items():
        text = field_text(payload, path)
        if path not in known and text:
            texts.append({"path": path, "label": field_label(path), "html": highlight(text, marks)})
    return {
        "checks": checks,
        "parts": parts,
        "texts": texts,
        "skipped": result.get("skipped") or [],
    }
