"""Reading a drill (course/drills/<id>.yaml) and a learner's hand-in, per the drill contract.

A drill is practice without a simulated market: fixed materials, a table of items, the
fields the learner fills in for every item, free texts, and a hidden ``key``. Every drill
kind reads its spec and its hand-in here, so the contract (docs/rubrics.md, "Drills") is
enforced in one place: an unknown item id or field, a value of the wrong type, an unknown
choice or an over-long text is a :class:`~grader.errors.SubmissionError` naming the field
(``rows.r03.kind``); a missing row or an empty value is *unanswered* and only scores low.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from grader.fields import CONTEXT, MAX_SHORT_CHARS, SUBMISSION
from grader.results import Evidence

FIELD_TYPES = ("choice", "text", "number", "time")
#: A text field without ``max_length`` accepts this many characters (the contract's default).
DEFAULT_TEXT_CHARS = 500
MAX_ITEMS = 500
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_NUMBER_RE = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")
_Row = TypeVar("_Row")


@dataclass(frozen=True)
class FieldSpec:
    """One input the learner fills in for every item."""

    name: str
    type: str
    options: tuple[str, ...] = ()
    max_length: int = DEFAULT_TEXT_CHARS


@dataclass(frozen=True)
class Drill:
    """The parts of a drill spec a kind needs: items in table order, fields, texts, key."""

    items: Mapping[str, Mapping[str, object]]
    fields: Mapping[str, FieldSpec]
    texts: Mapping[str, int]
    key: Mapping[str, object]
    #: Texts the hand-in must fill (``required: true``): handing in without one is refused.
    required: frozenset[str] = frozenset()

    def key_for(self, name: str) -> Mapping[str, object]:
        """The key's entry ``name`` as a mapping (a spec error when it is missing)."""
        return CONTEXT.mapping(self.key.get(name), f"drill.key.{name}")


@dataclass(frozen=True)
class HandIn:
    """What the learner handed in: ``rows[item][field]`` and ``texts[name]``, all strings.

    Missing rows, fields and texts read as ``""`` (unanswered).
    """

    rows: Mapping[str, Mapping[str, str]]
    texts: Mapping[str, str]

    def value(self, item: str, field: str) -> str:
        return self.rows.get(item, {}).get(field, "").strip()

    def text(self, name: str) -> str:
        return self.texts.get(name, "")

    def quote(self, item: str, field: str, note: str) -> Evidence:
        """The learner's value of ``rows.<item>.<field>`` as evidence (records when empty)."""
        raw = self.rows.get(item, {}).get(field, "")
        if not raw:
            return Evidence.records([item], f"{item}.{field} left empty; {note}")
        return Evidence.span(f"rows.{item}.{field}", raw, 0, len(raw), note)


def read_drill(context: Mapping[str, object]) -> Drill:
    """The drill spec from ``context["drill"]`` (errors name ``context.drill...``)."""
    r = CONTEXT
    spec = r.mapping(context.get("drill"), "drill")
    materials = r.mapping(spec.get("materials"), "drill.materials")
    raw_items = r.sequence(materials.get("items"), "drill.materials.items", max_items=MAX_ITEMS)
    items: dict[str, Mapping[str, object]] = {}
    for i, raw in enumerate(raw_items):
        item = r.mapping(raw, f"drill.materials.items[{i}]")
        item_id = r.text(item.get("id"), f"drill.materials.items[{i}].id", blank=False)
        if item_id in items:
            raise r.fail(f"drill.materials.items[{i}].id", f"duplicate id {item_id!r}")
        items[item_id] = item
    fields: dict[str, FieldSpec] = {}
    for i, raw in enumerate(r.sequence(spec.get("fields", []), "drill.fields", max_items=50)):
        where = f"drill.fields[{i}]"
        f = r.mapping(raw, where)
        name = r.text(f.get("name"), f"{where}.name", max_chars=MAX_SHORT_CHARS, blank=False)
        kind = r.choice(f.get("type"), f"{where}.type", FIELD_TYPES)
        options = r.text_list(f.get("options"), f"{where}.options")
        if kind == "choice" and not options:
            raise r.fail(f"{where}.options", "a choice field needs options")
        limit = f.get("max_length", DEFAULT_TEXT_CHARS)
        fields[name] = FieldSpec(name, kind, options, r.integer(limit, f"{where}.max_length"))
    texts: dict[str, int] = {}
    required: set[str] = set()
    for i, raw in enumerate(r.sequence(spec.get("texts") or [], "drill.texts", max_items=50)):
        t = r.mapping(raw, f"drill.texts[{i}]")
        name = r.text(t.get("name"), f"drill.texts[{i}].name", blank=False)
        texts[name] = r.integer(t.get("max_length", 2000), f"drill.texts[{i}].max_length")
        if t.get("required") is True:
            required.add(name)
    key = r.mapping(spec.get("key"), "drill.key")
    return Drill(items, fields, texts, key, frozenset(required))


