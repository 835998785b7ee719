"""Reading a drill hand-in against its drill: the part every drill kind shares.

A drill (``course/drills/<id>.yaml``, see docs/drills.md) is fixed materials, one row per
item and the same fields for every row, plus a few free texts. The hand-in is
``{"rows": {item_id: {field: value}}, "texts": {name: value}}``: values are strings.
Missing rows and fields are allowed (a kind scores them as unanswered); an unknown item id
or field, a choice that is not offered, an over-long text or a missing required text is a
:class:`~grader.errors.SubmissionError` naming the field (``rows.c01.action``).

The drill arrives in the context as ``{"drill": <the parsed YAML>}`` (key included); a
malformed drill is the caller's fault and names a ``context`` field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from grader.fields import MAX_TEXT_CHARS, Reader

SUBMISSION = Reader("submission")
CONTEXT = Reader("context")
DEFAULT_TEXT_LENGTH = 500


@dataclass(frozen=True)
class DrillHandIn:
    """The hand-in, checked: ``rows[item_id][field]`` and ``texts[name]``, all strings."""

    rows: Mapping[str, Mapping[str, str]]
    texts: Mapping[str, str]

    def value(self, item_id: str, field: str) -> str:
        """What the learner entered (``""`` when they left it empty or skipped the row)."""
        return self.rows.get(item_id, {}).get(field, "")


def drill_of(context: Mapping[str, object]) -> Mapping[str, object]:
    """The drill definition in the context."""
    return CONTEXT.mapping(context.get("drill"), "drill")


def item_ids(drill: Mapping[str, object]) -> tuple[str, ...]:
    materials = CONTEXT.mapping(drill.get("materials"), "drill.materials")
    items = CONTEXT.sequence(materials.get("items"), "drill.materials.items")
    return tuple(
        str(CONTEXT.mapping(item, f"drill.materials.items[{i}]").get("id"))
        for i, item in enumerate(items)
    )


def items_by_id(drill: Mapping[str, object]) -> dict[str, Mapping[str, object]]:
    materials = CONTEXT.mapping(drill.get("materials"), "drill.materials")
    items = CONTEXT.sequence(materials.get("items"), "drill.materials.items")
    return {
        str(item["id"]): item
        for item in (CONTEXT.mapping(x, "drill.materials.items") for x in items)
    }


def _fields(drill: Mapping[str, object], name: str) -> dict[str, Mapping[str, object]]:
    specs = CONTEXT.sequence(drill.get(name) or [], f"drill.{name}")
    out: dict[str, Mapping[str, object]] = {}
    for i, raw in enumerate(specs):
        spec = CONTEXT.mapping(raw, f"drill.{name}[{i}]")
        out[str(spec.get("name"))] = spec
    return out


def _value(value: object, field: str, spec: Mapping[str, object]) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SUBMISSION.fail(field, "must be a string")
    text = str(value)
    kind = spec.get("type", "text")
    if kind == "choice":
        options = [str(x) for x in CONTEXT.sequence(spec.get("options"), "drill.fields.options")]
        if text and text not in options:
            raise SUBMISSION.fail(field, f"must be one of: {', '.join(options)}")
    limit = spec.get("max_length", DEFAULT_TEXT_LENGTH if kind == "text" else 100)
    limit = limit if isinstance(limit, int) and limit > 0 else MAX_TEXT_CHARS
    if len(text) > limit:
        raise SUBMISSION.fail(field, f"must be at most {limit:,} characters")
    return text


def read_hand_in(submission: Mapping[str, object], drill: Mapping[str, object]) -> DrillHandIn:
    """The learner's rows and texts, every value checked against the drill's fields."""
    known = set(item_ids(drill))
    fields = _fields(drill, "fields")
    text_specs = _fields(drill, "texts")
    unknown = set(submission) - {"rows", "texts"}
    if unknown:
        raise SUBMISSION.fail(sorted(unknown)[0], "unknown part: a hand-in has rows and texts")
    rows: dict[str, dict[str, str]] = {}
    for item_id, row in SUBMISSION.optional_mapping(submission.get("rows"), "rows").items():
        where = f"rows.{item_id}"
        if item_id not in known:
            raise SUBMISSION.fail(where, "no such item in this drill")
        rows[item_id] = {}
        for name, value in SUBMISSION.mapping(row, where).items():
            if name not in fields:
                raise SUBMISSION.fail(f"{where}.{name}", "no such field in this drill")
            rows[item_id][name] = _value(value, f"{where}.{name}", fields[name])
    texts: dict[str, str] = {}
    for name, value in SUBMISSION.optional_mapping(submission.get("texts"), "texts").items():
        if name not in text_specs:
            raise SUBMISSION.fail(f"texts.{name}", "no such text in this drill")
        spec = dict(text_specs[name]) | {"max_length": text_specs[name].get("max_length", 2000)}
        texts[name] = _value(value, f"texts.{name}", spec)
    for name, text_spec in text_specs.items():
        if text_spec.get("required") and not texts.get(name, "").strip():
            raise SUBMISSION.fail(f"texts.{name}", "is required: write it before handing in")
    return DrillHandIn(rows, texts)
