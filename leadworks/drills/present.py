"""What the drill pages show: the table rows with their inputs, a grade's checks, and the
key's explanations (shown only on the grade page, after the hand-in)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course.drill_specs import DrillSpec
from leadworks.submissions.check_rows import check_rows
from leadworks.submissions.labels import field_label


def table_rows(spec: DrillSpec, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per item: its shown cells and, per field, the input's name, id and value."""
    rows = values.get("rows") if isinstance(values.get("rows"), dict) else {}
    out = []
    for item in spec.materials.items:
        item_id = str(item["id"])
        mine = rows.get(item_id) if isinstance(rows.get(item_id), dict) else {}
        title = str(item.get(spec.materials.columns[0].name, item_id))
        inputs = [
            {
                "spec": field,
                "name": f"rows.{item_id}.{field.name}",
                "id": f"f-{item_id}-{field.name}",
                "label": f"{field.label} for {item_id}, {title}",
                "value": str(mine.get(field.name, "")),
            }
            for field in spec.fields
        ]
        cells = [(c.label, "" if item.get(c.name) is None else str(item.get(c.name)))
                 for c in spec.materials.columns]  # fmt: skip
        out.append({"id": item_id, "title": title, "cells": cells, "inputs": inputs})
    return out


def text_values(values: Mapping[str, Any]) -> dict[str, str]:
    texts = values.get("texts")
    return {k: str(v) for k, v in texts.items()} if isinstance(texts, dict) else {}


def paragraphs(text: str) -> list[str]:
    """The brief and documents: paragraphs split on blank lines."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def check_view(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A stored grade's checks in the shape ``practice/_check.html`` shows."""
    return check_rows(result)


def explanations(spec: DrillSpec, payload: Mapping[str, Any]) -> list[dict[str, str]]:
    """After a hand-in: per item, what the learner entered, the key's answer and why.

    A drill's key may give ``rows.<item id>.why`` (and ``.action`` or ``.answer``); a key
    without them shows nothing here (the checks' evidence still explains the grade)."""
    key_rows = spec.key.get("rows")
    if not isinstance(key_rows, dict):
        return []
    rows = payload.get("rows") if isinstance(payload.get("rows"), dict) else {}
    first = spec.fields[0].name
    out = []
    for item in spec.materials.items:
        item_id = str(item["id"])
        key = key_rows.get(item_id)
        if not isinstance(key, dict) or not key.get("why"):
            continue
        mine = rows.get(item_id) if isinstance(rows.get(item_id), dict) else {}
        out.append(
            {
                "id": item_id,
                "title": str(item.get(spec.materials.columns[0].name, item_id)),
                "yours": str(mine.get(first, "")),
                "expected": _answer_text(key.get("action", key.get("answer", ""))),
                "why": str(key["why"]),
            }
        )
    return out


def _answer_text(answer: object) -> str:
    """A key's answer as words: a list of acceptable answers reads "a or b"."""
    if isinstance(answer, list | tuple):
        return " or ".join(str(a) for a in answer)
    return str(answer)


def error_field_label(field: str | None) -> str:
    return field_label(field) if field else ""