def read_hand_in(submission: Mapping[str, object], drill: Drill) -> HandIn:
    """The learner's rows and texts, checked against the drill's items and fields."""
    r = SUBMISSION
    unknown = sorted(set(submission) - {"rows", "texts"})
    if unknown:
        raise r.fail(unknown[0], "unknown field; a drill hand-in has only rows and texts")
    rows: dict[str, dict[str, str]] = {}
    for item_id, raw_row in r.optional_mapping(submission.get("rows"), "rows").items():
        if item_id not in drill.items:
            raise r.fail(f"rows.{item_id}", "unknown item id")
        row = r.optional_mapping(raw_row, f"rows.{item_id}")
        rows[item_id] = {
            name: _read_value(drill, item_id, name, value) for name, value in row.items()
        }
    texts: dict[str, str] = {}
    for name, value in r.optional_mapping(submission.get("texts"), "texts").items():
        if name not in drill.texts:
            raise r.fail(f"texts.{name}", "unknown text")
        texts[name] = r.text(value, f"texts.{name}", max_chars=drill.texts[name])
    for name in sorted(drill.required):
        if not texts.get(name, "").strip():
            raise r.fail(f"texts.{name}", "is required: write it before handing in")
    return HandIn(rows, texts)


def _read_value(drill: Drill, item_id: str, name: str, value: object) -> str:
    r = SUBMISSION
    where = f"rows.{item_id}.{name}"
    spec = drill.fields.get(name)
    if spec is None:
        raise r.fail(where, "unknown field")
    if value is None:
        return ""
    if spec.type == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        r.number(value, where)
        return str(value)
    text = r.text(value, where, max_chars=spec.max_length if spec.type == "text" else 100)
    clean = text.strip()
    if not clean:
        return text
    if spec.type == "choice" and clean not in spec.options:
        raise r.fail(where, f"must be one of {', '.join(repr(o) for o in spec.options)}")
    if spec.type == "number" and parse_number(clean) is None:
        raise r.fail(where, "must be a number")
    if spec.type == "time" and not _TIME_RE.match(clean):
        raise r.fail(where, 'must be a time written "HH:MM"')
    return text


def parse_number(text: str) -> float | None:
    """``"12"``, ``"12.5"``, ``"12,5"``, ``"80%"``, ``"1,200"`` -> a float; otherwise None."""
    clean = text.strip().rstrip("%").strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", clean):
        clean = clean.replace(",", "")
    if not _NUMBER_RE.match(clean):
        return None
    return float(clean.replace(",", "."))


def weigh(value: object, where: str) -> float:
    """A positive weight from the key (a spec error when it is not a number above 0)."""
    number = CONTEXT.number(value, where)
    if number <= 0:
        raise CONTEXT.fail(where, "must be positive")
    return number


def above_chance(score: float, chance: float) -> float:
    """The share of the way from ``chance`` to a perfect score (0 at or below chance).

    Why: a drill's key is rarely balanced (a check where "B" is right on 6 rows of 10), so a
    share of rows right pays a learner who never read a row: one answer on every row earns
    that row share. Graded above chance, the same blind hand-in earns nothing and a fully
    right one still earns everything (issue #15: no hand-in without real work above 30%).
    """
    if chance >= 1.0:
        return score
    return max(0.0, (score - chance) / (1.0 - chance))


def constant_share(
    rows: Sequence[_Row],
    options: Iterable[str],
    right: Callable[[_Row, str], bool],
    weight: Callable[[_Row], float] = lambda _row: 1.0,
) -> float:
    """The best weighted share of ``rows`` any single option, given on every row, gets right."""
    total = sum(weight(r) for r in rows)
    if not total:
        return 0.0
    return max(
        (sum(weight(r) for r in rows if right(r, option)) / total for option in options),
        default=0.0,
    )


def chance_text(chance: float) -> str:
    """The verdict's note on the baseline, so the learner sees why a share is not the score."""
    if chance <= 0:
        return ""
    return (
        f" One answer on every row would get {100 * chance:.0f}% of these right, so only "
        "what is above that counts."
    )
